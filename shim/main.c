// SPDX-License-Identifier: GPL-2.0
/* xenhv module init and exit: the Xen guest ABI on Hyper-V, set up and torn down in order. */
#include "xenhv.h"

#include <linux/module.h>

#include "../hypercall/hv.h"
#include "../xen-compat/compat.h"

static unsigned int xen_major = 4;
module_param(xen_major, uint, 0444);
MODULE_PARM_DESC(xen_major, "Xen major version reported by xen_version (default 4)");

static unsigned int xen_minor = 17;
module_param(xen_minor, uint, 0444);
MODULE_PARM_DESC(xen_minor, "Xen minor version reported by xen_version (default 17)");

static char *xen_extra = ".0";
module_param(xen_extra, charp, 0444);
MODULE_PARM_DESC(xen_extra, "Xen extra version string, at most 15 characters (default \".0\")");

static bool console_io = true;
module_param(console_io, bool, 0444);
MODULE_PARM_DESC(console_io, "Allow Xen console_io, as for an is_console domain; N answers -EPERM as Xen does for other domUs (default Y)");

static unsigned int domid = 1;
module_param(domid, uint, 0444);
MODULE_PARM_DESC(domid, "This guest's Xen domain id, 1..32751 (default 1)");

/* Refuse nonsense before anything is set up; one line saying which. */
static int xenhv_check_params(void)
{
	if (xen_major > 0xffff || xen_minor > 0xffff) {
		pr_err("xen_major and xen_minor must be at most 65535\n");
		return -EINVAL;
	}
	if (!xen_extra || strlen(xen_extra) >= XEN_EXTRAVERSION_LEN) {
		pr_err("xen_extra must be a string of at most %zu characters\n",
		       XEN_EXTRAVERSION_LEN - 1);
		return -EINVAL;
	}
	/* 0 is the root partition; DOMID_FIRST_RESERVED and up are special. */
	if (domid == 0 || domid >= DOMID_FIRST_RESERVED) {
		pr_err("domid must be between 1 and %u\n",
		       DOMID_FIRST_RESERVED - 1);
		return -EINVAL;
	}
	return 0;
}

static int __init xenhv_init(void)
{
	int ret;

	ret = xenhv_hv_detect();
	if (ret)
		return ret;
	ret = xenhv_check_params();
	if (ret)
		return ret;

	xenhv_compat.version.major = xen_major;
	xenhv_compat.version.minor = xen_minor;
	xenhv_compat.version.extra = xen_extra;
	xenhv_compat.domid = domid;
	xenhv_compat.console_io = console_io;

	ret = xenhv_platform_init();
	if (ret)
		return ret;
	ret = xenhv_console_input_init();
	if (ret)
		goto exit_platform;
	ret = xenhv_hypercall_buf_init();
	if (ret)
		goto exit_console;
	ret = xenhv_events_init();
	if (ret)
		goto exit_hypercall_buf;
	xenhv_identity_load();
	ret = xenhv_xenbus_init(domid);
	if (ret)
		goto exit_events;
	ret = xenhv_evtchn_dev_init();
	if (ret)
		goto exit_xenbus;
	ret = xenhv_gnttab_init();
	if (ret)
		goto exit_evtchn_dev;
	ret = xenhv_gntalloc_init();
	if (ret)
		goto exit_gnttab;
	ret = xenhv_gntdev_init();
	if (ret)
		goto exit_gntalloc;
	/* privcmd last: once it exists, Xen programs may call in. */
	ret = xenhv_privcmd_init();
	if (ret)
		goto exit_gntdev;
	xenhv_status_init();
	xenhv_debugfs_init();
	xenhv_sys_hypervisor_init();
	xenhv_proc_xen_init();

	pr_info("Xen %u.%u%s guest ABI ready as domain %u: /dev/xen/privcmd, /dev/xen/hypercall, /dev/xen/xenbus, /dev/xen/evtchn, /dev/xen/gntalloc, /dev/xen/gntdev\n",
		xen_major, xen_minor, xen_extra, domid);
	return 0;

exit_gntdev:
	xenhv_gntdev_exit();
exit_gntalloc:
	xenhv_gntalloc_exit();
exit_gnttab:
	xenhv_gnttab_exit();
exit_evtchn_dev:
	xenhv_evtchn_dev_exit();
exit_xenbus:
	xenhv_xenbus_exit();
exit_events:
	xenhv_events_exit();
exit_hypercall_buf:
	xenhv_hypercall_buf_exit();
exit_console:
	xenhv_console_input_exit();
exit_platform:
	xenhv_platform_exit();
	return ret;
}

static void __exit xenhv_exit(void)
{
	xenhv_proc_xen_exit();
	xenhv_sys_hypervisor_exit();
	xenhv_debugfs_exit();
	xenhv_status_exit();
	xenhv_privcmd_exit();
	xenhv_gntdev_exit();
	xenhv_gntalloc_exit();
	xenhv_gnttab_exit();
	xenhv_evtchn_dev_exit();
	xenhv_xenbus_exit();
	xenhv_events_exit();
	xenhv_hypercall_buf_exit();
	xenhv_console_input_exit();
	xenhv_platform_exit();
	pr_info("unloaded\n");
}

module_init(xenhv_init);
module_exit(xenhv_exit);

/*
 * Loaded automatically only on Hyper-V: udev matches the ACPI VMBus device
 * Hyper-V (and QEMU's vmbus-bridge) exposes, as it does for hv_vmbus.
 */
MODULE_ALIAS("acpi*:VMBUS:*");
MODULE_ALIAS("acpi*:VMBus:*");
MODULE_DESCRIPTION("Xen guest ABI (hypercalls, /dev/xen/*) for Linux guests on Hyper-V");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
