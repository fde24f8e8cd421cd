// SPDX-License-Identifier: GPL-2.0
/* What a hostile XenStore client costs: the userspace build under heavy transactions, with peak RSS. */
#include <sys/resource.h>
#include "../../../xen-compat/xenstore/xs.h"

/*
 * Built by scripts/xs-memory.sh, also against an older tree (-DXS_OLD: no
 * per-domain limits then) so that both figures come from the same driver.
 */
static const struct xs_limits limits = {
	.node_size = 2048, .nodes_per_domain = 1000, .watches_per_domain = 128,
	.transactions = 10, .txn_nodes = 1024, .perms_per_node = 5,
	.events_pending = 1024,
#ifndef XS_OLD
	.outstanding = 20, .memory = 2621440,
#endif
};

static char reply[XENSTORE_PAYLOAD_MAX + 64];
static u32 req;

/* Send one request on @c, return its reply's payload (an error name or data). */
static const char *rq(struct xs_conn *c, u32 type, u32 tx, const char *p,
		      unsigned int len, u32 *rtype)
{
	struct xsd_sockmsg h = { .type = type, .req_id = ++req, .tx_id = tx,
				 .len = len };

	xs_conn_request(c, &h, p);
	for (;;) {
		if (xs_conn_read(c, (char *)&h, sizeof(h)) != sizeof(h))
			return "none";
		xs_conn_read(c, reply, h.len);
		reply[h.len] = '\0';
		if (h.type != XS_WATCH_EVENT)
			break;
	}
	*rtype = h.type;
	return reply;
}

