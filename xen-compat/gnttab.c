// SPDX-License-Identifier: GPL-2.0
/* Xen's v1 grant table: entries, the flag protocol, pins, and grant_table_op. */
#include "compat.h"
#include "gnttab.h"

#define XENHV_GNTTAB_PER_FRAME	(PAGE_SIZE / sizeof(struct grant_entry_v1))
#define XENHV_GNTTAB_MAX_REFS	(XENHV_GNTTAB_MAX_FRAMES * XENHV_GNTTAB_PER_FRAME)

/* What Xen keeps beside each entry: how many mappings pin it, and how. */
struct xenhv_gnt_active {
	u16 pin_ro, pin_rw;
};

/*
 * protects gt and the grant entries' flags; a spinlock with interrupts off,
 * as Xen's API is called from event handlers
 */
DEFINE_SPINLOCK(xenhv_gnttab_lock);

static struct {
	unsigned int nr_frames;		/* frames in use; grows up to the max */
	struct grant_entry_v1 *frame[XENHV_GNTTAB_MAX_FRAMES];
	struct xenhv_gnt_active *active[XENHV_GNTTAB_MAX_FRAMES];
	/* refs xenhv itself handed out (gntalloc, the kernel API) */
	unsigned long used[XENHV_GNTTAB_MAX_REFS / (8 * sizeof(unsigned long))];
} gt;

struct xenhv_gnttab_counters xenhv_gnttab_stats;

static struct grant_entry_v1 *entry(grant_ref_t ref)
{
	return &gt.frame[ref / XENHV_GNTTAB_PER_FRAME][ref % XENHV_GNTTAB_PER_FRAME];
}

static struct xenhv_gnt_active *active(grant_ref_t ref)
{
	return &gt.active[ref / XENHV_GNTTAB_PER_FRAME][ref % XENHV_GNTTAB_PER_FRAME];
}

static unsigned int nr_refs(void)
{
	return gt.nr_frames * XENHV_GNTTAB_PER_FRAME;
}

/*
 * Xen's gnttab_grow_table(): frames up to @frames, each zeroed (every entry
 * invalid). Called without xenhv_gnttab_lock: the memory is allocated outside it,
 * without sleeping for a caller that may not sleep.
 */
static int grow(unsigned int frames)
{
	bool atomic = !xenhv_may_sleep();
	struct xenhv_gnt_active *act;
	struct grant_entry_v1 *frame;
	unsigned long flags;
	unsigned int f;

	if (frames > XENHV_GNTTAB_MAX_FRAMES)
		return -ENOSPC;
	while (READ_ONCE(gt.nr_frames) < frames) {
		act = xenhv_zalloc(XENHV_GNTTAB_PER_FRAME * sizeof(*act), atomic);
		frame = xenhv_compat.ops->frame_alloc(atomic);
		if (!act || !frame) {
			xenhv_free(act);
			if (frame)
				xenhv_compat.ops->frame_free(frame);
			return -ENOMEM;
		}
		spin_lock_irqsave(&xenhv_gnttab_lock, flags);
		f = gt.nr_frames;
		if (f < frames) {
			gt.active[f] = act;
			gt.frame[f] = frame;
			/* A frame is there before the count that lets it be used. */
			smp_wmb();
			WRITE_ONCE(gt.nr_frames, f + 1);
			act = NULL;
			frame = NULL;
		}
		spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
		/* Another caller grew the table meanwhile. */
		xenhv_free(act);
		if (frame)
			xenhv_compat.ops->frame_free(frame);
	}
	return 0;
}

int xenhv_gnttab_init(void)
{
	unsigned long flags;

	spin_lock_irqsave(&xenhv_gnttab_lock, flags);
	memset(gt.used, 0, sizeof(gt.used));
	/* Linux on Xen keeps the first refs for the toolstack (console, store). */
	memset(gt.used, 0xff, XENHV_GNTTAB_RESERVED / 8);
	spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
	return grow(1);
}

