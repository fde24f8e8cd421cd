// SPDX-License-Identifier: GPL-2.0
/* Unit tests of xen-compat/evtchn*.c and vcpu_timer.c: Xen 4.17's 2-level event channels and vCPU timers. */
#include "evtchn_model.h"
#include "../../xen-compat/evtchn.h"

static void test_ports(void)
{
	struct evtchn_status s;
	evtchn_port_t p1 = 0, p;
	unsigned int i;
	bool all_masked = true;
	long rc;

	setup();
	for (i = 0; i < ARRAY_SIZE(si->evtchn_mask); i++)
		all_masked &= si->evtchn_mask[i] == ~0UL;
	T(all_masked, "evtchn: every port starts masked, as a Linux guest leaves them at boot");
	T(alloc_unbound(DOMID_SELF, DOMID_SELF, &p1) == 0 && p1 == 1 &&
	  status(DOMID_SELF, p1, &s) == 0 && s.status == EVTCHNSTAT_unbound &&
	  s.u.unbound.dom == 1 && s.vcpu == 0,
	  "evtchn: the first port is 1, unbound for domain 1 (remote DOMID_SELF), on vCPU 0");
	T(alloc_unbound(1, DOMID_SELF, &p) == 0 && p == 2 &&
	  alloc_unbound(0, DOMID_SELF, NULL) == -EPERM &&
	  alloc_unbound(7, DOMID_SELF, NULL) == -ESRCH,
	  "evtchn: alloc_unbound in our own domain id works, domain 0 is EPERM, domain 7 ESRCH");
	T(ev_close(0) == -EINVAL && is_status(DOMID_SELF, 0, EVTCHNSTAT_closed),
	  "evtchn: port 0 is reserved: close is EINVAL, status says closed");
	T(ev_close(5) == -EINVAL, "evtchn: closing a free port is EINVAL");
	T(status(0, p1, NULL) == -EPERM && status(7, p1, NULL) == -ESRCH,
	  "evtchn: status in domain 0 is EPERM, in domain 7 ESRCH");

	/* Xen allocates ports in buckets of 64; lsevtchn stops at the first EINVAL. */
	T(is_status(DOMID_SELF, 63, EVTCHNSTAT_closed) && status(DOMID_SELF, 64, NULL) == -EINVAL,
	  "evtchn: with 2 ports open, 63 is closed and 64 is past the valid range (EINVAL)");
	T(ev_close(64) == -EINVAL && send_k(64) == -EINVAL && unmask_hc(64) == -EINVAL &&
	  status(DOMID_SELF, 4096, NULL) == -EINVAL && ev_close(100000) == -EINVAL,
	  "evtchn: close, send, unmask and status past the valid range are EINVAL");
	for (rc = 0, i = 3; i <= 64 && !rc; i++)
		rc = alloc_unbound(DOMID_SELF, DOMID_SELF, &p);
	T(!rc && p == 64 && is_status(DOMID_SELF, 127, EVTCHNSTAT_closed) &&
	  status(DOMID_SELF, 128, NULL) == -EINVAL,
	  "evtchn: port 64 opens the second bucket: 127 is valid, 128 is not");
	T(ev_close(p1) == 0 && is_status(DOMID_SELF, p1, EVTCHNSTAT_closed) &&
	  alloc_unbound(DOMID_SELF, DOMID_SELF, &p) == 0 && p == p1,
	  "evtchn: a closed port reads closed and is the next one handed out");

	T(evop(EVTCHNOP_alloc_unbound, 8) == -EFAULT && evop(EVTCHNOP_send, 8) == -EFAULT &&
	  evop(EVTCHNOP_status, GBASE + GSIZE - 8) == -EFAULT,
	  "evtchn: a struct at a bad guest address, or running off memory, is EFAULT");
	T(evop(EVTCHNOP_bind_pirq, GBASE) == -EINVAL,
	  "evtchn: bind_pirq is EINVAL (the domain has no physical IRQs)");
	T(evop(EVTCHNOP_init_control, GBASE) == -ENOSYS &&
	  evop(EVTCHNOP_set_priority, GBASE) == -ENOSYS &&
	  evop(EVTCHNOP_expand_array, GBASE) == -EOPNOTSUPP,
	  "evtchn: no FIFO ABI: init_control and set_priority ENOSYS, expand_array EOPNOTSUPP");
	T(evop(99, GBASE) == -ENOSYS && kicks() == 0, "evtchn: unknown sub-op 99 is ENOSYS");
}

