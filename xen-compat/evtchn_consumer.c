// SPDX-License-Identifier: GPL-2.0
/* Who takes a port's events: consumer bindings, refcounts, the upcall's delivery to them. */
#include "evtchn.h"

/*
 * A consumer takes the upcall for a bound port (a /dev/xen/evtchn file, a
 * kernel module). Attaching unmasks the port, as Linux does when it binds an
 * event channel to an IRQ, so an event that came before it is delivered now.
 */
int xenhv_evtchn_attach(evtchn_port_t port, xenhv_evtchn_fire_t fire,
			void *owner, bool mask_on_fire)
{
	const struct xenhv_evtchn_port_ops *ops = xenhv_ec.ops;
	struct xenhv_evtchn *ch;
	unsigned long flags;
	int kick_vcpu = -1, ret = 0;

	spin_lock_irqsave(&xenhv_ec.lock, flags);
	ch = xenhv_evtchn_port_valid(port) ? xenhv_evtchn_chan(port) : NULL;
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
		ops->mask(port);
		kick_vcpu = ops->unmask(port, ch->notify_vcpu);
	}
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	xenhv_evtchn_kick(kick_vcpu);
	return ret;
}

/* True if @owner still holds @port (it may have been closed under it). */
static bool owns(evtchn_port_t port, void *owner)
{
	lockdep_assert_held(&xenhv_ec.lock);
	return xenhv_evtchn_port_valid(port) && xenhv_evtchn_chan(port)->fire &&
	       xenhv_evtchn_chan(port)->owner == owner;
}

/*
 * Detach and close a port @owner bound. Returns -ENOTCONN when somebody
 * closed it meanwhile. The caller waits for running upcalls (see
 * xenhv_evtchn_sync in the kernel) before it frees what @owner points to.
 */
int xenhv_evtchn_release(evtchn_port_t port, void *owner)
{
	struct xenhv_evtchn *ch;
	unsigned long flags;
	int ret = -ENOTCONN;

	spin_lock_irqsave(&xenhv_ec.lock, flags);
	if (owns(port, owner)) {
		ch = xenhv_evtchn_chan(port);
		/* As Linux masks a port when it unbinds its IRQ. */
		xenhv_ec.ops->mask(port);
		ch->fire = NULL;
		ch->owner = NULL;
		/* A pending unmap notification still sends on it: close later. */
		if (ch->refs)
			ch->close_pending = true;
		else
			xenhv_evtchn_close_port(port);
		ret = 0;
	}
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	return ret;
}

/*
 * Linux's evtchn_get()/evtchn_put(): an unmap notification holds the port
 * it will send on, so that closing its /dev/xen/evtchn file (a dying
 * process closes everything) leaves the port open until the notify went.
 */
int xenhv_evtchn_get(evtchn_port_t port)
{
	struct xenhv_evtchn *ch;
	unsigned long flags;
	int ret = -EINVAL;

	spin_lock_irqsave(&xenhv_ec.lock, flags);
	ch = xenhv_evtchn_port_valid(port) ? xenhv_evtchn_chan(port) : NULL;
	if (ch && ch->state != ECS_FREE &&
	    ch->state != ECS_RESERVED && !ch->close_pending &&
	    ch->refs < U16_MAX) {
		ch->refs++;
		ret = 0;
	}
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	return ret;
}

void xenhv_evtchn_put(evtchn_port_t port)
{
	struct xenhv_evtchn *ch;
	unsigned long flags;

	spin_lock_irqsave(&xenhv_ec.lock, flags);
	ch = xenhv_evtchn_port_valid(port) ? xenhv_evtchn_chan(port) : NULL;
	if (ch && ch->refs &&
	    !--ch->refs && ch->close_pending)
		xenhv_evtchn_close_port(port);
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
}

/* EVTCHNOP_send for a port @owner holds; -ENOTCONN otherwise. */
int xenhv_evtchn_notify(evtchn_port_t port, void *owner)
{
	struct evtchn_send send = { .port = port };
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&xenhv_ec.lock, flags);
	ok = owns(port, owner);
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	return ok ? xenhv_evtchn_op(EVTCHNOP_send, &send) : -ENOTCONN;
}

void xenhv_evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask unmask = { .port = port };

	xenhv_evtchn_op(EVTCHNOP_unmask, &unmask);
}

/*
 * The consumer's half of an upcall on @vcpu for pending, unmasked @port:
 * the port is cleared before its consumer runs, so an event sent meanwhile
 * comes again (once it is unmasked, for a mask_on_fire consumer). A port
 * nobody consumes, or bound to another vCPU, stays pending.
 */
void xenhv_evtchn_deliver(evtchn_port_t port, unsigned int vcpu)
{
	const struct xenhv_evtchn_port_ops *ops = xenhv_ec.ops;
	struct xenhv_evtchn *ch;
	xenhv_evtchn_fire_t fire = NULL;
	void *owner = NULL;

	spin_lock(&xenhv_ec.lock);
	/* A pending bit past the valid ports (guest memory) has no channel. */
	ch = xenhv_evtchn_port_valid(port) ? xenhv_evtchn_chan(port) : NULL;
	if (ch) {
		fire = ch->fire;
		owner = ch->owner;
	}
	if (!fire || ch->notify_vcpu != vcpu)
		fire = NULL;
	/* Like Linux's lateeoi ack: mask, then clear. */
	else if (ch->mask_on_fire)
		ops->mask(port);
	if (fire && !ops->clear_pending(port))
		fire = NULL;
	spin_unlock(&xenhv_ec.lock);
	if (fire) {
		atomic64_inc(&xenhv_evtchn_stats.delivered);
		fire(port, owner);
	}
}

/* The upcall on @vcpu, with interrupts off: the delivery ABI's scan. */
void xenhv_evtchn_upcall(unsigned int vcpu)
{
	if (vcpu >= xenhv_ec.nr_vcpus)
		return;
	atomic64_inc(&xenhv_evtchn_stats.upcalls);
	xenhv_ec.ops->upcall(vcpu);
}
