/* SPDX-License-Identifier: GPL-2.0 */
/* The Hyper-V side of xenhv: detected features and thin hypercall/MSR wrappers. */
#ifndef _XENHV_HV_H
#define _XENHV_HV_H

#include <linux/atomic.h>
#include <linux/types.h>

#include <compat/hyperv.h>

/* What the hypervisor offers; filled once by xenhv_hv_detect(). */
struct xenhv_hv_features {
	/* mandatory */
	bool hypercall_page;
	bool vp_index;
	bool synic;
	/* optional, each with a fallback */
	bool stimer;
	bool crash_msrs;
	bool ref_tsc;
	bool time_ref_count;
	bool vp_runtime;
	bool reset_msr;
	bool tlbflush;
	bool ipi;
	bool ex_processor_masks;
	bool signal_events;
	bool post_messages;
};

extern struct xenhv_hv_features xenhv_hv;

/* Hyper-V calls made, one counter per mechanism: proof of the path taken. */
struct xenhv_hv_counters {
	atomic64_t notify_long_spin_wait;
	atomic64_t crash_notify;
	atomic64_t flush_space;		/* HvCallFlushVirtualAddressSpace */
	atomic64_t flush_list;		/* HvCallFlushVirtualAddressList */
	atomic64_t send_ipi;		/* HvCallSendSyntheticClusterIpi */
	atomic64_t apic_ipi;		/* the fallback: Linux's APIC driver */
	atomic64_t signal_event;	/* HvCallSignalEvent */
	atomic64_t event_flags;		/* SynIC event flags taken */
	atomic64_t synic_irqs;		/* interrupts on xenhv's SINT */
	atomic64_t synic_stray_msgs;	/* messages other than timer expiry */
	atomic64_t stimer_armed;	/* synthetic timers programmed */
	atomic64_t stimer_fired;	/* HVMSG_TIMER_EXPIRED for ours */
	atomic64_t stimer_stray;	/* ... for a timer that is not ours */
	atomic64_t hrtimer_fired;	/* the fallback's expiries */
};

extern struct xenhv_hv_counters xenhv_hv_counters;

int xenhv_hv_detect(void);
int xenhv_hv_status_to_errno(u64 status);
int xenhv_hv_notify_long_spin_wait(u32 retries);
void xenhv_hv_crash_notify(const u64 params[5]);
int xenhv_hv_flush_all(void);
int xenhv_hv_flush_va(unsigned long va);
int xenhv_hv_vp_runtime(unsigned int cpu, u64 *ns);

/* stimer.c: Xen's singleshot (0) and periodic (1) timer of each CPU. */
typedef void (*xenhv_timer_fn)(unsigned int cpu, unsigned int which);
int xenhv_hv_timers_init(xenhv_timer_fn expiry, unsigned int sint);
void xenhv_hv_timers_exit(void);
int xenhv_hv_timer_arm(unsigned int cpu, unsigned int which, u64 expires_ns,
		       u64 period_ns);
void xenhv_hv_timer_stop(unsigned int cpu, unsigned int which);
void xenhv_hv_stimer_expired(unsigned int cpu, u32 timer_index);
u64 xenhv_hv_system_time(void);

/* reftsc.c: the reference TSC page, for Xen's pvclock. */
struct xenhv_hv_reftsc {
	u64 scale;
	s64 offset;
	u64 tsc;	/* a TSC value read while the page held these */
	u32 sequence;
};

bool xenhv_hv_reftsc_usable(void);
bool xenhv_hv_reftsc_read(struct xenhv_hv_reftsc *r);
u32 xenhv_hv_reftsc_sequence(void);

/* ipi.c */
void xenhv_hv_send_ipi(unsigned int cpu, unsigned int vector);

#endif /* _XENHV_HV_H */
