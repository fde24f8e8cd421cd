// SPDX-License-Identifier: GPL-2.0
/* mmuext_op: the TLB flush and INVLPG commands, each a Hyper-V flush of every vCPU. */
#include "compat.h"

/* struct mmuext_op of the 64-bit ABI: cmd, arg1 (address), arg2. */
struct xenhv_mmuext {
	unsigned int cmd;
	xen_ulong_t arg1;
	xen_ulong_t arg2;
};

/*
 * A guest cannot run another domain's page tables here, so the local and
 * multi forms flush every vCPU too: more than asked, never less.
 */
static long xenhv_mmuext_one(const struct xenhv_mmuext *op)
{
	switch (op->cmd) {
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_TLB_FLUSH_ALL:
		xenhv_compat.ops->flush_tlb_all();
		return 0;
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_INVLPG_ALL:
		xenhv_compat.ops->flush_tlb_va(op->arg1);
		return 0;
	default:
		/* Page-table pinning and the rest are PV-only. */
		return -ENOSYS;
	}
}

long xenhv_do_mmuext_op(struct xenhv_call *c, xen_ulong_t ops,
			unsigned int count, xen_ulong_t pdone,
			unsigned int foreigndom)
{
	struct xenhv_mmuext op;
	unsigned int i, done = 0;
	long ret = 0;

	if (!xenhv_is_self(foreigndom))
		return -EPERM;
	for (i = 0; i < count && !ret; i++) {
		if (xenhv_copy_from_guest(c, &op, ops + i * sizeof(op),
					  sizeof(op)))
			ret = -EFAULT;
		else
			ret = xenhv_mmuext_one(&op);
		if (!ret)
			done++;
		/* Xen preempts a long batch; here the caller may be killed. */
		if (!ret)
			ret = xenhv_call_resched(c);
	}
	if (pdone && xenhv_copy_to_guest(c, pdone, &done, sizeof(done)))
		return -EFAULT;
	return ret;
}
