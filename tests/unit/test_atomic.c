// SPDX-License-Identifier: GPL-2.0
/* Unit tests of xen-compat's answers to kernel callers that may not sleep (event handlers). */
#include "../../xen-compat/compat.h"
#include "unit.h"

#define GBASE	0x50000UL
#define GSIZE	4096UL
#include "arena.h"

static const struct xenhv_guest_mem kern_mem = { g_read, g_write, true };
static const struct xenhv_guest_mem user_mem = { g_read, g_write, false };

static struct {
	u64 now;
	int poll_waits, yields;
} am;

static u64 am_system_time(void) { return am.now; }
static int am_yield(void) { am.yields++; return 0; }

static long am_poll_wait(const evtchn_port_t *ports, unsigned int nr, u64 timeout)
{
	(void)ports;
	(void)nr;
	(void)timeout;
	am.poll_waits++;
	return 0;
}

static const struct xenhv_platform_ops am_ops = {
	.system_time = am_system_time,
	.vcpu_yield = am_yield,
	.poll_wait = am_poll_wait,
};

/* struct sched_poll of the 64-bit ABI, no ports, with @timeout. */
static long poll(const struct xenhv_guest_mem *mem, u64 timeout)
{
	struct xenhv_call c = { .mem = mem };
	u64 sp[3] = { GBASE + 512, 0, timeout };
	xen_ulong_t args[5] = { SCHEDOP_poll, GBASE };

	memcpy(G(GBASE), sp, sizeof(sp));
	return xenhv_do_hypercall(&c, __HYPERVISOR_sched_op, args);
}

/* A multicall of @n yields, as a kernel caller with interrupts off makes one. */
static long yields(const struct xenhv_guest_mem *mem, unsigned int n)
{
	struct xenhv_call c = { .mem = mem };
	xen_ulong_t args[5] = { GBASE, n };
	xen_ulong_t e[8];
	unsigned int i;

	for (i = 0; i < n; i++) {
		memset(e, 0, sizeof(e));
		e[0] = __HYPERVISOR_sched_op;
		e[2] = SCHEDOP_yield;
		memcpy(G(GBASE + i * sizeof(e)), e, sizeof(e));
	}
	return xenhv_do_hypercall(&c, __HYPERVISOR_multicall, args);
}

void test_atomic(void)
{
	struct xenhv_compat_config saved = xenhv_compat;

	xenhv_compat.ops = &am_ops;
	memset(&am, 0, sizeof(am));
	am.now = 1000;
	xenhv_unit_atomic = true;
	T(poll(&kern_mem, 5000) == -EAGAIN && am.poll_waits == 0,
	  "atomic: SCHEDOP_poll that would sleep, from a kernel caller that may not: EAGAIN, no wait");
	T(poll(&kern_mem, 0) == -EAGAIN && am.poll_waits == 0,
	  "atomic: SCHEDOP_poll without timeout from such a caller: EAGAIN, no wait");
	T(poll(&kern_mem, 999) == 0 && poll(&kern_mem, 1000) == 0 && am.poll_waits == 0,
	  "atomic: SCHEDOP_poll whose timeout has passed: 0 at once, as Xen");
	T(poll(&user_mem, 5000) == 0 && am.poll_waits == 1,
	  "atomic: a privcmd caller always may sleep: its poll waits");
	T(yields(&kern_mem, 20) == 0 && am.yields == 20,
	  "atomic: a multicall of 20 yields from a kernel caller that may not sleep runs all 20");
	xenhv_unit_atomic = false;
	T(poll(&kern_mem, 5000) == 0 && am.poll_waits == 2,
	  "atomic: a kernel caller that may sleep: its poll waits");
	xenhv_compat = saved;
}
