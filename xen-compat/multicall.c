// SPDX-License-Identifier: GPL-2.0
/* multicall: runs each entry through the dispatcher and stores its result in place. */
#include "compat.h"

/* struct multicall_entry of the 64-bit ABI: op, result, args[6]. */
struct xenhv_mc_entry {
	xen_ulong_t op;
	xen_long_t result;
	xen_ulong_t args[6];
};

long xenhv_do_multicall(struct xenhv_call *c, xen_ulong_t list,
			unsigned int nr_calls)
{
	struct xenhv_mc_entry e;
	xen_ulong_t at;
	unsigned int i;
	long ret = 0;

	/* Xen: "Multicall reentry is disallowed." */
	if (c->multicall_depth)
		return -EINVAL;

	c->multicall_depth++;
	for (i = 0; i < nr_calls && !ret; i++) {
		at = list + (xen_ulong_t)i * sizeof(e);
		if (xenhv_copy_from_guest(c, &e, at, sizeof(e))) {
			ret = -EFAULT;
			break;
		}
		e.result = xenhv_do_hypercall(c, e.op, e.args);
		if (xenhv_copy_to_guest(c, at + offsetof(struct xenhv_mc_entry, result),
					&e.result, sizeof(e.result))) {
			ret = -EFAULT;
			break;
		}
		/*
		 * Xen preempts a long list and continues it transparently;
		 * here the caller's thread may be rescheduled, or killed
		 * (-EINTR). A kernel caller with interrupts off is neither.
		 */
		ret = xenhv_call_resched(c);
	}
	c->multicall_depth--;
	return ret;
}
