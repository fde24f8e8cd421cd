// SPDX-License-Identifier: GPL-2.0
/* memory_op: the reservation queries a domU makes; the rest as Xen answers one. */
#include "compat.h"

#define XENHV_XENMEM_maximum_ram_page		2
#define XENHV_XENMEM_current_reservation	3
#define XENHV_XENMEM_maximum_reservation	4
#define XENHV_XENMEM_maximum_gpfn		14
/* The low bits carry the command; the rest is a continuation start. */
#define XENHV_MEMOP_CMD_MASK			0x3f

/* Queries that name a domain: ourselves, or one a domU may not see. */
static long xenhv_own_domain(struct xenhv_call *c, xen_ulong_t arg)
{
	domid_t dom;

	if (xenhv_copy_from_guest(c, &dom, arg, sizeof(dom)))
		return -EFAULT;
	return xenhv_is_self(dom) ? 0 : xenhv_not_ours(dom);
}

long xenhv_do_memory_op(struct xenhv_call *c, unsigned long cmd,
			xen_ulong_t arg)
{
	long ret;

	switch (cmd & XENHV_MEMOP_CMD_MASK) {
	case XENHV_XENMEM_current_reservation:
	case XENHV_XENMEM_maximum_reservation:
		/* No balloon: what the guest has is also its maximum. */
		ret = xenhv_own_domain(c, arg);
		return ret ? ret : (long)xenhv_compat.ops->total_pages();
	case XENHV_XENMEM_maximum_ram_page:
		return (long)xenhv_compat.ops->max_pfn();
	case XENHV_XENMEM_maximum_gpfn:
		ret = xenhv_own_domain(c, arg);
		return ret ? ret : (long)xenhv_compat.ops->max_pfn();
	default:
		/* Ballooning, physmap changes, maps: not offered yet. */
		return -ENOSYS;
	}
}
