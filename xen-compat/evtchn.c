// SPDX-License-Identifier: GPL-2.0
/* Event channel ports and their state machine: every EVTCHNOP, VIRQs, and SCHEDOP_poll's test. */
#include "evtchn.h"

struct xenhv_evtchn_domain xenhv_ec = {
	.lock = __SPIN_LOCK_UNLOCKED(xenhv_ec.lock),
	.ops = &xenhv_evtchn_2l_ops,
};

struct xenhv_evtchn_counters xenhv_evtchn_stats;

#define BUCKET_SIZE	(XENHV_EVTCHN_BUCKET * sizeof(struct xenhv_evtchn))

int xenhv_evtchn_init(struct shared_info *si, unsigned int nr_vcpus)
{
	xenhv_ec.virq_port = xs_zalloc(nr_vcpus * sizeof(*xenhv_ec.virq_port));
	xenhv_ec.bucket[0] = xs_zalloc(BUCKET_SIZE);
	if (!xenhv_ec.virq_port || !xenhv_ec.bucket[0] ||
	    xenhv_vcpu_info_init(nr_vcpus)) {
		xenhv_evtchn_exit();
		return -ENOMEM;
	}
	xenhv_ec.si = si;
	xenhv_ec.nr_vcpus = nr_vcpus;
	memset(xenhv_ec.root_port, 0, sizeof(xenhv_ec.root_port));
	/* Port 0 is never handed out; the first bucket exists from the start. */
	xenhv_ec.bucket[0][0].state = ECS_RESERVED;
	xenhv_ec.valid = XENHV_EVTCHN_BUCKET;
	xenhv_ec.ops->init();
	return 0;
}

void xenhv_evtchn_exit(void)
{
	unsigned int b;

	xenhv_vcpu_info_exit();
	xs_free(xenhv_ec.virq_port);
	xenhv_ec.virq_port = NULL;
	xenhv_ec.valid = 0;
	for (b = 0; b < XENHV_EVTCHN_BUCKETS; b++) {
		xs_free(xenhv_ec.bucket[b]);
		xenhv_ec.bucket[b] = NULL;
	}
	xenhv_ec.si = NULL;
}

/*
 * Xen's get_free_port(): the lowest free port, growing by a bucket if needed;
 * -ENOMEM (as Xen's evtchn_allocate_port) when that bucket cannot be had,
 * -ENOSPC when all 4096 are in use. The lock is held with interrupts off.
 */
long xenhv_evtchn_get_free_port(void)
{
	struct xenhv_evtchn *b;
	unsigned int p;

	lockdep_assert_held(&xenhv_ec.lock);
	for (p = 1; p < XENHV_EVTCHN_NR; p++) {
		if (p >= xenhv_ec.valid) {
			b = xenhv_zalloc_atomic(BUCKET_SIZE);
			if (!b)
				return -ENOMEM;
			xenhv_ec.bucket[p / XENHV_EVTCHN_BUCKET] = b;
			xenhv_ec.valid += XENHV_EVTCHN_BUCKET;
		}
		if (xenhv_evtchn_chan(p)->state == ECS_FREE) {
			xenhv_evtchn_chan(p)->notify_vcpu = 0;
			return p;
		}
	}
	return -ENOSPC;
}

/* Raise @port for @vcpu through the delivery ABI; the vCPU to kick, or -1. */
int xenhv_evtchn_raise(evtchn_port_t port, unsigned int vcpu)
{
	lockdep_assert_held(&xenhv_ec.lock);
	return xenhv_ec.ops->set_pending(port, vcpu);
}

void xenhv_evtchn_kick(int vcpu)
{
	if (vcpu >= 0)
		xenhv_compat.ops->evtchn_kick(vcpu);
}