static void test_interdomain(void)
{
	struct xenhv_evtchn_counters before;
	struct evtchn_status s, t;
	struct consumer cb = { 0 };
	evtchn_port_t a = 0, b = 0, c = 0, d = 0;

	setup();
	alloc_unbound(DOMID_SELF, DOMID_SELF, &a);
	T(bind_inter(DOMID_SELF, a, &b) == 0 && b != a &&
	  status(DOMID_SELF, a, &s) == 0 && status(DOMID_SELF, b, &t) == 0 &&
	  s.status == EVTCHNSTAT_interdomain && t.status == EVTCHNSTAT_interdomain &&
	  s.u.interdomain.dom == 1 && s.u.interdomain.port == b &&
	  t.u.interdomain.dom == 1 && t.u.interdomain.port == a,
	  "evtchn: bind_interdomain to our own unbound port: both ends name domain 1 and each other");
	T(pend(b) && !pend(a) && kicks() == 0,
	  "evtchn: bind raises the new local port (Xen's lost-notification fixup), masked: no kick");
	alloc_unbound(DOMID_SELF, 5, &c);
	T(bind_inter(DOMID_SELF, a, NULL) == -EINVAL && bind_inter(DOMID_SELF, c, NULL) == -EINVAL &&
	  bind_inter(DOMID_SELF, 200, NULL) == -EINVAL && bind_inter(DOMID_SELF, 4096, NULL) == -EINVAL,
	  "evtchn: binding a port not unbound, unbound for domain 5, or out of range is EINVAL");
	T(bind_inter(7, a, NULL) == -ESRCH, "evtchn: binding to domain 7 (no such domain) is ESRCH");

	T(xenhv_evtchn_attach(b, fire, &cb, false) == 0 && em.kicks[0] == 1,
	  "evtchn: attach unmasks the port and kicks vCPU 0 for its pending event");
	xenhv_evtchn_upcall(0);
	T(cb.count == 1 && cb.port == b && cb.owner == &cb && !pend(b),
	  "evtchn: the upcall delivers the event pending before attach, to its owner");
	T(send_hc(a) == 0 && pend(b) && em.kicks[0] == 2,
	  "evtchn: send on one end raises the other and kicks its vCPU");
	xenhv_evtchn_upcall(0);
	before = xenhv_evtchn_stats;
	send_k(a);
	send_k(a);
	xenhv_evtchn_upcall(0);
	T(cb.count == 3 && em.kicks[0] == 3 &&
	  atomic64_read(&xenhv_evtchn_stats.coalesced) == atomic64_read(&before.coalesced) + 1 &&
	  atomic64_read(&xenhv_evtchn_stats.delivered) == atomic64_read(&before.delivered) + 1,
	  "evtchn: two sends before delivery are one kick and one delivery, counted as coalesced");

	T(send_k(b) == 0 && pend(a) && em.kicks[0] == 3,
	  "evtchn: send to an end with no consumer sets pending but, masked, kicks nobody");
	alloc_unbound(DOMID_SELF, DOMID_SELF, &d);
	T(send_hc(d) == 0 && !pend(d) && kicks() == 3,
	  "evtchn: send on an unbound port returns 0 and raises nothing");
	T(ev_close(a) == 0 && !pend(a) && status(DOMID_SELF, b, &s) == 0 &&
	  s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == 1,
	  "evtchn: close clears the pending bit and leaves the peer unbound for domain 1");
	T(send_k(b) == 0 && kicks() == 3 && bind_inter(DOMID_SELF, b, &a) == 0,
	  "evtchn: the left end drops sends, and can be bound again");
}

