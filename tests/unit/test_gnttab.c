// SPDX-License-Identifier: GPL-2.0
/* Unit tests of xen-compat/gnttab.c: Xen 4.17's v1 grant table as an HVM guest sees it. */
#include "gnttab_model.h"

static void test_grants(void)
{
	long long grants0 = atomic64_read(&xenhv_gnttab_stats.grants);
	struct grant_entry_v1 *e;
	long r, r1, r2, last = -1;
	unsigned int want, n;
	bool ok;
	u64 a, b;

	setup();
	e = ent(0);
	for (ok = e != NULL, n = 0; ok && n < PER_FRAME; n++)
		ok = !e[n].flags && !e[n].domid && !e[n].frame;
	T(ok && xenhv_gnttab_frames() == 1 && gm.allocs == 1 && xenhv_gnttab_in_use() == 0,
	  "gnttab: init makes one zeroed table frame (every entry invalid); no ref in use");
	a = page_new(0xa0);
	b = page_new(0xb0);
	r1 = xenhv_gnttab_grant(0, a, false);
	e = ent(r1);
	T(r1 == 8 && e && e->flags == PERMIT && e->domid == 0 && e->frame == a,
	  "gnttab: the first grant is ref 8 (0..7 are the toolstack's): GTF_permit_access for domain 0 to the page's frame");
	r2 = xenhv_gnttab_grant(5, b, true);
	e = ent(r2);
	T(r2 == 9 && e && e->flags == (PERMIT | GTF_readonly) && e->domid == 5 && e->frame == b &&
	  xenhv_gnttab_in_use() == 2,
	  "gnttab: a read-only grant to domain 5 is ref 9, with GTF_readonly; 2 refs in use");
	T(xenhv_gnttab_end(100) == -EINVAL && xenhv_gnttab_end(PER_FRAME) == -EINVAL &&
	  xenhv_gnttab_end(~0U) == -EINVAL && xenhv_gnttab_in_use() == 2,
	  "gnttab: ending a ref never granted (100), past the 1-frame table (512) or ~0 is EINVAL");
	/* The toolstack's xenstore grant, as Xen's domain builder writes it. */
	e = ent(1);
	e->flags = PERMIT;
	e->frame = (u32)a;
	r = xenhv_gnttab_end(1);
	T(r == -EINVAL && e->flags == PERMIT,
	  "gnttab: ending reserved ref 1 (never handed out) is EINVAL and leaves the toolstack's entry alone");
	memset(e, 0, sizeof(*e));
	T(xenhv_gnttab_end(r1) == 0 && flags(r1) == 0 && xenhv_gnttab_in_use() == 1 &&
	  xenhv_gnttab_end(r1) == -EINVAL,
	  "gnttab: end revokes ref 8 (flags cleared, 1 ref in use); ending it again is EINVAL");
	T(xenhv_gnttab_grant(0, a, false) == 8,
	  "gnttab: the revoked ref 8 is the lowest free one, handed out next");

	/* Frame 0 fills in order: 10..511 (8 and 9 are taken). */
	for (ok = true, want = 10; want < PER_FRAME; want++)
		ok &= xenhv_gnttab_grant(0, a, false) == want;
	T(ok && xenhv_gnttab_frames() == 1 && gm.allocs == 1 && xenhv_gnttab_in_use() == PER_FRAME - 8,
	  "gnttab: grants fill frame 0 up to ref 511, lowest free ref first, without growing");
	r = xenhv_gnttab_grant(0, b, true);
	e = ent(r);
	T(r == PER_FRAME && xenhv_gnttab_frames() == 2 && gm.allocs == 2 && e &&
	  e->flags == (PERMIT | GTF_readonly) && e->frame == b,
	  "gnttab: a grant with frame 0 full is ref 512, in a second table frame");
	for (n = 0; (r = xenhv_gnttab_grant(0, a, false)) >= 0; n++)
		last = r;
	T(r == -ENOSPC && last == MAX_REFS - 1 && n == MAX_REFS - PER_FRAME - 1 &&
	  xenhv_gnttab_frames() == XENHV_GNTTAB_MAX_FRAMES && gm.allocs == XENHV_GNTTAB_MAX_FRAMES &&
	  xenhv_gnttab_in_use() == MAX_REFS - 8,
	  "gnttab: grants grow the table frame by frame to 64 frames, 32760 refs (8..32767), then ENOSPC");
	e = ent(MAX_REFS - 1);
	T(e && e->flags == PERMIT && e->domid == 0 && e->frame == a &&
	  xenhv_gnttab_grant(0, a, false) == -ENOSPC &&
	  xenhv_gnttab_frames() == XENHV_GNTTAB_MAX_FRAMES,
	  "gnttab: ref 32767 is the last entry of frame 63; the full table stays full (ENOSPC)");
	T(xenhv_gnttab_end(20000) == 0 && xenhv_gnttab_grant(7, b, false) == 20000 &&
	  ent(20000)->domid == 7 && xenhv_gnttab_in_use() == MAX_REFS - 8,
	  "gnttab: in a full table, the ref just ended is the one the next grant gets");
	T(atomic64_read(&xenhv_gnttab_stats.grants) - grants0 == MAX_REFS - 8 + 2,
	  "gnttab: the grants counter counts every grant made");
	teardown();
	T(gm.frees == XENHV_GNTTAB_MAX_FRAMES && !gm.bad_frees && xenhv_gnttab_frames() == 0,
	  "gnttab: exit frees the 64 table frames (and nothing else)");
}

