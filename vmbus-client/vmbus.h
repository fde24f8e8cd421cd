/* SPDX-License-Identifier: GPL-2.0 */
/* xenhv's SynIC: its SINT, per-CPU interrupt, message and event-flag slots, beside hv_vmbus. */
#ifndef _XENHV_VMBUS_H
#define _XENHV_VMBUS_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <asm/hyperv-tlfs.h>

/*
 * What xenhv's SINT interrupt reports: from hard interrupt context, except on
 * PREEMPT_RT, where they take sleeping locks and so run in the CPU's
 * irq_work thread instead (the interrupt only takes the SynIC's slots).
 */
struct xenhv_synic_handlers {
	void (*timer)(unsigned int cpu, u32 timer_index);	/* HVMSG_TIMER_EXPIRED */
	void (*root_event)(u32 conn);				/* an event flag */
	void (*upcall)(unsigned int cpu);			/* always, last */
};

int xenhv_synic_init(const struct xenhv_synic_handlers *h);
void xenhv_synic_exit(void);
/* The SINT xenhv owns (module parameter), and its vector on @cpu (or -1). */
unsigned int xenhv_synic_sint(void);
int xenhv_synic_vector(unsigned int cpu);
/* Interrupt @cpu through xenhv's SINT vector: HvCallSendSyntheticClusterIpi. */
void xenhv_synic_kick(unsigned int cpu);
/* Whether hv_vmbus's SynIC pages are the ones in use on @cpu. */
bool xenhv_synic_shared(unsigned int cpu);

/* event_conn.c */
int xenhv_vmbus_signal_event(u32 conn);
void xenhv_vmbus_take_flags(union hv_synic_event_flags *slot,
			    atomic_long_t *pending);
void xenhv_vmbus_report_flags(atomic_long_t *pending, void (*event)(u32 conn));

#endif /* _XENHV_VMBUS_H */
