// SPDX-License-Identifier: GPL-2.0
/* Test helper: commands to QEMU's hyperv-testdev (port 0x3000) written from userspace via sysfs. */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/module.h>

#define HV_TESTDEV_PORT	0x3000

/*
 * Userspace out instructions fault under this lab's nested emulation, so the
 * command goes through the kernel: one 32-bit write per command, as the
 * device wants (conn << 24 | ctl << 16 | vp << 8 | sint).
 */
static int hv_testdev_cmd_set(const char *val, const struct kernel_param *kp)
{
	u32 cmd;
	int ret = kstrtou32(val, 0, &cmd);

	if (ret)
		return ret;
	outl(cmd, HV_TESTDEV_PORT);
	return 0;
}

static const struct kernel_param_ops hv_testdev_cmd_ops = {
	.set = hv_testdev_cmd_set,
};

module_param_cb(cmd, &hv_testdev_cmd_ops, NULL, 0200);
MODULE_PARM_DESC(cmd, "a hyperv-testdev command word to write to port 0x3000");

MODULE_DESCRIPTION("hyperv-testdev commands for xenhv's lab tests");
MODULE_LICENSE("GPL");