static void test_root(void)
{
	struct consumer cr = { 0 };
	struct evtchn_status s;
	unsigned char snap[sizeof(si->evtchn_pending)];
	evtchn_port_t r = 0, r2 = 0;
	long long unbound;

	setup();
	T(bind_inter(0, 5, &r) == 0 && status(DOMID_SELF, r, &s) == 0 &&
	  s.status == EVTCHNSTAT_interdomain && s.u.interdomain.dom == 0 &&
	  s.u.interdomain.port == 5 && pend(r),
	  "evtchn: bind_interdomain(domain 0, port 5) binds root connection 5, raised like any bind");
	T(bind_inter(0, 5, NULL) == -EINVAL && bind_inter(0, 0, NULL) == -EINVAL &&
	  bind_inter(0, 2048, NULL) == -EINVAL && bind_inter(0, 2047, &r2) == 0,
	  "evtchn: root connections are 1..2047, each bound once (5 again, 0, 2048: EINVAL)");
	T(send_hc(r) == 0 && em.nr_root == 1 && em.root_conn[0] == 5,
	  "evtchn: send on a root port signals its connection (HvSignalEvent)");
	em.root_errno = -EAGAIN;
	T(send_hc(r2) == -EAGAIN && em.nr_root == 2 && em.root_conn[1] == 2047,
	  "evtchn: send returns the root signal's errno");
	em.root_errno = 0;

	xenhv_evtchn_attach(r, fire, &cr, false);
	xenhv_evtchn_upcall(0);
	xenhv_evtchn_root_event(5);
	T(pend(r) && em.kicks[0] == 2, "evtchn: a root event on connection 5 raises its port");
	xenhv_evtchn_upcall(0);
	T(cr.count == 2 && cr.port == r,
	  "evtchn: the upcall delivers the bind-time event and the root event");

	memcpy(snap, si->evtchn_pending, sizeof(snap));
	unbound = atomic64_read(&xenhv_evtchn_stats.root_unbound);
	xenhv_evtchn_root_event(6);
	xenhv_evtchn_root_event(0);
	xenhv_evtchn_root_event(5000);
	T(!memcmp(snap, si->evtchn_pending, sizeof(snap)) && kicks() == 2 &&
	  atomic64_read(&xenhv_evtchn_stats.root_unbound) == unbound + 2,
	  "evtchn: root events on unbound connections change nothing (counted when in range)");

	bind_vcpu(r, 2);
	xenhv_evtchn_root_event(5);
	xenhv_evtchn_upcall(2);
	T(em.kicks[2] == 1 && em.kicks[0] == 2 && cr.count == 3,
	  "evtchn: after bind_vcpu to vCPU 2 root events kick and are delivered there");
	T(ev_close(r) == 0 && bind_inter(0, 5, &r) == 0,
	  "evtchn: closing a root port frees its connection for another bind");
	xenhv_compat.root_events = false;
	T(bind_inter(0, 9, NULL) == -EINVAL,
	  "evtchn: without root events (root_events=false) binding domain 0 is EINVAL");
	xenhv_compat.root_events = true;
}

