// SPDX-License-Identifier: GPL-2.0
/* vcpu_op: is_up, runstate (running time from Hyper-V), vcpu_info and runstate areas, VP index. */
#include "compat.h"

/* Numbers the kernel's copy of vcpu.h has, spelled out for both builds. */
#define XENHV_VCPUOP_is_up		3
#define XENHV_VCPUOP_get_runstate_info	4
#define XENHV_VCPUOP_register_runstate_memory_area	5
#define XENHV_VCPUOP_register_vcpu_info	10
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
int xenhv_vcpu_runstate_get(unsigned int vcpu, void *out)
{
	struct xenhv_runstate rs = { };
	u64 running, now;
	int ret;

	BUILD_BUG_ON(sizeof(rs) != XENHV_RUNSTATE_SIZE);
	ret = xenhv_compat.ops->vcpu_runtime(vcpu, &running, &now);
	if (ret)
		return ret;
	rs.state = xenhv_compat.ops->vcpu_online(vcpu) ? 0 /* running */
						       : 3 /* offline */;
	rs.state_entry_time = now;
	rs.time[0] = running;
	rs.time[2] = now > running ? now - running : 0;
	memcpy(out, &rs, sizeof(rs));
	return 0;
}

static long xenhv_runstate(struct xenhv_call *c, unsigned int vcpu,
			   xen_ulong_t arg)
{
	u8 rs[XENHV_RUNSTATE_SIZE];
	int ret;

	/* Another vCPU's running time is read by an IPI to it (see timers). */
	if (!xenhv_call_may_sleep(c) &&
	    vcpu != xenhv_compat.ops->current_vcpu())
		return -EAGAIN;
	ret = xenhv_vcpu_runstate_get(vcpu, rs);
	if (ret)
		return ret;
	return xenhv_copy_to_guest(c, arg, rs, sizeof(rs)) ? -EFAULT : 0;
}

/* struct vcpu_register_vcpu_info. */
struct xenhv_vcpu_info_reg {
	u64 mfn;
	u32 offset;
	u32 rsvd;
};

/*
 * Xen's map_vcpu_info() checks, in its order: the offset must leave room
 * for a whole vcpu_info, a vCPU registers once, only for itself or for an
 * offline vCPU, and the frame must be one the guest owns; each is -EINVAL.
 */
static long xenhv_register_vcpu_info(struct xenhv_call *c, unsigned int vcpu,
				     xen_ulong_t arg)
{
	const struct xenhv_platform_ops *ops = xenhv_compat.ops;
	struct xenhv_vcpu_info_reg reg;
	struct vcpu_info *where;
	int ret;

	if (xenhv_copy_from_guest(c, &reg, arg, sizeof(reg)))
		return -EFAULT;
	if (reg.offset > PAGE_SIZE - sizeof(struct vcpu_info))
		return -EINVAL;
	if (xenhv_evtchn_vcpu_info_moved(vcpu))
		return -EINVAL;
	if (vcpu != ops->current_vcpu() && ops->vcpu_online(vcpu))
		return -EINVAL;
	ret = ops->vcpu_info_area(c->mem, vcpu, reg.mfn, reg.offset, &where);
	if (ret)
		return ret;
	ret = xenhv_evtchn_move_vcpu_info(vcpu, where);
	if (!ret)
		xenhv_time_republish(vcpu);
	return ret;
}

/*
 * Xen keeps the runstate at a guest address up to date; for an HVM guest
 * every address is acceptable and a failed write is ignored, so a bad
 * address is 0 here too. 0 stops the updates.
 */
static long xenhv_register_runstate(struct xenhv_call *c, unsigned int vcpu,
				    xen_ulong_t arg)
{
	u8 rs[XENHV_RUNSTATE_SIZE];
	u64 addr;
	int ret;

	if (xenhv_copy_from_guest(c, &addr, arg, sizeof(addr)))
		return -EFAULT;
	ret = xenhv_compat.ops->runstate_area(c->mem, vcpu, addr);
	if (ret || !addr)
		return ret;
	if (!xenhv_vcpu_runstate_get(vcpu, rs))
		(void)xenhv_copy_to_guest(c, addr, rs, sizeof(rs));
	return 0;
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
	case XENHV_VCPUOP_register_vcpu_info:
		return xenhv_register_vcpu_info(c, vcpu, arg);
	case XENHV_VCPUOP_register_runstate_memory_area:
		return xenhv_register_runstate(c, vcpu, arg);
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
		/*
		 * initialise/up/down (no vCPU hotplug through Xen here),
		 * register_vcpu_time_memory_area: not offered.
		 */
		return -ENOSYS;
	}
}
