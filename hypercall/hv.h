/* SPDX-License-Identifier: GPL-2.0 */
/* The Hyper-V side of xenhv: detected features and thin hypercall/MSR wrappers. */
#ifndef _XENHV_HV_H
#define _XENHV_HV_H

#include <linux/atomic.h>
#include <linux/types.h>

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
};

extern struct xenhv_hv_counters xenhv_hv_counters;

int xenhv_hv_detect(void);
int xenhv_hv_status_to_errno(u64 status);
int xenhv_hv_notify_long_spin_wait(u32 retries);
void xenhv_hv_crash_notify(const u64 params[5]);
int xenhv_hv_flush_all(void);
int xenhv_hv_flush_va(unsigned long va);
int xenhv_hv_vp_runtime(unsigned int cpu, u64 *ns);

#endif /* _XENHV_HV_H */
