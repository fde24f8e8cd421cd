// SPDX-License-Identifier: GPL-2.0
/* Ports bound to domain 0, the root partition: remote port C is Hyper-V event connection C. */
#include "evtchn.h"

/* EVTCHNOP_bind_interdomain to domain 0; xenhv_ec.lock is held. */
long xenhv_evtchn_bind_root(struct evtchn_bind_interdomain *b, int *kick_vcpu)
{
	u32 conn = b->remote_port;
	struct xenhv_evtchn *ch;
	long port;

	lockdep_assert_held(&xenhv_ec.lock);
	if (!xenhv_compat.root_events || conn == 0 ||
	    conn >= XENHV_ROOT_CONNECTIONS || xenhv_ec.root_port[conn])
		return -EINVAL;
	port = xenhv_evtchn_get_free_port();
	if (port < 0)
		return port;
	ch = xenhv_evtchn_chan(port);
	ch->state = ECS_INTERDOMAIN;
	ch->remote_dom = 0;
	ch->remote_port = conn;
	xenhv_ec.root_port[conn] = port;
	b->local_port = port;
	*kick_vcpu = xenhv_evtchn_raise(port, 0);
	return 0;
}

/* The port @ch closes: its connection is free for another bind. */
void xenhv_evtchn_unbind_root(struct xenhv_evtchn *ch)
{
	lockdep_assert_held(&xenhv_ec.lock);
	xenhv_ec.root_port[ch->remote_port] = 0;
}

/* The root partition set the event flag of Hyper-V connection @conn. */
void xenhv_evtchn_root_event(u32 conn)
{
	unsigned long flags;
	int kick_vcpu = -1;
	evtchn_port_t port;

	if (conn >= XENHV_ROOT_CONNECTIONS)
		return;
	spin_lock_irqsave(&xenhv_ec.lock, flags);
	port = xenhv_ec.root_port[conn];
	if (port) {
		atomic64_inc(&xenhv_evtchn_stats.root_events);
		kick_vcpu = xenhv_evtchn_raise(port,
					       xenhv_evtchn_chan(port)->notify_vcpu);
	} else {
		atomic64_inc(&xenhv_evtchn_stats.root_unbound);
	}
	spin_unlock_irqrestore(&xenhv_ec.lock, flags);
	xenhv_evtchn_kick(kick_vcpu);
}
