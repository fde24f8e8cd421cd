// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/debug/xenhv: detail for tests only; status is in /sys/module/xenhv/status. */
#include "xenhv.h"

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <asm/mshyperv.h>

#include "../vmbus-client/vmbus.h"

static struct dentry *xenhv_debugfs;

/* xenhv's SINT on each CPU: its vector, the CPU's VP index, whose SynIC pages. */
static int xenhv_synic_show(struct seq_file *m, void *v)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		seq_printf(m, "cpu%u vector %d vp %u shared_with_vmbus %d\n", cpu,
			   xenhv_synic_vector(cpu), hv_vp_index[cpu],
			   xenhv_synic_shared(cpu));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_synic);

void xenhv_debugfs_init(void)
{
	/* Optional: without debugfs xenhv works, only tests see less. */
	xenhv_debugfs = debugfs_create_dir("xenhv", NULL);
	debugfs_create_file("synic", 0444, xenhv_debugfs, NULL,
			    &xenhv_synic_fops);
}

void xenhv_debugfs_exit(void)
{
	debugfs_remove_recursive(xenhv_debugfs);
}
