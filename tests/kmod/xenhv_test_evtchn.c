// SPDX-License-Identifier: GPL-2.0
/* Exercises event channels from a kernel module: IPI ports and VIRQ_TIMER fire on their vCPU. */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/vcpu.h>
#include <xenhv/xenhv.h>

static unsigned int failures;

static void check(bool ok, const char *what)
{
	pr_info("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		failures++;
}

/* What a handler saw: how often, and on which CPUs. */
struct seen {
	atomic_t count;
	atomic_t wrong_cpu;
	int want_cpu;
	struct completion done;
};

static void handler(u32 port, void *data)
{
	struct seen *s = data;

	if (smp_processor_id() != s->want_cpu)
		atomic_inc(&s->wrong_cpu);
	atomic_inc(&s->count);
	complete(&s->done);
}

static void seen_init(struct seen *s, int cpu)
{
	atomic_set(&s->count, 0);
	atomic_set(&s->wrong_cpu, 0);
	s->want_cpu = cpu;
	init_completion(&s->done);
}

static long evtchn_op(int cmd, void *arg)
{
	return xenhv_hypercall(__HYPERVISOR_event_channel_op, cmd,
			       (unsigned long)arg, 0, 0, 0);
}

static long vcpu_op(int cmd, int vcpu, void *arg)
{
	return xenhv_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu,
			       (unsigned long)arg, 0, 0);
}

/* Sends on @port from CPU 0, so an event for vCPU 1 crosses over. */
static long send_from_cpu0(void *arg)
{
	struct evtchn_send send = { .port = *(u32 *)arg };

	return evtchn_op(EVTCHNOP_send, &send);
}

static void test_ipi(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 1 };
	struct seen s;
	int i, ok = 1;

	seen_init(&s, 1);
	check(evtchn_op(EVTCHNOP_bind_ipi, &b) == 0, "EVTCHNOP_bind_ipi on vCPU 1");
	check(xenhv_evtchn_bind_handler(b.port, handler, &s) == 0, "a handler takes the IPI port");
	check(xenhv_evtchn_bind_handler(b.port, handler, &s) == -EBUSY,
	      "a second handler for the same port: -EBUSY");
	for (i = 0; i < 200 && ok; i++) {
		reinit_completion(&s.done);
		ok = work_on_cpu(0, send_from_cpu0, &b.port) == 0 &&
		     wait_for_completion_timeout(&s.done, HZ);
	}
	check(ok && atomic_read(&s.count) == 200, "200 IPIs sent from vCPU 0 each fired once");
	check(atomic_read(&s.wrong_cpu) == 0, "every IPI fired on vCPU 1, its target");
	check(xenhv_evtchn_close_handler(b.port, &s) == 0, "closing the IPI port");
	check(work_on_cpu(0, send_from_cpu0, &b.port) == -EINVAL,
	      "a send on the closed port: -EINVAL");
	check(xenhv_evtchn_close_handler(b.port, &s) == -ENOTCONN,
	      "closing it twice: -ENOTCONN");
}

static void test_periodic_timer(void)
{
	struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 1 };
	struct vcpu_set_periodic_timer p = { .period_ns = 10 * NSEC_PER_MSEC };
	struct evtchn_close c;
	struct seen s;
	int n, after;

	seen_init(&s, 1);
	check(evtchn_op(EVTCHNOP_bind_virq, &b) == 0, "VIRQ_TIMER bound on vCPU 1");
	check(xenhv_evtchn_bind_handler(b.port, handler, &s) == 0, "a handler takes VIRQ_TIMER");
	check(vcpu_op(VCPUOP_set_periodic_timer, 1, &p) == 0,
	      "VCPUOP_set_periodic_timer 10 ms for vCPU 1 (from another vCPU)");
	msleep(500);
	check(vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL) == 0, "VCPUOP_stop_periodic_timer");
	n = atomic_read(&s.count);
	pr_info("# periodic 10 ms timer: %d events in 500 ms\n", n);
	check(n >= 25 && n <= 55, "a 10 ms periodic timer fired 25..55 times in 500 ms");
	check(atomic_read(&s.wrong_cpu) == 0, "every VIRQ_TIMER fired on vCPU 1");
	msleep(100);
	after = atomic_read(&s.count);
	msleep(200);
	check(atomic_read(&s.count) == after, "after stop, the timer is silent");
	p.period_ns = NSEC_PER_MSEC / 2;
	check(vcpu_op(VCPUOP_set_periodic_timer, 1, &p) == -EINVAL,
	      "a period under 1 ms: -EINVAL");
	check(vcpu_op(VCPUOP_set_periodic_timer, nr_cpu_ids + 3, &p) == -ENOENT,
	      "a vCPU that does not exist: -ENOENT");
	c.port = b.port;
	check(xenhv_evtchn_close_handler(b.port, &s) == 0, "closing the VIRQ port");
	check(evtchn_op(EVTCHNOP_close, &c) == -EINVAL, "EVTCHNOP_close of it again: -EINVAL");
}

