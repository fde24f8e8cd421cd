// SPDX-License-Identifier: GPL-2.0
/* hvm_op: the parameters a domU sets and reads (Xen's policy), and flush_tlbs through Hyper-V. */
#include "compat.h"

#define XENHV_HVMOP_set_param	0
#define XENHV_HVMOP_get_param	1
#define XENHV_HVMOP_flush_tlbs	5
/* HVM_PARAM_* of params.h that a domU may touch. */
#define XENHV_HVM_PARAM_CALLBACK_IRQ		0
#define XENHV_HVM_PARAM_STORE_PFN		1
#define XENHV_HVM_PARAM_STORE_EVTCHN		2
#define XENHV_HVM_PARAM_VM86_TSS		15
#define XENHV_HVM_PARAM_CONSOLE_PFN		17
#define XENHV_HVM_PARAM_CONSOLE_EVTCHN		18
#define XENHV_HVM_PARAM_ACPI_IOPORTS_LOCATION	19
#define XENHV_HVM_PARAM_VM_GENERATION_ID_ADDR	34
#define XENHV_HVM_PARAM_ALTP2M			35
#define XENHV_HVM_PARAM_X87_FIP_WIDTH		36
#define XENHV_HVM_PARAM_VM86_TSS_SIZED		37

/* struct xen_hvm_param: domid, pad, index, value. */
struct xenhv_hvm_param {
	domid_t domid;
	u16 pad;
	u32 index;
	u64 value;
};

/* protects xenhv_compat.hvm_params */
static DEFINE_SPINLOCK(xenhv_hvm_lock);

/*
 * Xen's hvm_allow_set_param()/hvm_allow_get_param(): what the guest itself
 * may set and read; everything else is the toolstack's (-EPERM). STORE_PFN,
 * STORE_EVTCHN and the CONSOLE_* read 0 here: there is no XenStore ring
 * (the store is /dev/xen/xenbus) and no PV console ring (console_io is).
 */
static bool xenhv_param_allowed(u32 index, bool set)
{
	switch (index) {
	case XENHV_HVM_PARAM_CALLBACK_IRQ:
	case XENHV_HVM_PARAM_VM86_TSS:
	case XENHV_HVM_PARAM_VM86_TSS_SIZED:
	case XENHV_HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case XENHV_HVM_PARAM_VM_GENERATION_ID_ADDR:
	case XENHV_HVM_PARAM_STORE_EVTCHN:
	case XENHV_HVM_PARAM_CONSOLE_EVTCHN:
	case XENHV_HVM_PARAM_X87_FIP_WIDTH:
		return true;
	case XENHV_HVM_PARAM_STORE_PFN:
	case XENHV_HVM_PARAM_CONSOLE_PFN:
	case XENHV_HVM_PARAM_ALTP2M:
		return !set;
	default:
		return false;
	}
}

/* Xen's value checks for the settable ones. */
static long xenhv_param_check(u32 index, u64 value)
{
	switch (index) {
	case XENHV_HVM_PARAM_X87_FIP_WIDTH:
		return value == 0 || value == 4 || value == 8 ? 0 : -EINVAL;
	case XENHV_HVM_PARAM_ACPI_IOPORTS_LOCATION:
		/* pmtimer_change_ioport(): version 0 or 1 of the PM1a block. */
		return value <= 1 ? 0 : -EINVAL;
	default:
		return 0;
	}
}

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
	if (!xenhv_param_allowed(p.index, set))
		return -EPERM;
	if (set) {
		if (xenhv_param_check(p.index, p.value))
			return -EINVAL;
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
