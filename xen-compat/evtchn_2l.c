// SPDX-License-Identifier: GPL-2.0
/* Xen's 2-level event delivery: pending and mask bitmaps in shared_info, selector, upcall scan. */
#include "evtchn.h"

#define XENHV_EVTCHN_WORD_BITS	(sizeof(xen_ulong_t) * 8)

static unsigned long *pending_words(void)
{
	return (unsigned long *)xenhv_ec.si->evtchn_pending;
}

static unsigned long *mask_words(void)
{
	return (unsigned long *)xenhv_ec.si->evtchn_mask;
}

/* A Linux guest on Xen masks every port at boot and unmasks on bind. */
static void evtchn_2l_init(void)
{
	memset(xenhv_ec.si->evtchn_mask, 0xff, sizeof(xenhv_ec.si->evtchn_mask));
}

/*
 * Select @port's word on @vcpu and raise its upcall; the vCPU to kick, or
 * -1 when the selector bit or the upcall flag was already set (an upcall
 * is on its way and will find the port).
 */
static int select_word(evtchn_port_t port, unsigned int vcpu)
{
	struct vcpu_info *vi = xenhv_vcpu_info_of(vcpu);

	if (test_and_set_bit(port / XENHV_EVTCHN_WORD_BITS,
			     (unsigned long *)&vi->evtchn_pending_sel))
		return -1;
	if (xchg(&vi->evtchn_upcall_pending, 1))
		return -1;
	return vcpu;
}

/*
 * Xen's evtchn_2l_set_pending: one pending bit per port (a second send
 * before delivery coalesces), and an upcall only for a newly pending
 * unmasked port.
 */
static int evtchn_2l_set_pending(evtchn_port_t port, unsigned int vcpu)
{
	lockdep_assert_held(&xenhv_ec.lock);
	if (test_and_set_bit(port, pending_words())) {
		atomic64_inc(&xenhv_evtchn_stats.coalesced);
		return -1;
	}
	/* SCHEDOP_poll waits on the pending bit, masked or not. */
	if (xenhv_compat.ops->poll_wake)
		xenhv_compat.ops->poll_wake();
	if (test_bit(port, mask_words()))
		return -1;
	return select_word(port, vcpu);
}

static bool evtchn_2l_clear_pending(evtchn_port_t port)
{
	return test_and_clear_bit(port, pending_words());
}

static bool evtchn_2l_is_pending(evtchn_port_t port)
{
	return test_bit(port, pending_words());
}

static bool evtchn_2l_is_masked(evtchn_port_t port)
{
	return test_bit(port, mask_words());
}

static void evtchn_2l_mask(evtchn_port_t port)
{
	set_bit(port, mask_words());
}

/* Xen's 2-level unmask: a port that became pending while masked fires now. */
static int evtchn_2l_unmask(evtchn_port_t port, unsigned int vcpu)
{
	lockdep_assert_held(&xenhv_ec.lock);
	if (!test_and_clear_bit(port, mask_words()) ||
	    !test_bit(port, pending_words()))
		return -1;
	return select_word(port, vcpu);
}

/*
 * The upcall, run on @vcpu with interrupts off (from its SynIC interrupt, or
 * directly when the sender is on the same vCPU): Linux's 2-level scan of
 * pending_sel, then of each selected word's pending and unmasked ports.
 * Each port goes to its consumer (which clears it first), so an event sent
 * meanwhile comes again; ports of other vCPUs and ports nobody consumes
 * stay pending.
 */
static void evtchn_2l_upcall(unsigned int vcpu)
{
	struct vcpu_info *vi = xenhv_vcpu_info_of(vcpu);
	unsigned long sel, bits, w, b;

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
				xenhv_evtchn_deliver(w * XENHV_EVTCHN_WORD_BITS + b,
						     vcpu);
			}
		}
	} while (READ_ONCE(vi->evtchn_upcall_pending));
}

const struct xenhv_evtchn_port_ops xenhv_evtchn_2l_ops = {
	.init = evtchn_2l_init,
	.set_pending = evtchn_2l_set_pending,
	.clear_pending = evtchn_2l_clear_pending,
	.is_pending = evtchn_2l_is_pending,
	.is_masked = evtchn_2l_is_masked,
	.mask = evtchn_2l_mask,
	.unmask = evtchn_2l_unmask,
	.upcall = evtchn_2l_upcall,
};
