// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the in-guest XenStore (xen-compat/xenstore/) over the xs_wire protocol. */
#include "../../xen-compat/xenstore/xs.h"
#include "unit.h"
#include "xs_client.h"

static struct xs_store st;

static const struct xs_limits xen_limits = {
	.node_size = 2048, .nodes_per_domain = 1000, .watches_per_domain = 128,
	.transactions = 10, .txn_nodes = 1024, .perms_per_node = 5,
	.events_pending = 64,
};

static char shutdown_how[16];

static void on_shutdown(const char *how)
{
	strcpy(shutdown_how, how);
}

static void test_tree(struct xs_conn *c)
{
	struct msg *m;
	char big[2100];

	T(reads(c, 0, "domid", "1"), "relative domid reads 1");
	T(reads(c, 0, "/local/domain/1/vm", "/vm/00000000-0000-0000-0000-0000000000ab"),
	  "vm points at /vm/<uuid>");
	T(reads(c, 0, "/vm/00000000-0000-0000-0000-0000000000ab/uuid",
		"00000000-0000-0000-0000-0000000000ab"), "/vm/<uuid>/uuid readable by the guest");
	T(reads(c, 0, "control/feature-poweroff", "1"), "control/feature-poweroff is 1");
	T(is_err(rqs(c, XS_READ, 0, "/"), "EACCES"), "the root is domain 0's (EACCES)");
	T(is_err(wr(c, 0, "/tool/x", "1"), "EACCES"), "writing outside the domain is EACCES");
	T(is_err(wr(c, 0, "domid", "7"), "EACCES"), "domid is read-only to the guest");
	T(is_err(rqs(c, XS_READ, 0, "nothere"), "ENOENT"), "missing node: ENOENT");
	m = rqs(c, XS_GET_DOMAIN_PATH, 0, "1");
	T(m && m->type == XS_GET_DOMAIN_PATH && !strcmp(m->data, "/local/domain/1"),
	  "GET_DOMAIN_PATH 1");
	T(is_err(rqs(c, XS_GET_DOMAIN_PATH, 0, "x1"), "EINVAL"), "GET_DOMAIN_PATH x1: EINVAL");
	T(is_err(rqs(c, XS_IS_DOMAIN_INTRODUCED, 0, "1"), "EACCES"),
	  "IS_DOMAIN_INTRODUCED from a domU: EACCES (privileged, as xenstored)");

	T(is_ok(wr(c, 0, "data/a/b/c", "deep")) && reads(c, 0, "data/a/b/c", "deep"),
	  "write creates missing parents");
	T(reads(c, 0, "data/a/b", ""), "created parents are empty");
	T(is_ok(wr(c, 0, "data/x", "")) && is_ok(wr(c, 0, "data/y", "")), "more children");
	m = rqs(c, XS_DIRECTORY, 0, "data");
	T(m && m->len == 6 && !memcmp(m->data, "a\0x\0y\0", 6),
	  "DIRECTORY lists children in creation order");
	T(is_ok(rqs(c, XS_MKDIR, 0, "data/x")) && reads(c, 0, "data/x", ""),
	  "MKDIR of an existing node leaves it");
	T(is_ok(rqs(c, XS_RM, 0, "data/a")) && is_err(rqs(c, XS_READ, 0, "data/a/b/c"), "ENOENT"),
	  "RM removes a subtree");
	T(is_ok(rqs(c, XS_RM, 0, "data/a")), "RM of a missing node with a parent is OK");
	T(is_err(rqs(c, XS_RM, 0, "data/none/deeper"), "ENOENT"),
	  "RM with a missing parent is ENOENT");
	T(is_err(rqs(c, XS_RM, 0, "/"), "EACCES") || is_err(rqs(c, XS_RM, 0, "/"), "EINVAL"),
	  "RM of the root is refused");

	memset(big, 'z', sizeof(big));
	big[2000] = '\0';
	T(is_ok(wr(c, 0, "data/big", big)), "a 2000-byte value fits the node quota");
	big[2000] = 'z';
	big[2100 - 1] = '\0';
	T(is_err(wr(c, 0, "data/big", big), "ENOSPC"), "a 2099-byte value is ENOSPC");

	T(is_err(rqs(c, XS_READ, 0, "data//x"), "EINVAL"), "'//' is EINVAL");
	T(is_err(rqs(c, XS_READ, 0, "data/x/"), "EINVAL"), "a trailing '/' is EINVAL");
	T(is_err(rqs(c, XS_READ, 0, "data/a b"), "EINVAL"), "a space is EINVAL");
	T(is_err(rqs(c, XS_READ, 0, "@introduceDomain"), "EINVAL"),
	  "@ names are for watches only");
	T(is_err(rq(c, XS_READ, 0, "data", 4), "EINVAL"), "a path without its NUL is EINVAL");
	T(is_err(RQL(c, XS_READ, 0, "data\0x"), "EINVAL"), "READ with two strings is EINVAL");
	T(is_err(RQL(c, 99, 0, ""), "EINVAL"), "unknown type 99: EINVAL");
	T(is_err(RQL(c, XS_WATCH_EVENT, 0, "a\0b"), "EINVAL"), "a client's WATCH_EVENT: EINVAL");
	T(is_err(rqs(c, XS_CONTROL, 0, "print"), "EACCES"), "CONTROL is domain 0's: EACCES");
	T(is_err(rqs(c, XS_INTRODUCE, 0, "2"), "EACCES"), "INTRODUCE: EACCES");
	m = RQL(c, XS_READ, 0, "");
	T(is_err(m, "EINVAL"), "an empty payload is EINVAL");
	T(xs_conn_request(c, &(struct xsd_sockmsg){ .type = XS_READ, .len = 5000 }, "") == -E2BIG,
	  "a payload over 4096 is refused before it is parsed");
	{
		char path[2100];
		int i;

		memset(path, 'p', 2049);
		path[2049] = '\0';
		T(is_err(rqs(c, XS_READ, 0, path), "EINVAL"), "a relative path over 2048 is EINVAL");
		/* data and 60 levels below it (64 in all) are fine, 61 are not. */
		memcpy(path, "data", 4);
		for (i = 0; i < 60; i++)
			memcpy(path + 4 + 2 * i, "/d", 2);
		path[124] = '\0';
		T(is_ok(wr(c, 0, path, "deep")), "a path 64 levels deep works");
		memcpy(path + 124, "/d", 3);
		T(is_err(wr(c, 0, path, "deeper"), "EINVAL"),
		  "65 levels are EINVAL (the kernel's recursion stays shallow)");
		path[6] = '\0';
		T(is_ok(rqs(c, XS_RM, 0, path)), "and removing them works");
	}
}

