/* SPDX-License-Identifier: GPL-2.0 */
/* The grant table tests' model domain: guest frames, the platform's frame ops, and grant_table_op helpers. */
#ifndef _XENHV_UNIT_GNTTAB_MODEL_H
#define _XENHV_UNIT_GNTTAB_MODEL_H

#include "../../xen-compat/compat.h"
#include "unit.h"

#include <stdlib.h>

#define DOM		1	/* the model domain's id */
#define PER_FRAME	((unsigned int)(PAGE_SIZE / sizeof(struct grant_entry_v1)))
#define MAX_REFS	(XENHV_GNTTAB_MAX_FRAMES * PER_FRAME)
#define GFN0		0x1000	/* frame number of the model's first page */
#define NR_PAGES	96	/* 64 table frames and the tests' own pages */
#define NO_GFN		0xdead0	/* a frame the model guest does not have */
#define SRC_REF		GNTCOPY_source_gref
#define DST_REF		GNTCOPY_dest_gref
#define PERMIT		GTF_permit_access

/* Guest memory: a small arena at a fixed guest address; the rest faults. */
#define GBASE	0x40000UL
#define GSIZE	(16 * 1024UL)
#include "arena.h"

#define OP	GBASE			/* the op's struct */
#define LIST	(GBASE + 0x100)		/* setup_table's frame list */
#define COPIES	(GBASE + 0x1000)	/* GNTTABOP_copy batches */

/* A privcmd (user) caller may not name frames in a copy; the kernel may. */
static const struct xenhv_guest_mem user_mem = { g_read, g_write, false };
static const struct xenhv_guest_mem kern_mem = { g_read, g_write, true };

/*
 * The platform model: pages in a table, page i being frame GFN0 + i. Table
 * frames come from frame_alloc(); the tests' "granted pages" are others.
 */
static struct {
	void *page[NR_PAGES];
	bool table[NR_PAGES];
	int allocs, frees, bad_frees;
	bool fail_alloc;
	int shows, show_rc;
	const struct xenhv_guest_mem *show_mem;
	u64 show_gfn;
	void *show_va;
} gm;

static inline int slot_new(bool table)
{
	int i;

	for (i = 0; i < NR_PAGES; i++) {
		if (gm.page[i])
			continue;
		gm.page[i] = calloc(1, PAGE_SIZE);
		if (!gm.page[i])
			break;
		gm.table[i] = table;
		return i;
	}
	fprintf(stderr, "test_gnttab: the model is out of pages\n");
	exit(2);
}

static inline void *gm_frame_alloc(void)
{
	if (gm.fail_alloc)
		return NULL;
	gm.allocs++;
	return gm.page[slot_new(true)];
}

static inline void gm_frame_free(void *va)
{
	int i;

	for (i = 0; i < NR_PAGES; i++) {
		if (va && gm.page[i] == va && gm.table[i]) {
			free(va);
			gm.page[i] = NULL;
			gm.table[i] = false;
			gm.frees++;
			return;
		}
	}
	gm.bad_frees++;
}

static inline u64 gm_frame_gfn(void *va)
{
	int i;

	for (i = 0; i < NR_PAGES; i++)
		if (va && gm.page[i] == va)
			return GFN0 + i;
	return ~0ULL;
}

static inline void *gm_frame_va(u64 gfn)
{
	if (gfn < GFN0 || gfn >= GFN0 + NR_PAGES)
		return NULL;
	return gm.page[gfn - GFN0];
}

static inline int gm_frame_show(const struct xenhv_guest_mem *mem, u64 gfn, void *va)
{
	gm.shows++;
	gm.show_mem = mem;
	gm.show_gfn = gfn;
	gm.show_va = va;
	return gm.show_rc;
}

static const struct xenhv_platform_ops gm_ops = {
	.frame_alloc = gm_frame_alloc,
	.frame_free = gm_frame_free,
	.frame_gfn = gm_frame_gfn,
	.frame_va = gm_frame_va,
	.frame_show = gm_frame_show,
};

/* A page of ours to grant, filled with a pattern that starts at @seed. */
static inline u64 page_new(u8 seed)
{
	int i = slot_new(false);
	u8 *p = gm.page[i];
	unsigned int b;

	for (b = 0; b < PAGE_SIZE; b++)
		p[b] = (u8)(seed + b * 7);
	return GFN0 + i;
}

static inline u8 *P(u64 gfn)
{
	return gm_frame_va(gfn);
}

static inline bool page_is(u64 gfn, u8 seed, unsigned int from, unsigned int to)
{
	unsigned int b;

	for (b = from; b < to; b++)
		if (P(gfn)[b] != (u8)(seed + b * 7))
			return false;
	return true;
}

