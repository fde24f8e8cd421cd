// SPDX-License-Identifier: GPL-2.0
/* Unit tests of XenStore's per-domain quotas, copy-on-touch transactions and libxl's ownership layout. */
#include "unit.h"
#include "xs_client.h"

static struct xs_store st;

static const struct xs_limits limits = {
	.node_size = 2048, .nodes_per_domain = 1000, .watches_per_domain = 128,
	.transactions = 10, .txn_nodes = 1024, .perms_per_node = 5,
	.events_pending = 64, .outstanding = 20, .memory = 2621440,
};

static u32 txstart(struct xs_conn *c)
{
	struct msg *m = rqs(c, XS_TRANSACTION_START, 0, "");

	return m && m->type == XS_TRANSACTION_START ? (u32)strtoul(m->data, NULL, 10) : 0;
}

static bool perms_are(struct xs_conn *c, const char *path, const char *want,
		      unsigned int len)
{
	struct msg *m = rqs(c, XS_GET_PERMS, 0, path);

	return m && m->type == XS_GET_PERMS && m->len == len &&
	       !memcmp(m->data, want, len);
}

#define PERMS(c, path, lit)	perms_are(c, path, lit, sizeof(lit) - 1)

/* The counters agree with a walk of the tree. */
static bool usage_consistent(void)
{
	return st.use.nodes == xs_count_owned(st.tree.root, st.domid);
}

/* libxl__domain_make()'s layout, and what a domU may and may not do in it. */
static void test_layout(struct xs_conn *c)
{
	T(PERMS(c, "/local/domain/1", "n0\0r1\0"), "the home is domain 0's, readable by the guest");
	T(PERMS(c, "domid", "n0\0r1\0") && PERMS(c, "name", "n0\0r1\0") &&
	  PERMS(c, "vm", "n0\0r1\0"), "domid, name and vm are domain 0's, readable");
	T(PERMS(c, "control", "n0\0r1\0") && PERMS(c, "memory", "n0\0r1\0") &&
	  PERMS(c, "device", "n0\0r1\0") && PERMS(c, "cpu", "n0\0r1\0"),
	  "control, memory, device, cpu are domain 0's, readable");
	T(PERMS(c, "data", "n1\0") && PERMS(c, "attr", "n1\0") && PERMS(c, "drivers", "n1\0") &&
	  PERMS(c, "feature", "n1\0") && PERMS(c, "error", "n1\0"),
	  "data, attr, drivers, feature, error are the guest's");
	T(PERMS(c, "control/shutdown", "n1\0") && PERMS(c, "control/feature-poweroff", "n1\0") &&
	  PERMS(c, "control/feature-suspend", "n1\0") && PERMS(c, "control/sysrq", "n1\0") &&
	  PERMS(c, "device/suspend/event-channel", "n1\0"),
	  "the control/ feature keys and the suspend event channel are the guest's");
	T(reads(c, 0, "control/platform-feature-xs_reset_watches", "1"),
	  "control/platform-feature-xs_reset_watches is 1, as libxl writes it");

	T(is_err(rqs(c, XS_RM, 0, "/local/domain/1"), "EACCES"), "the guest cannot remove its home");
	T(is_err(rqs(c, XS_RM, 0, "domid"), "EACCES") && is_err(rqs(c, XS_RM, 0, "name"), "EACCES") &&
	  is_err(rqs(c, XS_RM, 0, "vm"), "EACCES"), "nor domid, name or vm");
	T(reads(c, 0, "domid", "1"), "and they stay");
	T(is_err(wr(c, 0, "name", "evil"), "EACCES"), "name is not the guest's to write");
	T(is_err(wr(c, 0, "xenstore-test/1/a", "x"), "EACCES"),
	  "a new child of the home is EACCES (test-xenstore's pre-init on Xen)");
	T(is_err(rqs(c, XS_MKDIR, 0, "newdir"), "EACCES"), "MKDIR in the home: EACCES");
	T(is_err(wr(c, 0, "control/newkey", "1"), "EACCES"), "a new key in control/: EACCES");
	T(is_ok(wr(c, 0, "control/feature-poweroff", "1")), "the guest writes its feature keys");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "domid\0n0\0b1"), "EACCES"),
	  "SET_PERMS on domain 0's node: EACCES (not the owner)");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "/local/domain/1\0n1"), "EACCES"),
	  "the guest cannot take its home");

	/* Write permission is not ownership: xenstored's XS_PERM_OWNER. */
	T(xs_store_write(&st, "/local/domain/1/data/shared", "v", 1) == 0 &&
	  xs_store_chmod(&st, "/local/domain/1/data/shared", "n0\0b1", 6) == 0,
	  "domain 0 shares data/shared with the guest (n0 b1)");
	T(is_ok(wr(c, 0, "data/shared", "w")), "the guest may write it");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/shared\0n0\0b1\0r2"), "EACCES"),
	  "but not change its permissions (EACCES)");
	T(is_ok(rqs(c, XS_RM, 0, "data/shared")), "and may remove it (write permission)");

	/* What exists under an unreadable parent is not revealed. */
	T(is_err(rqs(c, XS_READ, 0, "/tool/nothere"), "EACCES"), "a missing node under /tool: EACCES");
	T(is_err(rqs(c, XS_READ, 0, "/local/domain/0/name"), "EACCES"),
	  "a missing domain 0 home: EACCES, not ENOENT");
	T(is_err(rqs(c, XS_READ, 0, "/tool"), "EACCES"), "an existing unreadable node: EACCES");
	T(is_err(rqs(c, XS_READ, 0, "data/nothere"), "ENOENT"), "under a readable parent: ENOENT");
	T(is_err(rqs(c, XS_READ, 0, "data/no/deeper"), "ENOENT"), "two levels missing: ENOENT");
	T(is_err(rqs(c, XS_RM, 0, "/tool/x"), "EACCES"), "RM under /tool: EACCES");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "/tool/x\0n1"), "EACCES"), "SET_PERMS under /tool: EACCES");
	T(is_err(rqs(c, XS_DIRECTORY, 0, "/local/domain"), "EACCES"), "DIRECTORY /local/domain: EACCES");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/nothere\0n1"), "ENOENT"),
	  "SET_PERMS of a missing node in data/: ENOENT");
}