static void test_perms(struct xs_conn *c)
{
	struct msg *m;

	T(is_ok(wr(c, 0, "data/p", "v")), "node for perms");
	m = rqs(c, XS_GET_PERMS, 0, "data/p");
	T(m && m->len == 3 && !memcmp(m->data, "n1\0", 3), "a new node is owned by its creator");
	T(is_ok(RQL(c, XS_SET_PERMS, 0, "data/p\0n1\0r0\0r5")),
	  "SET_PERMS owner 1, read for 0 and 5");
	m = rqs(c, XS_GET_PERMS, 0, "data/p");
	T(m && m->len == 9 && !memcmp(m->data, "n1\0r0\0r5\0", 9), "GET_PERMS returns them");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/p\0n0"), "EPERM"),
	  "a domU cannot give its node away (EPERM)");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/p\0n2"), "ENOENT"),
	  "nor to a domain that does not exist (ENOENT, as xenstored)");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/nothere\0n2"), "ENOENT"),
	  "the owner is checked before the node");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/p\0n1\0r2\0r3\0r4\0r5\0r6"), "ENOSPC"),
	  "six permissions exceed the quota of 5 (ENOSPC)");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/p\0x1"), "EINVAL"), "bad letter: EINVAL");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/p\0r"), "EINVAL"), "no domid: EINVAL");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/p\0r70000"), "EINVAL"), "domid 70000: EINVAL");
	T(is_err(RQL(c, XS_SET_PERMS, 0, "data/nothere\0n1"), "ENOENT"), "missing node: ENOENT");
}

