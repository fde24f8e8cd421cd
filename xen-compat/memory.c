// SPDX-License-Identifier: GPL-2.0
/* memory_op: reservations, add_to_physmap (shared_info, grant table); the rest as Xen answers. */
#include "compat.h"

#define XENHV_XENMEM_maximum_ram_page		2
#define XENHV_XENMEM_current_reservation	3
#define XENHV_XENMEM_maximum_reservation	4
#define XENHV_XENMEM_add_to_physmap		7
#define XENHV_XENMEM_maximum_gpfn		14
/* The low bits carry the command; the rest is a continuation start. */
#define XENHV_MEMOP_CMD_MASK			0x3f
#define XENHV_MEMOP_EXTENT_SHIFT		6
/* XENMAPSPACE_* of memory.h. */
#define XENHV_MAPSPACE_shared_info		0
#define XENHV_MAPSPACE_grant_table		1
#define XENHV_MAPSPACE_gmfn			2
#define XENHV_MAPSPACE_gmfn_range		3
#define XENHV_MAPSPACE_gmfn_foreign		4

/* struct xen_add_to_physmap of the 64-bit ABI. */
struct xenhv_add_to_physmap {
	domid_t domid;
	u16 size;
	u32 space;
	xen_ulong_t idx;
	u64 gpfn;
};

/* Queries that name a domain: ourselves, or one a domU may not see. */
static long xenhv_own_domain(struct xenhv_call *c, xen_ulong_t arg)
{
	domid_t dom;

	if (xenhv_copy_from_guest(c, &dom, arg, sizeof(dom)))
		return -EFAULT;
	return xenhv_is_self(dom) ? 0 : xenhv_not_ours(dom);
}

/*
 * Xen's order: a continuation start that does not fit xatp.size is -EDOM,
 * then the copy, foreign frames only through the batch call (-ENOSYS), the
 * domain (ourselves; -EPERM/-ESRCH), then the space: shared_info index 0,
 * grant-table frames, and -EINVAL for anything that names no frame.
 * XENMAPSPACE_gmfn(_range) would move guest RAM, which Hyper-V owns: those
 * are -EOPNOTSUPP, on purpose.
 */
static long xenhv_add_to_physmap(struct xenhv_call *c, unsigned long cmd,
				 xen_ulong_t arg)
{
	struct xenhv_add_to_physmap xatp;

	if ((cmd >> XENHV_MEMOP_EXTENT_SHIFT) > 0xffff)
		return -EDOM;
	if (xenhv_copy_from_guest(c, &xatp, arg, sizeof(xatp)))
		return -EFAULT;
	if (xatp.space == XENHV_MAPSPACE_gmfn_foreign)
		return -ENOSYS;
	if (!xenhv_is_self(xatp.domid))
		return xenhv_not_ours(xatp.domid);
	switch (xatp.space) {
	case XENHV_MAPSPACE_shared_info:
		if (xatp.idx != 0)
			return -EINVAL;
		return xenhv_compat.ops->map_shared_info(c->mem, xatp.gpfn);
	case XENHV_MAPSPACE_grant_table:
		return xenhv_gnttab_map_frame(c, xatp.idx, xatp.gpfn);
	case XENHV_MAPSPACE_gmfn:
	case XENHV_MAPSPACE_gmfn_range:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
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
	case XENHV_XENMEM_add_to_physmap:
		return xenhv_add_to_physmap(c, cmd, arg);
	default:
		/* Ballooning and the other physmap and map calls: not offered. */
		return -ENOSYS;
	}
}
