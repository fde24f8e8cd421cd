/* SPDX-License-Identifier: GPL-2.0 */
/* Cost curves: one operation against the state beside it (ports bound, pages mapped, nodes stored). */
#ifndef XENHV_BENCH_CURVE_ROWS_H
#define XENHV_BENCH_CURVE_ROWS_H

/* The event round trip while @extra other ports stay bound in another handle. */
static double evtchn_rtt_beside(unsigned long n, unsigned int extra)
{
	xenevtchn_handle *idle = xenevtchn_open(NULL, 0);
	unsigned int k;
	double ns = -1;

	if (!idle)
		return -1;
	for (k = 0; k < extra; k++)
		if (xenevtchn_bind_unbound_port(idle, bench_domid) < 0)
			goto out;
	ns = evtchn_two_procs(n, true);
out:
	xenevtchn_close(idle);
	return ns;
}

static double m_evtchn_rtt_64(unsigned long n) { return evtchn_rtt_beside(n, 63); }
static double m_evtchn_rtt_1024(unsigned long n) { return evtchn_rtt_beside(n, 1023); }
static double f_evtchn_rtt_1(unsigned long n) { return evtchn_rtt_beside(n, 0); }

/*
 * Map @pages granted pages through gntdev, touch each, unmap: @n times, ns
 * per page. The grants are made once, outside the timing.
 */
static double gnt_map_cost(unsigned long n, unsigned int pages)
{
	xengntshr_handle *xgs = xengntshr_open(NULL, 0);
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	uint32_t refs[256];
	unsigned long i = 0;
	unsigned int k;
	void *shared = NULL;
	volatile uint8_t *m;
	uint64_t t0 = 0;

	if (!xgs || !xgt || pages > 256)
		goto out;
	shared = xengntshr_share_pages(xgs, bench_domid, pages, refs, 1);
	if (!shared)
		goto out;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		m = xengnttab_map_domain_grant_refs(xgt, pages, bench_domid, refs,
						    PROT_READ | PROT_WRITE);
		if (!m)
			break;
		for (k = 0; k < pages; k++)
			m[k * 4096] = (uint8_t)k;
		xengnttab_unmap(xgt, (void *)m, pages);
	}
	t0 = now_ns() - t0;
	xengntshr_unshare(xgs, shared, pages);
out:
	if (xgs)
		xengntshr_close(xgs);
	if (xgt)
		xengnttab_close(xgt);
	return shared && i == n ? (double)t0 / n / pages : -1;
}

static double m_gnt_map_16(unsigned long n) { return gnt_map_cost(n, 16); }
static double m_gnt_map_256(unsigned long n) { return gnt_map_cost(n, 256); }
static double f_gnt_map_1(unsigned long n) { return gnt_map_cost(n, 1); }

/*
 * XenStore through libxenstore: @size leaf nodes under data/bc (xs_fill),
 * @kids children under data/bk, and then @n operations of @op on a node
 * @depth levels below data/bd: a read, a write, or a DIRECTORY of data/bk.
 * ns per operation.
 */
enum xs_curve_op { XS_CURVE_READ, XS_CURVE_WRITE, XS_CURVE_DIR };

static double xs_curve(unsigned long n, enum xs_curve_op op, unsigned int size,
		       unsigned int depth, unsigned int kids)
{
	struct xs_handle *h;
	unsigned int k, len, num;
	unsigned long i, ok = 0;
	char path[256], node[64];
	uint64_t t0 = 0;
	void *r;

	if (depth < 1 || depth > 32)
		return -1;
	h = xs_open(0);
	if (!h)
		return -1;
	xs_rm(h, XBT_NULL, "data/bc");
	xs_rm(h, XBT_NULL, "data/bd");
	xs_rm(h, XBT_NULL, "data/bk");
	if (!xs_fill(h, "data/bc", size))
		goto out;
	for (k = 0; k < kids; k++) {
		snprintf(node, sizeof(node), "data/bk/c%u", k);
		if (!xs_write(h, XBT_NULL, node, "v", 1))
			goto out;
	}
	len = snprintf(path, sizeof(path), "data/bd");
	for (k = 1; k < depth; k++)
		len += snprintf(path + len, sizeof(path) - len, "/d");
	snprintf(path + len, sizeof(path) - len, "/x");
	if (!xs_write(h, XBT_NULL, path, "0123456789", 10))
		goto out;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		switch (op) {
		case XS_CURVE_READ:
			r = xs_read(h, XBT_NULL, path, &len);
			ok += r && len == 10;
			break;
		case XS_CURVE_WRITE:
			ok += xs_write(h, XBT_NULL, path, "9876543210", 10);
			r = NULL;
			break;
		default:
			r = xs_directory(h, XBT_NULL, "data/bk", &num);
			ok += r && num == kids;
			break;
		}
		free(r);
	}
	t0 = now_ns() - t0;