void xenhv_gnttab_exit(void)
{
	unsigned int f;

	for (f = 0; f < gt.nr_frames; f++) {
		xenhv_compat.ops->frame_free(gt.frame[f]);
		xenhv_free(gt.active[f]);
		gt.frame[f] = NULL;
		gt.active[f] = NULL;
	}
	gt.nr_frames = 0;
}

/*
 * Grant @domid access to frame @gfn (what Linux's
 * gnttab_grant_foreign_access() does in a guest): the lowest free ref,
 * growing the table when it is full. Returns the ref or -ENOSPC.
 */
long xenhv_gnttab_grant(domid_t domid, u64 gfn, bool readonly)
{
	struct grant_entry_v1 *e;
	unsigned long flags;
	unsigned int ref;
	int ret;

	/* A v1 entry holds 32 bits of frame: a higher one cannot be granted. */
	if (gfn > U32_MAX)
		return -EINVAL;
	for (;;) {
		spin_lock_irqsave(&xenhv_gnttab_lock, flags);
		ref = find_next_zero_bit(gt.used, XENHV_GNTTAB_MAX_REFS,
					 XENHV_GNTTAB_RESERVED);
		if (ref < nr_refs())
			break;
		spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
		if (ref == XENHV_GNTTAB_MAX_REFS)
			return -ENOSPC;
		ret = grow(ref / XENHV_GNTTAB_PER_FRAME + 1);
		if (ret)
			return ret;
	}
	set_bit(ref, gt.used);
	e = entry(ref);
	e->domid = domid;
	e->frame = (u32)gfn;
	/* The entry's frame and domid before the flags that make it valid. */
	smp_wmb();
	WRITE_ONCE(e->flags, GTF_permit_access | (readonly ? GTF_readonly : 0));
	atomic64_inc(&xenhv_gnttab_stats.grants);
	spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
	return ref;
}

/*
 * Revoke @ref (Linux's gnttab_end_foreign_access_ref()): impossible while a
 * mapping holds it (GTF_reading/GTF_writing): -EBUSY, and the granter must
 * keep the page until it can. 0 once revoked and the ref is free again.
 */
int xenhv_gnttab_end(grant_ref_t ref)
{
	unsigned long flags;
	int ret = -EINVAL;

	spin_lock_irqsave(&xenhv_gnttab_lock, flags);
	/* The toolstack's refs were never ours to grant or end. */
	if (ref < XENHV_GNTTAB_RESERVED || ref >= nr_refs() ||
	    !test_bit(ref, gt.used))
		goto unlock;
	ret = -EBUSY;
	if (READ_ONCE(entry(ref)->flags) & (GTF_reading | GTF_writing))
		goto unlock;
	WRITE_ONCE(entry(ref)->flags, 0);
	clear_bit(ref, gt.used);
	atomic64_inc(&xenhv_gnttab_stats.revoked);
	ret = 0;
unlock:
	spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
	return ret;
}

/*
 * Xen's map-time checks on the granter's entry (_set_status_v1 and the
 * active pin): valid, granted to us, writable if a writable pin is asked.
 * Returns a GNTST_* code.
 */
int xenhv_gnttab_pin(domid_t dom, grant_ref_t ref, bool readonly, u64 *gfn)
{
	struct grant_entry_v1 *e;
	struct xenhv_gnt_active *a;
	u16 fl;

	lockdep_assert_held(&xenhv_gnttab_lock);
	if (!xenhv_is_self(dom))
		return GNTST_bad_domain;
	if (ref >= nr_refs())
		return GNTST_bad_gntref;
	ref = array_index_nospec(ref, nr_refs());
	e = entry(ref);
	a = active(ref);
	fl = READ_ONCE(e->flags);
	if ((fl & GTF_type_mask) != GTF_permit_access ||
	    e->domid != (domid_t)xenhv_compat.domid)
		return GNTST_general_error;
	if (!readonly && (fl & GTF_readonly))
		return GNTST_general_error;
	if ((readonly ? a->pin_ro : a->pin_rw) == U16_MAX)
		return GNTST_no_space;
	if (readonly)
		a->pin_ro++;
	else
		a->pin_rw++;
	fl |= GTF_reading | (readonly ? 0 : GTF_writing);
	WRITE_ONCE(e->flags, fl);
	*gfn = e->frame;
	return GNTST_okay;
}