/* The admin's remedy for test-xenstore: extra guest-writable children of the home. */
static void test_guest_writable(struct xs_conn *c)
{
	st.guest_writable = "foo,xenstore-test";
	T(is_ok(wr(c, 0, "xenstore-test/1/a", "x")), "with xenstore-test listed, the guest creates it");
	T(PERMS(c, "xenstore-test", "n1\0r1\0"), "and owns it");
	T(is_ok(rqs(c, XS_RM, 0, "xenstore-test")), "removes it");
	T(is_ok(rqs(c, XS_MKDIR, 0, "xenstore-test")), "and creates it again");
	T(is_ok(rqs(c, XS_RM, 0, "xenstore-test")), "(removed)");
	T(is_err(wr(c, 0, "xenstore-tes", "x"), "EACCES") &&
	  is_err(wr(c, 0, "xenstore-testx/a", "x"), "EACCES"), "only the names listed");
	T(is_err(wr(c, 0, "name", "x"), "EACCES"), "never domain 0's existing nodes");
	T(is_err(wr(c, 0, "control/xenstore-test", "x"), "EACCES"), "only children of the home");
	st.guest_writable = NULL;
	T(is_err(wr(c, 0, "xenstore-test/1/a", "x"), "EACCES"), "unlisted again: EACCES");
}

/* Transactions, watches and replies count for the domain, not the file. */
static int notified;

static void count_notify(void *priv)
{
	(void)priv;
	notified++;
}