out:
	xs_rm(h, XBT_NULL, "data/bc");
	xs_rm(h, XBT_NULL, "data/bd");
	xs_rm(h, XBT_NULL, "data/bk");
	xs_close(h);
	return ok == n ? (double)t0 / n : -1;
}

static double m_xs_read_1000(unsigned long n) { return xs_curve(n, XS_CURVE_READ, 1000, 1, 1); }
static double m_xs_read_100(unsigned long n) { return xs_curve(n, XS_CURVE_READ, 100, 1, 1); }
static double f_xs_read_10(unsigned long n) { return xs_curve(n, XS_CURVE_READ, 10, 1, 1); }
static double m_xs_write_1000(unsigned long n) { return xs_curve(n, XS_CURVE_WRITE, 1000, 1, 1); }
static double f_xs_write_10(unsigned long n) { return xs_curve(n, XS_CURVE_WRITE, 10, 1, 1); }
static double m_xs_read_d8(unsigned long n) { return xs_curve(n, XS_CURVE_READ, 10, 8, 1); }
static double m_xs_read_d32(unsigned long n) { return xs_curve(n, XS_CURVE_READ, 10, 32, 1); }
static double m_xs_dir_100(unsigned long n) { return xs_curve(n, XS_CURVE_DIR, 10, 1, 100); }
static double f_xs_dir_1(unsigned long n) { return xs_curve(n, XS_CURVE_DIR, 10, 1, 1); }

/*
 * Rows whose ratio should stay near 1 (the operation does not touch the
 * state that grows) and rows that show how cost grows with what it does
 * touch (the path's depth, the reply's size). No goal is set: the issue's
 * "must not grow" is read off the first group.
 */
#define CURVE_ROWS \
	{ .what = "event round trip, 64 ports bound", \
	  .floor = "the same, 1 port bound", \
	  .path = m_evtchn_rtt_64, .base = f_evtchn_rtt_1, .n = 1000 }, \
	{ .what = "event round trip, 1024 ports bound", \
	  .floor = "the same, 1 port bound", \
	  .path = m_evtchn_rtt_1024, .base = f_evtchn_rtt_1, .n = 1000 }, \
	{ .what = "gntdev map+touch+unmap, 16 pages, per page", \
	  .floor = "the same, 1 page", \
	  .path = m_gnt_map_16, .base = f_gnt_map_1, .n = 200, .maps = true }, \
	{ .what = "gntdev map+touch+unmap, 256 pages, per page", \
	  .floor = "the same, 1 page", \
	  .path = m_gnt_map_256, .base = f_gnt_map_1, .n = 50, .maps = true }, \
	{ .what = "XenStore read, store + 100 nodes", \
	  .floor = "the same, store + 10 nodes", \
	  .path = m_xs_read_100, .base = f_xs_read_10, .n = 2000 }, \
	{ .what = "XenStore read, store + 1000 nodes", \
	  .floor = "the same, store + 10 nodes", \
	  .path = m_xs_read_1000, .base = f_xs_read_10, .n = 2000 }, \
	{ .what = "XenStore write, store + 1000 nodes", \
	  .floor = "the same, store + 10 nodes", \
	  .path = m_xs_write_1000, .base = f_xs_write_10, .n = 2000 }, \
	{ .what = "XenStore read, node 8 levels deep", \
	  .floor = "the same, 1 level deep", \
	  .path = m_xs_read_d8, .base = f_xs_read_10, .n = 2000 }, \
	{ .what = "XenStore read, node 32 levels deep", \
	  .floor = "the same, 1 level deep", \
	  .path = m_xs_read_d32, .base = f_xs_read_10, .n = 2000 }, \
	{ .what = "XenStore DIRECTORY of 100 children", \
	  .floor = "the same, 1 child", \
	  .path = m_xs_dir_100, .base = f_xs_dir_1, .n = 2000 },

#endif
