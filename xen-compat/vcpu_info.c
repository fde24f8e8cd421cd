// SPDX-License-Identifier: GPL-2.0
/* Where each vCPU's vcpu_info lives: shared_info, an extra array, or its registered area. */
#include "evtchn.h"

/* vCPUs whose vcpu_info lives in shared_info (Xen's XEN_LEGACY_MAX_VCPUS). */
#define XENHV_LEGACY_VCPUS	ARRAY_SIZE(((struct shared_info *)NULL)->vcpu_info)

int xenhv_vcpu_info_init(unsigned int nr_vcpus)
{
	unsigned int extra = nr_vcpus > XENHV_LEGACY_VCPUS ?
			     nr_vcpus - XENHV_LEGACY_VCPUS : 0;

	xenhv_ec.moved = xs_zalloc(nr_vcpus * sizeof(*xenhv_ec.moved));
	if (extra)
		xenhv_ec.extra_vcpu_info = xs_zalloc(extra * sizeof(struct vcpu_info));
	if (!xenhv_ec.moved || (extra && !xenhv_ec.extra_vcpu_info)) {
		xenhv_vcpu_info_exit();
		return -ENOMEM;
	}
	return 0;
}

void xenhv_vcpu_info_exit(void)
{
	xs_free(xenhv_ec.extra_vcpu_info);
	xs_free(xenhv_ec.moved);
	xenhv_ec.extra_vcpu_info = NULL;
	xenhv_ec.moved = NULL;
}

struct vcpu_info *xenhv_vcpu_info_of(unsigned int vcpu)
{
	struct vcpu_info *moved = READ_ONCE(xenhv_ec.moved[vcpu]);

	if (moved)
		return moved;
	if (vcpu < XENHV_LEGACY_VCPUS)
		return &xenhv_ec.si->vcpu_info[vcpu];
	return &xenhv_ec.extra_vcpu_info[vcpu - XENHV_LEGACY_VCPUS];
}

/* Where @vcpu's vcpu_info lives now (time updates write its pvclock there). */
struct vcpu_info *xenhv_evtchn_vcpu_info(unsigned int vcpu)
{
	return vcpu < xenhv_ec.nr_vcpus ? xenhv_vcpu_info_of(vcpu) : NULL;
}

bool xenhv_evtchn_vcpu_info_moved(unsigned int vcpu)
{
	return vcpu < xenhv_ec.nr_vcpus && READ_ONCE(xenhv_ec.moved[vcpu]);
}

/*
 * VCPUOP_register_vcpu_info: @vcpu's vcpu_info moves to @to for good. As
 * Xen's map_vcpu_info() does, the old contents come along and then every
 * selector bit and the upcall flag are set, so an event that raced with the
 * move is found by the next upcall, which runs at once.
 */
int xenhv_evtchn_move_vcpu_info(unsigned int vcpu, struct vcpu_info *to)
{
	unsigned long flags;

	if (vcpu >= xenhv_ec.nr_vcpus)
		return -ENOENT;
	spin_lock_irqsave(&xenhv_ec.lock, flags);
	if (xenhv_ec.moved[vcpu]) {
		spin_unlock_irqrestore(&xenhv_ec.lock, flags);
		return -EINVAL;
	}
	memcpy(to, xenhv_vcpu_info_of(vcpu), sizeof(*to));
	WRITE_ONCE(to->evtchn_pending_sel, ~(xen_ulong_t)0);
	WRITE_ONCE(to->evtchn_upcall_pending, 1);
	WRITE_ONCE(xenhv_ec.moved[vcpu], to);
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	xenhv_compat.ops->evtchn_kick(vcpu);
	return 0;
}
