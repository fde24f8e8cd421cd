// SPDX-License-Identifier: GPL-2.0
/* Xen's 2-level event channels (4096 ports) over an emulated shared_info page. */
#include "compat.h"

/* Xen's per-channel states (xen/include/xen/sched.h ECS_*). */
enum {
	ECS_FREE,
	ECS_RESERVED,
	ECS_UNBOUND,
	ECS_INTERDOMAIN,
	ECS_PIRQ,
	ECS_VIRQ,
	ECS_IPI,
};

/* Xen allocates channel structures in buckets; ports past the last are invalid. */
#define XENHV_EVTCHN_BUCKET	64
#define XENHV_EVTCHN_WORD_BITS	(sizeof(xen_ulong_t) * 8)
/* vCPUs whose vcpu_info lives in shared_info (Xen's XEN_LEGACY_MAX_VCPUS). */
#define XENHV_LEGACY_VCPUS	ARRAY_SIZE(((struct shared_info *)NULL)->vcpu_info)

struct xenhv_evtchn {
	u8 state;
	u16 remote_dom;		/* UNBOUND, INTERDOMAIN */
	u32 remote_port;	/* INTERDOMAIN: a local port, or a Hyper-V connection */
	u32 virq;		/* VIRQ */
	u32 notify_vcpu;
	xenhv_evtchn_fire_t fire;	/* who takes the upcall for this port */
	void *owner;
	bool mask_on_fire;	/* Linux's lateeoi: masked until the owner unmasks */
	u16 refs;		/* unmap notifications that will send on it */
	bool close_pending;	/* its owner let go; closes when refs reach 0 */
};

static struct {
	/* protects every field below and the state of every port */
	spinlock_t lock;
	struct shared_info *si;
	struct vcpu_info *extra_vcpu_info;	/* vCPUs past shared_info's 32 */
	struct vcpu_info **moved;	/* per vCPU: VCPUOP_register_vcpu_info's area, or NULL */
	u16 (*virq_port)[XENHV_NR_VIRQS];	/* per vCPU */
	unsigned int nr_vcpus;
	unsigned int valid;
	u16 root_port[XENHV_ROOT_CONNECTIONS];	/* Hyper-V connection -> port */
	struct xenhv_evtchn port[XENHV_EVTCHN_NR];
} ec = {
	.lock = __SPIN_LOCK_UNLOCKED(ec.lock),
};

struct xenhv_evtchn_counters xenhv_evtchn_stats;

static unsigned long *pending_words(void)
{
	return (unsigned long *)ec.si->evtchn_pending;
}

static unsigned long *mask_words(void)
{
	return (unsigned long *)ec.si->evtchn_mask;
}

static struct vcpu_info *vcpu_info_of(unsigned int vcpu)
{
	struct vcpu_info *moved = READ_ONCE(ec.moved[vcpu]);

	if (moved)
		return moved;
	if (vcpu < XENHV_LEGACY_VCPUS)
		return &ec.si->vcpu_info[vcpu];
	return &ec.extra_vcpu_info[vcpu - XENHV_LEGACY_VCPUS];
}

int xenhv_evtchn_init(struct shared_info *si, unsigned int nr_vcpus)
{
	unsigned int extra = nr_vcpus > XENHV_LEGACY_VCPUS ?
			     nr_vcpus - XENHV_LEGACY_VCPUS : 0;

	ec.virq_port = xs_zalloc(nr_vcpus * sizeof(*ec.virq_port));
	ec.moved = xs_zalloc(nr_vcpus * sizeof(*ec.moved));
	if (extra)
		ec.extra_vcpu_info = xs_zalloc(extra * sizeof(struct vcpu_info));
	if (!ec.virq_port || !ec.moved || (extra && !ec.extra_vcpu_info)) {
		xenhv_evtchn_exit();
		return -ENOMEM;
	}
	ec.si = si;
	ec.nr_vcpus = nr_vcpus;
	memset(ec.port, 0, sizeof(ec.port));
	memset(ec.root_port, 0, sizeof(ec.root_port));
	/* Port 0 is never handed out; the first bucket exists from the start. */
	ec.port[0].state = ECS_RESERVED;
	ec.valid = XENHV_EVTCHN_BUCKET;
	/* A Linux guest on Xen masks every port at boot and unmasks on bind. */
	memset(ec.si->evtchn_mask, 0xff, sizeof(ec.si->evtchn_mask));
	return 0;
}

