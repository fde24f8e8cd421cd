// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/gntdev's GRANT_COPY: copies through grants, gathered and done in batches. */
#include "xenhv.h"

#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../xen-compat/compat.h"
/* After compat.h: the uapi header needs xen.h's domid_t and grant_ref_t. */
#include <xen/gntdev.h>

/*
 * Operations are gathered and done together: their grants pinned in one
 * pass under the grant table's lock, as Linux's gntdev batches them into one
 * hypercall, then copied without it. The caller's side of each is copied
 * with copy_to_user()/copy_from_user() like any read() or write(): no page
 * of the caller's is pinned, marked dirty and unpinned per operation, and a
 * fault there is taken like any other (nothing of ours is locked by then).
 */
#define XENHV_COPY_BATCH	16

struct xenhv_copy_batch {
	struct gnttab_copy ops[XENHV_COPY_BATCH];
	u8 *src[XENHV_COPY_BATCH], *dst[XENHV_COPY_BATCH];	/* grant sides */
	void __user *uaddr[XENHV_COPY_BATCH];	/* the op's local side, if any */
	bool local[XENHV_COPY_BATCH];		/* it has one */
	bool write[XENHV_COPY_BATCH];		/* the local side is its destination */
	bool first[XENHV_COPY_BATCH];		/* it begins its segment */
	s16 __user *status[XENHV_COPY_BATCH];	/* its segment's status */
	unsigned int nr;
};

/* The copy of op @i, whose grants are pinned; -EFAULT when its local side faults. */
static int xenhv_copy_op(struct xenhv_copy_batch *b, unsigned int i)
{
	const struct gnttab_copy *op = &b->ops[i];

	if (!b->local[i]) {
		memmove(b->dst[i] + op->dest.offset, b->src[i] + op->source.offset,
			op->len);
		return 0;
	}
	if (b->write[i])
		return copy_to_user(b->uaddr[i], b->src[i] + op->source.offset,
				    op->len) ? -EFAULT : 0;
	return copy_from_user(b->dst[i] + op->dest.offset, b->uaddr[i],
			      op->len) ? -EFAULT : 0;
}

/*
 * Does the gathered operations (up to a fault). A segment's status is its
 * first failed operation, as Linux's gntdev reports it: every operation of
 * a segment is tried. The segment at a fault says GNTST_bad_virt_addr.
 */
static int xenhv_copy_flush(struct xenhv_copy_batch *b)
{
	unsigned int i, ready, copied = 0;
	int rc = 0, urc = 0;
	s16 old, st;

	if (!b->nr)
		return 0;
	xenhv_gnttab_copy_acquire(b->ops, b->nr, b->src, b->dst);
	for (ready = 0; ready < b->nr; ready++) {
		if (b->ops[ready].status != GNTST_okay)
			continue;
		rc = xenhv_copy_op(b, ready);
		if (rc)
			break;
		copied++;
	}
	xenhv_gnttab_copy_release(b->ops, b->nr, copied);
	for (i = 0; i < ready && !urc; i++) {
		st = b->ops[i].status;
		if (b->first[i]) {
			urc = put_user(st, b->status[i]);
			continue;
		}
		if (st == GNTST_okay)
			continue;
		urc = get_user(old, b->status[i]);
		if (!urc && old == GNTST_okay)
			urc = put_user(st, b->status[i]);
	}
	if (rc && !urc)
		urc = put_user((s16)GNTST_bad_virt_addr, b->status[ready]);
	b->nr = 0;
	return rc ?: urc;
}

/*
 * Side @dest of @seg, @done bytes in: a grant as it is; local memory cut at
 * its page's end (an op never spans two of the caller's pages, so a fault
 * stops the copy at a page, as Xen's copy of a frame would).
 */
static void xenhv_copy_operand(const struct gntdev_grant_copy_segment *seg,
			       bool dest, u16 done, xenhv_gnttab_copy_ptr *p,
			       u16 *len, void __user **uaddr)
{
	typeof(seg->source) *side = dest ? &seg->dest : &seg->source;
	unsigned long addr;

	if (seg->flags & (dest ? GNTCOPY_dest_gref : GNTCOPY_source_gref)) {
		p->u.ref = side->foreign.ref;
		p->domid = side->foreign.domid;
		p->offset = side->foreign.offset + done;
		return;
	}
	addr = (unsigned long)side->virt + done;
	*len = min_t(unsigned long, *len, PAGE_SIZE - offset_in_page(addr));
	*uaddr = (void __user *)addr;
	p->domid = DOMID_SELF;
	p->offset = offset_in_page(addr);
}

/* One segment of GRANT_COPY, split at the local side's page boundaries. */
static int xenhv_copy_seg(struct xenhv_copy_batch *b,
			  const struct gntdev_grant_copy_segment *seg,
			  s16 __user *status)
{
	bool src_ref = seg->flags & GNTCOPY_source_gref;
	bool dst_ref = seg->flags & GNTCOPY_dest_gref;
	struct gnttab_copy *op;
	u16 done = 0, len;
	unsigned int i;
	int rc;

	/* Local to local is a memcpy, not a grant copy (Linux refuses it too). */
	if (!src_ref && !dst_ref)
		return -EINVAL;
	if ((src_ref && seg->source.foreign.offset + seg->len > PAGE_SIZE) ||
	    (dst_ref && seg->dest.foreign.offset + seg->len > PAGE_SIZE))
		return -EINVAL;
	/* Nothing to copy: the segment is done, as in Linux. */
	if (!seg->len)
		return put_user((s16)GNTST_okay, status);
	while (done < seg->len) {
		if (b->nr == XENHV_COPY_BATCH) {
			rc = xenhv_copy_flush(b);
			if (rc)
				return rc;
		}
		i = b->nr;
		op = &b->ops[i];
		memset(op, 0, sizeof(*op));
		len = seg->len - done;
		op->flags = seg->flags & (GNTCOPY_source_gref | GNTCOPY_dest_gref);
		b->uaddr[i] = NULL;
		xenhv_copy_operand(seg, false, done, &op->source, &len, &b->uaddr[i]);
		xenhv_copy_operand(seg, true, done, &op->dest, &len, &b->uaddr[i]);
		op->len = len;
		b->local[i] = !src_ref || !dst_ref;
		b->write[i] = src_ref;
		b->first[i] = !done;
		b->status[i] = status;
		b->nr++;
		done += len;
	}
	return 0;
}

/*
 * IOCTL_GNTDEV_GRANT_COPY. @cache holds the file's batch between calls
 * (taken, so two threads of one file never share it).
 */
long xenhv_gntdev_grant_copy(struct xenhv_copy_batch **cache, void __user *u)
{
	struct ioctl_gntdev_grant_copy __user *uc = u;
	struct ioctl_gntdev_grant_copy copy;
	struct gntdev_grant_copy_segment seg;
	struct xenhv_copy_batch *b;
	unsigned int i;
	int rc = 0, done;

	if (copy_from_user(&copy, uc, sizeof(copy)))
		return -EFAULT;
	if (!copy.count)
		return 0;
	b = xchg(cache, NULL);
	if (!b)
		b = kmalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->nr = 0;
	for (i = 0; i < copy.count && !rc; i++) {
		if (copy_from_user(&seg, &copy.segments[i], sizeof(seg)))
			rc = -EFAULT;
		else
			rc = xenhv_copy_seg(b, &seg, &copy.segments[i].status);
		cond_resched();
	}
	/* What was gathered before a failure is done too: its statuses say so. */
	done = xenhv_copy_flush(b);
	if (cmpxchg(cache, NULL, b))
		kfree(b);
	return rc ?: done;
}