static void test_delivery(void)
{
	struct consumer ca = { 0 }, cm = { 0 }, cq = { 0 }, cy = { 0 }, c2 = { 0 };
	struct evtchn_status s;
	evtchn_port_t p = 0, m = 0, x = 0, y = 0, v2 = 0, g = 0, u = 0;

	setup();
	T(bind_ipi(0, &p) == 0 && status(DOMID_SELF, p, &s) == 0 &&
	  s.status == EVTCHNSTAT_ipi && s.vcpu == 0 && bind_ipi(4, NULL) == -ENOENT,
	  "evtchn: bind_ipi: status shows an IPI port on vCPU 0; vCPU 4 (of 4) is ENOENT");
	T(send_k(p) == 0 && pend(p) && kicks() == 0,
	  "evtchn: send on an IPI port raises itself; masked and unconsumed, no kick");
	T(xenhv_evtchn_attach(p, fire, &ca, false) == 0 && em.kicks[0] == 1 && !masked(p),
	  "evtchn: attach unmasks and kicks for the pending IPI");
	xenhv_evtchn_upcall(0);
	T(ca.count == 1 && ca.port == p, "evtchn: the upcall delivers the IPI sent before attach");
	T(xenhv_evtchn_attach(p, fire, &cq, false) == -EBUSY &&
	  xenhv_evtchn_attach(0, fire, &cq, false) == -EINVAL &&
	  xenhv_evtchn_attach(40, fire, &cq, false) == -EINVAL &&
	  xenhv_evtchn_attach(4096, fire, &cq, false) == -EINVAL,
	  "evtchn: attach to a taken port is EBUSY; to port 0, a free port or 4096 EINVAL");

	guest_mask(p);
	T(send_k(p) == 0 && pend(p) && em.kicks[0] == 1,
	  "evtchn: a port the guest masked only goes pending");
	T(unmask_hc(p) == 0 && em.kicks[0] == 2 && !masked(p),
	  "evtchn: EVTCHNOP_unmask of a pending port kicks its vCPU");
	xenhv_evtchn_upcall(0);
	T(ca.count == 2, "evtchn: and the upcall then delivers it to the consumer");

	bind_ipi(0, &m);
	xenhv_evtchn_attach(m, fire, &cm, true);
	send_k(m);
	xenhv_evtchn_upcall(0);
	T(cm.count == 1 && masked(m) && !pend(m),
	  "evtchn: a mask_on_fire consumer leaves its port masked after delivery");
	send_k(m);
	xenhv_evtchn_upcall(0);
	T(cm.count == 1 && pend(m) && em.kicks[0] == 3,
	  "evtchn: a send to that masked port only sets pending: no kick, no delivery");
	xenhv_evtchn_unmask(m);
	xenhv_evtchn_upcall(0);
	xenhv_evtchn_upcall(0);
	T(em.kicks[0] == 4 && cm.count == 2, "evtchn: unmask kicks and re-delivers exactly once");

	bind_ipi(2, &v2);
	xenhv_evtchn_attach(v2, fire, &c2, false);
	send_k(v2);
	xenhv_evtchn_upcall(0);
	T(em.kicks[2] == 1 && em.kicks[0] == 4 && c2.count == 0,
	  "evtchn: an IPI of vCPU 2 kicks vCPU 2 only, and vCPU 0's upcall leaves it");
	xenhv_evtchn_upcall(2);
	T(c2.count == 1, "evtchn: vCPU 2's upcall delivers it");

	/* bind_vcpu moves a port, and an event pending on it follows. */
	alloc_unbound(DOMID_SELF, DOMID_SELF, &x);
	bind_inter(DOMID_SELF, x, &y);
	xenhv_evtchn_attach(y, fire, &cy, false);
	xenhv_evtchn_upcall(0);
	send_k(x);
	T(bind_vcpu(y, 1) == 0 && em.kicks[1] == 1 && status(DOMID_SELF, y, &s) == 0 &&
	  s.vcpu == 1, "evtchn: bind_vcpu moves a pending port to vCPU 1 and kicks vCPU 1");
	xenhv_evtchn_upcall(0);
	T(cy.count == 1 && pend(y),
	  "evtchn: vCPU 0's upcall leaves a port now bound to vCPU 1 alone");
	xenhv_evtchn_upcall(1);
	T(cy.count == 2, "evtchn: vCPU 1's upcall delivers it");
	guest_mask(y);
	send_k(x);
	T(bind_vcpu(y, 3) == 0 && em.kicks[3] == 0 && unmask_hc(y) == 0 && em.kicks[3] == 1,
	  "evtchn: a masked pending port moves quietly; unmasking it kicks its new vCPU 3");
	xenhv_evtchn_upcall(3);
	T(cy.count == 3, "evtchn: and vCPU 3's upcall delivers it");

	alloc_unbound(DOMID_SELF, DOMID_SELF, &u);
	bind_virq(VIRQ_CONSOLE, 0, &g);
	T(bind_vcpu(u, 2) == 0 && bind_vcpu(g, 2) == 0,
	  "evtchn: bind_vcpu of an unbound port and of global VIRQ_CONSOLE is allowed");
	T(bind_vcpu(p, 1) == -EINVAL && bind_vcpu(y, 4) == -ENOENT &&
	  bind_vcpu(5000, 1) == -EINVAL && bind_vcpu(0, 1) == -EINVAL &&
	  bind_vcpu(60, 1) == -EINVAL,
	  "evtchn: bind_vcpu of an IPI, invalid, reserved or free port is EINVAL; vCPU 4 ENOENT");
	T(!em.bad_kicks, "evtchn: no kick ever named a vCPU the domain lacks");
}

/*
 * A port a guest unmasked (EVTCHNOP_unmask) before anybody attached: an event
 * on it is seen by an upcall with no consumer to run, then attach comes.
 */
static void test_attach_after_unmask(void)
{
	struct consumer cs = { 0 };
	evtchn_port_t p = 0;

	setup();
	bind_ipi(0, &p);
	unmask_hc(p);
	send_k(p);
	xenhv_evtchn_upcall(0);
	T(em.kicks[0] == 1 && cs.count == 0 && pend(p),
	  "evtchn: an event on an unmasked port with no consumer kicks, and stays pending");
	xenhv_evtchn_attach(p, fire, &cs, false);
	xenhv_evtchn_upcall(0);
	/* The upcall dropped the skipped port's selector bit; attach re-raises. */
	T(cs.count == 1, "evtchn: attach delivers an event that came before it, "
	  "even on a port the guest had unmasked");
	send_k(p);
	xenhv_evtchn_upcall(0);
	T(cs.count == 2, "evtchn: a later send on that port is delivered");
}

/* A port past the table: checked before anything is indexed. */
static void test_attach_far_port(void)
{
	struct consumer cf = { 0 };

	setup();
	T(xenhv_evtchn_attach(5000, fire, &cf, false) == -EINVAL && !cf.count,
	  "evtchn: attach to port 5000 is EINVAL");
}