void xenhv_evtchn_exit(void)
{
	xs_free(ec.extra_vcpu_info);
	xs_free(ec.virq_port);
	xs_free(ec.moved);
	ec.extra_vcpu_info = NULL;
	ec.virq_port = NULL;
	ec.moved = NULL;
	ec.si = NULL;
}

/* Where @vcpu's vcpu_info lives now (time updates write its pvclock there). */
struct vcpu_info *xenhv_evtchn_vcpu_info(unsigned int vcpu)
{
	return vcpu < ec.nr_vcpus ? vcpu_info_of(vcpu) : NULL;
}

bool xenhv_evtchn_vcpu_info_moved(unsigned int vcpu)
{
	return vcpu < ec.nr_vcpus && READ_ONCE(ec.moved[vcpu]);
}

/*
 * VCPUOP_register_vcpu_info: @vcpu's vcpu_info moves to @to for good. As
 * Xen's map_vcpu_info() does, the old contents come along and then every
 * selector bit and the upcall flag are set, so an event that raced with the
 * move is found by the next upcall, which runs at once.
 */
int xenhv_evtchn_move_vcpu_info(unsigned int vcpu, struct vcpu_info *to)
{
	unsigned long flags;

	if (vcpu >= ec.nr_vcpus)
		return -ENOENT;
	spin_lock_irqsave(&ec.lock, flags);
	if (ec.moved[vcpu]) {
		spin_unlock_irqrestore(&ec.lock, flags);
		return -EINVAL;
	}
	memcpy(to, vcpu_info_of(vcpu), sizeof(*to));
	WRITE_ONCE(to->evtchn_pending_sel, ~(xen_ulong_t)0);
	WRITE_ONCE(to->evtchn_upcall_pending, 1);
	WRITE_ONCE(ec.moved[vcpu], to);
	spin_unlock_irqrestore(&ec.lock, flags);
	xenhv_compat.ops->evtchn_kick(vcpu);
	return 0;
}

static bool port_valid(evtchn_port_t port)
{
	return port < ec.valid;
}

static struct xenhv_evtchn *chan(evtchn_port_t port)
{
	return &ec.port[array_index_nospec(port, XENHV_EVTCHN_NR)];
}

/* Xen's get_free_port(): the lowest free port, growing by a bucket if needed. */
static long get_free_port(void)
{
	unsigned int p;

	for (p = 1; p < XENHV_EVTCHN_NR; p++) {
		if (p >= ec.valid)
			ec.valid += XENHV_EVTCHN_BUCKET;
		if (ec.port[p].state == ECS_FREE) {
			ec.port[p].notify_vcpu = 0;
			return p;
		}
	}
	return -ENOSPC;
}

/*
 * Xen's 2-level set_pending: one pending bit per port (a second send before
 * delivery coalesces), and an upcall only for a newly pending unmasked port.
 * Returns the vCPU to kick, or -1. Caller holds ec.lock.
 */
static int raise_port(evtchn_port_t port, unsigned int vcpu)
{
	struct vcpu_info *vi = vcpu_info_of(vcpu);

	if (test_and_set_bit(port, pending_words())) {
		atomic64_inc(&xenhv_evtchn_stats.coalesced);
		return -1;
	}
	/* SCHEDOP_poll waits on the pending bit, masked or not. */
	if (xenhv_compat.ops->poll_wake)
		xenhv_compat.ops->poll_wake();
	if (test_bit(port, mask_words()))
		return -1;
	if (test_and_set_bit(port / XENHV_EVTCHN_WORD_BITS,
			     (unsigned long *)&vi->evtchn_pending_sel))
		return -1;
	if (xchg(&vi->evtchn_upcall_pending, 1))
		return -1;
	return vcpu;
}

