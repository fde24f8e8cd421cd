// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: arbitrary byte streams as xs_wire requests from two clients. */
#include "../../xen-compat/xenstore/xs.h"

static const struct xs_limits limits = {
	.node_size = 2048, .nodes_per_domain = 200, .watches_per_domain = 32,
	.transactions = 4, .txn_nodes = 256, .perms_per_node = 5,
	.events_pending = 64, .outstanding = 20, .memory = 262144,
};

static void drain(struct xs_conn *c)
{
	char buf[512];

	while (xs_conn_read(c, buf, sizeof(buf)))
		;
}

/*
 * Input: records of [client byte][xsd_sockmsg][payload]; the header's len
 * is clamped to what is left, as the device hands over only whole messages.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xsd_sockmsg h;
	struct xs_store s;
	struct xs_conn *c[2];
	size_t off = 0;

	if (xs_store_init(&s, 1, &limits, "00000000-0000-0000-0000-000000000001", "fuzz"))
		return 0;
	c[0] = xs_conn_open(&s, NULL, NULL);
	c[1] = xs_conn_open(&s, NULL, NULL);
	while (c[0] && c[1] && off + 1 + sizeof(h) <= size) {
		struct xs_conn *conn = c[data[off] & 1];

		memcpy(&h, data + off + 1, sizeof(h));
		off += 1 + sizeof(h);
		if (h.len > size - off)
			h.len = size - off;
		/* Small transaction ids, so the fuzzer finds the open ones. */
		if (data[off - 1] & 0x80)
			h.tx_id &= 3;
		xs_conn_request(conn, &h, (const char *)data + off);
		off += h.len;
		drain(conn);
	}
	if (c[0])
		xs_conn_close(c[0]);
	if (c[1])
		xs_conn_close(c[1]);
	/* Whatever the input, the domain's counters come back to its tree. */
	if (s.use.transactions || s.use.watches || s.use.outstanding ||
	    s.use.nodes != xs_count_owned(s.tree.root, 1))
		abort();
	xs_store_destroy(&s);
	if (s.use.memory || s.use.nodes)
		abort();
	return 0;
}