/* A fresh grant table on the model, for domain DOM. */
static inline void setup(void)
{
	memset(&gm, 0, sizeof(gm));
	memset(arena, 0x55, sizeof(arena));
	xenhv_compat.ops = &gm_ops;
	xenhv_compat.domid = DOM;
	if (xenhv_gnttab_init()) {
		fprintf(stderr, "test_gnttab: init failed\n");
		exit(2);
	}
}

static inline void teardown(void)
{
	int i;

	xenhv_gnttab_exit();
	for (i = 0; i < NR_PAGES; i++) {
		if (gm.page[i] && !gm.table[i]) {
			free(gm.page[i]);
			gm.page[i] = NULL;
		}
	}
}

static inline long gtop(const struct xenhv_guest_mem *mem, unsigned int cmd,
		 xen_ulong_t uop, unsigned int count)
{
	struct xenhv_call c = { .mem = mem };
	xen_ulong_t args[5] = { cmd, uop, count, 0, 0 };

	return xenhv_do_hypercall(&c, __HYPERVISOR_grant_table_op, args);
}

static inline long setup_table(domid_t dom, u32 nr_frames, s16 *status, xen_ulong_t list)
{
	struct gnttab_setup_table *op = G(OP);
	u64 addr = list;
	long rc;

	BUILD_BUG_ON(sizeof(op->frame_list) != sizeof(addr));
	memset(op, 0, sizeof(*op));
	op->dom = dom;
	op->nr_frames = nr_frames;
	op->status = 1;
	memcpy(&op->frame_list, &addr, sizeof(addr));
	rc = gtop(&user_mem, GNTTABOP_setup_table, OP, 1);
	*status = op->status;
	return rc;
}

static inline xen_pfn_t *frame_list(void)
{
	return G(LIST);
}

/* Entry @ref as the guest finds it: setup_table's frame list, then the page. */
static inline struct grant_entry_v1 *ent(grant_ref_t ref)
{
	unsigned int n = xenhv_gnttab_frames();
	struct grant_entry_v1 *f;
	s16 st;

	if (ref >= n * PER_FRAME || setup_table(DOMID_SELF, n, &st, LIST) ||
	    st != GNTST_okay)
		return NULL;
	f = gm_frame_va(frame_list()[ref / PER_FRAME]);
	return f ? &f[ref % PER_FRAME] : NULL;
}

static inline int flags(grant_ref_t ref)
{
	struct grant_entry_v1 *e = ent(ref);

	return e ? e->flags : -1;
}

static inline long query_size(domid_t dom, struct gnttab_query_size *out)
{
	struct gnttab_query_size *q = G(OP);
	long rc;

	memset(q, 0x55, sizeof(*q));
	q->dom = dom;
	rc = gtop(&user_mem, GNTTABOP_query_size, OP, 1);
	*out = *q;
	return rc;
}

static inline long set_version(u32 version, unsigned int count, u32 *out)
{
	struct gnttab_set_version *sv = G(OP);
	long rc;

	sv->version = version;
	rc = gtop(&user_mem, GNTTABOP_set_version, OP, count);
	*out = sv->version;
	return rc;
}

static inline long get_version(domid_t dom, unsigned int count, u32 *out)
{
	struct gnttab_get_version *gv = G(OP);
	long rc;

	memset(gv, 0, sizeof(*gv));
	gv->dom = dom;
	rc = gtop(&user_mem, GNTTABOP_get_version, OP, count);
	*out = gv->version;
	return rc;
}

static inline struct gnttab_copy_ptr gref(grant_ref_t ref, domid_t dom, u16 offset)
{
	struct gnttab_copy_ptr p = { .domid = dom, .offset = offset };

	p.u.ref = ref;
	return p;
}

static inline struct gnttab_copy_ptr gmfn(u64 gfn, domid_t dom, u16 offset)
{
	struct gnttab_copy_ptr p = { .domid = dom, .offset = offset };

	p.u.gmfn = gfn;
	return p;
}

static inline struct gnttab_copy *cop(unsigned int i)
{
	return G(COPIES + i * sizeof(struct gnttab_copy));
}

static inline void mkcopy(struct gnttab_copy *op, u16 fl, struct gnttab_copy_ptr src,
		   struct gnttab_copy_ptr dst, u16 len)
{
	memset(op, 0, sizeof(*op));
	op->source = src;
	op->dest = dst;
	op->len = len;
	op->flags = fl;
	op->status = 1;		/* no GNTST_* value */
}

/* One GNTTABOP_copy through the hypercall: its status (1: the call failed). */
static inline s16 hcopy(const struct xenhv_guest_mem *mem, u16 fl,
		 struct gnttab_copy_ptr src, struct gnttab_copy_ptr dst, u16 len)
{
	mkcopy(cop(0), fl, src, dst, len);
	if (gtop(mem, GNTTABOP_copy, COPIES, 1))
		return 1;
	return cop(0)->status;
}

#endif
