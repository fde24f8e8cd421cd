// SPDX-License-Identifier: GPL-2.0
/* VIRQ_TIMER through /dev/xen/evtchn, armed with set_timer_op and VCPUOP timers via libxencall. */
#define _GNU_SOURCE
#define __XEN_TOOLS__ 1
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <xencall.h>
#include <xenevtchn.h>
#include <xen/xen.h>
#include <xen/vcpu.h>

#include "tap.h"

/* How late a timer may fire here (nested emulation), and how early (clock rates). */
#define LATE_MS		100.0
#define EARLY_MS	1.0

static xencall_handle *xc;
static xenevtchn_handle *xce;
static int port;

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Xen's NOW(): the runstate's state_entry_time. */
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

static int singleshot(int vcpu, uint64_t when, uint32_t flags)
{
	struct vcpu_set_singleshot_timer *t = xencall_alloc_buffer(xc, sizeof(*t));
	int rc;

	t->timeout_abs_ns = when;
	t->flags = flags;
	rc = xencall3(xc, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, vcpu,
		      (uint64_t)(uintptr_t)t);
	xencall_free_buffer(xc, t);
	return rc;
}

static int periodic(int vcpu, uint64_t period)
{
	struct vcpu_set_periodic_timer *t = xencall_alloc_buffer(xc, sizeof(*t));
	int rc;

	t->period_ns = period;
	rc = xencall3(xc, __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, vcpu,
		      (uint64_t)(uintptr_t)t);
	xencall_free_buffer(xc, t);
	return rc;
}

/* Milliseconds until the timer port fires, or -1. */
static double wait_timer(double t0, int ms)
{
	struct pollfd pfd = { .fd = xenevtchn_fd(xce), .events = POLLIN };
	int p;

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	p = xenevtchn_pending(xce);
	xenevtchn_unmask(xce, p);
	return p == port ? mono_ms() - t0 : -1;
}

int main(void)
{
	double t0, dt;
	cpu_set_t set;
	int n;

	tap_prog = "evtchn_timer";
	/* Xen's singleshot timer belongs to the calling vCPU: stay on 0. */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	xc = xencall_open(NULL, 0);
	xce = xenevtchn_open(NULL, 0);
	port = xenevtchn_bind_virq(xce, VIRQ_TIMER);
	CHECK(port > 0, "VIRQ_TIMER bound through /dev/xen/evtchn (port %d)", port);

	t0 = mono_ms();
	CHECK(singleshot(0, xen_now() + 50000000ULL, VCPU_SSHOTTMR_future) == 0,
	      "VCPUOP_set_singleshot_timer, 50 ms ahead");
	dt = wait_timer(t0, 2000);
	printf("# singleshot 50 ms fired after %.2f ms\n", dt);
	CHECK(dt >= 50 - EARLY_MS && dt <= 50 + LATE_MS,
	      "it fired once, between 49 and 150 ms later (%.1f ms)", dt);
	CHECK(wait_timer(t0, 200) < 0, "a singleshot timer fires once");

	t0 = mono_ms();
	CHECK(xencall1(xc, __HYPERVISOR_set_timer_op, xen_now() + 30000000ULL) == 0,
	      "set_timer_op, 30 ms ahead");
	dt = wait_timer(t0, 2000);
	CHECK(dt >= 30 - EARLY_MS && dt <= 30 + LATE_MS, "set_timer_op's timer fired in time (%.1f ms)", dt);

	CHECK(xencall1(xc, __HYPERVISOR_set_timer_op, xen_now() + 100000000ULL) == 0 &&
	      xencall1(xc, __HYPERVISOR_set_timer_op, 0) == 0, "set_timer_op(0) cancels a pending timer");
	CHECK(wait_timer(mono_ms(), 300) < 0, "... and nothing fires");

	CHECK_ERR(singleshot(0, xen_now() - 1000000, VCPU_SSHOTTMR_future), ETIME,
		  "a past timeout with VCPU_SSHOTTMR_future: ETIME");
	CHECK_ERR(singleshot(1, xen_now() + 1000000, 0), EINVAL,
		  "setting another vCPU's singleshot timer: EINVAL");
	CHECK_ERR(singleshot(64, xen_now(), 0), ENOENT, "a vCPU that does not exist: ENOENT");

	t0 = mono_ms();
	CHECK(periodic(0, 20000000ULL) == 0, "VCPUOP_set_periodic_timer, 20 ms");
	for (n = 0; mono_ms() - t0 < 1000;)
		if (wait_timer(t0, 100) >= 0)
			n++;
	CHECK(xencall3(xc, __HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0) == 0,
	      "VCPUOP_stop_periodic_timer");
	printf("# periodic 20 ms: %d events in 1 s\n", n);
	CHECK(n >= 40 && n <= 52, "a 20 ms periodic timer fired 40..52 times in a second (%d)", n);
	while (wait_timer(t0, 50) >= 0)
		;
	CHECK(wait_timer(mono_ms(), 200) < 0, "after stop, no more VIRQ_TIMER");
	CHECK_ERR(periodic(0, 999999), EINVAL, "a period under 1 ms: EINVAL");

	xenevtchn_close(xce);
	xencall_close(xc);
	return tap_failed ? 1 : 0;
}
