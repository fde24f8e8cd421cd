// SPDX-License-Identifier: GPL-2.0
/* Root-partition event connections: HvSignalEvent out, SynIC event flags in. */

#include <asm/mshyperv.h>

#include "../hypercall/hv.h"
#include "vmbus.h"

/*
 * Set flag 0 of Hyper-V event connection @conn in the root partition. The
 * host decides which of our flags its answer sets; QEMU's hyperv-testdev
 * and xenhv's convention use flag number = connection id.
 */
int xenhv_vmbus_signal_event(u32 conn)
{
	u64 status;

	status = hv_do_fast_hypercall8(HVCALL_SIGNAL_EVENT, conn);
	atomic64_inc(&xenhv_hv_counters.signal_event);
	return xenhv_hv_status_to_errno(status);
}

/*
 * Take every flag set in xenhv's SINT slot of this VP's event flags page,
 * each exactly once (the host sets, we clear atomically), into @pending:
 * lock-free, so it may run in hard interrupt context on every kernel.
 */
void xenhv_vmbus_take_flags(union hv_synic_event_flags *slot,
			    atomic_long_t *pending)
{
	unsigned int i;

	for (i = 0; i < HV_EVENT_FLAGS_LONG_COUNT; i++) {
		if (!READ_ONCE(slot->flags[i]))
			continue;
		atomic_long_or(xchg(&slot->flags[i], 0UL), &pending[i]);
	}
}

/* Report each flag taken into @pending once, and forget it. */
void xenhv_vmbus_report_flags(atomic_long_t *pending, void (*event)(u32 conn))
{
	unsigned long word;
	unsigned int i, b;

	for (i = 0; i < HV_EVENT_FLAGS_LONG_COUNT; i++) {
		if (!atomic_long_read(&pending[i]))
			continue;
		word = atomic_long_xchg(&pending[i], 0);
		for_each_set_bit(b, &word, BITS_PER_LONG) {
			atomic64_inc(&xenhv_hv_counters.event_flags);
			event(i * BITS_PER_LONG + b);
		}
	}
}
