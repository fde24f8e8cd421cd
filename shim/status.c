// SPDX-License-Identifier: GPL-2.0
/* /sys/module/xenhv/status: features, fallbacks and counters, one value per file, for `xenhv`. */
#include "xenhv.h"

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "../hypercall/hv.h"
#include "../vmbus-client/vmbus.h"
#include "../xen-compat/compat.h"

/*
 * One directory of status files. Every file of a group shows one value
 * that fill() computes for the whole group, so the files of one group are
 * cheap to add and always agree with each other. keys == NULL: the files
 * are named 0..nr-1 (the Xen hypercall numbers).
 */
struct xenhv_status_group {
	const char *name;	/* NULL: straight in status/ */
	const char *const *keys;
	unsigned int nr;
	void (*fill)(s64 *v);
	/* non-NULL for a file whose value is a word, not a number */
	const char *(*text)(unsigned int idx);
};

#define XENHV_STATUS_MAX	XENHV_NR_HYPERCALLS

struct xenhv_status_attr {
	struct kobj_attribute ka;
	const struct xenhv_status_group *group;
	unsigned int idx;
};

static const char *const features_keys[] = {
	"stimer", "crash_msrs", "ref_tsc", "vp_runtime", "reset_msr", "tlbflush",
	"ipi", "ex_processor_masks", "signal_events", "post_messages",
	"time_ref_count",
};

static void features_fill(s64 *v)
{
	const struct xenhv_hv_features *f = &xenhv_hv;
	const bool b[] = {
		f->stimer, f->crash_msrs, f->ref_tsc, f->vp_runtime, f->reset_msr,
		f->tlbflush, f->ipi, f->ex_processor_masks, f->signal_events,
		f->post_messages, f->time_ref_count,
	};
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(b) != ARRAY_SIZE(features_keys));
	for (i = 0; i < ARRAY_SIZE(b); i++)
		v[i] = b[i];
}

/* 1: the plain Linux mechanism stands in for a Hyper-V one that is missing or off. */
static const char *const fallbacks_keys[] = {
	"crash", "vcpu_runtime", "timers", "tlb_flush", "ipi", "system_time",
	"pvclock",
};

static void fallbacks_fill(s64 *v)
{
	const struct xenhv_hv_features *f = &xenhv_hv;

	v[0] = !f->crash_msrs;
	v[1] = !f->vp_runtime;
	v[2] = !f->stimer;
	v[3] = !f->tlbflush;
	v[4] = !f->ipi;
	v[5] = !f->time_ref_count;
	v[6] = !xenhv_hv_reftsc_usable();
}

static const char *const hv_calls_keys[] = {
	"notify_long_spin_wait", "crash_notify", "flush_space", "flush_list",
	"send_ipi", "apic_ipi", "signal_event", "event_flags", "synic_irqs",
	"synic_stray_msgs", "stimer_armed", "stimer_fired", "stimer_stray",
	"hrtimer_fired",
};

static void hv_calls_fill(s64 *v)
{
	const struct xenhv_hv_counters *c = &xenhv_hv_counters;
	const atomic64_t *a[] = {
		&c->notify_long_spin_wait, &c->crash_notify, &c->flush_space,
		&c->flush_list, &c->send_ipi, &c->apic_ipi, &c->signal_event,
		&c->event_flags, &c->synic_irqs, &c->synic_stray_msgs,
		&c->stimer_armed, &c->stimer_fired, &c->stimer_stray,
		&c->hrtimer_fired,
	};
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(a) != ARRAY_SIZE(hv_calls_keys));
	for (i = 0; i < ARRAY_SIZE(a); i++)
		v[i] = atomic64_read(a[i]);
}

static void hypercalls_fill(s64 *v)
{
	unsigned int op;

	for (op = 0; op < XENHV_NR_HYPERCALLS; op++)
		v[op] = xenhv_hypercall_count(op);
}

static const char *const events_keys[] = {
	"ports", "upcalls", "delivered", "coalesced", "root_sends", "root_events",
	"root_unbound", "sint",
};

static void events_fill(s64 *v)
{
	const struct xenhv_evtchn_counters *c = &xenhv_evtchn_stats;

	v[0] = xenhv_evtchn_ports_in_use();
	v[1] = atomic64_read(&c->upcalls);
	v[2] = atomic64_read(&c->delivered);
	v[3] = atomic64_read(&c->coalesced);
	v[4] = atomic64_read(&c->root_sends);
	v[5] = atomic64_read(&c->root_events);
	v[6] = atomic64_read(&c->root_unbound);
	v[7] = xenhv_synic_sint();
}

static const char *const grants_keys[] = {
	"in_use", "frames", "max_frames", "gntalloc_pages", "granted", "revoked",
	"mapped", "copies",
};

static void grants_fill(s64 *v)
{
	const struct xenhv_gnttab_counters *c = &xenhv_gnttab_stats;

	v[0] = xenhv_gnttab_in_use();
	v[1] = xenhv_gnttab_frames();
	v[2] = XENHV_GNTTAB_MAX_FRAMES;
	v[3] = xenhv_gntalloc_count();
	v[4] = atomic64_read(&c->grants);
	v[5] = atomic64_read(&c->revoked);
	v[6] = atomic64_read(&c->maps);
	v[7] = atomic64_read(&c->copies);
}

