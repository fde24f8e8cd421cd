// SPDX-License-Identifier: GPL-2.0
/* hvm_op: the parameters a domU sets and reads, and flush_tlbs through Hyper-V. */
#include "compat.h"

#define XENHV_HVMOP_set_param	0
#define XENHV_HVMOP_get_param	1
#define XENHV_HVMOP_flush_tlbs	5
/* Parameters a domU may set in Xen's default policy (the rest are the toolstack's). */
#define XENHV_HVM_PARAM_CALLBACK_IRQ	0

/* struct xen_hvm_param: domid, pad, index, value. */
struct xenhv_hvm_param {
	domid_t domid;
	u16 pad;
	u32 index;
	u64 value;
};

/* protects xenhv_compat.hvm_params */
static DEFINE_SPINLOCK(xenhv_hvm_lock);

static long xenhv_param(struct xenhv_call *c, xen_ulong_t arg, bool set)
{
	struct xenhv_hvm_param p;

	if (xenhv_copy_from_guest(c, &p, arg, sizeof(p)))
		return -EFAULT;
	if (!xenhv_is_self(p.domid))
		return xenhv_not_ours(p.domid);
	if (p.index >= XENHV_HVM_NR_PARAMS)
		return -EINVAL;
	p.index = array_index_nospec(p.index, XENHV_HVM_NR_PARAMS);
	if (set) {
		if (p.index != XENHV_HVM_PARAM_CALLBACK_IRQ)
			return -EPERM;
		spin_lock(&xenhv_hvm_lock);
		xenhv_compat.hvm_params[p.index] = p.value;
		spin_unlock(&xenhv_hvm_lock);
		return 0;
	}
	spin_lock(&xenhv_hvm_lock);
	p.value = xenhv_compat.hvm_params[p.index];
	spin_unlock(&xenhv_hvm_lock);
	return xenhv_copy_to_guest(c, arg, &p, sizeof(p)) ? -EFAULT : 0;
}

long xenhv_do_hvm_op(struct xenhv_call *c, unsigned long op, xen_ulong_t arg)
{
	switch (op) {
	case XENHV_HVMOP_set_param:
		return xenhv_param(c, arg, true);
	case XENHV_HVMOP_get_param:
		return xenhv_param(c, arg, false);
	case XENHV_HVMOP_flush_tlbs:
		/* Xen: the argument must be NULL. */
		if (arg)
			return -EINVAL;
		xenhv_compat.ops->flush_tlb_all();
		return 0;
	default:
		return -ENOSYS;
	}
}
