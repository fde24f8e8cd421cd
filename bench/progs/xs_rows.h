/* SPDX-License-Identifier: GPL-2.0 */
/* XenStore transaction rows: start and commit against the store's size and against open transactions. */
#ifndef XENHV_BENCH_XS_ROWS_H
#define XENHV_BENCH_XS_ROWS_H

/*
 * @count leaf nodes under @base, 32 to a directory, so no node's child list
 * outgrows Xen's 2048-byte node quota; false if a write failed.
 */
static bool xs_fill(struct xs_handle *h, const char *base, unsigned int count)
{
	char path[64];
	unsigned int k;

	for (k = 0; k < count; k++) {
		snprintf(path, sizeof(path), "%s/d%u/n%u", base, k / 32, k % 32);
		if (!xs_write(h, XBT_NULL, path, "v", 1))
			return false;
	}
	return true;
}

/*
 * @size leaf nodes under data/bsz (xs_fill), then @n transactions that each
 * start, read and write one node and commit, while @open - 1 others stay
 * open having read a node of their own. ns per transaction.
 * (The bench boot loads xenhv with room for 2000 nodes and 128 transactions.)
 */
static double xs_txn_cost(unsigned int size, unsigned int open, unsigned long n)
{
	struct xs_handle *h = xs_open(0);
	xs_transaction_t others[128], t;
	unsigned long i, done = 0;
	unsigned int k, len;
	char path[64];
	uint64_t t0 = 0;

	if (!h || open > 128)
		return -1;
	xs_rm(h, XBT_NULL, "data/bsz");
	if (!xs_fill(h, "data/bsz", size))
		goto out;
	xs_write(h, XBT_NULL, "data/bench/t", "0", 1);
	for (k = 0; k + 1 < open; k++) {
		others[k] = xs_transaction_start(h);
		if (others[k] == XBT_NULL)
			break;
		snprintf(path, sizeof(path), "data/bsz/d0/n%u", k % 32);
		free(xs_read(h, others[k], path, &len));
	}
	/*
	 * A start the store refused (its transaction quota) fails the row, and
	 * XBT_NULL is never ended: Linux's xenbus device WARNs on the reply to an
	 * end of transaction 0 and drops it, so the reader would wait forever.
	 */
	t0 = now_ns();
	for (i = 0; k + 1 >= open && i < n; i++) {
		t = xs_transaction_start(h);
		if (t == XBT_NULL)
			break;
		free(xs_read(h, t, "data/bench/t", &len));
		xs_write(h, t, "data/bench/t", "y", 1);
		done += xs_transaction_end(h, t, false);
	}
	t0 = now_ns() - t0;
	while (k--)
		xs_transaction_end(h, others[k], true);
out:
	xs_rm(h, XBT_NULL, "data/bsz");
	xs_rm(h, XBT_NULL, "data/bench");
	xs_close(h);
	return done == n ? (double)t0 / n : -1;
}

static double m_xs_txn_100(unsigned long n) { return xs_txn_cost(100, 1, n); }
static double m_xs_txn_1000(unsigned long n) { return xs_txn_cost(1000, 1, n); }
static double f_xs_txn_10(unsigned long n) { return xs_txn_cost(10, 1, n); }
static double m_xs_txn_open10(unsigned long n) { return xs_txn_cost(10, 10, n); }
static double m_xs_txn_open100(unsigned long n) { return xs_txn_cost(10, 100, n); }

#define XS_TXN_ROWS \
	{ .what = "XenStore transaction, store + 100 nodes", \
	  .floor = "the same, store + 10 nodes", \
	  .path = m_xs_txn_100, .base = f_xs_txn_10, .n = 300 }, \
	{ .what = "XenStore transaction, store + 1000 nodes", \
	  .floor = "the same, store + 10 nodes", \
	  .path = m_xs_txn_1000, .base = f_xs_txn_10, .n = 300 }, \
	{ .what = "XenStore transaction, 10 open at once", \
	  .floor = "the same, alone", \
	  .path = m_xs_txn_open10, .base = f_xs_txn_10, .n = 300 }, \
	{ .what = "XenStore transaction, 100 open at once", \
	  .floor = "the same, alone", \
	  .path = m_xs_txn_open100, .base = f_xs_txn_10, .n = 300 },

#endif
