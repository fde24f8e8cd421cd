// SPDX-License-Identifier: GPL-2.0
/* GNTTABOP_copy: one op under the grant table's lock, or a batch's grants pinned for gntdev. */
#include "compat.h"
#include "gnttab.h"

/*
 * One side of a copy. A grant side pins the entry for the copy's length;
 * a local side is a frame of ours: @local when the caller resolved it (gntdev
 * pins the user's page), else the gmfn, which only a kernel caller may name.
 */
static int copy_side(const struct xenhv_call *c, u16 fl, u32 gref_flag,
		     xenhv_gnttab_copy_ptr *p, bool dest, void *local,
		     u8 **va, bool *pinned)
{
	u64 gfn;
	int st;

	*pinned = false;
	if (!(fl & gref_flag)) {
		if (local) {
			*va = local;
			return GNTST_okay;
		}
		if (!c || !c->mem->kernel)
			return GNTST_permission_denied;
		gfn = p->u.gmfn;
	} else {
		st = xenhv_gnttab_pin(p->domid, p->u.ref, !dest, &gfn);
		if (st != GNTST_okay)
			return st;
		*pinned = true;
	}
	*va = xenhv_compat.ops->frame_va(gfn);
	if (!*va) {
		if (*pinned)
			xenhv_gnttab_unpin(p->u.ref, !dest);
		*pinned = false;
		return GNTST_bad_page;
	}
	return GNTST_okay;
}

/*
 * Xen's gnttab_copy_lock_domain(): a frame operand must say DOMID_SELF
 * literally (else GNTST_permission_denied); a grant operand names the
 * granter, which here can only be us.
 */
static int copy_domain(bool gref, domid_t dom)
{
	if (!gref)
		return dom == DOMID_SELF ? GNTST_okay : GNTST_permission_denied;
	return xenhv_is_self(dom) ? GNTST_okay : GNTST_bad_domain;
}

/* Xen's order: the domains first, then the arguments (the buffers come later). */
static s16 copy_check(const struct gnttab_copy *op)
{
	int st;

	st = copy_domain(op->flags & GNTCOPY_source_gref, op->source.domid);
	if (st == GNTST_okay)
		st = copy_domain(op->flags & GNTCOPY_dest_gref, op->dest.domid);
	if (st != GNTST_okay)
		return st;
	if (op->len > PAGE_SIZE || op->source.offset > PAGE_SIZE - op->len ||
	    op->dest.offset > PAGE_SIZE - op->len)
		return GNTST_bad_copy_arg;
	return GNTST_okay;
}

/* One checked op's buffers and copy; the caller holds xenhv_gnttab_lock. */
static s16 copy_locked(const struct xenhv_call *c, struct gnttab_copy *op,
		       void *src_local, void *dst_local)
{
	bool src_pin = false, dst_pin = false;
	u8 *src = NULL, *dst = NULL;
	int st;

	lockdep_assert_held(&xenhv_gnttab_lock);
	st = copy_side(c, op->flags, GNTCOPY_source_gref, &op->source, false,
		       src_local, &src, &src_pin);
	if (st == GNTST_okay)
		st = copy_side(c, op->flags, GNTCOPY_dest_gref, &op->dest, true,
			       dst_local, &dst, &dst_pin);
	if (st == GNTST_okay) {
		memmove(dst + op->dest.offset, src + op->source.offset, op->len);
		atomic64_inc(&xenhv_gnttab_stats.copies);
	}
	if (src_pin)
		xenhv_gnttab_unpin(op->source.u.ref, true);
	if (dst_pin)
		xenhv_gnttab_unpin(op->dest.u.ref, false);
	return st;
}

/* GNTTABOP_copy of one op; @src_local/@dst_local as for copy_side(). */
s16 xenhv_gnttab_copy_one(const struct xenhv_call *c, struct gnttab_copy *op,
			  void *src_local, void *dst_local)
{
	unsigned long flags;
	s16 st;

	st = copy_check(op);
	if (st != GNTST_okay)
		return st;
	spin_lock_irqsave(&xenhv_gnttab_lock, flags);
	st = copy_locked(c, op, src_local, dst_local);
	spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
	return st;
}

/* An op's grant sides pinned, their kernel addresses in *@src and *@dst. */
static s16 acquire_locked(struct gnttab_copy *op, u8 **src, u8 **dst)
{
	bool src_pin = false, dst_pin = false;
	int st = GNTST_okay;

	lockdep_assert_held(&xenhv_gnttab_lock);
	*src = NULL;
	*dst = NULL;
	if (op->flags & GNTCOPY_source_gref)
		st = copy_side(NULL, op->flags, GNTCOPY_source_gref, &op->source,
			       false, NULL, src, &src_pin);
	if (st == GNTST_okay && (op->flags & GNTCOPY_dest_gref))
		st = copy_side(NULL, op->flags, GNTCOPY_dest_gref, &op->dest,
			       true, NULL, dst, &dst_pin);
	if (st != GNTST_okay && src_pin)
		xenhv_gnttab_unpin(op->source.u.ref, true);
	return st;
}

/*
 * The grant sides of @n ops of a kernel caller (gntdev), checked and pinned
 * in one pass under the lock, so that the caller copies without it, to and
 * from its user's memory directly: @src[i] and @dst[i] are the kernel
 * addresses of op i's grant sides (NULL for its local side), and each op's
 * status is set as Xen sets it. Each op left GNTST_okay holds its pins
 * until xenhv_gnttab_copy_release(); the granter's end waits for them.
 */
void xenhv_gnttab_copy_acquire(struct gnttab_copy *ops, unsigned int n,
			       u8 **src, u8 **dst)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < n; i++)
		ops[i].status = copy_check(&ops[i]);
	spin_lock_irqsave(&xenhv_gnttab_lock, flags);
	for (i = 0; i < n; i++)
		if (ops[i].status == GNTST_okay)
			ops[i].status = acquire_locked(&ops[i], &src[i], &dst[i]);
	spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
}

/* Lets go of what xenhv_gnttab_copy_acquire() pinned; @copied ops are counted. */
void xenhv_gnttab_copy_release(const struct gnttab_copy *ops, unsigned int n,
			       unsigned int copied)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&xenhv_gnttab_lock, flags);
	for (i = 0; i < n; i++) {
		if (ops[i].status != GNTST_okay)
			continue;
		if (ops[i].flags & GNTCOPY_source_gref)
			xenhv_gnttab_unpin(ops[i].source.u.ref, true);
		if (ops[i].flags & GNTCOPY_dest_gref)
			xenhv_gnttab_unpin(ops[i].dest.u.ref, false);
	}
	spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
	atomic64_add(copied, &xenhv_gnttab_stats.copies);
}