/* Return a port to ECS_FREE; its peer (if local) waits unbound again. */
void xenhv_evtchn_close_port(evtchn_port_t port)
{
	struct xenhv_evtchn *ch = xenhv_evtchn_chan(port);
	unsigned int v;

	lockdep_assert_held(&xenhv_ec.lock);
	switch (ch->state) {
	case ECS_INTERDOMAIN:
		if (ch->remote_dom == 0) {
			xenhv_evtchn_unbind_root(ch);
		} else {
			struct xenhv_evtchn *peer = xenhv_evtchn_chan(ch->remote_port);

			peer->state = ECS_UNBOUND;
			peer->remote_dom = (u16)xenhv_compat.domid;
		}
		break;
	case ECS_VIRQ:
		for (v = 0; v < xenhv_ec.nr_vcpus; v++)
			if (xenhv_ec.virq_port[v][ch->virq] == port)
				xenhv_ec.virq_port[v][ch->virq] = 0;
		break;
	default:
		break;
	}
	/* Xen clears the pending bit so a later rebind starts clean. */
	xenhv_ec.ops->clear_pending(port);
	memset(ch, 0, sizeof(*ch));
}

static long evtchn_alloc_unbound(struct evtchn_alloc_unbound *a)
{
	long port;

	if (!xenhv_is_self(a->dom))
		return xenhv_not_ours(a->dom);
	port = xenhv_evtchn_get_free_port();
	if (port < 0)
		return port;
	xenhv_evtchn_chan(port)->state = ECS_UNBOUND;
	xenhv_evtchn_chan(port)->remote_dom = a->remote_dom == DOMID_SELF ?
				 (u16)xenhv_compat.domid : a->remote_dom;
	a->port = port;
	return 0;
}

static long evtchn_bind_interdomain(struct evtchn_bind_interdomain *b,
				    int *kick_vcpu)
{
	evtchn_port_t rport = b->remote_port;
	struct xenhv_evtchn *rch, *lch;
	long lport;

	if (b->remote_dom == 0)
		return xenhv_evtchn_bind_root(b, kick_vcpu);
	if (!xenhv_is_self(b->remote_dom))
		return -ESRCH;
	lport = xenhv_evtchn_get_free_port();
	if (lport < 0)
		return lport;
	if (!xenhv_evtchn_port_valid(rport))
		return -EINVAL;
	rch = xenhv_evtchn_chan(rport);
	if (rch->state != ECS_UNBOUND || rch->remote_dom != xenhv_compat.domid)
		return -EINVAL;
	lch = xenhv_evtchn_chan(lport);
	lch->state = ECS_INTERDOMAIN;
	lch->remote_dom = (u16)xenhv_compat.domid;
	lch->remote_port = rport;
	rch->state = ECS_INTERDOMAIN;
	rch->remote_dom = (u16)xenhv_compat.domid;
	rch->remote_port = lport;
	b->local_port = lport;
	/* Xen: notifications sent to the unbound port may be lost; raise one. */
	*kick_vcpu = xenhv_evtchn_raise(lport, lch->notify_vcpu);
	return 0;
}

/* Xen's virq_is_global(): these go to vCPU 0's binding, and may be moved. */
static bool virq_is_global(unsigned int virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true;
	}
}

static long evtchn_bind_virq(struct evtchn_bind_virq *b)
{
	unsigned int virq = b->virq, vcpu = b->vcpu;
	long port;

	if (virq >= XENHV_NR_VIRQS)
		return -EINVAL;
	virq = array_index_nospec(virq, XENHV_NR_VIRQS);
	if (virq_is_global(virq) && vcpu != 0)
		return -EINVAL;
	if (vcpu >= xenhv_ec.nr_vcpus)
		return -ENOENT;
	if (xenhv_ec.virq_port[vcpu][virq])
		return -EEXIST;
	port = xenhv_evtchn_get_free_port();
	if (port < 0)
		return port;
	xenhv_evtchn_chan(port)->state = ECS_VIRQ;
	xenhv_evtchn_chan(port)->virq = virq;
	xenhv_evtchn_chan(port)->notify_vcpu = vcpu;
	xenhv_ec.virq_port[vcpu][virq] = port;
	b->port = port;
	return 0;
}

static long evtchn_bind_ipi(struct evtchn_bind_ipi *b)
{
	long port;

	if (b->vcpu >= xenhv_ec.nr_vcpus)
		return -ENOENT;
	port = xenhv_evtchn_get_free_port();
	if (port < 0)
		return port;
	xenhv_evtchn_chan(port)->state = ECS_IPI;
	xenhv_evtchn_chan(port)->notify_vcpu = b->vcpu;
	b->port = port;
	return 0;
}

