/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-ins for the few kernel facilities xen-compat/ uses. */
#ifndef _XENHV_UPORT_H
#define _XENHV_UPORT_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define __XEN_TOOLS__ 1
#include <xen/xen.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/sched.h>
#include <xen/io/xs_wire.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/vcpu.h>
#include <stdlib.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef int16_t s16;
typedef int8_t s8;
/* Xen's 64-bit ABI; the userspace headers call it xen_ulong_t only. */
typedef long xen_long_t;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1UL << (n))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define PAGE_SIZE	4096UL
#define __maybe_unused	__attribute__((unused))
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)
#define fallthrough	__attribute__((fallthrough))

/*
 * Locks are mutexes that know their holder, so lockdep_assert_held() is a
 * real check here: a function that needs its caller's lock aborts the
 * unit run when called without it.
 */
struct uport_lock {
	pthread_mutex_t m;
	pthread_t owner;
	int held;
};

static inline void uport_lock(struct uport_lock *l)
{
	pthread_mutex_lock(&l->m);
	l->owner = pthread_self();
	l->held = 1;
}

static inline void uport_unlock(struct uport_lock *l)
{
	l->held = 0;
	pthread_mutex_unlock(&l->m);
}

static inline void uport_assert_held(const struct uport_lock *l,
				     const char *what, const char *func)
{
	if (l->held && pthread_equal(l->owner, pthread_self()))
		return;
	fprintf(stderr, "lockdep_assert_held(%s) failed in %s\n", what, func);
	abort();
}

#define lockdep_assert_held(l)	uport_assert_held(l, #l, __func__)

typedef struct uport_lock spinlock_t;
#define __SPIN_LOCK_UNLOCKED(x)	{ .m = PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define spin_lock(l)		uport_lock(l)
#define spin_unlock(l)		uport_unlock(l)
#define spin_lock_bh(l)		uport_lock(l)
#define spin_unlock_bh(l)	uport_unlock(l)
#define spin_lock_irqsave(l, f)	((void)(f), uport_lock(l))
#define spin_unlock_irqrestore(l, f)	((void)(f), uport_unlock(l))

/* The kernel's atomic bit operations on arrays of unsigned long. */
#define BITS_PER_LONG	64
#define U16_MAX		0xffff
#define U32_MAX		0xffffffffU
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
static inline bool test_and_set_bit(long nr, unsigned long *a)
{
	unsigned long m = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_or(&a[nr / BITS_PER_LONG], m, __ATOMIC_SEQ_CST) & m;
}

static inline bool test_and_clear_bit(long nr, unsigned long *a)
{
	unsigned long m = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_and(&a[nr / BITS_PER_LONG], ~m, __ATOMIC_SEQ_CST) & m;
}

#define set_bit(nr, a)		((void)test_and_set_bit(nr, a))
#define clear_bit(nr, a)	((void)test_and_clear_bit(nr, a))
#define test_bit(nr, a)	\
	((__atomic_load_n(&(a)[(nr) / BITS_PER_LONG], __ATOMIC_SEQ_CST) >> ((nr) % BITS_PER_LONG)) & 1)
#define xchg(p, v)		__atomic_exchange_n(p, v, __ATOMIC_SEQ_CST)
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define __ffs(x)		((unsigned long)__builtin_ctzl(x))

/* The kernel's find_next_zero_bit: the first clear bit from @start, or @size. */
static inline unsigned long find_next_zero_bit(const unsigned long *a,
					       unsigned long size,
					       unsigned long start)
{
	for (; start < size; start++)
		if (!test_bit(start, a))
			return start;
	return size;
}

/* The kernel's strscpy: always terminates, -E2BIG when it had to cut. */
static inline long strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return -E2BIG;
	for (i = 0; i < size - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return src[i] ? -E2BIG : (long)i;
}

#endif /* _XENHV_UPORT_H */

#define xs_zalloc(size)		calloc(1, size)
#define xs_free(p)		free(p)
/* Atomic allocations fail while uport_atomic_fails counts down (tests inject). */
extern int uport_atomic_fails;
#define xenhv_zalloc_atomic(size)	\
	(uport_atomic_fails > 0 ? (uport_atomic_fails--, NULL) : calloc(1, size))
typedef struct uport_lock xs_lock_t;
#define xs_lock_init(l)		(pthread_mutex_init(&(l)->m, NULL), (l)->held = 0)
#define xs_lock(l)		uport_lock(l)
#define xs_unlock(l)		uport_unlock(l)

#ifndef _XENHV_UPORT_ATOMIC
#define _XENHV_UPORT_ATOMIC
typedef struct { long long counter; } atomic64_t;
#define atomic64_inc(a)		((void)__atomic_add_fetch(&(a)->counter, 1, __ATOMIC_RELAXED))
#define atomic64_add(v, a)	((void)__atomic_add_fetch(&(a)->counter, (v), __ATOMIC_RELAXED))
#define atomic64_read(a)	__atomic_load_n(&(a)->counter, __ATOMIC_RELAXED)
#define atomic64_set(a, v)	__atomic_store_n(&(a)->counter, (v), __ATOMIC_RELAXED)
#define array_index_nospec(i, n)	(i)
/* Userspace has no scheduler to yield to between multicall entries. */
#define cond_resched()		do { } while (0)
#define xenhv_fatal_signal_pending()	false
/* The unit tests play an atomic kernel caller by setting this (main.c). */
extern bool xenhv_unit_atomic;
#define xenhv_may_sleep()		(!xenhv_unit_atomic)
#define xenhv_zalloc(size, atomic)	((void)(atomic), calloc(1, size))
#define xenhv_free(p)			free(p)
#endif