static const char *wr(struct xs_conn *c, u32 tx, const char *path,
		      const char *val, u32 *rtype)
{
	static char buf[XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, vl = strlen(val);

	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	return rq(c, XS_WRITE, tx, buf, pl + vl, rtype);
}

static u32 start(struct xs_conn *c, const char **err)
{
	u32 type;
	const char *r = rq(c, XS_TRANSACTION_START, 0, "", 1, &type);

	*err = r;
	return type == XS_TRANSACTION_START ? (u32)strtoul(r, NULL, 10) : 0;
}

static long peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static struct xs_store st;

/* --tap N: one TAP line per scenario, its verdict against @peak_limit_kb. */
static int tap;
static const long peak_limit_kb = 16384;

static void verdict(bool ok, const char *what)
{
	if (tap)
		printf("%s %d - %s (peak RSS %ld KB, limit %ld)\n", ok ? "ok" : "not ok",
		       tap, what, peak_kb(), peak_limit_kb);
}

static void init_store(void)
{
	if (xs_store_init(&st, 1, &limits, "00000000-0000-0000-0000-000000000001",
			  "stress")) {
		fprintf(stderr, "store init failed\n");
		exit(1);
	}
}

/* 100,000 writes of 1.9 KB to one node in one transaction. */
static void one_node(void)
{
	struct xs_conn *c;
	char val[1901], first[32] = "none";
	unsigned int i, ok = 0;
	const char *r;
	u32 t, type;

	init_store();
	c = xs_conn_open(&st, NULL, NULL);
	memset(val, 'v', 1900);
	val[1900] = '\0';
	t = start(c, &r);
	for (i = 0; i < 100000; i++) {
		r = wr(c, t, "data/big", val, &type);
		if (type == XS_ERROR) {
			if (!strcmp(first, "none"))
				snprintf(first, sizeof(first), "%s at %u", r, i + 1);
		} else {
			ok++;
		}
	}
	r = rq(c, XS_TRANSACTION_END, t, "T", 2, &type);
	printf("# one node: 100000 writes of 1900 bytes in one transaction: %u OK, first error %s, commit %s; peak RSS %ld KB\n",
	       ok, first, type == XS_ERROR ? r : "OK", peak_kb());
	verdict(ok == 100000 && type != XS_ERROR && peak_kb() < peak_limit_kb,
		"100000 writes of 1.9 KB to one node in one transaction collapse into one copy, as in xenstored");
	xs_conn_close(c);
	xs_store_destroy(&st);
}

/* The same, to 100,000 different nodes: the quotas end it early. */
static void many_nodes(void)
{
	char val[1901], path[32], first[32] = "none";
	unsigned int i, ok = 0;
	struct xs_conn *c;
	const char *r;
	u32 t, type;

	init_store();
	c = xs_conn_open(&st, NULL, NULL);
	memset(val, 'v', 1900);
	val[1900] = '\0';
	t = start(c, &r);
	for (i = 0; i < 100000; i++) {
		snprintf(path, sizeof(path), "data/m%u/n%u", i / 20, i % 20);
		r = wr(c, t, path, val, &type);
		if (type == XS_ERROR) {
			if (!strcmp(first, "none"))
				snprintf(first, sizeof(first), "%s at %u", r, i + 1);
		} else {
			ok++;
		}
	}
	r = rq(c, XS_TRANSACTION_END, t, "T", 2, &type);
	printf("# many nodes: 100000 writes of 1900 bytes to new nodes in one transaction: %u OK, first error %s, commit %s; peak RSS %ld KB\n",
	       ok, first, type == XS_ERROR ? r : "OK", peak_kb());
	verdict(ok < 1000 && !strncmp(first, "ENOSPC", 6) && peak_kb() < peak_limit_kb,
		"writes of 1.9 KB to new nodes in one transaction are refused early with ENOSPC");
	xs_conn_close(c);
	xs_store_destroy(&st);
}

/*
 * 200 files with 10 transactions each over a 427-node store (values of
 * 1.9 KB); every open transaction then reads every node once.
 */
static void many_txns(void)
{
	static struct xs_conn *c[200];
	static u32 ids[200][10];
	char path[48], first[32] = "none", rfirst[32] = "none", val[1901];
	unsigned int i, j, k, ok = 0, reads = 0, nodes, nseed;
	const char *r;
	u32 type;

	init_store();
	c[0] = xs_conn_open(&st, NULL, NULL);
	memset(val, 's', 1900);
	val[1900] = '\0';
	for (nseed = 0; ; nseed++) {
		nodes = xs_count_owned(st.tree.root, 0) +
			xs_count_owned(st.tree.root, 1);
		if (nodes >= 427)
			break;
		snprintf(path, sizeof(path), "data/s%u/k%u", nseed / 40, nseed % 40);
		wr(c[0], 0, path, val, &type);
	}
	for (i = 1; i < 200; i++)
		c[i] = xs_conn_open(&st, NULL, NULL);
	for (i = 0; i < 200; i++)
		for (j = 0; j < 10; j++) {
			ids[i][j] = start(c[i], &r);
			if (ids[i][j])
				ok++;
			else if (!strcmp(first, "none"))
				snprintf(first, sizeof(first), "%s at %u", r, i * 10 + j + 1);
		}
	for (i = 0; i < 200; i++)
		for (j = 0; j < 10; j++)
			for (k = 0; ids[i][j] && k < nseed; k++) {
				snprintf(path, sizeof(path), "data/s%u/k%u", k / 40, k % 40);
				r = rq(c[i], XS_READ, ids[i][j], path, strlen(path) + 1, &type);
				if (type != XS_ERROR)
					reads++;
				else if (!strcmp(rfirst, "none"))
					snprintf(rfirst, sizeof(rfirst), "%s at %u", r, reads + 1);
			}
	printf("# many transactions: 200 files x 10 over %u nodes: %u started, first refusal %s; reads in them %u OK, first refusal %s; peak RSS %ld KB\n",
	       nodes, ok, first, reads, rfirst, peak_kb());
	verdict(ok == 10 && !strcmp(first, "ENOSPC at 11") && !strncmp(rfirst, "ENOMEM", 6) &&
		peak_kb() < peak_limit_kb,
		"200 files x 10 transactions: the 11th is ENOSPC, their copies end in ENOMEM");
	for (i = 0; i < 200; i++)
		xs_conn_close(c[i]);
	xs_store_destroy(&st);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (argc > 3 && !strcmp(argv[2], "--tap"))
		tap = atoi(argv[3]);

	if (!strcmp(what, "one-node"))
		one_node();
	else if (!strcmp(what, "many-nodes"))
		many_nodes();
	else if (!strcmp(what, "many-txns"))
		many_txns();
	else
		return fprintf(stderr, "usage: xs_memory one-node|many-nodes|many-txns\n"), 2;
	return 0;
}