/* Lets go of one pin that xenhv_gnttab_pin() gave, under the lock. */
void xenhv_gnttab_unpin(grant_ref_t ref, bool readonly)
{
	struct grant_entry_v1 *e = entry(ref);
	struct xenhv_gnt_active *a = active(ref);
	u16 fl = READ_ONCE(e->flags);

	lockdep_assert_held(&xenhv_gnttab_lock);
	if (readonly && a->pin_ro)
		a->pin_ro--;
	else if (!readonly && a->pin_rw)
		a->pin_rw--;
	if (!a->pin_rw)
		fl &= ~GTF_writing;
	if (!a->pin_rw && !a->pin_ro)
		fl &= ~GTF_reading;
	WRITE_ONCE(e->flags, fl);
}

/* A mapping of @ref granted by @dom (gntdev): GNTST_okay and the frame, or why not. */
int xenhv_gnttab_map(domid_t dom, grant_ref_t ref, bool readonly, u64 *gfn)
{
	unsigned long flags;
	int st;

	spin_lock_irqsave(&xenhv_gnttab_lock, flags);
	st = xenhv_gnttab_pin(dom, ref, readonly, gfn);
	spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
	if (st == GNTST_okay)
		atomic64_inc(&xenhv_gnttab_stats.maps);
	return st;
}

void xenhv_gnttab_unmap(grant_ref_t ref, bool readonly)
{
	unsigned long flags;

	spin_lock_irqsave(&xenhv_gnttab_lock, flags);
	if (ref < nr_refs())
		xenhv_gnttab_unpin(ref, readonly);
	spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
}

/* struct gnttab_setup_table / get_status_frames of the 64-bit ABI. */
struct xenhv_setup_table {
	domid_t dom;
	u16 pad;
	u32 nr_frames;
	s16 status;
	u16 pad2[3];
	u64 frame_list;
};

/* Another domain's table: XSM refuses domain 0, others do not exist. */
static s16 foreign_status(domid_t dom)
{
	return dom == 0 ? GNTST_permission_denied : GNTST_bad_domain;
}