static void test_domain_quotas(struct xs_conn *c, struct xs_conn *c2)
{
	struct xs_conn *c3 = xs_conn_open(&st, count_notify, NULL);
	u32 ids[10], t;
	int i, ok = 0;

	for (i = 0; i < 6; i++)
		ok += !!(ids[i] = txstart(c));
	for (i = 6; i < 10; i++)
		ok += !!(ids[i] = txstart(c2));
	T(ok == 10 && st.use.transactions == 10, "10 transactions over two files");
	T(is_err(rqs(c3, XS_TRANSACTION_START, 0, ""), "ENOSPC"),
	  "an 11th, from a third file of the domain, is ENOSPC");
	rqs(c, XS_TRANSACTION_END, ids[0], "F");
	t = txstart(c3);
	T(t != 0, "one ends: the third file may start one");
	T(is_err(rqs(c2, XS_READ, ids[5], "domid"), "ENOENT"),
	  "another file's transaction id is ENOENT");
	for (i = 1; i < 6; i++)
		rqs(c, XS_TRANSACTION_END, ids[i], "F");
	for (i = 6; i < 10; i++)
		rqs(c2, XS_TRANSACTION_END, ids[i], "F");
	rqs(c3, XS_TRANSACTION_END, t, "F");
	T(st.use.transactions == 0, "all ended: none counted");

	/* Outstanding requests: the domain's unread replies. */
	for (i = 0; i < 20; i++)
		xs_conn_request(c3, &(struct xsd_sockmsg){ .type = XS_READ, .req_id = i,
							  .len = 6 }, "domid");
	T(st.use.outstanding == 20 && !xs_conn_may_send(c3),
	  "20 unread replies: that file waits");
	T(xs_conn_may_send(c2), "a file with none of its own may still send one");
	rqs(c2, XS_READ, 0, "domid");
	xs_conn_request(c2, &(struct xsd_sockmsg){ .type = XS_READ, .len = 6 }, "domid");
	T(!xs_conn_may_send(c2), "then it waits too (the domain is over its quota)");
	notified = 0;
	events(c2, NULL, NULL);
	T(!xs_conn_may_send(c3), "one reply read: still at the quota");
	events(c3, NULL, NULL);
	T(st.use.outstanding == 0 && xs_conn_may_send(c2) && xs_conn_may_send(c3),
	  "all read: every file may send");
	/* A file that goes away with unread replies frees the others too. */
	for (i = 0; i < 20; i++)
		xs_conn_request(c2, &(struct xsd_sockmsg){ .type = XS_READ, .len = 6 }, "domid");
	xs_conn_request(c3, &(struct xsd_sockmsg){ .type = XS_READ, .len = 6 }, "domid");
	notified = 0;
	T(!xs_conn_may_send(c3), "at the quota again");
	{
		struct xs_conn *keep = c2;

		c2 = NULL;
		xs_conn_close(keep);
	}
	T(notified > 0 && xs_conn_may_send(c3), "a file closed with 20 unread replies wakes the rest");
	events(c3, NULL, NULL);
	xs_conn_close(c3);
	T(usage_consistent(), "node counter agrees with the tree (%u)", st.use.nodes);
}

