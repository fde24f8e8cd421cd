// SPDX-License-Identifier: GPL-2.0
/* xenhv's kernel API with interrupts off and a spinlock held, where Xen's guests call it. */
#include <linux/completion.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <asm/sync_bitops.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>
#include <xenhv/xenhv.h>

static unsigned int domid = 1;
module_param(domid, uint, 0444);
MODULE_PARM_DESC(domid, "The guest's domain id (xenhv's domid parameter)");

static unsigned int failures;

static void check(bool ok, const char *what)
{
	pr_info("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		failures++;
}

/* An event handler's context: interrupts off, preemption off, a lock held. */
static DEFINE_SPINLOCK(test_lock);

struct atomic_ctx {
	unsigned long flags;
	unsigned long switches;
};

static void atomic_begin(struct atomic_ctx *a)
	__acquires(&test_lock)
{
	a->switches = current->nvcsw + current->nivcsw;
	spin_lock_irqsave(&test_lock, a->flags);
}

/* True if nothing in the section slept: no context switch at all. */
static bool atomic_end(struct atomic_ctx *a)
	__releases(&test_lock)
{
	spin_unlock_irqrestore(&test_lock, a->flags);
	return current->nvcsw + current->nivcsw == a->switches;
}

static long hc(unsigned int op, unsigned long a1, unsigned long a2,
	       unsigned long a3)
{
	return xenhv_hypercall(op, a1, a2, a3, 0, 0);
}

static long evtchn_op(int cmd, void *arg)
{
	return hc(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0);
}

static long vcpu_op(int cmd, int vcpu, void *arg)
{
	return hc(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg);
}

static u64 xen_now(void)
{
	struct vcpu_runstate_info rs;

	/* Xen system time is the runstate's entry time, "now". */
	return vcpu_op(VCPUOP_get_runstate_info, raw_smp_processor_id(), &rs) ?
	       0 : rs.state_entry_time;
}

struct seen {
	atomic_t count;
	struct completion done;
};

static void handler(u32 port, void *data)
{
	struct seen *s = data;

	atomic_inc(&s->count);
	complete(&s->done);
}

/* 600 grants (the table grows past its first frame) and their ends. */
#define NR_GRANTS	600

static void test_grants(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	int *refs = kcalloc(NR_GRANTS, sizeof(*refs), GFP_KERNEL);
	int i, granted = 0, ended = 0;
	struct atomic_ctx a;
	bool quiet;

	if (!page || !refs)
		goto out;
	atomic_begin(&a);
	for (i = 0; i < NR_GRANTS; i++) {
		refs[i] = xenhv_grant_page(domid, page, false);
		granted += refs[i] >= 0;
	}
	for (i = 0; i < NR_GRANTS; i++)
		ended += refs[i] >= 0 && xenhv_grant_end(refs[i]) == 0;
	quiet = atomic_end(&a);
	check(granted == NR_GRANTS, "600 grants with interrupts off (the table grows)");
	check(ended == NR_GRANTS, "and their ends, interrupts still off");
	check(quiet, "granting and ending never slept");
out:
	kfree(refs);
	if (page)
		__free_page(page);
}

/* GNTTABOP_copy from a grant into a frame of ours, twice in one call. */
static void test_copy(void)
{
	struct page *src = alloc_page(GFP_KERNEL), *dst = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct gnttab_copy op[2] = { };
	struct atomic_ctx a;
	int ref = -1, i;
	long ret;
	bool quiet;

	if (!src || !dst)
		goto out;
	memset(page_address(src), 0x5c, PAGE_SIZE);
	ref = xenhv_grant_page(domid, src, true);
	for (i = 0; i < 2; i++) {
		op[i].flags = GNTCOPY_source_gref;
		op[i].source.u.ref = ref;
		op[i].source.domid = DOMID_SELF;
		op[i].source.offset = i * 2048;
		op[i].dest.u.gmfn = page_to_pfn(dst);
		op[i].dest.domid = DOMID_SELF;
		op[i].dest.offset = i * 2048;
		op[i].len = 2048;
	}
	atomic_begin(&a);
	ret = hc(__HYPERVISOR_grant_table_op, GNTTABOP_copy, (unsigned long)op, 2);
	quiet = atomic_end(&a);
	check(ret == 0 && op[0].status == GNTST_okay && op[1].status == GNTST_okay &&
	      !memcmp(page_address(src), page_address(dst), PAGE_SIZE),
	      "GNTTABOP_copy of two halves with interrupts off");
	check(quiet, "the copy never slept");
	check(xenhv_grant_end(ref) == 0, "the copy's grant ends");
out:
	if (src)
		__free_page(src);
	if (dst)
		__free_page(dst);
}

/* On vCPU 0 (work_on_cpu): its singleshot and periodic timers. */
static long timers_on_cpu0(void *unused)
{
	struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct vcpu_set_singleshot_timer ss = { };
	struct vcpu_set_periodic_timer p = { .period_ns = 10 * NSEC_PER_MSEC };
	struct atomic_ctx a;
	long r1, r2, r3, r4;
	struct seen s;
	bool quiet;

	atomic_set(&s.count, 0);
	init_completion(&s.done);
	if (evtchn_op(EVTCHNOP_bind_virq, &b) ||
	    xenhv_evtchn_bind_handler(b.port, handler, &s)) {
		check(false, "VIRQ_TIMER bound on vCPU 0");
		return 0;
	}
	ss.timeout_abs_ns = xen_now() + 5 * NSEC_PER_MSEC;
	atomic_begin(&a);
	r1 = vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss);
	quiet = atomic_end(&a);
	check(r1 == 0 && quiet,
	      "VCPUOP_set_singleshot_timer (5 ms) with interrupts off: 0, no sleep");
	check(wait_for_completion_timeout(&s.done, HZ), "... and it fires");

	reinit_completion(&s.done);
	atomic_begin(&a);
	r1 = hc(__HYPERVISOR_set_timer_op, xen_now() + 5 * NSEC_PER_MSEC, 0, 0);
	quiet = atomic_end(&a);
	check(r1 == 0 && quiet, "set_timer_op with interrupts off: 0, no sleep");
	check(wait_for_completion_timeout(&s.done, HZ), "... and it fires");

	ss.timeout_abs_ns = xen_now() + 10 * NSEC_PER_SEC;
	atomic_begin(&a);
	r1 = vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss);
	r2 = vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
	r3 = vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
	r4 = vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	quiet = atomic_end(&a);
	check(!r1 && !r2 && !r3 && !r4 && quiet,
	      "singleshot set/stop and periodic set/stop of this vCPU with interrupts off");
	atomic_begin(&a);
	r1 = vcpu_op(VCPUOP_set_periodic_timer, 1, &p);
	r2 = vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL);
	quiet = atomic_end(&a);
	check(r1 == -EAGAIN && r2 == -EAGAIN && quiet,
	      "another vCPU's timer with interrupts off: -EAGAIN (it needs an IPI), no sleep");
	xenhv_evtchn_close_handler(b.port, &s);
	return 0;
}

