// SPDX-License-Identifier: GPL-2.0
/* The Xen hypercall table: number -> handler, and what a domU gets for the rest. */
#include "compat.h"

/* Xen 4.17's interface versions of the privileged ops (domctl.h, sysctl.h). */
#define XENHV_DOMCTL_INTERFACE_VERSION	0x00000015
#define XENHV_SYSCTL_INTERFACE_VERSION	0x00000015
#define XENHV_PLATFORM_INTERFACE_VERSION 0x03000001
/* Xen's struct dmop_args holds two buffers. */
#define XENHV_DM_OP_MAX_BUFS		2
/* A number newer than the kernel's copy of xen.h. */
#define XENHV_HYPERVISOR_hypfs_op	42

struct xenhv_compat_config xenhv_compat;

static atomic64_t xenhv_calls[XENHV_NR_HYPERCALLS];

u64 xenhv_hypercall_count(unsigned int op)
{
	if (op >= XENHV_NR_HYPERCALLS)
		return 0;
	return atomic64_read(&xenhv_calls[op]);
}

/*
 * domctl, sysctl and platform_op: Xen reads the op, rejects a foreign
 * interface version with -EACCES, then XSM refuses a domU with -EPERM.
 */
static long xenhv_privileged_op(struct xenhv_call *c, xen_ulong_t arg,
				u32 version)
{
	u32 head[2];	/* cmd, interface_version */

	if (xenhv_copy_from_guest(c, head, arg, sizeof(head)))
		return -EFAULT;
	if (head[1] != version)
		return -EACCES;
	return -EPERM;
}

/*
 * dm_op(domid, nr_bufs, bufs), in Xen 4.17's order as the Xen lab measured it:
 * too many buffers is -E2BIG; the buffer array must be readable (-EFAULT); no
 * buffer at all is -ENODATA, whatever the domain. Then the target, looked up
 * by its id, must be another, existing domain (-EPERM for our own id, -ESRCH
 * for one that does not exist, DOMID_SELF too) and an HVM one: domain 0 is not
 * (on Xen a PV dom0, here the root partition), -EINVAL.
 */
static long xenhv_dm_op(struct xenhv_call *c, const xen_ulong_t *args)
{
	domid_t domid = (domid_t)args[0];
	unsigned int nr_bufs = (unsigned int)args[1];
	u64 bufs[XENHV_DM_OP_MAX_BUFS * 2];	/* {ptr, size} pairs */

	if (nr_bufs > XENHV_DM_OP_MAX_BUFS)
		return -E2BIG;
	if (!nr_bufs)
		return -ENODATA;
	if (xenhv_copy_from_guest(c, bufs, args[2], nr_bufs * 2 * sizeof(u64)))
		return -EFAULT;
	/* By id only: no domain has the id DOMID_SELF, so it is -ESRCH. */
	if (domid == xenhv_compat.domid)
		return -EPERM;
	return domid == 0 ? -EINVAL : -ESRCH;
}

long xenhv_do_hypercall(struct xenhv_call *c, unsigned long op,
			const xen_ulong_t args[5])
{
	if (op >= XENHV_NR_HYPERCALLS)
		return -ENOSYS;
	atomic64_inc(&xenhv_calls[op]);

	switch (op) {
	case __HYPERVISOR_xen_version:
		return xenhv_do_xen_version(c, (int)args[0], args[1]);
	case __HYPERVISOR_sched_op:
		return xenhv_do_sched_op(c, (int)args[0], args[1]);
	case __HYPERVISOR_console_io:
		return xenhv_do_console_io(c, (int)args[0],
					   (unsigned int)args[1], args[2]);
	case __HYPERVISOR_multicall:
		return xenhv_do_multicall(c, args[0], (unsigned int)args[1]);
	case __HYPERVISOR_vcpu_op:
		return xenhv_do_vcpu_op(c, (int)args[0], (unsigned int)args[1],
					args[2]);
	case __HYPERVISOR_event_channel_op:
		return xenhv_do_event_channel_op(c, (int)args[0], args[1]);
	case __HYPERVISOR_grant_table_op:
		return xenhv_do_grant_table_op(c, (unsigned int)args[0], args[1],
					       (unsigned int)args[2]);
	case __HYPERVISOR_set_timer_op:
		return xenhv_do_set_timer_op(args[0]);
	case __HYPERVISOR_memory_op:
		return xenhv_do_memory_op(c, args[0], args[1]);
	case __HYPERVISOR_hvm_op:
		return xenhv_do_hvm_op(c, args[0], args[1]);
	case __HYPERVISOR_mmuext_op:
		return xenhv_do_mmuext_op(c, args[0], (unsigned int)args[1],
					  args[2], (unsigned int)args[3]);
	case __HYPERVISOR_domctl:
		return xenhv_privileged_op(c, args[0],
					   XENHV_DOMCTL_INTERFACE_VERSION);
	case __HYPERVISOR_sysctl:
		return xenhv_privileged_op(c, args[0],
					   XENHV_SYSCTL_INTERFACE_VERSION);
	case __HYPERVISOR_platform_op:
		return xenhv_privileged_op(c, args[0],
					   XENHV_PLATFORM_INTERFACE_VERSION);
	case __HYPERVISOR_dm_op:
		return xenhv_dm_op(c, args);
	case XENHV_HYPERVISOR_hypfs_op:
		/* XSM_PRIV: only the control domain reads hypfs. */
		return -EPERM;
	case __HYPERVISOR_xenpmu_op:
		/* Xen's default: no virtual PMU for guests. */
		return -EOPNOTSUPP;
	default:
		/*
		 * PV-only calls, kexec, compat entry points, xsm_op with the
		 * dummy policy, argo (off by default), and the subsystems
		 * xenhv does not offer yet: what Xen answers for a number an
		 * HVM guest has no handler for.
		 */
		return -ENOSYS;
	}
}