/* No memory for a table frame: nothing half-made, and it recovers. */
static void test_no_memory(void)
{
	unsigned int n;
	s16 st;
	long r;
	u64 a;

	memset(&gm, 0, sizeof(gm));
	xenhv_compat.ops = &gm_ops;
	gm.fail_alloc = true;
	T(xenhv_gnttab_init() == -ENOMEM && xenhv_gnttab_frames() == 0,
	  "gnttab: init with no page for frame 0 is ENOMEM");
	xenhv_gnttab_exit();

	setup();
	a = page_new(1);
	for (n = 8; n < PER_FRAME; n++)
		xenhv_gnttab_grant(DOM, a, false);
	gm.fail_alloc = true;
	r = xenhv_gnttab_grant(DOM, a, false);
	T(r < 0 && xenhv_gnttab_frames() == 1 && xenhv_gnttab_in_use() == PER_FRAME - 8,
	  "gnttab: a grant needing a frame it cannot get fails; the table stays at 1 frame");
	T(setup_table(DOMID_SELF, 3, &st, LIST) == 0 && st == GNTST_general_error &&
	  xenhv_gnttab_frames() == 1,
	  "setup_table: failing to grow the table is GNTST_general_error");
	gm.fail_alloc = false;
	T(xenhv_gnttab_grant(DOM, a, false) == PER_FRAME && xenhv_gnttab_frames() == 2,
	  "gnttab: with memory back, the next grant grows the table (ref 512)");
	for (n = PER_FRAME + 1; n < 2 * PER_FRAME; n++)
		xenhv_gnttab_grant(DOM, a, false);
	xenhv_unit_atomic = true;
	r = xenhv_gnttab_grant(DOM, a, false);
	xenhv_unit_atomic = false;
	T(r == 2 * PER_FRAME && xenhv_gnttab_frames() == 3 && !gm.wrong_gfp,
	  "gnttab: a grant from a caller that may not sleep grows the table with atomic allocations only");
	teardown();
}