/* The guest's memory: nodes, copies, watches and queued output. */
static void test_memory(struct xs_conn *c, struct xs_conn *c2)
{
	size_t base = st.use.memory, limit = st.limits.memory;
	char val[1901], path[64];
	struct msg *m = NULL;
	int i, ok;
	u32 t;

	memset(val, 'm', 1900);
	val[1900] = '\0';
	T(base > 0 && base < 20000, "the initial tree is charged to the guest (%zu bytes)", base);
	st.limits.memory = base + 40000;
	for (i = 0, ok = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "data/mem/%d", i);
		m = wr(c, 0, path, val);
		if (!is_ok(m))
			break;
		ok++;
	}
	T(is_err(m, "ENOMEM") && ok > 10 && ok < 21,
	  "writes stop at the memory quota with ENOMEM (%d of 1.9 KB)", ok);
	T(st.use.memory <= st.limits.memory, "the usage stays within it (%zu)", st.use.memory);
	st.limits.memory = st.use.memory + 100;
	T(is_err(RQL(c, XS_WATCH, 0, "data/mem\0a-rather-long-token-for-a-watch-here"), "ENOMEM"),
	  "a watch over the quota: ENOMEM");
	T(is_err(rqs(c, XS_TRANSACTION_START, 0, ""), "ENOMEM"),
	  "a transaction start with no memory left: ENOMEM");
	st.limits.memory = st.use.memory + 20000;
	t = txstart(c);
	for (i = 0, ok = 0; i < 14; i++) {
		snprintf(path, sizeof(path), "data/mem/%d", i);
		m = rqs(c, XS_READ, t, path);
		if (!m || m->type != XS_READ)
			break;
		ok++;
	}
	T(ok < 14 && is_err(m, "ENOMEM"),
	  "a transaction's copies count too: reads stop with ENOMEM (%d)", ok);
	rqs(c, XS_TRANSACTION_END, t, "F");
	T(is_ok(rqs(c, XS_RM, 0, "data/mem")), "removing the nodes");
	st.limits.memory = limit;
	T(st.use.memory == base, "gives back every byte (%zu, was %zu)", st.use.memory, base);

	/* Repeated writes to one node in a transaction collapse into one copy. */
	t = txstart(c);
	for (i = 0, ok = 0; i < 10000; i++)
		ok += is_ok(wr(c, t, "data/one", val));
	T(ok == 10000 && st.use.memory < base + 8000,
	  "10000 writes of 1.9 KB to one node: all OK, %zu bytes", st.use.memory - base);
	T(is_ok(rqs(c, XS_TRANSACTION_END, t, "T")) && reads(c, 0, "data/one", val),
	  "and the commit lands the last value");

	/* Nodes touched per transaction (reads too), Xen's 1024. */
	t = txstart(c);
	for (i = 0, ok = 0; i < 1100; i++) {
		snprintf(path, sizeof(path), "data/one/none%d", i);
		m = rqs(c, XS_READ, t, path);
		if (!is_err(m, "ENOENT"))
			break;
		ok++;
	}
	T(is_err(m, "ENOSPC") && ok > 1000 && ok < 1024,
	  "the transaction's 1024 touched nodes end in ENOSPC (%d reads)", ok);
	rqs(c, XS_TRANSACTION_END, t, "F");

	/* Events past the memory quota are dropped, as xenstored drops them. */
	RQL(c2, XS_WATCH, 0, "data/ev\0t");
	events(c2, NULL, NULL);
	st.limits.memory = st.use.memory + 2000;
	for (i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "data/ev/%d", i % 2);
		wr(c, 0, path, "");
	}
	T(c2->nevents < 40 && c2->events_dropped > 0,
	  "events over the memory quota are dropped (%u queued)", c2->nevents);
	st.limits.memory = limit;
	events(c2, NULL, NULL);
	RQL(c2, XS_UNWATCH, 0, "data/ev\0t");
	rqs(c, XS_RM, 0, "data/ev");
	rqs(c, XS_RM, 0, "data/one");
	T(st.use.memory == base && usage_consistent(), "and nothing stays charged (%zu)",
	  st.use.memory);
}