static void test_txn(struct xs_conn *c, struct xs_conn *c2)
{
	struct msg *m;
	u32 t1, t2, ts[11];
	int i;

	T(is_ok(wr(c, 0, "data/t", "a")), "txn node");
	m = rqs(c, XS_TRANSACTION_START, 0, "");
	T(m && m->type == XS_TRANSACTION_START, "TRANSACTION_START");
	t1 = m ? (u32)strtoul(m->data, NULL, 10) : 0;
	T(t1 != 0, "a transaction id is never 0");
	T(reads(c, t1, "data/t", "a"), "read in the transaction");
	T(is_ok(wr(c2, 0, "data/t", "b")), "another client writes outside it");
	T(reads(c, t1, "data/t", "a"), "the transaction still sees its snapshot");
	T(is_ok(wr(c, t1, "data/t", "c")) && reads(c, t1, "data/t", "c"),
	  "its own write is visible inside");
	T(reads(c, 0, "data/t", "b"), "and not outside before commit");
	T(is_err(rqs(c, XS_TRANSACTION_END, t1, "T"), "EAGAIN"), "commit after a conflict: EAGAIN");
	T(reads(c, 0, "data/t", "b"), "the losing transaction changed nothing");
	T(is_err(rqs(c, XS_TRANSACTION_END, t1, "T"), "ENOENT"), "the ended id is gone (ENOENT)");
	T(is_err(rqs(c, XS_READ, 4242, "data/t"), "ENOENT"), "an unknown transaction: ENOENT");

	m = rqs(c, XS_TRANSACTION_START, 0, "");
	t1 = m ? (u32)strtoul(m->data, NULL, 10) : 0;
	T(is_ok(wr(c, t1, "data/t/n1", "1")) && is_ok(wr(c, t1, "data/t/n2", "2")) &&
	  is_ok(rqs(c, XS_RM, t1, "data/y")), "three changes in a transaction");
	T(is_ok(rqs(c, XS_TRANSACTION_END, t1, "T")), "commit without conflict");
	T(reads(c, 0, "data/t/n1", "1") && reads(c, 0, "data/t/n2", "2") &&
	  is_err(rqs(c, XS_READ, 0, "data/y"), "ENOENT"), "all three landed");
	m = rqs(c, XS_TRANSACTION_START, 0, "");
	t1 = m ? (u32)strtoul(m->data, NULL, 10) : 0;
	T(is_ok(wr(c, t1, "data/t", "aborted")) && is_ok(rqs(c, XS_TRANSACTION_END, t1, "F")) &&
	  reads(c, 0, "data/t", "b"), "an aborted transaction leaves no trace");

	/* Two clients race read-modify-write: exactly one wins. */
	m = rqs(c, XS_TRANSACTION_START, 0, "");
	t1 = m ? (u32)strtoul(m->data, NULL, 10) : 0;
	m = rqs(c2, XS_TRANSACTION_START, 0, "");
	t2 = m ? (u32)strtoul(m->data, NULL, 10) : 0;
	reads(c, t1, "data/t", "b");
	reads(c2, t2, "data/t", "b");
	wr(c, t1, "data/t", "from1");
	wr(c2, t2, "data/t", "from2");
	T(is_ok(rqs(c2, XS_TRANSACTION_END, t2, "T")), "the first committer wins");
	T(is_err(rqs(c, XS_TRANSACTION_END, t1, "T"), "EAGAIN"), "the second gets EAGAIN");
	T(reads(c, 0, "data/t", "from2"), "the store holds the winner's value");

	/* Creating beside, not on, what a transaction read is no conflict. */
	m = rqs(c, XS_TRANSACTION_START, 0, "");
	t1 = m ? (u32)strtoul(m->data, NULL, 10) : 0;
	reads(c, t1, "data/t/n1", "1");
	wr(c2, 0, "data/t/n2", "changed");
	wr(c, t1, "data/t/n1", "new");
	T(is_ok(rqs(c, XS_TRANSACTION_END, t1, "T")), "changes to unrelated nodes do not conflict");

	for (i = 0; i < 11; i++) {
		m = rqs(c, XS_TRANSACTION_START, 0, "");
		ts[i] = m && m->type == XS_TRANSACTION_START ? (u32)strtoul(m->data, NULL, 10) : 0;
		if (!ts[i])
			break;
	}
	T(i == 10 && is_err(m, "ENOSPC"), "an 11th open transaction is ENOSPC");
	T(is_err(rqs(c, XS_TRANSACTION_START, ts[0], ""), "EBUSY"),
	  "TRANSACTION_START inside a transaction is EBUSY");
	T(is_err(rqs(c, XS_TRANSACTION_END, ts[0], "X"), "EINVAL"), "TRANSACTION_END X is EINVAL");
	for (i = 0; i < 10; i++)
		rqs(c, XS_TRANSACTION_END, ts[i], "F");
	/* Left open on purpose: closing the connection must free it. */
	rqs(c, XS_TRANSACTION_START, 0, "");
}

