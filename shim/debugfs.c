// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/debug/xenhv: hypercall counters, Hyper-V features, watchdogs, console input. */
#include "xenhv.h"

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include <asm/mshyperv.h>

#include "../hypercall/hv.h"
#include "../vmbus-client/vmbus.h"
#include "../xen-compat/compat.h"

static struct dentry *xenhv_debugfs;

/* One "number count" line per Xen hypercall number that was called. */
static int xenhv_hypercalls_show(struct seq_file *m, void *v)
{
	unsigned int op;
	u64 n;

	for (op = 0; op < XENHV_NR_HYPERCALLS; op++) {
		n = xenhv_hypercall_count(op);
		if (n)
			seq_printf(m, "%u %llu\n", op, n);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_hypercalls);

static int xenhv_features_show(struct seq_file *m, void *v)
{
	const struct xenhv_hv_features *f = &xenhv_hv;

	seq_printf(m, "stimer %d\ncrash_msrs %d\nref_tsc %d\nvp_runtime %d\n"
		   "reset_msr %d\ntlbflush %d\nipi %d\nex_processor_masks %d\n"
		   "signal_events %d\npost_messages %d\ntime_ref_count %d\n",
		   f->stimer, f->crash_msrs, f->ref_tsc, f->vp_runtime,
		   f->reset_msr, f->tlbflush, f->ipi, f->ex_processor_masks,
		   f->signal_events, f->post_messages, f->time_ref_count);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_features);

/* Hyper-V calls by mechanism. */
static int xenhv_hv_calls_show(struct seq_file *m, void *v)
{
	const struct xenhv_hv_counters *c = &xenhv_hv_counters;

	seq_printf(m, "notify_long_spin_wait %lld\ncrash_notify %lld\nflush_space %lld\nflush_list %lld\n",
		   atomic64_read(&c->notify_long_spin_wait),
		   atomic64_read(&c->crash_notify),
		   atomic64_read(&c->flush_space),
		   atomic64_read(&c->flush_list));
	seq_printf(m, "send_ipi %lld\napic_ipi %lld\nsignal_event %lld\nevent_flags %lld\n",
		   atomic64_read(&c->send_ipi), atomic64_read(&c->apic_ipi),
		   atomic64_read(&c->signal_event),
		   atomic64_read(&c->event_flags));
	seq_printf(m, "synic_irqs %lld\nsynic_stray_msgs %lld\nstimer_armed %lld\nstimer_fired %lld\nstimer_stray %lld\nhrtimer_fired %lld\n",
		   atomic64_read(&c->synic_irqs),
		   atomic64_read(&c->synic_stray_msgs),
		   atomic64_read(&c->stimer_armed),
		   atomic64_read(&c->stimer_fired),
		   atomic64_read(&c->stimer_stray),
		   atomic64_read(&c->hrtimer_fired));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_hv_calls);

/* Event channels: ports in use, deliveries, and the SINT on each CPU. */
static int xenhv_events_show(struct seq_file *m, void *v)
{
	const struct xenhv_evtchn_counters *c = &xenhv_evtchn_stats;
	unsigned int cpu;

	seq_printf(m, "ports %u\nupcalls %lld\ndelivered %lld\ncoalesced %lld\n",
		   xenhv_evtchn_ports_in_use(), atomic64_read(&c->upcalls),
		   atomic64_read(&c->delivered), atomic64_read(&c->coalesced));
	seq_printf(m, "root_sends %lld\nroot_events %lld\nroot_unbound %lld\nsint %u\n",
		   atomic64_read(&c->root_sends), atomic64_read(&c->root_events),
		   atomic64_read(&c->root_unbound), xenhv_synic_sint());
	for_each_online_cpu(cpu)
		seq_printf(m, "cpu%u vector %d vp %u shared_with_vmbus %d\n", cpu,
			   xenhv_synic_vector(cpu), hv_vp_index[cpu],
			   xenhv_synic_shared(cpu));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_events);

/* Grant tables: entries in use, table size, gntalloc's pages, what was done. */
static int xenhv_grants_show(struct seq_file *m, void *v)
{
	const struct xenhv_gnttab_counters *c = &xenhv_gnttab_stats;

	seq_printf(m, "in_use %u\nframes %u\nmax_frames %u\ngntalloc_pages %d\n",
		   xenhv_gnttab_in_use(), xenhv_gnttab_frames(),
		   XENHV_GNTTAB_MAX_FRAMES, xenhv_gntalloc_count());
	seq_printf(m, "granted %lld\nrevoked %lld\nmapped %lld\ncopies %lld\n",
		   atomic64_read(&c->grants), atomic64_read(&c->revoked),
		   atomic64_read(&c->maps), atomic64_read(&c->copies));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_grants);

static int xenhv_time_file_show(struct seq_file *m, void *v)
{
	xenhv_time_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_time_file);

/* Use of each /dev/xen node. */
static int xenhv_devices_show(struct seq_file *m, void *v)
{
	xenhv_dev_counters_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_devices);

static int xenhv_xenstore_show(struct seq_file *m, void *v)
{
	xenhv_xenbus_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_xenstore);

/* Bit n set: watchdog id n+1 is armed. */
static int xenhv_watchdogs_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%u\n", xenhv_watchdog_armed());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xenhv_watchdogs);

static ssize_t xenhv_console_input_write(struct file *file,
					 const char __user *ubuf,
					 size_t len, loff_t *ppos)
{
	char buf[256];
	size_t n = min(len, sizeof(buf));

	if (copy_from_user(buf, ubuf, n))
		return -EFAULT;
	n = xenhv_console_input_put(buf, n);
	return n ? n : -ENOSPC;
}

static const struct file_operations xenhv_console_input_fops = {
	.owner = THIS_MODULE,
	.write = xenhv_console_input_write,
	.llseek = noop_llseek,
};

void xenhv_debugfs_init(void)
{
	/* Optional: without debugfs xenhv works, only less visible. */
	xenhv_debugfs = debugfs_create_dir("xenhv", NULL);
	debugfs_create_file("hypercalls", 0444, xenhv_debugfs, NULL,
			    &xenhv_hypercalls_fops);
	debugfs_create_file("features", 0444, xenhv_debugfs, NULL,
			    &xenhv_features_fops);
	debugfs_create_file("xenstore", 0444, xenhv_debugfs, NULL,
			    &xenhv_xenstore_fops);
	debugfs_create_file("devices", 0444, xenhv_debugfs, NULL,
			    &xenhv_devices_fops);
	debugfs_create_file("hv_calls", 0444, xenhv_debugfs, NULL,
			    &xenhv_hv_calls_fops);
	debugfs_create_file("events", 0444, xenhv_debugfs, NULL,
			    &xenhv_events_fops);
	debugfs_create_file("grants", 0444, xenhv_debugfs, NULL,
			    &xenhv_grants_fops);
	debugfs_create_file("watchdogs", 0444, xenhv_debugfs, NULL,
			    &xenhv_watchdogs_fops);
	debugfs_create_file("console_input", 0200, xenhv_debugfs, NULL,
			    &xenhv_console_input_fops);
	debugfs_create_file("time", 0444, xenhv_debugfs, NULL,
			    &xenhv_time_file_fops);
}

void xenhv_debugfs_exit(void)
{
	debugfs_remove_recursive(xenhv_debugfs);
}