static void test_maps(void)
{
	long long maps0 = atomic64_read(&xenhv_gnttab_stats.maps);
	long rw, ro, other;
	u64 a, b, c, gfn;

	setup();
	a = page_new(1);
	b = page_new(2);
	c = page_new(3);
	rw = xenhv_gnttab_grant(DOM, a, false);
	ro = xenhv_gnttab_grant(DOM, b, true);
	other = xenhv_gnttab_grant(0, c, false);
	T(rw == 8 && ro == 9 && other == 10,
	  "map: refs 8 (writable, to us), 9 (read-only, to us), 10 (to domain 0)");

	gfn = 0;
	T(xenhv_gnttab_map(DOM, rw, true, &gfn) == GNTST_okay && gfn == a &&
	  flags(rw) == (PERMIT | GTF_reading),
	  "map: a read-only map of ref 8 by our domain id: okay, the granted frame, GTF_reading set");
	gfn = 0;
	T(xenhv_gnttab_map(DOMID_SELF, rw, false, &gfn) == GNTST_okay && gfn == a &&
	  flags(rw) == (PERMIT | GTF_reading | GTF_writing),
	  "map: a writable map by DOMID_SELF: okay, GTF_reading and GTF_writing set");
	T(xenhv_gnttab_map(0, rw, true, &gfn) == GNTST_bad_domain &&
	  xenhv_gnttab_map(7, rw, true, &gfn) == GNTST_bad_domain,
	  "map: a grant of domain 0 or of domain 7 (which does not exist): GNTST_bad_domain");
	T(xenhv_gnttab_map(DOM, PER_FRAME, true, &gfn) == GNTST_bad_gntref &&
	  xenhv_gnttab_map(DOM, ~0U, true, &gfn) == GNTST_bad_gntref,
	  "map: ref 512 (past the 1-frame table) or ~0: GNTST_bad_gntref");
	T(xenhv_gnttab_map(DOM, 100, true, &gfn) == GNTST_general_error &&
	  xenhv_gnttab_map(DOM, 3, true, &gfn) == GNTST_general_error &&
	  flags(100) == 0 && flags(3) == 0,
	  "map: an entry never granted (100, reserved 3): GNTST_general_error, entry untouched");
	T(xenhv_gnttab_map(DOM, other, true, &gfn) == GNTST_general_error &&
	  flags(other) == PERMIT,
	  "map: an entry granted to domain 0, not to us: GNTST_general_error, not pinned");
	T(xenhv_gnttab_map(DOM, ro, false, &gfn) == GNTST_general_error &&
	  flags(ro) == (PERMIT | GTF_readonly),
	  "map: a writable map of a read-only grant: GNTST_general_error, not pinned");
	gfn = 0;
	T(xenhv_gnttab_map(DOM, ro, true, &gfn) == GNTST_okay && gfn == b &&
	  flags(ro) == (PERMIT | GTF_readonly | GTF_reading),
	  "map: a read-only map of a read-only grant: okay, GTF_reading");

	T(xenhv_gnttab_end(rw) == -EBUSY && ent(rw)->frame == a &&
	  flags(rw) == (PERMIT | GTF_reading | GTF_writing) && xenhv_gnttab_in_use() == 3,
	  "map: end of a mapped ref is EBUSY; the entry stays valid and in use");
	xenhv_gnttab_map(DOM, rw, false, &gfn);
	xenhv_gnttab_unmap(rw, false);
	T(flags(rw) == (PERMIT | GTF_reading | GTF_writing),
	  "unmap: with a second writable map left, GTF_writing stays");
	xenhv_gnttab_unmap(rw, false);
	T(flags(rw) == (PERMIT | GTF_reading) && xenhv_gnttab_end(rw) == -EBUSY,
	  "unmap: the last writable map gone clears GTF_writing; the read-only map keeps GTF_reading (end: EBUSY)");
	xenhv_gnttab_unmap(rw, true);
	T(flags(rw) == PERMIT, "unmap: the last map gone clears GTF_reading");
	T(xenhv_gnttab_end(rw) == 0 && flags(rw) == 0 && xenhv_gnttab_in_use() == 2 &&
	  xenhv_gnttab_map(DOM, rw, true, &gfn) == GNTST_general_error,
	  "map: end after the last unmap is 0; a map of the revoked ref is GNTST_general_error");
	xenhv_gnttab_unmap(other, false);
	xenhv_gnttab_unmap(MAX_REFS, true);
	xenhv_gnttab_unmap(ro, true);
	T(flags(other) == PERMIT && flags(ro) == (PERMIT | GTF_readonly) &&
	  xenhv_gnttab_end(ro) == 0 && xenhv_gnttab_end(other) == 0 && xenhv_gnttab_in_use() == 0,
	  "unmap: of an unpinned entry or past the table changes nothing; both refs end");
	T(atomic64_read(&xenhv_gnttab_stats.maps) - maps0 == 4,
	  "map: the maps counter counts the 4 successful maps only");
	teardown();
}

