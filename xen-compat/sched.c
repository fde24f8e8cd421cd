// SPDX-License-Identifier: GPL-2.0
/* sched_op: yield, block, shutdown, watchdogs and the crash report, with Xen's errno. */
#include "compat.h"

/* protects xenhv_watchdog_inuse and xenhv_watchdog_timeout */
static DEFINE_SPINLOCK(xenhv_watchdog_lock);
static unsigned int xenhv_watchdog_inuse;	/* bit n: watchdog id n+1 */
static unsigned int xenhv_watchdog_timeout[XENHV_NR_WATCHDOGS];

void xenhv_report_crash(unsigned int reason, u64 p2, u64 p3)
{
	const struct xenhv_version_info *v = &xenhv_compat.version;
	u64 params[5] = {
		XENHV_CRASH_TAG,
		reason,		/* Xen's SHUTDOWN_* code */
		p2,
		p3,
		((u64)v->major << 16) | v->minor,
	};

	xenhv_compat.ops->crash(params);
}

/*
 * Xen's domain_watchdog(): id 0 allocates a free timer and returns its id
 * (1-based), -ENOSPC when none is free; a known id with a timeout re-arms it,
 * with timeout 0 frees it; an unknown or unused id is -EINVAL.
 */
static long xenhv_watchdog(unsigned int id, unsigned int timeout)
{
	unsigned int i;

	if (id > XENHV_NR_WATCHDOGS)
		return -EINVAL;

	spin_lock(&xenhv_watchdog_lock);
	if (id == 0) {
		for (i = 0; i < XENHV_NR_WATCHDOGS; i++) {
			if (xenhv_watchdog_inuse & BIT(i))
				continue;
			xenhv_watchdog_inuse |= BIT(i);
			xenhv_watchdog_timeout[i] = timeout;
			xenhv_compat.ops->watchdog_arm(i + 1, timeout);
			break;
		}
		spin_unlock(&xenhv_watchdog_lock);
		return i == XENHV_NR_WATCHDOGS ? -ENOSPC : (long)(i + 1);
	}

	i = id - 1;
	if (!(xenhv_watchdog_inuse & BIT(i))) {
		spin_unlock(&xenhv_watchdog_lock);
		return -EINVAL;
	}
	if (timeout == 0) {
		xenhv_compat.ops->watchdog_stop(id);
		xenhv_watchdog_inuse &= ~BIT(i);
	} else {
		xenhv_watchdog_timeout[i] = timeout;
		xenhv_compat.ops->watchdog_arm(id, timeout);
	}
	spin_unlock(&xenhv_watchdog_lock);
	return 0;
}

void xenhv_watchdog_expired(unsigned int id)
{
	unsigned int timeout = 0;
	bool live;

	/* A watchdog freed or re-armed meanwhile must not fire. */
	spin_lock(&xenhv_watchdog_lock);
	live = id >= 1 && id <= XENHV_NR_WATCHDOGS &&
	       (xenhv_watchdog_inuse & BIT(id - 1));
	if (live)
		timeout = xenhv_watchdog_timeout[id - 1];
	spin_unlock(&xenhv_watchdog_lock);
	if (live)
		xenhv_report_crash(SHUTDOWN_watchdog, id, timeout);
}

void xenhv_watchdog_stop_all(void)
{
	unsigned int i;

	spin_lock(&xenhv_watchdog_lock);
	for (i = 0; i < XENHV_NR_WATCHDOGS; i++) {
		if (xenhv_watchdog_inuse & BIT(i))
			xenhv_compat.ops->watchdog_stop(i + 1);
	}
	xenhv_watchdog_inuse = 0;
	spin_unlock(&xenhv_watchdog_lock);
}

unsigned int xenhv_watchdog_armed(void)
{
	unsigned int n;

	spin_lock(&xenhv_watchdog_lock);
	n = xenhv_watchdog_inuse;
	spin_unlock(&xenhv_watchdog_lock);
	return n;
}