/* Send and unmask from an event handler's context; poll's answers there. */
static void test_events(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 1 };
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	struct shared_info *si = xenhv_shared_info_page();
	struct evtchn_send send;
	struct evtchn_unmask um;
	struct evtchn_close cl;
	struct sched_poll poll = { .nr_ports = 1 };
	struct atomic_ctx a;
	long r1, r2, r3, r4;
	evtchn_port_t port;
	struct seen s;
	bool quiet;

	atomic_set(&s.count, 0);
	init_completion(&s.done);
	if (evtchn_op(EVTCHNOP_bind_ipi, &b) ||
	    xenhv_evtchn_bind_handler(b.port, handler, &s)) {
		check(false, "an IPI port on vCPU 1");
		return;
	}
	send.port = b.port;
	atomic_begin(&a);
	r1 = evtchn_op(EVTCHNOP_send, &send);
	quiet = atomic_end(&a);
	check(r1 == 0 && quiet, "EVTCHNOP_send to vCPU 1 with interrupts off: 0, no sleep");
	check(wait_for_completion_timeout(&s.done, HZ), "... and the event arrives");
	xenhv_evtchn_close_handler(b.port, &s);

	/* A local pair with no consumer, its receiving end masked. */
	evtchn_op(EVTCHNOP_alloc_unbound, &au);
	bi.remote_port = au.port;
	if (evtchn_op(EVTCHNOP_bind_interdomain, &bi)) {
		check(false, "a local interdomain pair");
		return;
	}
	port = au.port;
	sync_set_bit(port, (unsigned long *)si->evtchn_mask);
	set_xen_guest_handle(poll.ports, &port);
	send.port = bi.local_port;
	poll.timeout = xen_now() + 200 * NSEC_PER_MSEC;
	atomic_begin(&a);
	r1 = hc(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)&poll, 0);
	poll.timeout = 1;
	r2 = hc(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)&poll, 0);
	r3 = evtchn_op(EVTCHNOP_send, &send);
	poll.timeout = 0;
	r4 = hc(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)&poll, 0);
	quiet = atomic_end(&a);
	check(r1 == -EAGAIN, "SCHEDOP_poll that would block, with interrupts off: -EAGAIN");
	check(r2 == 0, "SCHEDOP_poll whose timeout has passed, interrupts off: 0");
	check(r3 == 0 && r4 == 0, "SCHEDOP_poll of a pending port, interrupts off: 0 at once");
	check(quiet, "none of the polls slept");
	um.port = port;
	atomic_begin(&a);
	sync_clear_bit(port, (unsigned long *)si->evtchn_pending);
	r1 = evtchn_op(EVTCHNOP_unmask, &um);
	quiet = atomic_end(&a);
	check(r1 == 0 && quiet, "EVTCHNOP_unmask with interrupts off: 0, no sleep");
	cl.port = port;
	evtchn_op(EVTCHNOP_close, &cl);
	cl.port = bi.local_port;
	evtchn_op(EVTCHNOP_close, &cl);
}