/* Start copies nothing; commit applies only what was touched; conflicts are EAGAIN. */
static void test_cow(struct xs_conn *c, struct xs_conn *c2)
{
	struct xs_node *n;
	u64 gen;
	u32 t;

	wr(c, 0, "data/cow/a", "1");
	wr(c, 0, "data/cow/b", "2");
	n = xs_lookup(&st.tree, "/local/domain/1/data/cow/b");
	gen = n ? n->gen : 0;
	t = txstart(c);
	T(t && c->txns && c->txns->nnodes == 0 && c->txns->charge == sizeof(struct xs_txn),
	  "TRANSACTION_START copies no node");
	T(is_ok(wr(c, t, "data/cow/new", "x")) && reads(c, t, "data/cow/new", "x") &&
	  is_err(rqs(c2, XS_READ, 0, "data/cow/new"), "ENOENT"),
	  "a write in the transaction is invisible outside");
	T(c->txns->nnodes <= 5, "it copied only the nodes it touched (%u)", c->txns->nnodes);
	T(is_ok(wr(c2, 0, "data/cow/a", "changed")), "another client changes an untouched node");
	T(is_ok(rqs(c, XS_TRANSACTION_END, t, "T")), "no conflict: commit");
	T(reads(c, 0, "data/cow/a", "changed") && reads(c, 0, "data/cow/new", "x"),
	  "the commit kept the other change and added its own");
	n = xs_lookup(&st.tree, "/local/domain/1/data/cow/b");
	T(n && n->gen == gen, "an untouched node is not rewritten by the commit");

	t = txstart(c);
	reads(c, t, "data/cow/a", "changed");
	wr(c2, 0, "data/cow/a", "again");
	T(reads(c, t, "data/cow/a", "changed"), "a node read in the transaction reads the same");
	T(is_err(rqs(c, XS_TRANSACTION_END, t, "T"), "EAGAIN"), "and commit is EAGAIN");

	t = txstart(c);
	wr(c, t, "data/cow/p/x", "1");
	wr(c2, 0, "data/cow/p/y", "1");
	T(is_err(rqs(c, XS_TRANSACTION_END, t, "T"), "EAGAIN"),
	  "a child added beside one the transaction created: EAGAIN (the parent changed)");
	T(is_err(rqs(c, XS_READ, 0, "data/cow/p/x"), "ENOENT"), "the loser left nothing");

	wr(c, 0, "data/cow/r/old1", "o");
	wr(c, 0, "data/cow/r/old2/deep", "o");
	t = txstart(c);
	T(is_ok(rqs(c, XS_RM, t, "data/cow/r")) && is_ok(wr(c, t, "data/cow/r/new", "n")) &&
	  is_err(rqs(c, XS_READ, t, "data/cow/r/old1"), "ENOENT"),
	  "remove and re-create a subtree in one transaction");
	T(is_ok(rqs(c, XS_TRANSACTION_END, t, "T")), "commit");
	{
		struct msg *m = rqs(c, XS_DIRECTORY, 0, "data/cow/r");

		T(m && m->len == 4 && !memcmp(m->data, "new", 4) &&
		  is_err(rqs(c, XS_READ, 0, "data/cow/r/old2/deep"), "ENOENT"),
		  "only the new child is left");
	}
	T(usage_consistent(), "the node counter agrees with the tree (%u)", st.use.nodes);

	/* The node quota holds again at commit (Xen checks it there too). */
	st.limits.nodes_per_domain = st.use.nodes + 5;
	t = txstart(c);
	T(is_ok(wr(c, t, "data/cow/q/1", "")) && is_ok(wr(c, t, "data/cow/q/2", "")),
	  "a transaction creates 3 nodes within the quota");
	T(is_ok(wr(c2, 0, "data/other/1", "")) && is_ok(wr(c2, 0, "data/other/2", "")),
	  "meanwhile another file creates 3");
	T(is_err(rqs(c, XS_TRANSACTION_END, t, "T"), "ENOSPC"), "commit over the quota: ENOSPC");
	st.limits.nodes_per_domain = 1000;
	rqs(c, XS_RM, 0, "data/other");
	rqs(c, XS_RM, 0, "data/cow");
	T(usage_consistent(), "and the counter still agrees (%u)", st.use.nodes);
}

void test_xs_quota(void)
{
	struct xs_conn *c, *c2;

	T(xs_store_init(&st, 1, &limits, "00000000-0000-0000-0000-0000000000cd",
			"quota") == 0, "store with Xen's quotas");
	c = xs_conn_open(&st, NULL, NULL);
	c2 = xs_conn_open(&st, NULL, NULL);
	test_layout(c);
	test_guest_writable(c);
	test_domain_quotas(c, c2);
	c2 = xs_conn_open(&st, NULL, NULL);
	test_memory(c, c2);
	test_cow(c, c2);
	xs_conn_close(c);
	xs_conn_close(c2);
	T(st.use.transactions == 0 && st.use.watches == 0 && st.use.outstanding == 0 &&
	  usage_consistent(), "closing frees every count");
	xs_store_destroy(&st);
	T(st.use.memory == 0 && st.use.nodes == 0, "destroying the store frees every byte");
}