static void test_virq(void)
{
	struct consumer c0 = { 0 }, c1 = { 0 }, cg = { 0 };
	struct evtchn_status s;
	evtchn_port_t t0 = 0, t1 = 0, t1b = 0, g = 0;

	setup();
	T(bind_virq(24, 0, NULL) == -EINVAL && bind_virq(VIRQ_CONSOLE, 1, NULL) == -EINVAL,
	  "evtchn: virq 24 (NR_VIRQS), or global VIRQ_CONSOLE on vCPU 1, is EINVAL");
	T(bind_virq(VIRQ_TIMER, 4, NULL) == -ENOENT, "evtchn: VIRQ_TIMER on vCPU 4 (of 4) is ENOENT");
	T(bind_virq(VIRQ_TIMER, 0, &t0) == 0 && bind_virq(VIRQ_TIMER, 1, &t1) == 0 && t0 != t1 &&
	  status(DOMID_SELF, t1, &s) == 0 && s.status == EVTCHNSTAT_virq &&
	  s.u.virq == VIRQ_TIMER && s.vcpu == 1,
	  "evtchn: VIRQ_TIMER binds per vCPU (0 and 1); status shows virq and vCPU");
	T(bind_virq(VIRQ_TIMER, 0, NULL) == -EEXIST, "evtchn: VIRQ_TIMER twice on vCPU 0 is EEXIST");
	T(send_k(t0) == -EINVAL && send_hc(40) == -EINVAL,
	  "evtchn: send on a VIRQ port or a free port is EINVAL");
	T(bind_vcpu(t1, 2) == -EINVAL, "evtchn: bind_vcpu of per-vCPU VIRQ_TIMER is EINVAL");

	xenhv_evtchn_attach(t0, fire, &c0, false);
	xenhv_evtchn_attach(t1, fire, &c1, false);
	xenhv_evtchn_send_virq(1, VIRQ_TIMER);
	T(pend(t1) && !pend(t0) && em.kicks[1] == 1 && em.kicks[0] == 0,
	  "evtchn: VIRQ_TIMER on vCPU 1 raises vCPU 1's port only");
	xenhv_evtchn_upcall(1);
	T(c1.count == 1 && c0.count == 0, "evtchn: vCPU 1's upcall delivers its timer event");

	bind_virq(VIRQ_CONSOLE, 0, &g);
	xenhv_evtchn_attach(g, fire, &cg, false);
	bind_vcpu(g, 3);
	xenhv_evtchn_send_virq(2, VIRQ_CONSOLE);
	xenhv_evtchn_upcall(3);
	T(em.kicks[3] == 1 && cg.count == 1,
	  "evtchn: a global virq goes to its one binding, on the vCPU it was moved to");

	T(ev_close(t1) == 0 && bind_virq(VIRQ_TIMER, 1, &t1b) == 0 &&
	  ev_close(g) == 0 && bind_virq(VIRQ_CONSOLE, 0, &g) == 0,
	  "evtchn: close frees a virq binding (per-vCPU or moved global) to be bound again");
	xenhv_evtchn_send_virq(1, VIRQ_TIMER);
	xenhv_evtchn_upcall(1);
	T(pend(t1b) && c1.count == 1,
	  "evtchn: VIRQ_TIMER now raises the new port, not the old consumer");
}

