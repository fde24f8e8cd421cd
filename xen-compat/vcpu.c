// SPDX-License-Identifier: GPL-2.0
/* vcpu_op: is_up, get_runstate_info (running time from Hyper-V), get_physid (VP index). */
#include "compat.h"

/* Numbers the kernel's copy of vcpu.h has, spelled out for both builds. */
#define XENHV_VCPUOP_is_up		3
#define XENHV_VCPUOP_get_runstate_info	4
#define XENHV_VCPUOP_get_physid		12

/* struct vcpu_runstate_info of the 64-bit ABI. */
struct xenhv_runstate {
	int state;
	u64 state_entry_time;
	u64 time[4];	/* running, runnable, blocked, offline (ns) */
};

/*
 * Running time is Hyper-V's count of the VP's running time; the rest of the
 * time since the domain started the guest kernel spent it idle or waiting,
 * which Xen calls blocked (runnable time is not visible from inside).
 */
static long xenhv_runstate(struct xenhv_call *c, unsigned int vcpu,
			   xen_ulong_t arg)
{
	struct xenhv_runstate rs = { };
	u64 running, now;
	int ret;

	ret = xenhv_compat.ops->vcpu_runtime(vcpu, &running, &now);
	if (ret)
		return ret;
	rs.state = xenhv_compat.ops->vcpu_online(vcpu) ? 0 /* running */
						       : 3 /* offline */;
	rs.state_entry_time = now;
	rs.time[0] = running;
	rs.time[2] = now > running ? now - running : 0;
	return xenhv_copy_to_guest(c, arg, &rs, sizeof(rs)) ? -EFAULT : 0;
}

long xenhv_do_vcpu_op(struct xenhv_call *c, int cmd, unsigned int vcpu,
		      xen_ulong_t arg)
{
	u64 physid;

	/* Xen: a vCPU id the domain does not have is -ENOENT for every op. */
	if (vcpu >= xenhv_compat.ops->vcpu_count())
		return -ENOENT;

	switch (cmd) {
	case XENHV_VCPUOP_is_up:
		return xenhv_compat.ops->vcpu_online(vcpu) ? 1 : 0;
	case XENHV_VCPUOP_get_runstate_info:
		return xenhv_runstate(c, vcpu, arg);
	case XENHV_VCPUOP_get_physid:
		/*
		 * Xen answers only a pinned dom0 vCPU; here the physical id a
		 * guest can use is Hyper-V's VP index (low 32 bits).
		 */
		physid = xenhv_compat.ops->vp_index(vcpu);
		return xenhv_copy_to_guest(c, arg, &physid,
					   sizeof(physid)) ? -EFAULT : 0;
	case XENHV_VCPUOP_set_periodic_timer:
	case XENHV_VCPUOP_stop_periodic_timer:
	case XENHV_VCPUOP_set_singleshot_timer:
	case XENHV_VCPUOP_stop_singleshot_timer:
		return xenhv_vcpu_timer_op(c, cmd, vcpu, arg);
	default:
		/* up/down/initialise, vcpu_info areas: not offered yet. */
		return -ENOSYS;
	}
}
