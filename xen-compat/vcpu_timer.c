// SPDX-License-Identifier: GPL-2.0
/* Xen's per-vCPU timers: set_timer_op and the VCPUOP singleshot/periodic timers. */
#include "compat.h"

#define XENHV_VCPU_SSHOTTMR_future		1U

#define XENHV_MSEC	1000000ULL
/* Xen's STIME_DELTA_MAX: the longest period a periodic timer may have. */
#define XENHV_STIME_DELTA_MAX	(~0ULL >> 2)

/* struct vcpu_set_singleshot_timer / vcpu_set_periodic_timer (64-bit ABI). */
struct xenhv_singleshot {
	u64 timeout_abs_ns;
	u32 flags;
	u32 pad;
};

/*
 * set_timer_op(timeout): 0 stops this vCPU's singleshot timer; a timeout
 * that wrapped negative or lies more than 2^50 ns ahead is the old Linux
 * jiffies bug, which Xen answers with an event in 100 ms.
 */
long xenhv_do_set_timer_op(u64 timeout)
{
	const struct xenhv_platform_ops *ops = xenhv_compat.ops;
	unsigned int vcpu = ops->current_vcpu();
	u64 now = ops->system_time();

	if (!timeout) {
		ops->timer_stop(vcpu, XENHV_TIMER_SINGLESHOT);
		return 0;
	}
	if ((s64)timeout < 0 ||
	    ((s64)(timeout - now) > 0 && ((timeout - now) >> 50)))
		timeout = now + 100 * XENHV_MSEC;
	/* Xen's set_timer() cannot fail; neither does this call. */
	ops->timer_arm(vcpu, XENHV_TIMER_SINGLESHOT, timeout, 0);
	return 0;
}

/* The VCPUOP timer commands; @vcpu is already known to exist. */
long xenhv_vcpu_timer_op(struct xenhv_call *c, int cmd, unsigned int vcpu,
			 xen_ulong_t arg)
{
	const struct xenhv_platform_ops *ops = xenhv_compat.ops;
	struct xenhv_singleshot ss;
	u64 period;

	switch (cmd) {
	case XENHV_VCPUOP_set_periodic_timer:
		if (xenhv_copy_from_guest(c, &period, arg, sizeof(period)))
			return -EFAULT;
		if (period < XENHV_MSEC || period > XENHV_STIME_DELTA_MAX)
			return -EINVAL;
		return ops->timer_arm(vcpu, XENHV_TIMER_PERIODIC,
				      ops->system_time() + period, period);
	case XENHV_VCPUOP_stop_periodic_timer:
		ops->timer_stop(vcpu, XENHV_TIMER_PERIODIC);
		return 0;
	case XENHV_VCPUOP_set_singleshot_timer:
		/* Xen: only the calling vCPU may set its singleshot timer. */
		if (vcpu != ops->current_vcpu())
			return -EINVAL;
		if (xenhv_copy_from_guest(c, &ss, arg, sizeof(ss)))
			return -EFAULT;
		if ((ss.flags & XENHV_VCPU_SSHOTTMR_future) &&
		    ss.timeout_abs_ns < ops->system_time())
			return -ETIME;
		return ops->timer_arm(vcpu, XENHV_TIMER_SINGLESHOT,
				      ss.timeout_abs_ns, 0);
	case XENHV_VCPUOP_stop_singleshot_timer:
		if (vcpu != ops->current_vcpu())
			return -EINVAL;
		ops->timer_stop(vcpu, XENHV_TIMER_SINGLESHOT);
		return 0;
	}
	return -ENOSYS;
}

/* A timer of @vcpu (singleshot or periodic) expired: VIRQ_TIMER on that vCPU. */
void xenhv_timer_fired(unsigned int vcpu)
{
	xenhv_evtchn_send_virq(vcpu, VIRQ_TIMER);
}