static void test_reset_and_limits(void)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct consumer cn = { 0 };
	int other;
	evtchn_port_t p = 0, t = 0, last = 0;
	unsigned int n = 0;
	long rc;

	setup();
	bind_virq(VIRQ_TIMER, 0, &t);
	bind_ipi(1, &p);
	bind_inter(0, 3, NULL);
	T(reset(7) == -ESRCH && reset(0) == -EPERM && xenhv_evtchn_ports_in_use() == 3,
	  "evtchn: reset of domain 7 is ESRCH, of domain 0 EPERM, and closes nothing");
	T(reset(DOMID_SELF) == 0 && xenhv_evtchn_ports_in_use() == 0 &&
	  is_status(DOMID_SELF, t, EVTCHNSTAT_closed) && is_status(DOMID_SELF, p, EVTCHNSTAT_closed) &&
	  bind_virq(VIRQ_TIMER, 0, NULL) == 0 && bind_inter(0, 3, NULL) == 0,
	  "evtchn: reset(DOMID_SELF) closes every port, freeing virqs and root connections");
	reset(1);

	while ((rc = xenhv_evtchn_op(EVTCHNOP_alloc_unbound, &a)) == 0 && n < 5000) {
		last = a.port;
		n++;
	}
	T(rc == -ENOSPC && n == 4095 && last == 4095 &&
	  is_status(DOMID_SELF, 4095, EVTCHNSTAT_unbound),
	  "evtchn: 4095 ports can be allocated, then ENOSPC (got %u, last %u, rc %ld)",
	  n, last, rc);
	T(ev_close(1234) == 0 && xenhv_evtchn_op(EVTCHNOP_alloc_unbound, &a) == 0 &&
	  a.port == 1234, "evtchn: once one is closed, allocating again gets it");
	T(reset(DOMID_SELF) == 0 && xenhv_evtchn_ports_in_use() == 0,
	  "evtchn: reset closes all 4095");

	bind_ipi(0, &p);
	xenhv_evtchn_attach(p, fire, &cn, false);
	T(xenhv_evtchn_notify(p, &other) == -ENOTCONN && em.kicks[0] == 0,
	  "evtchn: notify by somebody who does not own the port is ENOTCONN");
	T(xenhv_evtchn_notify(p, &cn) == 0 && em.kicks[0] == 1,
	  "evtchn: notify by the owner sends");
	T(xenhv_evtchn_release(p, &other) == -ENOTCONN &&
	  is_status(DOMID_SELF, p, EVTCHNSTAT_ipi),
	  "evtchn: release by somebody else is ENOTCONN and leaves the port open");
	T(xenhv_evtchn_release(p, &cn) == 0 && is_status(DOMID_SELF, p, EVTCHNSTAT_closed) &&
	  xenhv_evtchn_release(p, &cn) == -ENOTCONN && xenhv_evtchn_notify(p, &cn) == -ENOTCONN,
	  "evtchn: release by the owner closes it; then release and notify are ENOTCONN");
	bind_ipi(0, &p);
	xenhv_evtchn_attach(p, fire, &cn, false);
	ev_close(p);
	T(xenhv_evtchn_release(p, &cn) == -ENOTCONN,
	  "evtchn: release of a port the guest closed under its owner is ENOTCONN");
}