/* yield, multicall and runstate, all things Xen's PV guests do with interrupts off. */
static void test_sched(void)
{
	struct multicall_entry mc[3] = { };
	struct vcpu_runstate_info rs = { }, other;
	struct atomic_ctx a;
	long r1, r2, r3, r4;
	bool quiet;
	int cpu;

	mc[0].op = __HYPERVISOR_sched_op;
	mc[0].args[0] = SCHEDOP_yield;
	mc[1].op = __HYPERVISOR_xen_version;
	mc[2].op = __HYPERVISOR_sched_op;
	mc[2].args[0] = SCHEDOP_yield;
	atomic_begin(&a);
	cpu = smp_processor_id();
	r1 = hc(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
	r2 = hc(__HYPERVISOR_multicall, (unsigned long)mc, 3, 0);
	r3 = vcpu_op(VCPUOP_get_runstate_info, cpu, &rs);
	r4 = vcpu_op(VCPUOP_get_runstate_info, !cpu, &other);
	quiet = atomic_end(&a);
	check(r1 == 0, "SCHEDOP_yield with interrupts off: 0");
	check(r2 == 0 && mc[0].result == 0 && mc[1].result > 0 && mc[2].result == 0,
	      "a multicall of yield, xen_version, yield with interrupts off");
	check(r3 == 0 && rs.time[RUNSTATE_running] > 0,
	      "this vCPU's runstate with interrupts off");
	check(r4 == -EAGAIN,
	      "another vCPU's runstate with interrupts off: -EAGAIN (it needs an IPI)");
	check(quiet, "yield, multicall and runstate never slept");
}

static int __init xenhv_test_atomic_init(void)
{
	if (num_online_cpus() < 2) {
		pr_info("not ok - needs two vCPUs\n");
		return -ENODEV;
	}
	test_grants();
	test_copy();
	work_on_cpu(0, timers_on_cpu0, NULL);
	test_events();
	test_sched();
	pr_info("%u failures\n", failures);
	return failures ? -EINVAL : 0;
}

static void __exit xenhv_test_atomic_exit(void)
{
}

module_init(xenhv_test_atomic_init);
module_exit(xenhv_test_atomic_exit);
MODULE_DESCRIPTION("Tests of xenhv's kernel API in atomic context");
MODULE_LICENSE("GPL");
