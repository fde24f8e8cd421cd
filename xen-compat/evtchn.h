/* SPDX-License-Identifier: GPL-2.0 */
/* Event channels' private state, shared by ports, delivery, consumers, vcpu_info and root files. */
#ifndef _XENHV_EVTCHN_H
#define _XENHV_EVTCHN_H

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

/*
 * Xen allocates channel structures in buckets on first use; ports past the
 * last bucket are invalid. An idle domain holds one bucket, not 4096 ports.
 */
#define XENHV_EVTCHN_BUCKET	64
#define XENHV_EVTCHN_BUCKETS	(XENHV_EVTCHN_NR / XENHV_EVTCHN_BUCKET)

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

/*
 * One delivery ABI (Xen's evtchn_port_ops): how a port is marked pending
 * or masked in guest memory and how the guest's upcall finds it. Only the
 * 2-level ABI exists (evtchn_2l.c); FIFO would be a second table. Every op
 * but upcall runs with xenhv_ec.lock held, interrupts off.
 */
struct xenhv_evtchn_port_ops {
	/* A fresh domain: every port masked, as a Linux guest expects. */
	void (*init)(void);
	/* Mark @port pending for @vcpu; the vCPU to kick, or -1. */
	int (*set_pending)(evtchn_port_t port, unsigned int vcpu);
	/* Clear @port's pending bit; whether it was set. */
	bool (*clear_pending)(evtchn_port_t port);
	bool (*is_pending)(evtchn_port_t port);
	bool (*is_masked)(evtchn_port_t port);
	void (*mask)(evtchn_port_t port);
	/* Unmask @port; if it is pending, the vCPU (@vcpu) to kick, or -1. */
	int (*unmask)(evtchn_port_t port, unsigned int vcpu);
	/* The guest side, on @vcpu in hard interrupt context, lock not held. */
	void (*upcall)(unsigned int vcpu);
};

extern const struct xenhv_evtchn_port_ops xenhv_evtchn_2l_ops;

/* The domain's event channels. */
struct xenhv_evtchn_domain {
	/* protects every field below and the state of every port */
	spinlock_t lock;
	const struct xenhv_evtchn_port_ops *ops;
	struct shared_info *si;
	struct vcpu_info *extra_vcpu_info;	/* vCPUs past shared_info's 32 */
	struct vcpu_info **moved;	/* per vCPU: VCPUOP_register_vcpu_info's area, or NULL */
	u16 (*virq_port)[XENHV_NR_VIRQS];	/* per vCPU */
	unsigned int nr_vcpus;
	unsigned int valid;	/* ports below this have their bucket allocated */
	u16 root_port[XENHV_ROOT_CONNECTIONS];	/* Hyper-V connection -> port */
	struct xenhv_evtchn *bucket[XENHV_EVTCHN_BUCKETS];
};

extern struct xenhv_evtchn_domain xenhv_ec;

static inline bool xenhv_evtchn_port_valid(evtchn_port_t port)
{
	return port < xenhv_ec.valid;
}

/* Only for a port that passed xenhv_evtchn_port_valid(): its bucket exists. */
static inline struct xenhv_evtchn *xenhv_evtchn_chan(evtchn_port_t port)
{
	port = array_index_nospec(port, XENHV_EVTCHN_NR);
	return &xenhv_ec.bucket[port / XENHV_EVTCHN_BUCKET][port % XENHV_EVTCHN_BUCKET];
}

/* evtchn.c: raise @port for @vcpu; the vCPU to kick, or -1. */
int xenhv_evtchn_raise(evtchn_port_t port, unsigned int vcpu);
long xenhv_evtchn_get_free_port(void);
void xenhv_evtchn_kick(int vcpu);
void xenhv_evtchn_close_port(evtchn_port_t port);

/* vcpu_info.c: where each vCPU's vcpu_info lives. */
int xenhv_vcpu_info_init(unsigned int nr_vcpus);
void xenhv_vcpu_info_exit(void);
struct vcpu_info *xenhv_vcpu_info_of(unsigned int vcpu);

/* evtchn_root.c: ports bound to root-partition connections (domain 0). */
long xenhv_evtchn_bind_root(struct evtchn_bind_interdomain *b, int *kick_vcpu);
void xenhv_evtchn_unbind_root(struct xenhv_evtchn *ch);

/* evtchn_consumer.c: the consumer's half of an upcall for @port on @vcpu. */
void xenhv_evtchn_deliver(evtchn_port_t port, unsigned int vcpu);

#endif /* _XENHV_EVTCHN_H */