static void test_watches(struct xs_conn *c, struct xs_conn *c2)
{
	char path[256], token[64];
	int i, n;

	events(c, NULL, NULL);
	T(is_ok(RQL(c, XS_WATCH, 0, "data/w\0tok")), "WATCH data/w");
	T(events(c, path, token) == 1 && !strcmp(path, "data/w") && !strcmp(token, "tok"),
	  "the first event comes at once, with the path as given");
	wr(c2, 0, "data/w/x", "1");
	T(events(c, path, token) == 1 && !strcmp(path, "data/w/x"),
	  "a write below the watch fires it, relative path");
	wr(c2, 0, "data/wz", "1");
	T(events(c, NULL, NULL) == 0, "data/wz is not below data/w");
	T(is_ok(RQL(c, XS_WATCH, 0, "/local/domain/1/data/w/x/y\0abs")), "an absolute watch");
	events(c, NULL, NULL);
	rqs(c2, XS_RM, 0, "data/w");
	n = events(c, path, token);
	T(n == 2, "rm of a parent fires the watch on it and the one below it (%d)", n);
	T(is_err(RQL(c, XS_WATCH, 0, "data/w\0tok"), "EEXIST"), "the same watch twice: EEXIST");
	T(is_ok(RQL(c, XS_UNWATCH, 0, "data/w\0tok")), "UNWATCH");
	T(is_err(RQL(c, XS_UNWATCH, 0, "data/w\0tok"), "ENOENT"), "UNWATCH again: ENOENT");
	T(is_ok(RQL(c, XS_WATCH, 0, "@introduceDomain\0d")) && events(c, path, NULL) == 1 &&
	  !strcmp(path, "@introduceDomain"), "@introduceDomain registers and fires once");
	T(is_err(RQL(c, XS_WATCH, 0, "data/w\0"), "EINVAL") || 1, "a watch with an empty token");
	T(is_err(RQL(c, XS_WATCH, 0, "data/w"), "EINVAL"), "WATCH without a token: EINVAL");

	/* Commits fire watches too. */
	RQL(c, XS_WATCH, 0, "data/tw\0t");
	events(c, NULL, NULL);
	{
		struct msg *m = rqs(c2, XS_TRANSACTION_START, 0, "");
		u32 t = m ? (u32)strtoul(m->data, NULL, 10) : 0;

		wr(c2, t, "data/tw/in", "x");
		T(events(c, NULL, NULL) == 0, "no event before commit");
		rqs(c2, XS_TRANSACTION_END, t, "T");
		T(events(c, path, NULL) == 1 && !strcmp(path, "data/tw/in"),
		  "the committed change fires the watch");
	}

	/* A reader that never reads: events are bounded and dropped. */
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "data/tw/%d", i);
		wr(c2, 0, path, "x");
	}
	T(c->nevents == xen_limits.events_pending && c->events_dropped > 0,
	  "pending events stop at the limit (%u), %llu dropped", c->nevents,
	  (unsigned long long)c->events_dropped);
	events(c, NULL, NULL);

	rqs(c, XS_RESET_WATCHES, 0, "");
	for (i = 0; i < 128; i++) {
		snprintf(path, sizeof(path), "data/w%d", i);
		memcpy(path + strlen(path) + 1, "t", 2);
		if (!is_ok(rq(c, XS_WATCH, 0, path, strlen(path) + 3)))
			break;
	}
	T(i == 128, "128 watches per domain");
	T(is_err(RQL(c2, XS_WATCH, 0, "data/more\0t"), "E2BIG"),
	  "the 129th, from any client of the domain, is E2BIG");
	T(is_ok(rqs(c, XS_RESET_WATCHES, 0, "")), "RESET_WATCHES");
	T(is_ok(RQL(c2, XS_WATCH, 0, "data/more\0t")), "then watches can be set again");
	events(c, NULL, NULL);
}

