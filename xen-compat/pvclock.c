// SPDX-License-Identifier: GPL-2.0
/* Xen time in shared_info: pvclock scale and timestamps, wall clock, the version protocol. */
#include "compat.h"

/* Xen's XEN_PVCLOCK_TSC_STABLE_BIT: one clock for every vCPU, no per-CPU skew. */
#define XENHV_PVCLOCK_TSC_STABLE	1
#define XENHV_NSEC_PER_SEC		1000000000ULL

/* 64x64 -> 128-bit products, native on x86-64 in both builds. */
#define xenhv_u128 unsigned __int128

/* struct vcpu_time_info (Xen's name) / pvclock_vcpu_time_info (Linux's): 32 bytes. */
struct xenhv_time_info {
	u32 version;
	u32 pad0;
	u64 tsc_timestamp;
	u64 system_time;
	u32 tsc_to_system_mul;
	s8 tsc_shift;
	u8 flags;
	u8 pad[2];
};

/* shared_info's wc_version, wc_sec, wc_nsec and (64-bit ABI) wc_sec_hi. */
struct xenhv_wall_clock {
	u32 version;
	u32 sec;
	u32 nsec;
	u32 sec_hi;
};

#ifdef __KERNEL__
#define XENHV_SI_WALL_CLOCK(si)	((void *)&(si)->wc)
#define XENHV_VI_TIME(vi)	((void *)&(vi)->time)
/* Orders the version against the fields, as Xen's seqlock-like protocol needs. */
#define xenhv_wmb()		smp_wmb()
#else
#define XENHV_SI_WALL_CLOCK(si)	((void *)&(si)->wc_version)
#define XENHV_VI_TIME(vi)	((void *)&(vi)->time)
#define xenhv_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/* Xen's scale_delta(): ((delta << shift) * mul) >> 32, as every pvclock reader does. */
u64 xenhv_pvclock_scale(u64 delta, u32 mul, s8 shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (u64)(((xenhv_u128)delta * mul) >> 32);
}

/* The time a pvclock reader computes from @p at TSC value @tsc. */
u64 xenhv_pvclock_read(const struct xenhv_pvclock *p, u64 tsc)
{
	return p->system_time +
	       xenhv_pvclock_scale(tsc - p->tsc_timestamp, p->mul, p->shift);
}

/*
 * ns per tick as (mul, shift) from a 64.64 fixed-point value @f (ns per
 * tick << 64): the largest 32-bit mul, so the truncation costs at most one
 * part in 2^31 (0.5 ns per second between updates).
 */
static void xenhv_pvclock_set_scale(struct xenhv_pvclock *p, xenhv_u128 f)
{
	int bits = 0, shift;
	xenhv_u128 v;

	for (v = f; v; v >>= 1)
		bits++;
	shift = bits - 64;
	if (shift > 31)
		shift = 31;
	if (shift < -31)
		shift = -31;
	p->shift = (s8)shift;
	p->mul = (u32)min_t(xenhv_u128, f >> (32 + shift), 0xffffffffU);
}

/*
 * Hyper-V's reference TSC page: time (100 ns) = ((tsc * scale) >> 64) +
 * offset. The same line in ns, exact to the ns at @tsc, and its slope as
 * pvclock's mul/shift: pvclock agrees with the partition reference time
 * (Xen system time here) to within its 100 ns granularity.
 */
void xenhv_pvclock_from_reftsc(struct xenhv_pvclock *p, u64 scale, s64 offset,
			       u64 tsc)
{
	xenhv_u128 prod = (xenhv_u128)tsc * scale;
	u64 hi = (u64)(prod >> 64), lo = (u64)prod;

	p->tsc_timestamp = tsc;
	p->system_time = hi * 100 + (u64)(((xenhv_u128)lo * 100) >> 64) +
			 (u64)(offset * 100);
	xenhv_pvclock_set_scale(p, (xenhv_u128)scale * 100);
	p->flags = XENHV_PVCLOCK_TSC_STABLE;
}

/* (@num / @den) << 64 by 64-bit divisions, both first cut below 2^32. */
static xenhv_u128 xenhv_fixed_ratio(u64 num, u64 den)
{
	u64 q1, q0;

	while ((num >> 32) || (den >> 32)) {
		num >>= 1;
		den >>= 1;
	}
	if (!den)
		den = 1;
	q1 = (num << 32) / den;
	q0 = (((num << 32) % den) << 32) / den;
	return ((xenhv_u128)q1 << 32) + q0;
}

/*
 * Without the TSC page: Xen system time sampled at @tsc, as Xen itself
 * calibrates once a second. The slope is the rate measured since the last
 * sample (the first time: Linux's TSC frequency), less whatever the line
 * ran ahead: the new line starts no earlier than the old one had reached,
 * so the clock never steps back, and it converges on system time instead
 * of drifting. Per-vCPU skew is possible here, so no stable flag.
 */