static void test_ops(void)
{
	struct gnttab_get_status_frames *sf = G(OP);
	struct gnttab_map_grant_ref *map = G(OP);
	struct gnttab_unmap_grant_ref *unmap = G(OP);
	struct gnttab_query_size q;
	xen_pfn_t *list = frame_list();
	bool ok;
	u32 v;
	s16 st;
	int i;

	setup();
	T(gtop(&user_mem, GNTTABOP_copy, COPIES, -1) == -EINVAL &&
	  gtop(&user_mem, GNTTABOP_setup_table, OP, 0x80000000U) == -EINVAL,
	  "grant_table_op: a count negative as an int is EINVAL");
	T(gtop(&user_mem, GNTTABOP_setup_table, OP, 0) == -EINVAL &&
	  gtop(&user_mem, GNTTABOP_setup_table, OP, 2) == -EINVAL &&
	  gtop(&user_mem, GNTTABOP_query_size, OP, 0) == -EINVAL &&
	  gtop(&user_mem, GNTTABOP_query_size, OP, 2) == -EINVAL,
	  "grant_table_op: setup_table and query_size with a count of 0 or 2: EINVAL");
	T(set_version(1, 2, &v) == 0 && v == 1 && get_version(DOMID_SELF, 0, &v) == 0 && v == 1,
	  "grant_table_op: set_version and get_version ignore the count, as Xen does");

	memset(list, 0x55, 64 * sizeof(*list));
	ok = setup_table(DOMID_SELF, 3, &st, LIST) == 0 && st == GNTST_okay;
	for (i = 0; ok && i < 3; i++)
		ok = gm_frame_va(list[i]) && gm.table[list[i] - GFN0] && (!i || list[i] != list[i - 1]);
	T(ok && list[3] == 0x5555555555555555ULL && xenhv_gnttab_frames() == 3 && gm.allocs == 3,
	  "setup_table(3 frames): okay, the table grows to 3 frames, 3 distinct frame numbers written");
	list[2] = 0;
	T(setup_table(DOM, 2, &st, LIST) == 0 && st == GNTST_okay && list[2] == 0 &&
	  xenhv_gnttab_frames() == 3,
	  "setup_table(2 frames) by our own id: okay, 2 frames listed, the table does not shrink");
	T(setup_table(DOMID_SELF, 65, &st, LIST) == 0 && st == GNTST_general_error &&
	  xenhv_gnttab_frames() == 3,
	  "setup_table(65 frames), past the 64 maximum: GNTST_general_error, no growth");
	T(setup_table(7, 1, &st, LIST) == 0 && st == GNTST_bad_domain,
	  "setup_table for domain 7 (which does not exist): GNTST_bad_domain");
	T(setup_table(0, 1, &st, LIST) == 0 && st == GNTST_permission_denied,
	  "setup_table for domain 0 (exists, not ours): GNTST_permission_denied");
	T(setup_table(DOMID_SELF, 4, &st, 8) == 0 && st == GNTST_bad_virt_addr &&
	  xenhv_gnttab_frames() == 4,
	  "setup_table with an unwritable frame list: grows, then GNTST_bad_virt_addr (HVM)");

	T(query_size(DOMID_SELF, &q) == 0 && q.status == GNTST_okay && q.nr_frames == 4 &&
	  q.max_nr_frames == XENHV_GNTTAB_MAX_FRAMES,
	  "query_size: okay, 4 frames in use, at most 64");
	T(query_size(7, &q) == 0 && q.status == GNTST_bad_domain,
	  "query_size for domain 7: GNTST_bad_domain");
	T(query_size(0, &q) == 0 && q.status == GNTST_permission_denied,
	  "query_size for domain 0 (exists, not ours): GNTST_permission_denied");

	T(set_version(1, 1, &v) == 0 && v == 1, "set_version 1: 0, version 1");
	T(set_version(2, 1, &v) == -ENOSYS && v == 1,
	  "set_version 2: ENOSYS (no v2, as before set_version existed), version 1 written back");
	T(set_version(3, 1, &v) == -EINVAL && v == 1 && set_version(0, 1, &v) == -EINVAL && v == 1,
	  "set_version 3 or 0: EINVAL, version 1 written back");
	T(get_version(DOMID_SELF, 1, &v) == 0 && v == 1 && get_version(DOM, 1, &v) == 0 && v == 1,
	  "get_version of DOMID_SELF or our own id: 1");
	T(get_version(7, 1, &v) == -ESRCH && get_version(0, 1, &v) == -EPERM,
	  "get_version of domain 7: ESRCH; of domain 0: EPERM (XSM)");

	memset(sf, 0, sizeof(*sf));
	sf->nr_frames = 1;
	sf->dom = DOMID_SELF;
	T(gtop(&user_mem, GNTTABOP_get_status_frames, OP, 1) == -ENOSYS &&
	  gtop(&user_mem, GNTTABOP_get_status_frames, OP, 2) == -ENOSYS,
	  "get_status_frames (not in Xen's HVM list of grant ops): ENOSYS");

	memset(map, 0, 2 * sizeof(*map));
	map[0].ref = 8;
	map[0].dom = DOMID_SELF;
	map[0].status = map[1].status = 1;
	T(gtop(&user_mem, GNTTABOP_map_grant_ref, OP, 2) == 0 &&
	  map[0].status == GNTST_general_error && map[1].status == GNTST_general_error,
	  "map_grant_ref as a hypercall: each op fails with GNTST_general_error (gntdev maps)");
	memset(unmap, 0, 2 * sizeof(*unmap));
	unmap[0].status = unmap[1].status = 1;
	T(gtop(&user_mem, GNTTABOP_unmap_grant_ref, OP, 2) == 0 &&
	  unmap[0].status == GNTST_bad_handle && unmap[1].status == GNTST_bad_handle,
	  "unmap_grant_ref as a hypercall: each op is GNTST_bad_handle");
	T(gtop(&user_mem, GNTTABOP_setup_table, 8, 1) == -EFAULT &&
	  gtop(&user_mem, GNTTABOP_query_size, GBASE + GSIZE - 4, 1) == -EFAULT &&
	  gtop(&user_mem, GNTTABOP_set_version, 8, 1) == -EFAULT &&
	  gtop(&user_mem, GNTTABOP_map_grant_ref, 8, 1) == -EFAULT &&
	  gtop(&user_mem, GNTTABOP_copy, 8, 1) == -EFAULT,
	  "setup_table, query_size, set_version, map_grant_ref, copy with the op at a bad address: EFAULT");
	T(gtop(&user_mem, GNTTABOP_transfer, OP, 1) == -ENOSYS &&
	  gtop(&user_mem, GNTTABOP_dump_table, OP, 1) == -ENOSYS &&
	  gtop(&user_mem, GNTTABOP_unmap_and_replace, OP, 1) == -ENOSYS &&
	  gtop(&user_mem, GNTTABOP_cache_flush, OP, 1) == -ENOSYS &&
	  gtop(&user_mem, 13, OP, 1) == -ENOSYS && gtop(&user_mem, 99, OP, 1) == -ENOSYS &&
	  gtop(&user_mem, GNTTABOP_copy | (1U << 12), COPIES, 1) == -ENOSYS,
	  "transfer, dump_table, unmap_and_replace, cache_flush, unknown commands: ENOSYS (HVM)");
	teardown();
}

