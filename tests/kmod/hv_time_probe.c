// SPDX-License-Identifier: GPL-2.0
/* Test helper: reads HV_X64_MSR_TIME_REF_COUNT for userspace (a read-only module parameter). */
#include <linux/kernel.h>
#include <linux/module.h>
#include <compat/hyperv-tlfs.h>
#include <asm/msr.h>

/*
 * Independent of xenhv: the partition reference counter (100 ns units)
 * straight from the MSR, on the CPU the reader runs on; -1 without it.
 */
static int hv_time_probe_get(char *buf, const struct kernel_param *kp)
{
	u64 v;

	if (rdmsrq_safe(HV_X64_MSR_TIME_REF_COUNT, &v))
		return sysfs_emit(buf, "-1\n");
	return sysfs_emit(buf, "%llu\n", v);
}

static const struct kernel_param_ops hv_time_probe_ops = {
	.get = hv_time_probe_get,
};

module_param_cb(ref_count, &hv_time_probe_ops, NULL, 0444);
MODULE_PARM_DESC(ref_count, "HV_X64_MSR_TIME_REF_COUNT now, in 100 ns units");

MODULE_DESCRIPTION("HV_X64_MSR_TIME_REF_COUNT for xenhv's pvclock tests");
MODULE_LICENSE("GPL");
