// SPDX-License-Identifier: GPL-2.0
/* SCHEDOP_poll through libxencall: returns when a port is pending or the timeout passes. */
#define __XEN_TOOLS__ 1
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <xencall.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>

#include "tap.h"

static xencall_handle *xc;

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int evtchn_op(int cmd, void *arg, size_t size)
{
	void *buf = xencall_alloc_buffer(xc, size);
	int rc;

	memcpy(buf, arg, size);
	rc = xencall2(xc, __HYPERVISOR_event_channel_op, cmd, (uint64_t)(uintptr_t)buf);
	memcpy(arg, buf, size);
	xencall_free_buffer(xc, buf);
	return rc;
}

static uint64_t xen_now(void)
{
	struct vcpu_runstate_info *rs = xencall_alloc_buffer(xc, sizeof(*rs));
	uint64_t t = 0;

	if (xencall3(xc, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0,
		     (uint64_t)(uintptr_t)rs) == 0)
		t = rs->state_entry_time;
	xencall_free_buffer(xc, rs);
	return t;
}

static int poll_ports(const evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
	struct sched_poll *sp = xencall_alloc_buffer(xc, sizeof(*sp));
	evtchn_port_t *p = xencall_alloc_buffer(xc, 200 * sizeof(*p));
	int rc;

	memcpy(p, ports, n * sizeof(*p));
	set_xen_guest_handle(sp->ports, p);
	sp->nr_ports = n;
	sp->timeout = timeout;
	rc = xencall2(xc, __HYPERVISOR_sched_op, SCHEDOP_poll, (uint64_t)(uintptr_t)sp);
	xencall_free_buffer(xc, p);
	xencall_free_buffer(xc, sp);
	return rc;
}

static evtchn_port_t sender;

static void *send_later(void *arg)
{
	struct evtchn_send s = { .port = sender };

	usleep(300000);
	evtchn_op(EVTCHNOP_send, &s, sizeof(s));
	return arg;
}

int main(void)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF };
	struct evtchn_close c;
	evtchn_port_t many[129] = { 0 };
	pthread_t t;
	double t0, dt;

	tap_prog = "sched_poll";
	xc = xencall_open(NULL, 0);
	CHECK(xc && evtchn_op(EVTCHNOP_alloc_unbound, &a, sizeof(a)) == 0, "a port pair for polling");
	b.remote_port = a.port;
	evtchn_op(EVTCHNOP_bind_interdomain, &b, sizeof(b));
	/* Binding raised b; a is quiet. Nobody consumes these ports: bits stay. */
	t0 = mono_ms();
	CHECK(poll_ports(&b.local_port, 1, 0) == 0 && mono_ms() - t0 < 100,
	      "a pending port ends the poll at once");

	t0 = mono_ms();
	CHECK(poll_ports(&a.port, 1, xen_now() + 200000000ULL) == 0, "poll with a 200 ms timeout returns 0");
	dt = mono_ms() - t0;
	CHECK(dt >= 199 && dt < 1000, "... after the timeout (%.1f ms)", dt);
	CHECK(poll_ports(&a.port, 1, 1) == 0, "a timeout already past returns at once");

	sender = b.local_port;
	pthread_create(&t, NULL, send_later, NULL);
	t0 = mono_ms();
	CHECK(poll_ports(&a.port, 1, 0) == 0, "poll without a timeout returns 0 ...");
	dt = mono_ms() - t0;
	pthread_join(t, NULL);
	CHECK(dt >= 250 && dt < 2000, "... when another thread's send makes the port pending (%.1f ms)", dt);

	CHECK_ERR(poll_ports(many, 129, 0), EINVAL, "129 ports (Xen allows 128): EINVAL");
	many[0] = 4000;
	CHECK_ERR(poll_ports(many, 1, 0), EINVAL, "a port beyond those in use: EINVAL");
	CHECK(poll_ports(many, 0, 1) == 0, "no ports and a past timeout: returns 0");

	c.port = a.port;
	evtchn_op(EVTCHNOP_close, &c, sizeof(c));
	c.port = b.local_port;
	evtchn_op(EVTCHNOP_close, &c, sizeof(c));
	xencall_close(xc);
	return tap_failed ? 1 : 0;
}