static long evtchn_close(evtchn_port_t port)
{
	if (!xenhv_evtchn_port_valid(port))
		return -EINVAL;
	switch (xenhv_evtchn_chan(port)->state) {
	case ECS_FREE:
	case ECS_RESERVED:
		return -EINVAL;
	default:
		xenhv_evtchn_close_port(port);
		return 0;
	}
}

/* Sends to a root connection leave the lock first: HvSignalEvent may be slow. */
static long evtchn_send(evtchn_port_t port, int *kick_vcpu, u32 *root_conn)
{
	struct xenhv_evtchn *ch, *peer;

	if (!xenhv_evtchn_port_valid(port))
		return -EINVAL;
	ch = xenhv_evtchn_chan(port);
	switch (ch->state) {
	case ECS_INTERDOMAIN:
		if (ch->remote_dom == 0) {
			*root_conn = ch->remote_port;
			return 0;
		}
		peer = xenhv_evtchn_chan(ch->remote_port);
		*kick_vcpu = xenhv_evtchn_raise(ch->remote_port, peer->notify_vcpu);
		return 0;
	case ECS_IPI:
		*kick_vcpu = xenhv_evtchn_raise(port, ch->notify_vcpu);
		return 0;
	case ECS_UNBOUND:
		/* Xen drops a send on a port nobody has bound yet. */
		return 0;
	default:
		return -EINVAL;
	}
}

static long evtchn_status(struct evtchn_status *s)
{
	struct xenhv_evtchn *ch;

	if (!xenhv_is_self(s->dom))
		return xenhv_not_ours(s->dom);
	if (!xenhv_evtchn_port_valid(s->port))
		return -EINVAL;
	ch = xenhv_evtchn_chan(s->port);
	memset(&s->u, 0, sizeof(s->u));
	switch (ch->state) {
	case ECS_FREE:
	case ECS_RESERVED:
		s->status = EVTCHNSTAT_closed;
		break;
	case ECS_UNBOUND:
		s->status = EVTCHNSTAT_unbound;
		s->u.unbound.dom = ch->remote_dom;
		break;
	case ECS_INTERDOMAIN:
		s->status = EVTCHNSTAT_interdomain;
		s->u.interdomain.dom = ch->remote_dom;
		s->u.interdomain.port = ch->remote_port;
		break;
	case ECS_VIRQ:
		s->status = EVTCHNSTAT_virq;
		s->u.virq = ch->virq;
		break;
	case ECS_IPI:
		s->status = EVTCHNSTAT_ipi;
		break;
	}
	s->vcpu = ch->notify_vcpu;
	return 0;
}

/* EVTCHNOP_unmask: a port that became pending while masked fires now. */
static int unmask_port(evtchn_port_t port)
{
	lockdep_assert_held(&xenhv_ec.lock);
	return xenhv_ec.ops->unmask(port, xenhv_evtchn_chan(port)->notify_vcpu);
}

static long evtchn_bind_vcpu(struct evtchn_bind_vcpu *b, int *kick_vcpu)
{
	struct xenhv_evtchn *ch;

	if (b->vcpu >= xenhv_ec.nr_vcpus)
		return -ENOENT;
	if (!xenhv_evtchn_port_valid(b->port))
		return -EINVAL;
	ch = xenhv_evtchn_chan(b->port);
	switch (ch->state) {
	case ECS_VIRQ:
		if (!virq_is_global(ch->virq))
			return -EINVAL;
		break;
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
		break;
	default:
		return -EINVAL;
	}
	ch->notify_vcpu = b->vcpu;
	/* An event already pending follows the port to its new vCPU. */
	if (xenhv_ec.ops->is_pending(b->port) &&
	    !xenhv_ec.ops->is_masked(b->port)) {
		xenhv_ec.ops->mask(b->port);
		*kick_vcpu = unmask_port(b->port);
	}
	return 0;
}