static void watchdogs_fill(s64 *v)
{
	v[0] = xenhv_watchdog_armed();
}

/* Bit n set: watchdog id n+1 is armed. */
static const char *const watchdogs_keys[] = { "watchdogs_armed" };

static const struct xenhv_status_group xenhv_status_groups[] = {
	{ "features", features_keys, ARRAY_SIZE(features_keys), features_fill },
	{ "fallbacks", fallbacks_keys, ARRAY_SIZE(fallbacks_keys), fallbacks_fill },
	{ "hv_calls", hv_calls_keys, ARRAY_SIZE(hv_calls_keys), hv_calls_fill },
	{ "hypercalls", NULL, XENHV_NR_HYPERCALLS, hypercalls_fill },
	{ "devices", xenhv_dev_status_keys, XENHV_DEV_STATUS_NR,
	  xenhv_dev_status_fill },
	{ "events", events_keys, ARRAY_SIZE(events_keys), events_fill },
	{ "grants", grants_keys, ARRAY_SIZE(grants_keys), grants_fill },
	{ "time", xenhv_time_status_keys, XENHV_TIME_STATUS_NR,
	  xenhv_time_status_fill, xenhv_time_status_text },
	{ "xenstore", xenhv_xenbus_status_keys, XENHV_XENBUS_STATUS_NR,
	  xenhv_xenbus_status_fill },
	{ NULL, watchdogs_keys, ARRAY_SIZE(watchdogs_keys), watchdogs_fill },
};

static ssize_t xenhv_status_show(struct kobject *kobj,
				 struct kobj_attribute *ka, char *buf)
{
	const struct xenhv_status_attr *a =
		container_of(ka, struct xenhv_status_attr, ka);
	const struct xenhv_status_group *g = a->group;
	const char *word = g->text ? g->text(a->idx) : NULL;
	s64 v[XENHV_STATUS_MAX];

	if (word)
		return sysfs_emit(buf, "%s\n", word);
	g->fill(v);
	return sysfs_emit(buf, "%lld\n", v[a->idx]);
}

static struct {
	struct kobject *dir;
	struct attribute_group groups[ARRAY_SIZE(xenhv_status_groups)];
	unsigned int nr_created;
} xenhv_st;

static void xenhv_status_free_group(struct attribute_group *grp)
{
	struct attribute **attrs = grp->attrs;
	unsigned int i;

	for (i = 0; attrs && attrs[i]; i++)
		kfree(container_of(attrs[i], struct xenhv_status_attr, ka.attr));
	kfree(attrs);
	grp->attrs = NULL;
}

static int xenhv_status_make_group(const struct xenhv_status_group *g,
				   struct attribute_group *grp)
{
	struct xenhv_status_attr *a;
	unsigned int i;

	BUILD_BUG_ON(XENHV_STATUS_MAX < XENHV_TIME_STATUS_NR);
	BUILD_BUG_ON(XENHV_STATUS_MAX < XENHV_XENBUS_STATUS_NR);
	BUILD_BUG_ON(XENHV_STATUS_MAX < XENHV_DEV_STATUS_NR);
	grp->name = g->name;
	grp->attrs = kcalloc(g->nr + 1, sizeof(*grp->attrs), GFP_KERNEL);
	if (!grp->attrs)
		return -ENOMEM;
	for (i = 0; i < g->nr; i++) {
		/* The name lives in the same allocation: hypercall numbers need one. */
		a = kzalloc(sizeof(*a) + 4, GFP_KERNEL);
		if (!a)
			return -ENOMEM;
		if (g->keys) {
			a->ka.attr.name = g->keys[i];
		} else {
			snprintf((char *)(a + 1), 4, "%u", i);
			a->ka.attr.name = (const char *)(a + 1);
		}
		sysfs_attr_init(&a->ka.attr);
		a->ka.attr.mode = 0444;
		a->ka.show = xenhv_status_show;
		a->group = g;
		a->idx = i;
		grp->attrs[i] = &a->ka.attr;
	}
	return 0;
}

void xenhv_status_init(void)
{
	unsigned int i;
	int ret = -ENOMEM;

	xenhv_st.dir = kobject_create_and_add("status", &THIS_MODULE->mkobj.kobj);
	if (!xenhv_st.dir)
		goto fail;
	for (i = 0; i < ARRAY_SIZE(xenhv_status_groups); i++) {
		ret = xenhv_status_make_group(&xenhv_status_groups[i],
					      &xenhv_st.groups[i]);
		if (!ret)
			ret = sysfs_create_group(xenhv_st.dir, &xenhv_st.groups[i]);
		if (ret) {
			xenhv_status_free_group(&xenhv_st.groups[i]);
			goto fail;
		}
		xenhv_st.nr_created++;
	}
	return;
fail:
	/* Optional as debugfs was: xenhv works, the status command cannot tell. */
	pr_warn("no status files in /sys/module/xenhv/status (%d)\n", ret);
	xenhv_status_exit();
}

void xenhv_status_exit(void)
{
	unsigned int i;

	for (i = 0; i < xenhv_st.nr_created; i++) {
		sysfs_remove_group(xenhv_st.dir, &xenhv_st.groups[i]);
		xenhv_status_free_group(&xenhv_st.groups[i]);
	}
	xenhv_st.nr_created = 0;
	kobject_put(xenhv_st.dir);
	xenhv_st.dir = NULL;
}
