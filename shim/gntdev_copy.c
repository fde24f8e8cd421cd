// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/gntdev's GRANT_COPY: copies through grants, gathered and done in batches. */
#include "xenhv.h"

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../xen-compat/compat.h"
/* After compat.h: the uapi header needs xen.h's domid_t and grant_ref_t. */
#include <xen/gntdev.h>

/*
 * Operations are gathered and done together: one pass under the grant
 * table's lock, as Linux's gntdev batches them into one hypercall, and the
 * caller's pages pinned a run of neighbours at a time (a buffer is usually
 * contiguous), rather than a page per operation.
 */
#define XENHV_COPY_BATCH	16

struct xenhv_copy_batch {
	struct gnttab_copy ops[XENHV_COPY_BATCH];
	void *src[XENHV_COPY_BATCH], *dst[XENHV_COPY_BATCH];
	unsigned long upage[XENHV_COPY_BATCH];	/* the op's local page in the caller */
	bool local[XENHV_COPY_BATCH];		/* it has one */
	bool write[XENHV_COPY_BATCH];		/* that page is its destination */
	bool first[XENHV_COPY_BATCH];		/* it begins its segment */
	s16 __user *status[XENHV_COPY_BATCH];	/* its segment's status */
	u8 pidx[XENHV_COPY_BATCH];		/* its page in pages[] */
	struct page *pages[XENHV_COPY_BATCH];	/* pinned, in runs */
	struct {
		u8 start, count;
		bool write;
	} run[XENHV_COPY_BATCH];
	unsigned int nr, nr_runs;
};

/*
 * Pins the local pages of the gathered ops, each run of ops on the same or
 * the next page in one call. Returns 0, or -EFAULT with *@ready the first
 * op whose page could not be pinned (those before it can be done).
 */
static int xenhv_copy_pin(struct xenhv_copy_batch *b, unsigned int *ready)
{
	unsigned int i = 0, j, np = 0, n, k;
	unsigned long first, last;
	int got;

	b->nr_runs = 0;
	*ready = b->nr;
	while (i < b->nr) {
		if (!b->local[i]) {
			i++;
			continue;
		}
		first = b->upage[i];
		last = first;
		for (j = i + 1; j < b->nr && b->local[j] && b->write[j] == b->write[i] &&
		     (b->upage[j] == last || b->upage[j] == last + PAGE_SIZE); j++)
			last = b->upage[j];
		n = (last - first) / PAGE_SIZE + 1;
		got = pin_user_pages_fast(first, n, b->write[i] ? FOLL_WRITE : 0,
					  &b->pages[np]);
		got = max(got, 0);
		if (got) {
			b->run[b->nr_runs].start = np;
			b->run[b->nr_runs].count = got;
			b->run[b->nr_runs].write = b->write[i];
			b->nr_runs++;
		}
		for (; i < j; i++) {
			k = (b->upage[i] - first) / PAGE_SIZE;
			if (k >= got) {
				*ready = i;
				return -EFAULT;
			}
			b->pidx[i] = np + k;
		}
		np += got;
	}
	return 0;
}

/*
 * Does the gathered operations (up to a fault). A segment's status is its
 * first failed operation, as Linux's gntdev reports it: every operation of
 * a segment is tried. The segment at a fault says GNTST_bad_virt_addr.
 */
static int xenhv_copy_flush(struct xenhv_copy_batch *b)
{
	unsigned int i, ready;
	int rc, urc = 0;
	struct page *pg;
	s16 old, st;

	if (!b->nr)
		return 0;
	rc = xenhv_copy_pin(b, &ready);
	for (i = 0; i < ready; i++) {
		b->src[i] = NULL;
		b->dst[i] = NULL;
		if (!b->local[i])
			continue;
		pg = b->pages[b->pidx[i]];
		if (b->write[i])
			b->dst[i] = kmap_local_page(pg);
		else
			b->src[i] = kmap_local_page(pg);
	}
	xenhv_gnttab_copy_batch(b->ops, ready, b->src, b->dst);
	/* kmap_local mappings end in the reverse order of their making. */
	for (i = ready; i-- > 0;)
		if (b->local[i])
			kunmap_local(b->write[i] ? b->dst[i] : b->src[i]);
	for (i = 0; i < b->nr_runs; i++)
		unpin_user_pages_dirty_lock(&b->pages[b->run[i].start],
					    b->run[i].count, b->run[i].write);
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

/* Side @dest of @seg, @done bytes in: a grant as it is; local memory cut at its page's end. */
static void xenhv_copy_operand(const struct gntdev_grant_copy_segment *seg,
			       bool dest, u16 done, xenhv_gnttab_copy_ptr *p,
			       u16 *len, unsigned long *upage)
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
	*upage = addr & PAGE_MASK;
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
		b->upage[i] = 0;
		xenhv_copy_operand(seg, false, done, &op->source, &len, &b->upage[i]);
		xenhv_copy_operand(seg, true, done, &op->dest, &len, &b->upage[i]);
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
