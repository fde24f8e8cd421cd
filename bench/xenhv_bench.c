// SPDX-License-Identifier: GPL-2.0
/* Benchmark helper: /dev/xenhv_bench, a no-op ioctl and in-kernel loops (yield, signal, flush). */

#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <asm/mshyperv.h>
#include <xen/interface/xen.h>
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

/* The floor of a root-partition event: the hypercall alone, in a loop. */
static long xenhv_bench_signal(struct xenhv_bench_signal __user *uarg)
{
	struct xenhv_bench_signal s;
	u64 i, t0;

	if (copy_from_user(&s, uarg, sizeof(s)))
		return -EFAULT;
	if (s.count > 10000000)
		return -EINVAL;
	t0 = ktime_get_ns();
	for (i = 0; i < s.count; i++)
		if (!hv_result_success(hv_do_fast_hypercall8(HVCALL_SIGNAL_EVENT,
							     s.conn)))
			return -EIO;
	s.ns = ktime_get_ns() - t0;
	return copy_to_user(uarg, &s, sizeof(s)) ? -EFAULT : 0;
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
	case XENHV_BENCH_RAW_SIGNAL:
		return xenhv_bench_signal((void __user *)arg);
	case XENHV_BENCH_RAW_FLUSH:
		return xenhv_bench_flush((void __user *)arg);
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