static void kick(int vcpu)
{
	if (vcpu >= 0)
		xenhv_compat.ops->evtchn_kick(vcpu);
}

/* Return a port to ECS_FREE; its peer (if local) waits unbound again. */
static void close_port(evtchn_port_t port)
{
	struct xenhv_evtchn *ch = chan(port);
	unsigned int v;

	switch (ch->state) {
	case ECS_INTERDOMAIN:
		if (ch->remote_dom == 0) {
			ec.root_port[ch->remote_port] = 0;
		} else {
			struct xenhv_evtchn *peer = chan(ch->remote_port);

			peer->state = ECS_UNBOUND;
			peer->remote_dom = (u16)xenhv_compat.domid;
		}
		break;
	case ECS_VIRQ:
		for (v = 0; v < ec.nr_vcpus; v++)
			if (ec.virq_port[v][ch->virq] == port)
				ec.virq_port[v][ch->virq] = 0;
		break;
	default:
		break;
	}
	/* Xen clears the pending bit so a later rebind starts clean. */
	clear_bit(port, pending_words());
	memset(ch, 0, sizeof(*ch));
}

static long evtchn_alloc_unbound(struct evtchn_alloc_unbound *a)
{
	long port;

	if (!xenhv_is_self(a->dom))
		return xenhv_not_ours(a->dom);
	port = get_free_port();
	if (port < 0)
		return port;
	chan(port)->state = ECS_UNBOUND;
	chan(port)->remote_dom = a->remote_dom == DOMID_SELF ?
				 (u16)xenhv_compat.domid : a->remote_dom;
	a->port = port;
	return 0;
}

/* Domain 0 is the root partition: remote port C is Hyper-V event connection C. */
static long bind_root(struct evtchn_bind_interdomain *b, int *kick_vcpu)
{
	u32 conn = b->remote_port;
	long port;

	if (!xenhv_compat.root_events || conn == 0 ||
	    conn >= XENHV_ROOT_CONNECTIONS || ec.root_port[conn])
		return -EINVAL;
	port = get_free_port();
	if (port < 0)
		return port;
	chan(port)->state = ECS_INTERDOMAIN;
	chan(port)->remote_dom = 0;
	chan(port)->remote_port = conn;
	ec.root_port[conn] = port;
	b->local_port = port;
	*kick_vcpu = raise_port(port, 0);
	return 0;
}

static long evtchn_bind_interdomain(struct evtchn_bind_interdomain *b,
				    int *kick_vcpu)
{
	evtchn_port_t rport = b->remote_port;
	struct xenhv_evtchn *rch, *lch;
	long lport;

	if (b->remote_dom == 0)
		return bind_root(b, kick_vcpu);
	if (!xenhv_is_self(b->remote_dom))
		return -ESRCH;
	lport = get_free_port();
	if (lport < 0)
		return lport;
	if (!port_valid(rport))
		return -EINVAL;
	rch = chan(rport);
	if (rch->state != ECS_UNBOUND || rch->remote_dom != xenhv_compat.domid)
		return -EINVAL;
	lch = chan(lport);
	lch->state = ECS_INTERDOMAIN;
	lch->remote_dom = (u16)xenhv_compat.domid;
	lch->remote_port = rport;
	rch->state = ECS_INTERDOMAIN;
	rch->remote_dom = (u16)xenhv_compat.domid;
	rch->remote_port = lport;
	b->local_port = lport;
	/* Xen: notifications sent to the unbound port may be lost; raise one. */
	*kick_vcpu = raise_port(lport, lch->notify_vcpu);
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
	if (vcpu >= ec.nr_vcpus)
		return -ENOENT;
	if (ec.virq_port[vcpu][virq])
		return -EEXIST;
	port = get_free_port();
	if (port < 0)
		return port;
	chan(port)->state = ECS_VIRQ;
	chan(port)->virq = virq;
	chan(port)->notify_vcpu = vcpu;
	ec.virq_port[vcpu][virq] = port;
	b->port = port;
	return 0;
}