static long setup_table(struct xenhv_call *c, xen_ulong_t uop)
{
	struct xenhv_setup_table op;
	xen_pfn_t gfn;
	unsigned int i;

	if (xenhv_copy_from_guest(c, &op, uop, sizeof(op)))
		return -EFAULT;
	op.status = GNTST_okay;
	if (!xenhv_is_self(op.dom)) {
		op.status = foreign_status(op.dom);
	} else if (c->unprivileged) {
		/* Its frames are the kernel's and its entries every user's. */
		op.status = GNTST_permission_denied;
	} else if (op.nr_frames > XENHV_GNTTAB_MAX_FRAMES) {
		op.status = GNTST_general_error;
	} else if (grow(op.nr_frames)) {
		op.status = GNTST_general_error;
	}
	for (i = 0; op.status == GNTST_okay && i < op.nr_frames; i++) {
		gfn = xenhv_compat.ops->frame_gfn(gt.frame[i]);
		if (xenhv_copy_to_guest(c, op.frame_list + i * sizeof(gfn),
					&gfn, sizeof(gfn)))
			op.status = GNTST_bad_virt_addr;
	}
	return xenhv_copy_to_guest(c, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long query_size(struct xenhv_call *c, xen_ulong_t uop)
{
	struct gnttab_query_size op;

	if (xenhv_copy_from_guest(c, &op, uop, sizeof(op)))
		return -EFAULT;
	if (!xenhv_is_self(op.dom)) {
		op.status = foreign_status(op.dom);
	} else {
		op.nr_frames = READ_ONCE(gt.nr_frames);
		op.max_nr_frames = XENHV_GNTTAB_MAX_FRAMES;
		op.status = GNTST_okay;
	}
	return xenhv_copy_to_guest(c, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long copy_ops(struct xenhv_call *c, xen_ulong_t uop, unsigned int count)
{
	struct gnttab_copy op;
	unsigned int i;

	for (i = 0; i < count; i++, uop += sizeof(op)) {
		if (xenhv_copy_from_guest(c, &op, uop, sizeof(op)))
			return -EFAULT;
		op.status = xenhv_gnttab_copy_one(c, &op, NULL, NULL);
		if (xenhv_copy_to_guest(c, uop, &op, sizeof(op)))
			return -EFAULT;
		if (xenhv_call_resched(c))
			return -EINTR;
	}
	return 0;
}

/*
 * map/unmap_grant_ref as hypercalls would put a granted frame at a guest
 * physical address, replacing RAM the guest kernel owns: a guest-side
 * emulation cannot. Each op fails with a status; /dev/xen/gntdev maps.
 */
static long map_ops(struct xenhv_call *c, int cmd, xen_ulong_t uop,
		    unsigned int count)
{
	struct gnttab_map_grant_ref map;
	struct gnttab_unmap_grant_ref unmap;
	size_t size = cmd == GNTTABOP_map_grant_ref ? sizeof(map) : sizeof(unmap);
	unsigned int i;

	for (i = 0; i < count; i++, uop += size) {
		if (cmd == GNTTABOP_map_grant_ref) {
			if (xenhv_copy_from_guest(c, &map, uop, size))
				return -EFAULT;
			map.status = GNTST_general_error;
			map.handle = ~0U;
			if (xenhv_copy_to_guest(c, uop, &map, size))
				return -EFAULT;
		} else {
			if (xenhv_copy_from_guest(c, &unmap, uop, size))
				return -EFAULT;
			unmap.status = GNTST_bad_handle;
			if (xenhv_copy_to_guest(c, uop, &unmap, size))
				return -EFAULT;
		}
	}
	return 0;
}

/*
 * GNTTABOP_swap_grant_ref: exchange two entries, neither mapped (Xen's
 * GNTST_eagain otherwise); the same ref twice is a no-op.
 */
static s16 swap_refs(grant_ref_t a, grant_ref_t b)
{
	struct grant_entry_v1 tmp;

	if (a >= nr_refs() || b >= nr_refs())
		return GNTST_bad_gntref;
	a = array_index_nospec(a, nr_refs());
	b = array_index_nospec(b, nr_refs());
	if (active(a)->pin_ro || active(a)->pin_rw ||
	    active(b)->pin_ro || active(b)->pin_rw)
		return GNTST_eagain;
	/*
	 * Refs xenhv handed out belong to their owner's bookkeeping (gntalloc
	 * frees a page when its ref ends): moving them would let a freed page
	 * stay granted.
	 */
	if (test_bit(a, gt.used) || test_bit(b, gt.used))
		return GNTST_general_error;
	tmp = *entry(a);
	*entry(a) = *entry(b);
	*entry(b) = tmp;
	return GNTST_okay;
}

static long swap_ops(struct xenhv_call *c, xen_ulong_t uop, unsigned int count)
{
	struct gnttab_swap_grant_ref op;
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < count; i++, uop += sizeof(op)) {
		if (xenhv_copy_from_guest(c, &op, uop, sizeof(op)))
			return -EFAULT;
		spin_lock_irqsave(&xenhv_gnttab_lock, flags);
		op.status = swap_refs(op.ref_a, op.ref_b);
		spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
		if (xenhv_copy_to_guest(c, uop, &op, sizeof(op)))
			return -EFAULT;
	}
	return 0;
}

long xenhv_do_grant_table_op(struct xenhv_call *c, unsigned int cmd,
			     xen_ulong_t uop, unsigned int count)
{
	struct gnttab_set_version sv;
	struct gnttab_get_version gv;
	long ret;

	/*
	 * Xen's hvm_grant_table_op() lets an HVM guest use these only; the
	 * rest (get_status_frames included) is ENOSYS before anything else.
	 */
	switch (cmd) {
	case GNTTABOP_copy:
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
	case GNTTABOP_swap_grant_ref:
	case GNTTABOP_setup_table:
	case GNTTABOP_query_size:
	case GNTTABOP_set_version:
	case GNTTABOP_get_version:
		break;
	default:
		return -ENOSYS;
	}
	if ((int)count < 0)
		return -EINVAL;

	switch (cmd) {
	case GNTTABOP_copy:
		return copy_ops(c, uop, count);
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
		return map_ops(c, cmd, uop, count);
	case GNTTABOP_swap_grant_ref:
		return swap_ops(c, uop, count);
	case GNTTABOP_setup_table:
		/* Xen handles exactly one of these two per call. */
		return count == 1 ? setup_table(c, uop) : -EINVAL;
	case GNTTABOP_query_size:
		return count == 1 ? query_size(c, uop) : -EINVAL;
	case GNTTABOP_set_version:
		if (xenhv_copy_from_guest(c, &sv, uop, sizeof(sv)))
			return -EFAULT;
		/* Only v1 is offered: v2 is refused as before set_version existed. */
		ret = sv.version == 1 ? 0 : sv.version == 2 ? -ENOSYS : -EINVAL;
		sv.version = 1;
		return xenhv_copy_to_guest(c, uop, &sv, sizeof(sv)) ? -EFAULT : ret;
	default:	/* GNTTABOP_get_version */
		if (xenhv_copy_from_guest(c, &gv, uop, sizeof(gv)))
			return -EFAULT;
		if (!xenhv_is_self(gv.dom))
			return xenhv_not_ours(gv.dom);
		gv.version = 1;
		return xenhv_copy_to_guest(c, uop, &gv, sizeof(gv)) ? -EFAULT : 0;
	}
}

/* Entries in use, for status output. */
unsigned int xenhv_gnttab_in_use(void)
{
	unsigned int ref, n = 0;
	unsigned long flags;

	spin_lock_irqsave(&xenhv_gnttab_lock, flags);
	for (ref = XENHV_GNTTAB_RESERVED; ref < nr_refs(); ref++)
		n += test_bit(ref, gt.used) ? 1 : 0;
	spin_unlock_irqrestore(&xenhv_gnttab_lock, flags);
	return n;
}

unsigned int xenhv_gnttab_frames(void)
{
	return READ_ONCE(gt.nr_frames);
}

/* Xen's XENMAPIDX_grant_table_status: a v2 status frame, which v1 has not. */
#define XENHV_MAPIDX_STATUS	BIT(31)

/*
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table, idx, gfn): frame @idx of
 * the table (grown to it if need be) shown at the caller's frame @gfn.
 * Past the maximum, or a status frame: -EINVAL, as Xen answers.
 */
long xenhv_gnttab_map_frame(struct xenhv_call *c, xen_ulong_t idx, u64 gfn)
{
	int ret;

	/* As setup_table: the one table is not an unprivileged caller's. */
	if (c->unprivileged)
		return -EPERM;
	if ((idx & XENHV_MAPIDX_STATUS) || idx >= XENHV_GNTTAB_MAX_FRAMES)
		return -EINVAL;
	ret = grow(idx + 1);
	if (ret)
		return ret;
	/* Frames stay until the module goes: no lock needed to read one. */
	return xenhv_compat.ops->frame_show(c->mem, gfn, READ_ONCE(gt.frame[idx]));
}
