/* SPDX-License-Identifier: GPL-2.0 */
/* The event channel tests' model domain: platform ops that record kicks, timers and root signals, and hypercall helpers. */
#ifndef _XENHV_UNIT_EVTCHN_MODEL_H
#define _XENHV_UNIT_EVTCHN_MODEL_H

#include "../../xen-compat/compat.h"
#include "unit.h"

#include <stdlib.h>

#define NV		4	/* vCPUs of the model domain */
#define WORD_BITS	(sizeof(xen_ulong_t) * 8)
#define MSEC		1000000ULL

/* Guest memory: a small arena at a fixed guest address; the rest faults. */
#define GBASE	0x20000UL
#define GSIZE	(16 * 1024UL)
#include "arena.h"

static const struct xenhv_guest_mem ev_mem = { g_read, g_write, false };

/* The platform model: kicks per vCPU, root signals, a settable clock, timers. */
static struct {
	int kicks[NV];
	int bad_kicks;			/* kicks of a vCPU the domain lacks */
	u32 root_conn[8];
	int nr_root;
	int root_errno;
	u64 now;
	unsigned int current;
	int arms, stops;
	unsigned int arm_vcpu, arm_which, stop_vcpu, stop_which;
	u64 arm_expires, arm_period;
	int poll_wakes;
} em;

static inline void em_kick(unsigned int vcpu)
{
	if (vcpu < NV)
		em.kicks[vcpu]++;
	else
		em.bad_kicks++;
}

static inline int em_root_signal(u32 conn)
{
	if (em.nr_root < (int)ARRAY_SIZE(em.root_conn))
		em.root_conn[em.nr_root] = conn;
	em.nr_root++;
	return em.root_errno;
}

static inline u64 em_system_time(void) { return em.now; }
static unsigned int em_current_vcpu(void) { return em.current; }
static unsigned int em_vcpu_count(void) { return NV; }

static inline int em_timer_arm(unsigned int vcpu, unsigned int which, u64 expires,
			u64 period)
{
	em.arms++;
	em.arm_vcpu = vcpu;
	em.arm_which = which;
	em.arm_expires = expires;
	em.arm_period = period;
	return 0;
}

static inline void em_timer_stop(unsigned int vcpu, unsigned int which)
{
	em.stops++;
	em.stop_vcpu = vcpu;
	em.stop_which = which;
}

/* SCHEDOP_poll is sched.c's; these tests only let raise_port() wake it. */
static inline long em_poll_wait(const evtchn_port_t *ports, unsigned int nr, u64 timeout)
{
	(void)ports;
	(void)nr;
	(void)timeout;
	return -EINTR;
}

static inline void em_poll_wake(void) { em.poll_wakes++; }

static const struct xenhv_platform_ops ev_ops = {
	.evtchn_kick = em_kick,
	.root_signal = em_root_signal,
	.system_time = em_system_time,
	.current_vcpu = em_current_vcpu,
	.vcpu_count = em_vcpu_count,
	.timer_arm = em_timer_arm,
	.timer_stop = em_timer_stop,
	.poll_wait = em_poll_wait,
	.poll_wake = em_poll_wake,
};

static inline int kicks(void)
{
	int v, n = em.bad_kicks;

	for (v = 0; v < NV; v++)
		n += em.kicks[v];
	return n;
}

/* A consumer records what the upcall delivered to it. */
struct consumer {
	int count;
	evtchn_port_t port;
	void *owner;
};

static inline void fire(evtchn_port_t port, void *owner)
{
	struct consumer *c = owner;

	c->count++;
	c->port = port;
	c->owner = owner;
}

static struct shared_info *si;

/* A fresh domain: 4 vCPUs, every port closed and masked. */
static inline void setup(void)
{
	if (si) {
		xenhv_evtchn_exit();
		free(si);
	}
	memset(&em, 0, sizeof(em));
	memset(arena, 0x55, sizeof(arena));
	xenhv_compat.ops = &ev_ops;
	xenhv_compat.domid = 1;
	xenhv_compat.root_events = true;
	si = calloc(1, sizeof(*si));
	if (!si || xenhv_evtchn_init(si, NV)) {
		fprintf(stderr, "test_evtchn: out of memory\n");
		exit(2);
	}
}