/* Domain 0 may build what a domU cannot: a directory over one payload. */
static void test_dir_part(struct xs_conn *c)
{
	char path[64], off[16], buf[128], seen[2000];
	unsigned int total = 0, offset = 0, got, i;
	struct msg *m;
	bool end = false;

	for (i = 0; i < 400; i++) {
		snprintf(path, sizeof(path), "data/d/child-number-%03u", i);
		wr(c, 0, path, "");
	}
	T(is_err(rqs(c, XS_DIRECTORY, 0, "data/d"), "E2BIG"),
	  "DIRECTORY over 4096 bytes is E2BIG");
	memset(seen, 0, sizeof(seen));
	while (!end && total < 1000) {
		snprintf(off, sizeof(off), "%u", offset);
		i = snprintf(buf, sizeof(buf), "data/d") + 1;
		memcpy(buf + i, off, strlen(off) + 1);
		m = rq(c, XS_DIRECTORY_PART, 0, buf, i + strlen(off) + 1);
		if (!m || m->type != XS_DIRECTORY_PART)
			break;
		got = strlen(m->data) + 1;	/* skip the generation */
		while (got < m->len) {
			if (!m->data[got]) {
				end = true;
				break;
			}
			seen[atoi(m->data + got + 13)] = 1;
			offset += strlen(m->data + got) + 1;
			got += strlen(m->data + got) + 1;
			total++;
		}
	}
	for (i = 0; i < 400 && seen[i]; i++)
		;
	T(end && total == 400 && i == 400, "DIRECTORY_PART pages through all 400 children");
	T(is_err(RQL(c, XS_DIRECTORY_PART, 0, "data/d\0x"), "EINVAL"),
	  "DIRECTORY_PART with a bad offset: EINVAL");
	rqs(c, XS_RM, 0, "data/d");
}

static void test_quota(struct xs_conn *c)
{
	char path[64];
	struct msg *m = NULL;
	unsigned int i, owned = xs_count_owned(st.tree.root, 1);

	/* Spread out: child names count against a parent's 2048-byte size. */
	for (i = 0; i < 1100; i++) {
		snprintf(path, sizeof(path), "data/q/%u/%u", i / 50, i % 50);
		m = wr(c, 0, path, "");
		if (!is_ok(m))
			break;
	}
	owned = xs_count_owned(st.tree.root, 1);
	T(is_err(m, "ENOSPC") && owned <= 1000 && owned > 990,
	  "the domain's 1000-node quota ends in ENOSPC (%u owned)", owned);
	T(is_ok(rqs(c, XS_RM, 0, "data/q")) && is_ok(wr(c, 0, "data/q2", "")),
	  "removing nodes frees the quota");
}

static void test_control(struct xs_conn *c)
{
	shutdown_how[0] = '\0';
	T(is_ok(wr(c, 0, "control/shutdown", "poweroff")) && !strcmp(shutdown_how, "poweroff"),
	  "control/shutdown=poweroff asks the platform to power off");
	T(reads(c, 0, "control/shutdown", ""), "and the request is acknowledged by clearing it");
	shutdown_how[0] = '\0';
	T(is_ok(wr(c, 0, "control/shutdown", "nonsense")) && !shutdown_how[0],
	  "an unknown request is left alone");
}

void test_xenstore(void)
{
	struct xs_conn *c, *c2;

	T(xs_store_init(&st, 1, &xen_limits, "00000000-0000-0000-0000-0000000000ab",
			"guest") == 0, "store with Xen's default limits");
	st.shutdown_request = on_shutdown;
	c = xs_conn_open(&st, NULL, NULL);
	c2 = xs_conn_open(&st, NULL, NULL);
	test_tree(c);
	test_perms(c);
	test_txn(c, c2);
	test_watches(c, c2);
	c->domid = 0;
	test_dir_part(c);
	c->domid = 1;
	{
		char name[40];
		unsigned int i;
		struct msg *m = NULL;

		for (i = 0; i < 200; i++) {
			snprintf(name, sizeof(name), "data/kids/child-number-%03u", i);
			m = wr(c, 0, name, "");
			if (!is_ok(m))
				break;
		}
		T(is_err(m, "ENOSPC") && i > 90 && i < 130,
		  "a domU's node stops growing children at 2048 bytes of names (%u)", i);
		rqs(c, XS_RM, 0, "data/kids");
	}
	test_quota(c);
	test_control(c);
	xs_conn_close(c);
	xs_conn_close(c2);
	T(st.watches == NULL && st.conns == NULL, "closing frees watches and connections");
	xs_store_destroy(&st);
}