static void test_copy(void)
{
	long long copies0;
	u8 sbuf[64], dbuf[64];
	struct gnttab_copy op;
	long gw, gr, gbad;
	u64 a, b, c, d, gfn;
	unsigned int i;

	setup();
	a = page_new(0x10);
	b = page_new(0x20);
	c = page_new(0x30);
	d = page_new(0x40);
	gw = xenhv_gnttab_grant(DOM, c, false);
	gr = xenhv_gnttab_grant(DOM, d, true);
	gbad = xenhv_gnttab_grant(DOM, NO_GFN, false);

	T(hcopy(&user_mem, 0, gmfn(a, DOMID_SELF, 0), gmfn(b, DOMID_SELF, 0), 16) ==
	  GNTST_permission_denied &&
	  hcopy(&user_mem, SRC_REF, gref(gr, DOM, 0), gmfn(b, DOMID_SELF, 0), 16) ==
	  GNTST_permission_denied && page_is(b, 0x20, 0, PAGE_SIZE),
	  "copy: a user (privcmd) caller naming a frame, on either side: GNTST_permission_denied");
	T(hcopy(&kern_mem, 0, gmfn(a, DOMID_SELF, 100), gmfn(b, DOMID_SELF, 200), 50) == GNTST_okay &&
	  !memcmp(P(b) + 200, P(a) + 100, 50) && page_is(b, 0x20, 0, 200) &&
	  page_is(b, 0x20, 250, PAGE_SIZE),
	  "copy: kernel, frame to frame: 50 bytes from offset 100 land at offset 200, nothing else");
	T(hcopy(&kern_mem, SRC_REF, gref(gr, DOM, 10), gmfn(b, DOMID_SELF, 1000), 20) == GNTST_okay &&
	  !memcmp(P(b) + 1000, P(d) + 10, 20) && page_is(b, 0x20, 1020, PAGE_SIZE) &&
	  flags(gr) == (PERMIT | GTF_readonly),
	  "copy: from read-only grant 9 to a frame: the bytes land; no GTF_reading left");
	T(hcopy(&kern_mem, DST_REF, gmfn(a, DOMID_SELF, 0), gref(gw, DOMID_SELF, 4000), 96) ==
	  GNTST_okay && !memcmp(P(c) + 4000, P(a), 96) && page_is(c, 0x30, 0, 4000) &&
	  flags(gw) == PERMIT,
	  "copy: from a frame into grant 8 at offset 4000, to the page's end; no GTF_reading/writing left");
	T(hcopy(&kern_mem, SRC_REF | DST_REF, gref(gr, DOM, 0), gref(gw, DOMID_SELF, 0), PAGE_SIZE) ==
	  GNTST_okay && !memcmp(P(c), P(d), PAGE_SIZE) && flags(gw) == PERMIT &&
	  flags(gr) == (PERMIT | GTF_readonly),
	  "copy: a whole page from grant 9 to grant 8; both entries unpinned after");
	T(hcopy(&kern_mem, 0, gmfn(a, DOMID_SELF, 0), gmfn(b, DOMID_SELF, 0), PAGE_SIZE + 1) ==
	  GNTST_bad_copy_arg &&
	  hcopy(&kern_mem, 0, gmfn(a, DOMID_SELF, 4000), gmfn(b, DOMID_SELF, 0), 97) ==
	  GNTST_bad_copy_arg &&
	  hcopy(&kern_mem, 0, gmfn(a, DOMID_SELF, 0), gmfn(b, DOMID_SELF, 4095), 2) ==
	  GNTST_bad_copy_arg && P(b)[4095] == (u8)(0x20 + 4095 * 7),
	  "copy: len 4097, or source or dest offset + len past the page: GNTST_bad_copy_arg, nothing written");
	T(hcopy(&kern_mem, DST_REF, gmfn(a, DOMID_SELF, 0), gref(gr, DOM, 0), 8) ==
	  GNTST_general_error && page_is(d, 0x40, 0, PAGE_SIZE) &&
	  flags(gr) == (PERMIT | GTF_readonly),
	  "copy: into a read-only grant: GNTST_general_error, the page untouched, not pinned");
	T(hcopy(&kern_mem, SRC_REF, gref(PER_FRAME, DOM, 0), gmfn(b, DOMID_SELF, 0), 8) ==
	  GNTST_bad_gntref &&
	  hcopy(&kern_mem, DST_REF, gmfn(a, DOMID_SELF, 0), gref(100, DOM, 0), 8) ==
	  GNTST_general_error,
	  "copy: ref 512 (past the table): GNTST_bad_gntref; ref 100 (never granted): GNTST_general_error");
	T(hcopy(&kern_mem, SRC_REF, gref(gr, 7, 0), gmfn(b, DOMID_SELF, 0), 8) == GNTST_bad_domain &&
	  hcopy(&kern_mem, DST_REF, gmfn(a, DOMID_SELF, 0), gref(gw, 7, 0), 8) == GNTST_bad_domain,
	  "copy: a grant of domain 7 (which does not exist), either side: GNTST_bad_domain");
	T(hcopy(&kern_mem, 0, gmfn(NO_GFN, DOMID_SELF, 0), gmfn(b, DOMID_SELF, 0), 8) ==
	  GNTST_bad_page &&
	  hcopy(&kern_mem, 0, gmfn(a, DOMID_SELF, 0), gmfn(NO_GFN, DOMID_SELF, 0), 8) ==
	  GNTST_bad_page,
	  "copy: a frame the guest does not have, either side: GNTST_bad_page");
	T(hcopy(&kern_mem, SRC_REF, gref(gbad, DOM, 0), gmfn(b, DOMID_SELF, 0), 8) == GNTST_bad_page &&
	  flags(gbad) == PERMIT && xenhv_gnttab_end(gbad) == 0,
	  "copy: a grant of a frame the guest does not have: GNTST_bad_page, the grant left unpinned");
	T(hcopy(&kern_mem, 0, gmfn(a, DOM, 0), gmfn(b, DOMID_SELF, 0), 8) == GNTST_permission_denied &&
	  hcopy(&kern_mem, 0, gmfn(a, DOMID_SELF, 0), gmfn(b, 7, 0), 8) == GNTST_permission_denied,
	  "copy: a frame named by any domain id but DOMID_SELF: GNTST_permission_denied");

	/* A batch: each op gets its own status. */
	copies0 = atomic64_read(&xenhv_gnttab_stats.copies);
	mkcopy(cop(0), 0, gmfn(a, DOMID_SELF, 0), gmfn(b, DOMID_SELF, 3000), 4);
	mkcopy(cop(1), SRC_REF, gref(PER_FRAME, DOM, 0), gmfn(b, DOMID_SELF, 0), 4);
	mkcopy(cop(2), DST_REF, gmfn(a, DOMID_SELF, 8), gref(gw, DOM, 8), 4);
	T(gtop(&kern_mem, GNTTABOP_copy, COPIES, 3) == 0 && cop(0)->status == GNTST_okay &&
	  cop(1)->status == GNTST_bad_gntref && cop(2)->status == GNTST_okay &&
	  !memcmp(P(b) + 3000, P(a), 4) && !memcmp(P(c) + 8, P(a) + 8, 4),
	  "copy: a batch of 3 (good, bad ref, good): 0, one status each, good ones copied");

	/* gntdev's path: no hypercall, the caller's own pages. */
	for (i = 0; i < sizeof(sbuf); i++)
		sbuf[i] = (u8)(i + 1);
	memset(dbuf, 0, sizeof(dbuf));
	mkcopy(&op, 0, gmfn(0, DOMID_SELF, 8), gmfn(0, DOMID_SELF, 24), 16);
	T(xenhv_gnttab_copy_one(NULL, &op, sbuf, dbuf) == GNTST_okay && !memcmp(dbuf + 24, sbuf + 8, 16) &&
	  !dbuf[23] && !dbuf[40],
	  "copy_one: local buffers on both sides: 16 bytes from offset 8 land at offset 24");
	mkcopy(&op, SRC_REF, gref(gr, DOM, 32), gmfn(0, DOMID_SELF, 0), 64);
	T(xenhv_gnttab_copy_one(NULL, &op, NULL, dbuf) == GNTST_okay && !memcmp(dbuf, P(d) + 32, 64) &&
	  flags(gr) == (PERMIT | GTF_readonly),
	  "copy_one: grant 9 into a local buffer: the bytes land; not left pinned");
	mkcopy(&op, 0, gmfn(a, DOMID_SELF, 0), gmfn(b, DOMID_SELF, 0), 8);
	T(xenhv_gnttab_copy_one(NULL, &op, NULL, NULL) == GNTST_permission_denied,
	  "copy_one: no caller and no local buffer: a frame side is GNTST_permission_denied");

	/* A copy into a mapped grant drops its own pin only. */
	xenhv_gnttab_map(DOM, gw, true, &gfn);
	T(hcopy(&kern_mem, DST_REF, gmfn(a, DOMID_SELF, 0), gref(gw, DOM, 0), 8) == GNTST_okay &&
	  flags(gw) == (PERMIT | GTF_reading) && xenhv_gnttab_end(gw) == -EBUSY,
	  "copy: into grant 8 while mapped read-only: okay; GTF_writing gone, the map's GTF_reading stays");
	xenhv_gnttab_unmap(gw, true);
	T(atomic64_read(&xenhv_gnttab_stats.copies) - copies0 == 5,
	  "copy: the copies counter counts the 5 copies done since the batch");
	teardown();
}