static long vcpu_op(int cmd, unsigned int vcpu, xen_ulong_t arg)
{
	return hc(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static void test_timers(void)
{
	struct { u64 timeout; u32 flags, pad; } *ss = G(GBASE);
	struct consumer ct = { 0 };
	u64 *period = G(GBASE);
	evtchn_port_t t = 0;
	const u64 now = 1000 * MSEC;

	setup();
	em.now = now;
	em.current = 2;
	T(hc(__HYPERVISOR_set_timer_op, 0, 0, 0) == 0 && em.stops == 1 &&
	  em.stop_vcpu == 2 && em.stop_which == XENHV_TIMER_SINGLESHOT && em.arms == 0,
	  "timer: set_timer_op(0) stops the current vCPU's singleshot timer");
	T(hc(__HYPERVISOR_set_timer_op, now + 5 * MSEC, 0, 0) == 0 && em.arms == 1 &&
	  em.arm_vcpu == 2 && em.arm_which == XENHV_TIMER_SINGLESHOT &&
	  em.arm_expires == now + 5 * MSEC && em.arm_period == 0,
	  "timer: set_timer_op(t) arms the current vCPU's singleshot timer for t");
	T(hc(__HYPERVISOR_set_timer_op, (1ULL << 63) | 5, 0, 0) == 0 &&
	  em.arm_expires == now + 100 * MSEC,
	  "timer: a negative timeout (Linux's jiffies wrap) fires in 100 ms");
	T(hc(__HYPERVISOR_set_timer_op, now + (1ULL << 50), 0, 0) == 0 &&
	  em.arm_expires == now + 100 * MSEC,
	  "timer: a timeout 2^50 ns ahead fires in 100 ms");
	T(hc(__HYPERVISOR_set_timer_op, now + (1ULL << 50) - 1, 0, 0) == 0 &&
	  em.arm_expires == now + (1ULL << 50) - 1 &&
	  hc(__HYPERVISOR_set_timer_op, now - 1, 0, 0) == 0 && em.arm_expires == now - 1,
	  "timer: timeouts just under 2^50 ns ahead, or past, are armed as given");

	em.arms = em.stops = 0;
	ss->timeout = now + MSEC;
	ss->flags = 0;
	T(vcpu_op(XENHV_VCPUOP_set_singleshot_timer, 1, GBASE) == -EINVAL && em.arms == 0,
	  "timer: set_singleshot_timer for another vCPU is EINVAL");
	T(vcpu_op(XENHV_VCPUOP_set_singleshot_timer, 2, GBASE) == 0 &&
	  em.arms == 1 && em.arm_vcpu == 2 && em.arm_which == XENHV_TIMER_SINGLESHOT &&
	  em.arm_expires == now + MSEC,
	  "timer: set_singleshot_timer arms the current vCPU's singleshot timer");
	ss->timeout = now - 1;
	ss->flags = 1;	/* VCPU_SSHOTTMR_future */
	T(vcpu_op(XENHV_VCPUOP_set_singleshot_timer, 2, GBASE) == -ETIME && em.arms == 1,
	  "timer: VCPU_SSHOTTMR_future with a past timeout is ETIME");
	ss->flags = 0;
	T(vcpu_op(XENHV_VCPUOP_set_singleshot_timer, 2, GBASE) == 0 &&
	  em.arms == 2 && em.arm_expires == now - 1 &&
	  vcpu_op(XENHV_VCPUOP_set_singleshot_timer, 2, 8) == -EFAULT,
	  "timer: a past timeout without the flag is armed; a bad address is EFAULT");

	em.arms = 0;
	*period = MSEC - 1;
	T(vcpu_op(XENHV_VCPUOP_set_periodic_timer, 3, GBASE) == -EINVAL && em.arms == 0,
	  "timer: a periodic timer under 1 ms is EINVAL");
	*period = MSEC;
	T(vcpu_op(XENHV_VCPUOP_set_periodic_timer, 3, GBASE) == 0 &&
	  em.arms == 1 && em.arm_vcpu == 3 && em.arm_which == XENHV_TIMER_PERIODIC &&
	  em.arm_expires == now + MSEC && em.arm_period == MSEC &&
	  vcpu_op(XENHV_VCPUOP_set_periodic_timer, 3, 8) == -EFAULT,
	  "timer: set_periodic_timer(1 ms) for another vCPU arms its periodic timer");
	T(vcpu_op(XENHV_VCPUOP_stop_periodic_timer, 1, 0) == 0 &&
	  em.stops == 1 && em.stop_vcpu == 1 && em.stop_which == XENHV_TIMER_PERIODIC,
	  "timer: stop_periodic_timer stops that vCPU's periodic timer");
	T(vcpu_op(XENHV_VCPUOP_stop_singleshot_timer, 1, 0) == -EINVAL && em.stops == 1 &&
	  vcpu_op(XENHV_VCPUOP_stop_singleshot_timer, 2, 0) == 0 &&
	  em.stops == 2 && em.stop_vcpu == 2 && em.stop_which == XENHV_TIMER_SINGLESHOT,
	  "timer: stop_singleshot_timer stops the current vCPU's only (another: EINVAL)");
	T(vcpu_op(XENHV_VCPUOP_set_periodic_timer, 4, GBASE) == -ENOENT &&
	  vcpu_op(XENHV_VCPUOP_stop_periodic_timer, 4, 0) == -ENOENT,
	  "timer: a vCPU the domain lacks is ENOENT");

	bind_virq(VIRQ_TIMER, 1, &t);
	xenhv_evtchn_attach(t, fire, &ct, false);
	xenhv_timer_fired(0);
	T(kicks() == 0 && !pend(t), "timer: expiry on vCPU 0, with no VIRQ_TIMER bound there, is dropped");
	xenhv_timer_fired(1);
	xenhv_evtchn_upcall(1);
	T(em.kicks[1] == 1 && ct.count == 1 && ct.port == t,
	  "timer: expiry on vCPU 1 raises its VIRQ_TIMER port, delivered by vCPU 1's upcall");
}

/* The table grows by a bucket on first use; a failed grow changes nothing. */
static void test_buckets(void)
{
	struct consumer cn = { 0 };
	evtchn_port_t p = 0, q = 0, a = 0, b = 0;
	unsigned int i, held;
	long rc;

	setup();
	for (held = 1; held < XENHV_EVTCHN_BUCKETS && !xenhv_ec.bucket[held]; held++)
		;
	T(xenhv_ec.bucket[0] && held == XENHV_EVTCHN_BUCKETS && xenhv_ec.valid == 64 &&
	  sizeof(xenhv_ec) < 8192,
	  "evtchn: a fresh domain holds one bucket of 64 ports, the table itself %zu bytes",
	  sizeof(xenhv_ec));
	for (rc = 0, i = 1; i < 64 && !rc; i++)
		rc = alloc_unbound(DOMID_SELF, DOMID_SELF, &p);
	T(!rc && p == 63 && !xenhv_ec.bucket[1],
	  "evtchn: ports 1-63 fill the first bucket without allocating a second");
	uport_atomic_fails = 1;
	T(alloc_unbound(DOMID_SELF, DOMID_SELF, &q) == -ENOMEM && !xenhv_ec.bucket[1] &&
	  xenhv_ec.valid == 64 && status(DOMID_SELF, 64, NULL) == -EINVAL &&
	  xenhv_evtchn_ports_in_use() == 63,
	  "evtchn: a second bucket that cannot be allocated is ENOMEM (Xen's), port 64 stays invalid");
	uport_atomic_fails = 3;
	T(bind_ipi(0, NULL) == -ENOMEM && bind_virq(VIRQ_DEBUG, 0, NULL) == -ENOMEM &&
	  bind_inter(DOMID_SELF, p, NULL) == -ENOMEM && is_status(DOMID_SELF, p, EVTCHNSTAT_unbound),
	  "evtchn: bind_ipi, bind_virq and bind_interdomain are ENOMEM too; the remote port stays unbound");
	uport_atomic_fails = 0;
	T(bind_virq(VIRQ_DEBUG, 0, &q) == 0 && q == 64 && xenhv_ec.bucket[1] &&
	  xenhv_ec.valid == 128 && is_status(DOMID_SELF, 127, EVTCHNSTAT_closed),
	  "evtchn: the failed VIRQ binds later (no EEXIST), opening the second bucket at port 64");
	T(bind_inter(DOMID_SELF, p, &b) == 0 && b == 65 && xenhv_evtchn_attach(b, fire, &cn, false) == 0,
	  "evtchn: port 63 (first bucket) binds to port 65 (second bucket)");
	guest_mask(b);
	xenhv_evtchn_unmask(b);
	cn.count = 0;
	T(send_k(p) == 0 && em.kicks[0] >= 1 && (xenhv_evtchn_upcall(0), cn.count == 1 && cn.port == b),
	  "evtchn: a send on port 63 is delivered on port 65 across the bucket boundary");
	T(xenhv_evtchn_get(200) == -EINVAL && (xenhv_evtchn_put(200), true) &&
	  xenhv_evtchn_attach(4000, fire, &cn, false) == -EINVAL && xenhv_evtchn_release(4000, &cn) == -ENOTCONN,
	  "evtchn: get, put, attach and release of ports in buckets never allocated are refused");
	/* A pending, unmasked bit the guest set past the valid ports: nothing to deliver to. */
	a = 3000;
	si->evtchn_pending[a / WORD_BITS] |= 1UL << (a % WORD_BITS);
	si->evtchn_mask[a / WORD_BITS] &= ~(1UL << (a % WORD_BITS));
	si->vcpu_info[0].evtchn_pending_sel |= 1UL << (a / WORD_BITS);
	si->vcpu_info[0].evtchn_upcall_pending = 1;
	cn.count = 0;
	xenhv_evtchn_upcall(0);
	T(cn.count == 0 && !xenhv_ec.bucket[a / XENHV_EVTCHN_BUCKET],
	  "evtchn: an upcall for a pending bit past the valid ports delivers nothing and allocates nothing");
	xenhv_evtchn_release(b, &cn);
	for (rc = 0, i = 0; i < 200 && !rc; i++)
		rc = alloc_unbound(DOMID_SELF, DOMID_SELF, &p);
	T(!rc && xenhv_ec.valid == 320 && xenhv_ec.bucket[4] && !xenhv_ec.bucket[5] &&
	  reset(DOMID_SELF) == 0 && xenhv_ec.valid == 320,
	  "evtchn: 200 more ports grow the table to 5 buckets; reset keeps them, as Xen does");
	xenhv_evtchn_exit();
	for (held = 0, i = 0; i < XENHV_EVTCHN_BUCKETS; i++)
		held += !!xenhv_ec.bucket[i];
	T(held == 0 && xenhv_ec.valid == 0,
	  "evtchn: exit frees every bucket (ASan checks for leaks at the end)");
	free(si);
	si = NULL;
}

void test_evtchn(void)
{
	struct xenhv_compat_config saved = xenhv_compat;

	test_ports();
	test_interdomain();
	test_root();
	test_delivery();
	test_virq();
	test_reset_and_limits();
	test_timers();
	test_attach_after_unmask();
	test_attach_far_port();
	test_buckets();
	setup();
	xenhv_evtchn_exit();
	free(si);
	si = NULL;
	xenhv_compat = saved;
}
