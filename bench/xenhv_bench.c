// SPDX-License-Identifier: GPL-2.0
/* Benchmark helper: /dev/xenhv_bench, a no-op ioctl and in-kernel loops (yield, flush, root). */

#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <asm/mshyperv.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/sched.h>
#include <xenhv/xenhv.h>

#include <compat/hyperv.h>

#include "xenhv_bench.h"

static long xenhv_bench_loop(struct xenhv_bench_loop __user *uarg, bool raw)
{
	struct xenhv_bench_loop l;
	u64 i, t0;

	if (copy_from_user(&l, uarg, sizeof(l)))
		return -EFAULT;
	if (l.count > 10000000)
		return -EINVAL;
	t0 = ktime_get_ns();
	for (i = 0; i < l.count; i++) {
		if (raw)
			hv_do_fast_hypercall8(HVCALL_NOTIFY_LONG_SPIN_WAIT, 1);
		else
			xenhv_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_yield,
					 0, 0, 0, 0);
	}
	l.ns = ktime_get_ns() - t0;
	return copy_to_user(uarg, &l, sizeof(l)) ? -EFAULT : 0;
}

static void xenhv_bench_root_event(u32 port, void *data)
{
	complete(data);
}

/*
 * The floor of a root-partition round trip from user space: the same trip
 * made by a kernel driver. HvSignalEvent straight to Hyper-V, the host's
 * event flag and the SynIC interrupt back, a wake-up of this sleeping task.
 * The interrupt comes through xenhv's SynIC handler and upcall to a kernel
 * port handler, since one driver owns the SINT; what a /dev/xen/evtchn user
 * pays on top (the notify ioctl, the ring, read and unmask) is the rest.
 */
static long xenhv_bench_root_rtt(struct xenhv_bench_signal __user *uarg)
{
	struct evtchn_bind_interdomain b = { .remote_dom = 0 };
	struct xenhv_bench_signal s;
	struct completion done;
	u64 i, t0;
	long ret;

	if (copy_from_user(&s, uarg, sizeof(s)))
		return -EFAULT;
	if (s.count > 1000000)
		return -EINVAL;
	b.remote_port = s.conn;
	ret = xenhv_hypercall(__HYPERVISOR_event_channel_op,
			      EVTCHNOP_bind_interdomain, (unsigned long)&b,
			      0, 0, 0);
	if (ret)
		return ret;
	init_completion(&done);
	ret = xenhv_evtchn_bind_handler(b.local_port, xenhv_bench_root_event,
					&done);
	if (ret) {
		struct evtchn_close c = { .port = b.local_port };

		xenhv_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_close,
				(unsigned long)&c, 0, 0, 0);
		return ret;
	}
	/* The bind left the port pending, as Xen's does: that event first. */
	if (!wait_for_completion_timeout(&done, HZ)) {
		ret = -ETIMEDOUT;
		goto out;
	}
	t0 = ktime_get_ns();
	for (i = 0; i < s.count; i++) {
		reinit_completion(&done);
		if (!hv_result_success(hv_do_fast_hypercall8(HVCALL_SIGNAL_EVENT,
							     s.conn))) {
			ret = -EIO;
			goto out;
		}
		if (!wait_for_completion_timeout(&done, HZ)) {
			ret = -ETIMEDOUT;
			goto out;
		}
	}
	s.ns = ktime_get_ns() - t0;
	ret = copy_to_user(uarg, &s, sizeof(s)) ? -EFAULT : 0;
out:
	xenhv_evtchn_close_handler(b.local_port, &done);
	return ret;
}

/* The floor of HVMOP_flush_tlbs: the flush hypercall xenhv makes, alone. */
static long xenhv_bench_flush(struct xenhv_bench_loop __user *uarg)
{
	struct xenhv_bench_loop l;
	struct hv_tlb_flush *flush;
	unsigned long flags;
	u64 i, t0, status;

	if (copy_from_user(&l, uarg, sizeof(l)))
		return -EFAULT;
	if (l.count > 10000000)
		return -EINVAL;
	t0 = ktime_get_ns();
	for (i = 0; i < l.count; i++) {
		local_irq_save(flags);
		flush = xenhv_hv_input_page();
		flush->address_space = 0;
		flush->flags = HV_FLUSH_ALL_PROCESSORS |
			       HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES;
		flush->processor_mask = 0;
		status = hv_do_hypercall(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE,
					 flush, NULL);
		local_irq_restore(flags);
		if (!hv_result_success(status))
			return -EIO;
	}
	l.ns = ktime_get_ns() - t0;
	return copy_to_user(uarg, &l, sizeof(l)) ? -EFAULT : 0;
}

static long xenhv_bench_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	switch (cmd) {
	case XENHV_BENCH_NOP:
		return 0;
	case XENHV_BENCH_RAW_YIELD:
		return xenhv_bench_loop((void __user *)arg, true);
	case XENHV_BENCH_SHIM_YIELD:
		return xenhv_bench_loop((void __user *)arg, false);
	case XENHV_BENCH_RAW_FLUSH:
		return xenhv_bench_flush((void __user *)arg);
	case XENHV_BENCH_ROOT_RTT:
		return xenhv_bench_root_rtt((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations xenhv_bench_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = xenhv_bench_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice xenhv_bench_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xenhv_bench",
	.fops = &xenhv_bench_fops,
};

module_misc_device(xenhv_bench_dev);
MODULE_DESCRIPTION("xenhv benchmark helper");
MODULE_LICENSE("GPL");