void xenhv_pvclock_from_sample(struct xenhv_pvclock *p, u32 tsc_khz, u64 tsc,
			       u64 now_ns)
{
	u64 before = p->mul ? xenhv_pvclock_read(p, tsc) : 0;
	u64 start = now_ns > before ? now_ns : before;
	u64 dt = tsc - p->cal_tsc, dn = now_ns - p->cal_ns, ahead;

	if (p->cal_tsc && (s64)dt > 0 && (s64)dn > 0) {
		ahead = start - now_ns;
		/* Catch up within one period, never slower than half speed. */
		dn = ahead < dn / 2 ? dn - ahead : dn / 2;
		xenhv_pvclock_set_scale(p, xenhv_fixed_ratio(dn, dt));
	} else {
		/* ns per tick = 10^6 / kHz. */
		xenhv_pvclock_set_scale(p, xenhv_fixed_ratio(1000000,
							     tsc_khz ?: 1));
	}
	p->cal_tsc = tsc;
	p->cal_ns = now_ns;
	p->tsc_timestamp = tsc;
	p->system_time = start;
	p->flags = 0;
}

/*
 * One vCPU's vcpu_time_info, under Xen's version protocol (odd: updating).
 * An even version goes up by one, an odd one stays: a vcpu_info copied while an
 * update was in flight (register_vcpu_info) may carry an odd one.
 */
void xenhv_pvclock_publish(struct vcpu_info *vi, const struct xenhv_pvclock *p)
{
	struct xenhv_time_info *t = XENHV_VI_TIME(vi);
	u32 v = READ_ONCE(t->version) | 1;

	BUILD_BUG_ON(sizeof(*t) != 32);
	WRITE_ONCE(t->version, v);
	xenhv_wmb();
	t->tsc_timestamp = p->tsc_timestamp;
	t->system_time = p->system_time;
	t->tsc_to_system_mul = p->mul;
	t->tsc_shift = p->shift;
	t->flags = p->flags;
	xenhv_wmb();
	WRITE_ONCE(t->version, v + 1);
}

/*
 * protects xenhv_clock and serialises writers of every vcpu_time_info;
 * interrupts off, as a kernel caller may register a vcpu_info from an
 * event handler
 */
static DEFINE_SPINLOCK(xenhv_clock_lock);
static struct xenhv_pvclock xenhv_clock;

/* A new line for every vCPU: all share one, so readers agree across vCPUs. */
void xenhv_time_set(const struct xenhv_pvclock *p)
{
	unsigned int v, n = xenhv_compat.ops->vcpu_count();
	struct vcpu_info *vi;
	unsigned long flags;

	spin_lock_irqsave(&xenhv_clock_lock, flags);
	xenhv_clock = *p;
	for (v = 0; v < n; v++) {
		vi = xenhv_evtchn_vcpu_info(v);
		if (vi)
			xenhv_pvclock_publish(vi, p);
	}
	spin_unlock_irqrestore(&xenhv_clock_lock, flags);
}

void xenhv_time_get(struct xenhv_pvclock *p)
{
	unsigned long flags;

	spin_lock_irqsave(&xenhv_clock_lock, flags);
	*p = xenhv_clock;
	spin_unlock_irqrestore(&xenhv_clock_lock, flags);
}

/* @vcpu's vcpu_info moved: its time again, consistent, at the new place. */
void xenhv_time_republish(unsigned int vcpu)
{
	struct vcpu_info *vi = xenhv_evtchn_vcpu_info(vcpu);
	unsigned long flags;

	spin_lock_irqsave(&xenhv_clock_lock, flags);
	if (vi && xenhv_clock.mul)
		xenhv_pvclock_publish(vi, &xenhv_clock);
	spin_unlock_irqrestore(&xenhv_clock_lock, flags);
}

/*
 * shared_info's wall clock is the time of day at Xen system time 0: a
 * reader adds its pvclock to it. @real_ns is the time of day (ns since the
 * epoch) at Xen system time @now_ns.
 */
void xenhv_wallclock_publish(struct shared_info *si, u64 real_ns, u64 now_ns)
{
	struct xenhv_wall_clock *wc = XENHV_SI_WALL_CLOCK(si);
	u64 boot = real_ns > now_ns ? real_ns - now_ns : 0;
	u64 sec = boot / XENHV_NSEC_PER_SEC;

	WRITE_ONCE(wc->version, wc->version + 1);
	xenhv_wmb();
	wc->sec = (u32)sec;
	wc->sec_hi = (u32)(sec >> 32);
	wc->nsec = (u32)(boot % XENHV_NSEC_PER_SEC);
	xenhv_wmb();
	WRITE_ONCE(wc->version, wc->version + 1);
}
