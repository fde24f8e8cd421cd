// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/debug/xenhv: detail for tests only; status is in /sys/module/xenhv/status. */
#include "xenhv.h"

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <asm/mshyperv.h>

#include <xen/interface/xen.h>

#include "../vmbus-client/vmbus.h"
#include "../xen-compat/compat.h"

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

/*
 * Each vCPU's upcall flag and selector, then every port in use: Xen's
 * ECS_* state, its peer, vCPU, pending and masked bits and whether anybody
 * consumes it. A lost event shows as a port pending, unmasked and consumed
 * with no upcall flag set (the lab prints this when a test stalls).
 */
static int xenhv_evtchn_show(struct seq_file *m, void *v)
{
	struct xenhv_evtchn_info in;
	struct vcpu_info *vi;
	unsigned int cpu;
	evtchn_port_t p;

	for_each_online_cpu(cpu) {
		vi = xenhv_evtchn_vcpu_info(cpu);
		if (vi)
			seq_printf(m, "vcpu%u upcall_pending %u pending_sel %#lx\n",
				   cpu, READ_ONCE(vi->evtchn_upcall_pending),
				   (unsigned long)READ_ONCE(vi->evtchn_pending_sel));
	}
	for (p = 1; p < XENHV_EVTCHN_NR; p++) {
		if (!xenhv_evtchn_port_info(p, &in))
			continue;
		seq_printf(m, "port %u state %u remote %u:%u vcpu %u pending %d masked %d consumer %d mask_on_fire %d refs %u\n",
			   p, in.state, in.remote_dom, in.remote_port, in.vcpu,
			   in.pending, in.masked, in.consumer, in.mask_on_fire,
			   in.refs);
		cond_resched();
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_evtchn);

void xenhv_debugfs_init(void)
{
	/* Optional: without debugfs xenhv works, only tests see less. */
	xenhv_debugfs = debugfs_create_dir("xenhv", NULL);
	debugfs_create_file("synic", 0444, xenhv_debugfs, NULL,
			    &xenhv_synic_fops);
	debugfs_create_file("evtchn", 0400, xenhv_debugfs, NULL,
			    &xenhv_evtchn_fops);
}

void xenhv_debugfs_exit(void)
{
	debugfs_remove_recursive(xenhv_debugfs);
}