static long evtchn_bind_ipi(struct evtchn_bind_ipi *b)
{
	long port;

	if (b->vcpu >= ec.nr_vcpus)
		return -ENOENT;
	port = get_free_port();
	if (port < 0)
		return port;
	chan(port)->state = ECS_IPI;
	chan(port)->notify_vcpu = b->vcpu;
	b->port = port;
	return 0;
}

static long evtchn_close(evtchn_port_t port)
{
	if (!port_valid(port))
		return -EINVAL;
	switch (chan(port)->state) {
	case ECS_FREE:
	case ECS_RESERVED:
		return -EINVAL;
	default:
		close_port(port);
		return 0;
	}
}

/* Sends to a root connection leave the lock first: HvSignalEvent may be slow. */
static long evtchn_send(evtchn_port_t port, int *kick_vcpu, u32 *root_conn)
{
	struct xenhv_evtchn *ch, *peer;

	if (!port_valid(port))
		return -EINVAL;
	ch = chan(port);
	switch (ch->state) {
	case ECS_INTERDOMAIN:
		if (ch->remote_dom == 0) {
			*root_conn = ch->remote_port;
			return 0;
		}
		peer = chan(ch->remote_port);
		*kick_vcpu = raise_port(ch->remote_port, peer->notify_vcpu);
		return 0;
	case ECS_IPI:
		*kick_vcpu = raise_port(port, ch->notify_vcpu);
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
	if (!port_valid(s->port))
		return -EINVAL;
	ch = chan(s->port);
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

/* Xen's 2-level unmask: a port that became pending while masked fires now. */
static int unmask_port(evtchn_port_t port)
{
	struct vcpu_info *vi = vcpu_info_of(chan(port)->notify_vcpu);

	if (!test_and_clear_bit(port, mask_words()) ||
	    !test_bit(port, pending_words()) ||
	    test_and_set_bit(port / XENHV_EVTCHN_WORD_BITS,
			     (unsigned long *)&vi->evtchn_pending_sel) ||
	    xchg(&vi->evtchn_upcall_pending, 1))
		return -1;
	return chan(port)->notify_vcpu;
}

static long evtchn_bind_vcpu(struct evtchn_bind_vcpu *b, int *kick_vcpu)
{
	struct xenhv_evtchn *ch;

	if (b->vcpu >= ec.nr_vcpus)
		return -ENOENT;
	if (!port_valid(b->port))
		return -EINVAL;
	ch = chan(b->port);
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
	if (test_bit(b->port, pending_words()) &&
	    !test_bit(b->port, mask_words())) {
		set_bit(b->port, mask_words());
		*kick_vcpu = unmask_port(b->port);
	}
	return 0;
}

static long evtchn_reset(domid_t dom)
{
	evtchn_port_t p;

	if (!xenhv_is_self(dom))
		return xenhv_not_ours(dom);
	for (p = 1; p < ec.valid; p++)
		if (ec.port[p].state != ECS_FREE)
			close_port(p);
	return 0;
}

/* One sub-op with its argument struct already copied in; ec.lock is held. */
static long evtchn_op_locked(int cmd, void *arg, int *kick_vcpu, u32 *root_conn)
{
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
		if (!port_valid(((struct evtchn_unmask *)arg)->port))
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

	spin_lock_irqsave(&ec.lock, flags);
	ret = evtchn_op_locked(cmd, arg, &kick_vcpu, &root_conn);
	spin_unlock_irqrestore(&ec.lock, flags);
	kick(kick_vcpu);
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

/*
 * A consumer takes the upcall for a bound port (a /dev/xen/evtchn file, a
 * kernel module). Attaching unmasks the port, as Linux does when it binds an
 * event channel to an IRQ, so an event that came before it is delivered now.
 */
int xenhv_evtchn_attach(evtchn_port_t port, xenhv_evtchn_fire_t fire,
			void *owner, bool mask_on_fire)
{
	struct xenhv_evtchn *ch;
	unsigned long flags;
	int kick_vcpu = -1, ret = 0;

	spin_lock_irqsave(&ec.lock, flags);
	ch = port_valid(port) ? chan(port) : NULL;
	if (!ch || ch->state == ECS_FREE || ch->state == ECS_RESERVED)
		ret = -EINVAL;
	else if (ch->fire)
		ret = -EBUSY;
	if (!ret) {
		ch->fire = fire;
		ch->owner = owner;
		ch->mask_on_fire = mask_on_fire;
		/*
		 * Masked first: an event that came while the port was unmasked
		 * with nobody to take it is raised again by the unmask.
		 */
		set_bit(port, mask_words());
		kick_vcpu = unmask_port(port);
	}
	spin_unlock_irqrestore(&ec.lock, flags);
	kick(kick_vcpu);
	return ret;
}

/* True if @owner still holds @port (it may have been closed under it). */
static bool owns(evtchn_port_t port, void *owner)
{
	return port_valid(port) && chan(port)->fire && chan(port)->owner == owner;
}

/*
 * Detach and close a port @owner bound. Returns -ENOTCONN when somebody
 * closed it meanwhile. The caller waits for running upcalls (see
 * xenhv_evtchn_sync in the kernel) before it frees what @owner points to.
 */
int xenhv_evtchn_release(evtchn_port_t port, void *owner)
{
	unsigned long flags;
	int ret = -ENOTCONN;

	spin_lock_irqsave(&ec.lock, flags);
	if (owns(port, owner)) {
		/* As Linux masks a port when it unbinds its IRQ. */
		set_bit(port, mask_words());
		chan(port)->fire = NULL;
		chan(port)->owner = NULL;
		/* A pending unmap notification still sends on it: close later. */
		if (chan(port)->refs)
			chan(port)->close_pending = true;
		else
			close_port(port);
		ret = 0;
	}
	spin_unlock_irqrestore(&ec.lock, flags);
	return ret;
}

/*
 * Linux's evtchn_get()/evtchn_put(): an unmap notification holds the port
 * it will send on, so that closing its /dev/xen/evtchn file (a dying
 * process closes everything) leaves the port open until the notify went.
 */
int xenhv_evtchn_get(evtchn_port_t port)
{
	unsigned long flags;
	int ret = -EINVAL;

	spin_lock_irqsave(&ec.lock, flags);
	if (port_valid(port) && chan(port)->state != ECS_FREE &&
	    chan(port)->state != ECS_RESERVED && !chan(port)->close_pending &&
	    chan(port)->refs < U16_MAX) {
		chan(port)->refs++;
		ret = 0;
	}
	spin_unlock_irqrestore(&ec.lock, flags);
	return ret;
}

void xenhv_evtchn_put(evtchn_port_t port)
{
	unsigned long flags;

	spin_lock_irqsave(&ec.lock, flags);
	if (port_valid(port) && chan(port)->refs &&
	    !--chan(port)->refs && chan(port)->close_pending)
		close_port(port);
	spin_unlock_irqrestore(&ec.lock, flags);
}

/* EVTCHNOP_send for a port @owner holds; -ENOTCONN otherwise. */
int xenhv_evtchn_notify(evtchn_port_t port, void *owner)
{
	struct evtchn_send send = { .port = port };
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&ec.lock, flags);
	ok = owns(port, owner);
	spin_unlock_irqrestore(&ec.lock, flags);
	return ok ? xenhv_evtchn_op(EVTCHNOP_send, &send) : -ENOTCONN;
}

void xenhv_evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask unmask = { .port = port };

	xenhv_evtchn_op(EVTCHNOP_unmask, &unmask);
}

/*
 * The upcall, run on @vcpu with interrupts off (from its SynIC interrupt, or
 * directly when the sender is on the same vCPU): Linux's 2-level scan of
 * pending_sel, then of each selected word's pending and unmasked ports. Each
 * port is cleared before its consumer runs, so an event sent meanwhile comes
 * again (once it is unmasked, for a mask_on_fire consumer); ports of other
 * vCPUs and ports nobody consumes stay pending.
 */
void xenhv_evtchn_upcall(unsigned int vcpu)
{
	struct vcpu_info *vi;
	unsigned long sel, bits, w, b;
	xenhv_evtchn_fire_t fire;
	evtchn_port_t port;
	void *owner;

	if (vcpu >= ec.nr_vcpus)
		return;
	vi = vcpu_info_of(vcpu);
	atomic64_inc(&xenhv_evtchn_stats.upcalls);
	do {
		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		sel = xchg((unsigned long *)&vi->evtchn_pending_sel, 0UL);
		while (sel) {
			w = __ffs(sel);
			sel &= sel - 1;
			bits = READ_ONCE(pending_words()[w]) &
			       ~READ_ONCE(mask_words()[w]);
			while (bits) {
				b = __ffs(bits);
				bits &= bits - 1;
				port = w * XENHV_EVTCHN_WORD_BITS + b;
				spin_lock(&ec.lock);
				fire = chan(port)->fire;
				owner = chan(port)->owner;
				if (!fire || chan(port)->notify_vcpu != vcpu)
					fire = NULL;
				/* Like Linux's lateeoi ack: mask, then clear. */
				else if (chan(port)->mask_on_fire)
					set_bit(port, mask_words());
				if (fire && !test_and_clear_bit(port, pending_words()))
					fire = NULL;
				spin_unlock(&ec.lock);
				if (fire) {
					atomic64_inc(&xenhv_evtchn_stats.delivered);
					fire(port, owner);
				}
			}
		}
	} while (READ_ONCE(vi->evtchn_upcall_pending));
}

/* A virtual IRQ happened on @vcpu (VIRQ_TIMER) or for the domain (global). */
void xenhv_evtchn_send_virq(unsigned int vcpu, unsigned int virq)
{
	unsigned long flags;
	int kick_vcpu = -1;
	evtchn_port_t port;

	if (virq >= XENHV_NR_VIRQS || vcpu >= ec.nr_vcpus)
		return;
	spin_lock_irqsave(&ec.lock, flags);
	if (virq_is_global(virq))
		vcpu = 0;
	port = ec.virq_port[vcpu][virq];
	if (port)
		kick_vcpu = raise_port(port, virq_is_global(virq) ?
				       chan(port)->notify_vcpu : vcpu);
	spin_unlock_irqrestore(&ec.lock, flags);
	kick(kick_vcpu);
}

/* The root partition set the event flag of Hyper-V connection @conn. */
void xenhv_evtchn_root_event(u32 conn)
{
	unsigned long flags;
	int kick_vcpu = -1;
	evtchn_port_t port;

	if (conn >= XENHV_ROOT_CONNECTIONS)
		return;
	spin_lock_irqsave(&ec.lock, flags);
	port = ec.root_port[conn];
	if (port) {
		atomic64_inc(&xenhv_evtchn_stats.root_events);
		kick_vcpu = raise_port(port, chan(port)->notify_vcpu);
	} else {
		atomic64_inc(&xenhv_evtchn_stats.root_unbound);
	}
	spin_unlock_irqrestore(&ec.lock, flags);
	kick(kick_vcpu);
}

/*
 * For SCHEDOP_poll: 1 if one of @ports is pending, 0 if none is, -EINVAL
 * for a port out of range (Xen's evtchn_port_poll()).
 */
long xenhv_evtchn_poll_ready(const evtchn_port_t *ports, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!port_valid(ports[i]))
			return -EINVAL;
		if (test_bit(array_index_nospec(ports[i], XENHV_EVTCHN_NR),
			     pending_words()))
			return 1;
	}
	return 0;
}

/* Ports in use, for status output. */
unsigned int xenhv_evtchn_ports_in_use(void)
{
	unsigned int p, n = 0;
	unsigned long flags;

	spin_lock_irqsave(&ec.lock, flags);
	for (p = 1; p < ec.valid; p++)
		n += ec.port[p].state != ECS_FREE;
	spin_unlock_irqrestore(&ec.lock, flags);
	return n;
}