/* Xen's singleshot timer belongs to the calling vCPU: set it from vCPU 1. */
static long singleshot_on_cpu1(void *arg)
{
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = 1 };
	long ret;

	ret = vcpu_op(VCPUOP_set_singleshot_timer, 1, &t);
	if (ret)
		return ret;
	t.flags = VCPU_SSHOTTMR_future;
	return vcpu_op(VCPUOP_set_singleshot_timer, 1, &t) == -ETIME ? 0 : -EIO;
}

static long singleshot_for_cpu1(void *arg)
{
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = 1 };

	return vcpu_op(VCPUOP_set_singleshot_timer, 1, &t);
}

static void test_singleshot(void)
{
	struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 1 };
	struct seen s;

	seen_init(&s, 1);
	evtchn_op(EVTCHNOP_bind_virq, &b);
	check(xenhv_evtchn_bind_handler(b.port, handler, &s) == 0,
	      "VIRQ_TIMER bound on vCPU 1 again");
	check(work_on_cpu(1, singleshot_on_cpu1, NULL) == 0,
	      "vCPU 1 sets a singleshot timer in the past (fires now); with VCPU_SSHOTTMR_future: -ETIME");
	check(wait_for_completion_timeout(&s.done, HZ) && atomic_read(&s.wrong_cpu) == 0,
	      "the past singleshot timer fired at once, on vCPU 1");
	check(work_on_cpu(0, singleshot_for_cpu1, NULL) == -EINVAL,
	      "vCPU 0 setting vCPU 1's singleshot timer: -EINVAL");
	xenhv_evtchn_close_handler(b.port, &s);
}

/* EVTCHNOP_bind_vcpu moves an interdomain port's upcall to vCPU 1. */
static void test_bind_vcpu(void)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain i = { .remote_dom = DOMID_SELF };
	struct evtchn_bind_vcpu bv;
	struct evtchn_close c;
	struct seen s;

	seen_init(&s, 1);
	evtchn_op(EVTCHNOP_alloc_unbound, &a);
	i.remote_port = a.port;
	check(evtchn_op(EVTCHNOP_bind_interdomain, &i) == 0, "a local interdomain pair");
	bv.port = a.port;
	bv.vcpu = 1;
	check(evtchn_op(EVTCHNOP_bind_vcpu, &bv) == 0,
	      "EVTCHNOP_bind_vcpu moves one end to vCPU 1");
	check(xenhv_evtchn_bind_handler(a.port, handler, &s) == 0, "a handler takes that end");
	check(work_on_cpu(0, send_from_cpu0, &i.local_port) == 0,
	      "a send from the other end, on vCPU 0");
	check(wait_for_completion_timeout(&s.done, HZ) && atomic_read(&s.wrong_cpu) == 0,
	      "the event fired on vCPU 1");
	xenhv_evtchn_close_handler(a.port, &s);
	c.port = i.local_port;
	check(evtchn_op(EVTCHNOP_close, &c) == 0, "the other end closes");
}

static int __init xenhv_test_evtchn_init(void)
{
	if (num_online_cpus() < 2) {
		pr_info("not ok - needs two vCPUs\n");
		return -ENODEV;
	}
	test_ipi();
	test_periodic_timer();
	test_singleshot();
	test_bind_vcpu();
	pr_info("%u failures\n", failures);
	return failures ? -EINVAL : 0;
}

static void __exit xenhv_test_evtchn_exit(void)
{
}

module_init(xenhv_test_evtchn_init);
module_exit(xenhv_test_evtchn_exit);
MODULE_DESCRIPTION("Tests of xenhv's event channels from the kernel");
MODULE_LICENSE("GPL");