/*
 * gntdev's batch: the grants of every op pinned in one pass, the copy done by
 * the caller without the lock, then the pins given back in one pass.
 */
static void test_copy_acquire(void)
{
	struct gnttab_copy ops[4];
	u8 *src[4], *dst[4];
	long long copies0;
	long gw, gr;
	u64 c, d;

	setup();
	c = page_new(0x30);
	d = page_new(0x40);
	gw = xenhv_gnttab_grant(DOM, c, false);
	gr = xenhv_gnttab_grant(DOM, d, true);
	copies0 = atomic64_read(&xenhv_gnttab_stats.copies);
	/* grant -> user, user -> grant, grant -> grant, a read-only grant as a destination */
	mkcopy(&ops[0], SRC_REF, gref(gr, DOM, 16), gmfn(0, DOMID_SELF, 0), 32);
	mkcopy(&ops[1], DST_REF, gmfn(0, DOMID_SELF, 0), gref(gw, DOM, 100), 8);
	mkcopy(&ops[2], SRC_REF | DST_REF, gref(gr, DOM, 0), gref(gw, DOMID_SELF, 0), 64);
	mkcopy(&ops[3], DST_REF, gmfn(0, DOMID_SELF, 0), gref(gr, DOM, 0), 8);
	xenhv_gnttab_copy_acquire(ops, 4, src, dst);
	T(ops[0].status == GNTST_okay && src[0] == P(d) && !dst[0] &&
	  ops[1].status == GNTST_okay && !src[1] && dst[1] == P(c) &&
	  ops[2].status == GNTST_okay && src[2] == P(d) && dst[2] == P(c),
	  "copy_acquire: each grant side's page given, the local sides left to the caller");
	T(ops[3].status == GNTST_general_error,
	  "copy_acquire: a read-only grant as a destination: GNTST_general_error");
	T(flags(gr) == (PERMIT | GTF_readonly | GTF_reading) &&
	  flags(gw) == (PERMIT | GTF_reading | GTF_writing),
	  "copy_acquire: the grants show GTF_reading (and GTF_writing for the destination) meanwhile");
	T(xenhv_gnttab_end(gw) == -EBUSY && xenhv_gnttab_end(gr) == -EBUSY,
	  "copy_acquire: the granter cannot end a grant while a copy holds it");
	xenhv_gnttab_copy_release(ops, 4, 3);
	T(flags(gr) == (PERMIT | GTF_readonly) && flags(gw) == PERMIT,
	  "copy_release: every pin given back once, the failed op's none");
	T(atomic64_read(&xenhv_gnttab_stats.copies) - copies0 == 3,
	  "copy_release: the copies done are counted");
	T(xenhv_gnttab_end(gw) == 0 && xenhv_gnttab_end(gr) == 0,
	  "copy_release: then both grants end");
	mkcopy(&ops[0], SRC_REF, gref(gr, DOM, 4090), gmfn(0, DOMID_SELF, 0), 8);
	mkcopy(&ops[1], SRC_REF, gref(gr, DOM, 0), gmfn(0, DOMID_SELF, 0), 8);
	xenhv_gnttab_copy_acquire(ops, 2, src, dst);
	T(ops[0].status == GNTST_bad_copy_arg && ops[1].status == GNTST_general_error,
	  "copy_acquire: past the page's end GNTST_bad_copy_arg, an ended grant GNTST_general_error");
	xenhv_gnttab_copy_release(ops, 2, 0);
	teardown();
}

