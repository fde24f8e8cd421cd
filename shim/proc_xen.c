// SPDX-License-Identifier: GPL-2.0
/* /proc/xen (capabilities, privcmd, xenbus) as xenfs shows it to a domU. */
#include "xenhv.h"

#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static bool proc_xen = true;
module_param(proc_xen, bool, 0444);
MODULE_PARM_DESC(proc_xen, "Create /proc/xen/{capabilities,privcmd,xenbus} as xenfs has them (default Y)");

static struct proc_dir_entry *xenhv_proc_dir;

/*
 * A proc file has no owner to keep the module loaded, so an open one pins
 * it itself: its mappings and state live until the last release.
 */
int xenhv_proc_open_pinned(struct inode *inode, struct file *file,
			   int (*open)(struct inode *, struct file *))
{
	int ret;

	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	ret = open(inode, file);
	if (ret)
		module_put(THIS_MODULE);
	return ret;
}

void xenhv_proc_unpin(void)
{
	module_put(THIS_MODULE);
}

/* xenfs says "control_d" only in the control domain; a domU reads nothing. */
static int xenhv_capabilities_show(struct seq_file *m, void *v)
{
	return 0;
}

void xenhv_proc_xen_init(void)
{
	/* xenfs creates /proc/xen only on Xen, so here the name is free. */
	if (!proc_xen)
		return;
	xenhv_proc_dir = proc_mkdir("xen", NULL);
	if (!xenhv_proc_dir) {
		pr_warn("cannot create /proc/xen, going on without it\n");
		return;
	}
	if (!proc_create_single("capabilities", 0444, xenhv_proc_dir,
				xenhv_capabilities_show) ||
	    !proc_create("privcmd", 0400, xenhv_proc_dir,
			 &xenhv_privcmd_proc_ops) ||
	    !proc_create("xenbus", 0600, xenhv_proc_dir,
			 &xenhv_xenbus_proc_ops)) {
		pr_warn("cannot fill /proc/xen, going on without it\n");
		xenhv_proc_xen_exit();
	}
}

void xenhv_proc_xen_exit(void)
{
	proc_remove(xenhv_proc_dir);
	xenhv_proc_dir = NULL;
}