/* Xen keeps the reason as a u8 and checks no range; xl destroys on unknown ones. */
static long xenhv_shutdown(unsigned int code)
{
	u8 reason = code;

	switch (reason) {
	case SHUTDOWN_poweroff:
		xenhv_compat.ops->shutdown(false);
		return 0;
	case SHUTDOWN_reboot:
		xenhv_compat.ops->shutdown(true);
		return 0;
	case SHUTDOWN_crash:
	case SHUTDOWN_watchdog:
		xenhv_report_crash(reason, 0, 0);
		return 0;
	case SHUTDOWN_suspend:
	case SHUTDOWN_soft_reset:
		/* Both need a toolstack to save or rebuild the domain. */
		return -EOPNOTSUPP;
	default:
		xenhv_compat.ops->shutdown(false);
		return 0;
	}
}

/* Xen's do_poll() limit on the ports one SCHEDOP_poll may name. */
#define XENHV_POLL_MAX_PORTS	128

/* struct sched_poll of the 64-bit ABI. */
struct xenhv_sched_poll {
	u64 ports;		/* guest handle of evtchn_port_t */
	u32 nr_ports;
	u32 pad;
	u64 timeout;		/* absolute Xen system time, 0: none */
};

/*
 * SCHEDOP_poll: return at once if one of the ports is pending, else sleep
 * until one is or the timeout passes (Xen returns 0 either way). A kernel
 * caller that may not sleep (interrupts or preemption off) gets -EAGAIN
 * where it would have to: Xen blocks the vCPU there, Linux cannot.
 */
static long xenhv_sched_poll(struct xenhv_call *c, xen_ulong_t arg)
{
	evtchn_port_t ports[XENHV_POLL_MAX_PORTS];
	struct xenhv_sched_poll sp;
	long ret;

	if (xenhv_copy_from_guest(c, &sp, arg, sizeof(sp)))
		return -EFAULT;
	if (sp.nr_ports > XENHV_POLL_MAX_PORTS)
		return -EINVAL;
	if (sp.nr_ports &&
	    xenhv_copy_from_guest(c, ports, sp.ports,
				  sp.nr_ports * sizeof(evtchn_port_t)))
		return -EFAULT;
	ret = xenhv_evtchn_poll_ready(ports, sp.nr_ports);
	if (ret)
		return ret < 0 ? ret : 0;
	/* Xen: a timeout already past ends the poll at once. */
	if (sp.timeout &&
	    (s64)(sp.timeout - xenhv_compat.ops->system_time()) <= 0)
		return 0;
	if (!xenhv_call_may_sleep(c))
		return -EAGAIN;
	return xenhv_compat.ops->poll_wait(ports, sp.nr_ports, sp.timeout);
}

long xenhv_do_sched_op(struct xenhv_call *c, int cmd, xen_ulong_t arg)
{
	struct { unsigned int reason; } sd;
	struct { u16 domain_id; unsigned int reason; } rsd;
	struct { u32 id; u32 timeout; } wd;

	switch (cmd) {
	case SCHEDOP_yield:
		return xenhv_compat.ops->vcpu_yield();
	case SCHEDOP_block:
		/*
		 * Xen returns once an event is pending; a guest loops around
		 * it, so an early return is within the contract.
		 */
		return xenhv_compat.ops->vcpu_yield();
	case SCHEDOP_shutdown:
		if (xenhv_copy_from_guest(c, &sd, arg, sizeof(sd)))
			return -EFAULT;
		return xenhv_shutdown(sd.reason);
	case SCHEDOP_shutdown_code:
		if (xenhv_copy_from_guest(c, &sd, arg, sizeof(sd)))
			return -EFAULT;
		return 0;
	case SCHEDOP_remote_shutdown:
		if (xenhv_copy_from_guest(c, &rsd, arg, sizeof(rsd)))
			return -EFAULT;
		/* XSM refuses a domU both domain 0 and itself. */
		return xenhv_is_self(rsd.domain_id) ? -EPERM :
						      xenhv_not_ours(rsd.domain_id);
	case SCHEDOP_watchdog:
		if (xenhv_copy_from_guest(c, &wd, arg, sizeof(wd)))
			return -EFAULT;
		return xenhv_watchdog(wd.id, wd.timeout);
	case SCHEDOP_pin_override:
		/* Hardware domain only. */
		return -EPERM;
	case SCHEDOP_poll:
		return xenhv_sched_poll(c, arg);
	default:
		return -ENOSYS;
	}
}