/* XENMEM_add_to_physmap(XENMAPSPACE_grant_table): a table frame shown to the caller. */
static void test_map_frame(void)
{
	struct xenhv_call c = { .mem = &user_mem };
	xen_ulong_t args[5] = { GNTTABOP_setup_table };
	struct grant_entry_v1 *f;
	long r;
	u64 a;

	setup();
	T(xenhv_gnttab_map_frame(&c, XENHV_GNTTAB_MAX_FRAMES, 0x5000) == -EINVAL &&
	  xenhv_gnttab_map_frame(&c, 1UL << 31, 0x5000) == -EINVAL &&
	  xenhv_gnttab_map_frame(&c, (1UL << 31) | 1, 0x5000) == -EINVAL &&
	  !gm.shows && xenhv_gnttab_frames() == 1,
	  "add_to_physmap(grant_table): idx 64 or a status frame (bit 31): EINVAL, nothing shown");
	T(xenhv_gnttab_map_frame(&c, 3, 0x5000) == 0 && xenhv_gnttab_frames() == 4 && gm.allocs == 4 &&
	  gm.shows == 1 && gm.show_mem == &user_mem && gm.show_gfn == 0x5000 && ent(3 * PER_FRAME) &&
	  gm.show_va == gm_frame_va(frame_list()[3]),
	  "add_to_physmap(grant_table, idx 3): the table grows to 4 frames, frame 3 shown at 0x5000");
	T(xenhv_gnttab_map_frame(&c, 0, 0x6000) == 0 && xenhv_gnttab_frames() == 4 &&
	  gm.show_gfn == 0x6000 && ent(0) && gm.show_va == gm_frame_va(frame_list()[0]),
	  "add_to_physmap(grant_table, idx 0): frame 0 shown, no growth");
	f = gm.show_va;
	a = page_new(9);
	r = xenhv_gnttab_grant(DOM, a, true);
	T(r == 8 && f[8].flags == (PERMIT | GTF_readonly) && f[8].frame == a && f[8].domid == DOM &&
	  xenhv_gnttab_in_use() == 1,
	  "add_to_physmap(grant_table): a grant made later is seen in the shown frame");
	gm.show_rc = -EINVAL;
	T(xenhv_gnttab_map_frame(&c, 1, 0x7000) == -EINVAL && gm.shows == 3,
	  "add_to_physmap(grant_table): the platform's refusal to show the frame is returned");
	c.unprivileged = true;
	T(xenhv_gnttab_map_frame(&c, 1, 0x7000) == -EPERM && gm.shows == 3,
	  "add_to_physmap(grant_table) from a privcmd caller without CAP_SYS_ADMIN: EPERM, nothing shown");
	args[1] = OP;
	args[2] = 1;
	memset(G(OP), 0, 32);
	*(u32 *)G(OP + 4) = 1;
	*(u64 *)G(OP + 16) = LIST;
	memset(G(LIST), 0, 8);
	T(xenhv_do_hypercall(&c, __HYPERVISOR_grant_table_op, args) == 0 &&
	  *(s16 *)G(OP + 8) == GNTST_permission_denied && !*(u64 *)G(LIST),
	  "setup_table from a privcmd caller without CAP_SYS_ADMIN: GNTST_permission_denied, no frame written");
	teardown();
	T(gm.frees == 4 && !gm.bad_frees, "gnttab: exit frees the 4 table frames");
}

void test_gnttab(void)
{
	struct xenhv_compat_config saved = xenhv_compat;

	test_grants();
	test_no_memory();
	test_maps();
	test_ops();
	test_copy();
	test_copy_acquire();
	test_map_frame();
	xenhv_compat = saved;
}
