/* SPDX-License-Identifier: GPL-2.0 */
/* Lets xen-compat/ build in the kernel and in the userspace unit tests alike. */
#ifndef _XENHV_COMPAT_PORT_H
#define _XENHV_COMPAT_PORT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/nospec.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>
#include <xen/interface/features.h>
#include <xen/interface/sched.h>
#include <xen/interface/io/xs_wire.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/vcpu.h>
#include <linux/bitops.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <compat/xen-abi.h>

#define xenhv_fatal_signal_pending()	fatal_signal_pending(current)
/*
 * May the caller sleep? Kernel callers of Xen's API may be event handlers
 * (interrupts off) or hold spinlocks. Without a preempt count the kernel
 * cannot tell, so it never may.
 */
#define xenhv_may_sleep()		preemptible()
/* Memory that atomic callers may allocate too (never sleeping for them). */
#define xenhv_zalloc(size, atomic)	kzalloc(size, (atomic) ? GFP_ATOMIC : GFP_KERNEL)
#define xenhv_free(p)			kfree(p)

/*
 * The store's memory: sleeping allocations, from process context only,
 * charged to the memory cgroup of the client that causes them.
 */
#define xs_zalloc(size)		kzalloc(size, GFP_KERNEL_ACCOUNT)
#define xs_free(p)		kfree(p)
/* For tables grown under a spinlock with interrupts off (event channels). */
#define xenhv_zalloc_atomic(size)	kzalloc(size, GFP_ATOMIC | __GFP_ACCOUNT)
#define xs_lock_t		struct mutex
#define xs_lock_init(l)		mutex_init(l)
#define xs_lock(l)		mutex_lock(l)
#define xs_unlock(l)		mutex_unlock(l)
#else
/* The unit-test build puts the userspace port on the include path. */
#include <uport.h>
#endif

/* One operand of a GNTTABOP_copy (unnamed in Linux 5.10's copy of grant_table.h). */
#define xenhv_gnttab_copy_ptr	typeof(((struct gnttab_copy *)NULL)->source)

/* Sizes both copies of Xen's public headers agree on. */
#define XENHV_COMPILE_INFO_LEN	(64 + 16 + 32 + 32)
#define XENHV_DOMAIN_HANDLE_LEN	16

#endif /* _XENHV_COMPAT_PORT_H */