static inline bool pend(evtchn_port_t p)
{
	return (si->evtchn_pending[p / WORD_BITS] >> (p % WORD_BITS)) & 1;
}

static inline bool masked(evtchn_port_t p)
{
	return (si->evtchn_mask[p / WORD_BITS] >> (p % WORD_BITS)) & 1;
}

/* What a guest does to mask a port: set its bit in shared_info. */
static inline void guest_mask(evtchn_port_t p)
{
	si->evtchn_mask[p / WORD_BITS] |= 1UL << (p % WORD_BITS);
}

static inline long hc(unsigned long op, xen_ulong_t a0, xen_ulong_t a1, xen_ulong_t a2)
{
	struct xenhv_call c = { .mem = &ev_mem };
	xen_ulong_t args[5] = { a0, a1, a2, 0, 0 };

	return xenhv_do_hypercall(&c, op, args);
}

static inline long evop(int cmd, xen_ulong_t arg)
{
	return hc(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

/* The sub-ops, with their struct in guest memory (hypercall path). */
static inline long alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound *a = G(GBASE);
	long rc;

	a->dom = dom;
	a->remote_dom = remote;
	a->port = 0;
	rc = evop(EVTCHNOP_alloc_unbound, GBASE);
	if (port)
		*port = a->port;
	return rc;
}

static inline long bind_inter(domid_t rdom, evtchn_port_t rport, evtchn_port_t *lport)
{
	struct evtchn_bind_interdomain *b = G(GBASE);
	long rc;

	b->remote_dom = rdom;
	b->remote_port = rport;
	b->local_port = 0;
	rc = evop(EVTCHNOP_bind_interdomain, GBASE);
	if (lport)
		*lport = b->local_port;
	return rc;
}

static inline long bind_ipi(u32 vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_ipi *b = G(GBASE);
	long rc;

	b->vcpu = vcpu;
	b->port = 0;
	rc = evop(EVTCHNOP_bind_ipi, GBASE);
	if (port)
		*port = b->port;
	return rc;
}

static inline long ev_close(evtchn_port_t port)
{
	struct evtchn_close *c = G(GBASE);

	c->port = port;
	return evop(EVTCHNOP_close, GBASE);
}

static inline long send_hc(evtchn_port_t port)
{
	struct evtchn_send *s = G(GBASE);

	s->port = port;
	return evop(EVTCHNOP_send, GBASE);
}

static inline long unmask_hc(evtchn_port_t port)
{
	struct evtchn_unmask *u = G(GBASE);

	u->port = port;
	return evop(EVTCHNOP_unmask, GBASE);
}

static inline long status(domid_t dom, evtchn_port_t port, struct evtchn_status *out)
{
	struct evtchn_status *s = G(GBASE);
	long rc;

	memset(s, 0x55, sizeof(*s));
	s->dom = dom;
	s->port = port;
	rc = evop(EVTCHNOP_status, GBASE);
	if (out)
		*out = *s;
	return rc;
}

static inline long reset(domid_t dom)
{
	struct evtchn_reset *r = G(GBASE);

	r->dom = dom;
	return evop(EVTCHNOP_reset, GBASE);
}

/* The same sub-ops called directly, as kernel code does. */
static inline long send_k(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return xenhv_evtchn_op(EVTCHNOP_send, &s);
}

static inline long bind_virq(u32 virq, u32 vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
	long rc = xenhv_evtchn_op(EVTCHNOP_bind_virq, &b);

	if (port)
		*port = b.port;
	return rc;
}

static inline long bind_vcpu(evtchn_port_t port, u32 vcpu)
{
	struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

	return xenhv_evtchn_op(EVTCHNOP_bind_vcpu, &b);
}

static inline bool is_status(domid_t dom, evtchn_port_t port, u32 state)
{
	struct evtchn_status s;

	return status(dom, port, &s) == 0 && s.status == state;
}

#endif