static long evtchn_reset(domid_t dom)
{
	evtchn_port_t p;

	if (!xenhv_is_self(dom))
		return xenhv_not_ours(dom);
	for (p = 1; p < xenhv_ec.valid; p++)
		if (xenhv_evtchn_chan(p)->state != ECS_FREE)
			xenhv_evtchn_close_port(p);
	return 0;
}

/* One sub-op with its argument struct already copied in; xenhv_ec.lock is held. */
static long evtchn_op_locked(int cmd, void *arg, int *kick_vcpu, u32 *root_conn)
{
	lockdep_assert_held(&xenhv_ec.lock);
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return evtchn_alloc_unbound(arg);
	case EVTCHNOP_bind_interdomain:
		return evtchn_bind_interdomain(arg, kick_vcpu);
	case EVTCHNOP_bind_virq:
		return evtchn_bind_virq(arg);
	case EVTCHNOP_bind_ipi:
		return evtchn_bind_ipi(arg);
	case EVTCHNOP_close:
		return evtchn_close(((struct evtchn_close *)arg)->port);
	case EVTCHNOP_send:
		return evtchn_send(((struct evtchn_send *)arg)->port,
				   kick_vcpu, root_conn);
	case EVTCHNOP_status:
		return evtchn_status(arg);
	case EVTCHNOP_bind_vcpu:
		return evtchn_bind_vcpu(arg, kick_vcpu);
	case EVTCHNOP_unmask:
		if (!xenhv_evtchn_port_valid(((struct evtchn_unmask *)arg)->port))
			return -EINVAL;
		*kick_vcpu = unmask_port(((struct evtchn_unmask *)arg)->port);
		return 0;
	case EVTCHNOP_reset:
		return evtchn_reset(((struct evtchn_reset *)arg)->dom);
	case XENHV_EVTCHNOP_reset_cont:
		/* Our reset never stops half way: none is in progress to resume. */
		return -EBUSY;
	case EVTCHNOP_bind_pirq:
		/* The domain has no physical IRQs: every pirq is out of range. */
		return -EINVAL;
	}
	return -ENOSYS;
}

/* Runs one sub-op for a kernel caller or the hypercall below. */
long xenhv_evtchn_op(int cmd, void *arg)
{
	int kick_vcpu = -1;
	u32 root_conn = 0;
	unsigned long flags;
	long ret;

	spin_lock_irqsave(&xenhv_ec.lock, flags);
	ret = evtchn_op_locked(cmd, arg, &kick_vcpu, &root_conn);
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	xenhv_evtchn_kick(kick_vcpu);
	if (root_conn) {
		atomic64_inc(&xenhv_evtchn_stats.root_sends);
		ret = xenhv_compat.ops->root_signal(root_conn);
	}
	return ret;
}

/* Size of each sub-op's argument; 0 for those Xen does not have. */
static size_t evtchn_arg_size(int cmd)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return sizeof(struct evtchn_alloc_unbound);
	case EVTCHNOP_bind_interdomain:
		return sizeof(struct evtchn_bind_interdomain);
	case EVTCHNOP_bind_virq:
		return sizeof(struct evtchn_bind_virq);
	case EVTCHNOP_bind_ipi:
		return sizeof(struct evtchn_bind_ipi);
	case EVTCHNOP_close:
		return sizeof(struct evtchn_close);
	case EVTCHNOP_send:
		return sizeof(struct evtchn_send);
	case EVTCHNOP_status:
		return sizeof(struct evtchn_status);
	case EVTCHNOP_bind_vcpu:
		return sizeof(struct evtchn_bind_vcpu);
	case EVTCHNOP_unmask:
		return sizeof(struct evtchn_unmask);
	case EVTCHNOP_reset:
	case XENHV_EVTCHNOP_reset_cont:
		return sizeof(struct evtchn_reset);
	case EVTCHNOP_bind_pirq:
		return sizeof(struct evtchn_bind_pirq);
	default:
		return 0;
	}
}

