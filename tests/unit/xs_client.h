/* SPDX-License-Identifier: GPL-2.0 */
/* A test client of the in-guest XenStore: send a request, read its reply. */
#ifndef _XENHV_XS_CLIENT_H
#define _XENHV_XS_CLIENT_H

#include "../../xen-compat/xenstore/xs.h"

/* One message read back from a connection. */
struct msg {
	u32 type, req_id, tx_id, len;
	char data[XENSTORE_PAYLOAD_MAX + 1];
};

static inline int read_msg(struct xs_conn *c, struct msg *m)
{
	struct xsd_sockmsg h;

	if (xs_conn_read(c, (char *)&h, sizeof(h)) != sizeof(h))
		return -1;
	m->type = h.type;
	m->req_id = h.req_id;
	m->tx_id = h.tx_id;
	m->len = h.len;
	if (h.len > XENSTORE_PAYLOAD_MAX ||
	    xs_conn_read(c, m->data, h.len) != h.len)
		return -1;
	m->data[h.len] = '\0';
	return 0;
}

static u32 next_req = 100;

/*
 * Send one request; return its reply (events queued before it are skipped
 * and counted in *events when given).
 */
static inline struct msg *rq(struct xs_conn *c, u32 type, u32 tx, const char *p,
		      unsigned int len)
{
	static struct msg m;
	struct xsd_sockmsg h = { .type = type, .req_id = ++next_req,
				 .tx_id = tx, .len = len };

	memset(&m, 0, sizeof(m));
	xs_conn_request(c, &h, p);
	while (read_msg(c, &m) == 0) {
		if (m.type != XS_WATCH_EVENT)
			return m.req_id == h.req_id ? &m : NULL;
	}
	return NULL;
}

/* A request whose payload is a string literal, its final NUL included. */
#define RQL(c, type, tx, lit)	rq(c, type, tx, lit, sizeof(lit))

/* Requests whose payload is a C string, NUL included. */
static inline struct msg *rqs(struct xs_conn *c, u32 type, u32 tx, const char *s)
{
	return rq(c, type, tx, s, strlen(s) + 1);
}

static inline struct msg *wr(struct xs_conn *c, u32 tx, const char *path, const char *val)
{
	char buf[8192];
	size_t pl = strlen(path) + 1, vl = strlen(val);

	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	return rq(c, XS_WRITE, tx, buf, pl + vl);
}

static inline bool is_err(const struct msg *m, const char *name)
{
	return m && m->type == XS_ERROR && !strcmp(m->data, name);
}

static inline bool is_ok(const struct msg *m)
{
	return m && m->type != XS_ERROR && !strcmp(m->data, "OK");
}

static inline bool reads(struct xs_conn *c, u32 tx, const char *path, const char *val)
{
	struct msg *m = rqs(c, XS_READ, tx, path);

	return m && m->type == XS_READ && m->len == strlen(val) &&
	       !memcmp(m->data, val, m->len);
}

/* Drain @c's output, counting watch events and remembering the last one. */
static inline int events(struct xs_conn *c, char *last_path, char *last_token)
{
	struct msg m;
	int n = 0;

	while (read_msg(c, &m) == 0) {
		if (m.type != XS_WATCH_EVENT)
			continue;
		n++;
		if (last_path)
			strcpy(last_path, m.data);
		if (last_token)
			strcpy(last_token, m.data + strlen(m.data) + 1);
	}
	return n;
}

#endif /* _XENHV_XS_CLIENT_H */