long xenhv_do_event_channel_op(struct xenhv_call *c, int cmd, xen_ulong_t arg)
{
	union {
		struct evtchn_alloc_unbound alloc_unbound;
		struct evtchn_bind_interdomain bind_interdomain;
		struct evtchn_status status;
		u8 bytes[32];
	} u;
	size_t size = evtchn_arg_size(cmd);
	long ret;

	BUILD_BUG_ON(sizeof(struct evtchn_status) > sizeof(u.bytes));
	switch (cmd) {
	case EVTCHNOP_init_control:
	case EVTCHNOP_set_priority:
		/* No FIFO ABI offered: the 2-level ABI has neither. */
		return -ENOSYS;
	case EVTCHNOP_expand_array:
		/* Xen's answer while FIFO is not initialised. */
		return -EOPNOTSUPP;
	}
	if (!size)
		return -ENOSYS;
	if (xenhv_copy_from_guest(c, &u, arg, size))
		return -EFAULT;
	ret = xenhv_evtchn_op(cmd, &u);
	/* The sub-ops that return something write the whole struct back. */
	if (!ret && (cmd == EVTCHNOP_alloc_unbound ||
		     cmd == EVTCHNOP_bind_interdomain ||
		     cmd == EVTCHNOP_bind_virq || cmd == EVTCHNOP_bind_ipi ||
		     cmd == EVTCHNOP_status) &&
	    xenhv_copy_to_guest(c, arg, &u, size))
		return -EFAULT;
	return ret;
}

/* A virtual IRQ happened on @vcpu (VIRQ_TIMER) or for the domain (global). */
void xenhv_evtchn_send_virq(unsigned int vcpu, unsigned int virq)
{
	unsigned long flags;
	int kick_vcpu = -1;
	evtchn_port_t port;

	if (virq >= XENHV_NR_VIRQS || vcpu >= xenhv_ec.nr_vcpus)
		return;
	spin_lock_irqsave(&xenhv_ec.lock, flags);
	if (virq_is_global(virq))
		vcpu = 0;
	port = xenhv_ec.virq_port[vcpu][virq];
	if (port)
		kick_vcpu = xenhv_evtchn_raise(port, virq_is_global(virq) ?
				       xenhv_evtchn_chan(port)->notify_vcpu : vcpu);
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	xenhv_evtchn_kick(kick_vcpu);
}

/*
 * For SCHEDOP_poll: 1 if one of @ports is pending, 0 if none is, -EINVAL
 * for a port out of range (Xen's evtchn_port_poll()).
 */
long xenhv_evtchn_poll_ready(const evtchn_port_t *ports, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!xenhv_evtchn_port_valid(ports[i]))
			return -EINVAL;
		if (xenhv_ec.ops->is_pending(array_index_nospec(ports[i],
								XENHV_EVTCHN_NR)))
			return 1;
	}
	return 0;
}

/* Ports in use, for status output. */
unsigned int xenhv_evtchn_ports_in_use(void)
{
	unsigned int p, n = 0;
	unsigned long flags;

	spin_lock_irqsave(&xenhv_ec.lock, flags);
	for (p = 1; p < xenhv_ec.valid; p++)
		n += xenhv_evtchn_chan(p)->state != ECS_FREE;
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	return n;
}

/*
 * One port's state for debugfs (a stalled stream's lost event shows as a
 * port pending and unmasked that no upcall took); false if @port is free.
 */
bool xenhv_evtchn_port_info(evtchn_port_t port, struct xenhv_evtchn_info *info)
{
	const struct xenhv_evtchn *ch;
	unsigned long flags;
	bool used = false;

	spin_lock_irqsave(&xenhv_ec.lock, flags);
	if (xenhv_evtchn_port_valid(port)) {
		ch = xenhv_evtchn_chan(port);
		used = ch->state != ECS_FREE;
		info->state = ch->state;
		info->remote_dom = ch->remote_dom;
		info->remote_port = ch->remote_port;
		info->vcpu = ch->notify_vcpu;
		info->pending = xenhv_ec.ops->is_pending(port);
		info->masked = xenhv_ec.ops->is_masked(port);
		info->consumer = ch->fire;
		info->mask_on_fire = ch->mask_on_fire;
		info->refs = ch->refs;
	}
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	return used;
}
