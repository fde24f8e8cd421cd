// SPDX-License-Identifier: GPL-2.0
/* The xs_wire protocol: one request in, its reply (or XS_ERROR) and any watch events out. */
#include "xs.h"
#include "../xen_abi.h"

#define XS_OK "OK"

/* The name Xen's xs_wire.h gives an errno, for XS_ERROR replies. */
static const char *xs_errname(int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xenhv_xsd_errors); i++)
		if (xenhv_xsd_errors[i].errnum == err)
			return xenhv_xsd_errors[i].errstring;
	return "EIO";
}

static int xs_reply(struct xs_conn *c, const struct xsd_sockmsg *h,
		    const char *payload, unsigned int len)
{
	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	return xs_queue(c, h->type, h->req_id, h->tx_id, payload, len, false);
}

static int xs_reply_ok(struct xs_conn *c, const struct xsd_sockmsg *h)
{
	return xs_reply(c, h, XS_OK, sizeof(XS_OK));
}

/* The whole payload is one NUL-terminated string. */
static const char *xs_onearg(const char *p, unsigned int len)
{
	if (!len || p[len - 1] || strlen(p) != len - 1)
		return NULL;
	return p;
}

/* The payload is exactly two NUL-terminated strings. */
static int xs_twoargs(const char *p, unsigned int len, const char **a,
		      const char **b)
{
	size_t n;

	if (!len || p[len - 1])
		return -EINVAL;
	n = strlen(p);
	if (n + 1 >= len || strlen(p + n + 1) != len - n - 2)
		return -EINVAL;
	*a = p;
	*b = p + n + 1;
	return 0;
}

static int xs_directory_part(struct xs_conn *c, const struct xsd_sockmsg *h,
			     const struct xs_tnode *n, const char *offstr)
{
	unsigned int clen = n->kidslen, len = 0, i, genlen, maxlen;
	const char *kids = n->kids;
	unsigned long off;
	char gen[24], *out;
	int ret;

	if (xs_parse_uint(offstr, 0xffffffffUL, &off))
		return -EINVAL;
	genlen = snprintf(gen, sizeof(gen), "%llu", (unsigned long long)n->gen) + 1;
	out = xs_zalloc(XENSTORE_PAYLOAD_MAX + 1);
	if (!out)
		return -ENOMEM;
	memcpy(out, gen, genlen);
	/* Whole names that fit; an empty name after the last marks the end. */
	if (off < clen) {
		maxlen = XENSTORE_PAYLOAD_MAX - genlen - 1;
		while (off + len < clen) {
			i = strlen(kids + off + len) + 1;
			if (len + i > maxlen)
				break;
			len += i;
		}
		memcpy(out + genlen, kids + off, len);
	}
	if (off + len >= clen)
		out[genlen + len++] = '\0';
	ret = xs_reply(c, h, out, genlen + len);
	xs_free(out);
	return ret;
}

static int xs_get_perms(struct xs_conn *c, const struct xsd_sockmsg *h,
			const struct xs_tnode *n)
{
	char *buf = xs_zalloc(n->nperms * 8 + 1);
	unsigned int i, len = 0;
	int ret;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n->nperms; i++)
		len += snprintf(buf + len, 8, "%c%u", n->perms[i].perm,
				n->perms[i].domid) + 1;
	ret = xs_reply(c, h, buf, len);
	xs_free(buf);
	return ret;
}

/* READ, DIRECTORY(_PART), GET_PERMS: in the transaction's view if any. */
static int xs_read_op(struct xs_conn *c, const struct xsd_sockmsg *h,
		      struct xs_txn *t, const char *payload)
{
	struct xs_store *s = c->store;
	const char *arg = payload, *off = NULL;
	struct xs_txn *view = t;
	struct xs_tnode *n;
	char *path;
	int ret;

	if (h->type == XENHV_XS_DIRECTORY_PART) {
		ret = xs_twoargs(payload, h->len, &arg, &off);
		if (ret)
			return ret;
	} else if (!xs_onearg(payload, h->len)) {
		return -EINVAL;
	}
	ret = xs_canonical(s, arg, &path, false);
	if (ret)
		return ret;
	if (!view)
		view = xs_txn_new(s, c->domid, true);
	ret = view ? xs_op_get(s, view, path, XS_PERM_READ, &n) : -ENOMEM;
	xs_free(path);
	if (ret)
		goto out;

	switch (h->type) {
	case XS_READ:
		ret = xs_reply(c, h, n->value, n->len);
		break;
	case XS_GET_PERMS:
		ret = xs_get_perms(c, h, n);
		break;
	case XENHV_XS_DIRECTORY_PART:
		ret = xs_directory_part(c, h, n, off);
		break;
	default:
		ret = xs_reply(c, h, n->kids, n->kidslen);
		break;
	}
out:
	if (view && view != t)
		xs_txn_free(s, view);
	return ret;
}

/* A write of poweroff, halt or reboot to control/shutdown, as Linux's Xen code obeys it. */
static void xs_control_shutdown(struct xs_store *s)
{
	char path[64];
	struct xs_node *n;
	char how[16] = "";

	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown",
		 s->domid);
	n = xs_lookup(&s->tree, path);
	if (!n || !n->len || n->len >= sizeof(how))
		return;
	memcpy(how, n->value, n->len);
	if (strcmp(how, "poweroff") && strcmp(how, "halt") && strcmp(how, "reboot"))
		return;
	/* Acknowledged by clearing it, as the guest kernel does on Xen. */
	if (xs_store_write_locked(s, path, "", 0, NULL, 0))
		return;
	if (s->shutdown_request)
		s->shutdown_request(how);
}

/* WRITE, MKDIR, RM, SET_PERMS: in the transaction, or committed at once. */
static int xs_write_op(struct xs_conn *c, const struct xsd_sockmsg *h,
		       struct xs_txn *t, const char *payload)
{
	struct xs_store *s = c->store;
	struct xs_txn *view = t;
	const char *data = NULL;
	unsigned int dlen = 0;
	size_t n;
	char *path;
	int ret;

	if (h->type == XS_WRITE || h->type == XS_SET_PERMS) {
		n = strnlen(payload, h->len);
		if (n == h->len)
			return -EINVAL;		/* no NUL after the path */
		data = payload + n + 1;
		dlen = h->len - n - 1;
	} else if (!xs_onearg(payload, h->len)) {
		return -EINVAL;
	}
	ret = xs_canonical(s, payload, &path, false);
	if (ret)
		return ret;
	if (!view)
		view = xs_txn_new(s, c->domid, true);
	if (!view) {
		ret = -ENOMEM;
		goto out;
	}
	switch (h->type) {
	case XS_WRITE:
	case XS_MKDIR:
		ret = xs_op_write(s, view, path, data, dlen,
				  h->type == XS_MKDIR);
		break;
	case XS_RM:
		ret = xs_op_rm(s, view, path);
		break;
	default:
		ret = xs_op_set_perms(s, view, path, data, dlen);
		break;
	}
	if (!ret && !t)
		ret = xs_txn_commit(s, view);
	if (view != t)
		xs_txn_free(s, view);
	if (!ret && !t)
		xs_control_shutdown(s);
	if (!ret)
		ret = xs_reply_ok(c, h);
out:
	xs_free(path);
	return ret;
}

static int xs_domid_arg(const char *payload, unsigned int len, unsigned int *id)
{
	const char *p = xs_onearg(payload, len);
	unsigned long v;

	if (!p || xs_parse_uint(p, 65535, &v))
		return -EINVAL;
	*id = v;
	return 0;
}

static int xs_handle(struct xs_conn *c, const struct xsd_sockmsg *h,
		     const char *payload)
{
	struct xs_txn *t = NULL;
	const char *a, *b;
	char buf[32];
	unsigned int id;
	int ret;

	if (h->tx_id && h->type != XS_TRANSACTION_START &&
	    h->type != XS_WATCH && h->type != XS_UNWATCH) {
		t = xs_txn_find(c, h->tx_id);
		if (!t)
			return -ENOENT;
	}

	switch (h->type) {
	case XS_READ:
	case XS_DIRECTORY:
	case XENHV_XS_DIRECTORY_PART:
	case XS_GET_PERMS:
		return xs_read_op(c, h, t, payload);
	case XS_WRITE:
	case XS_MKDIR:
	case XS_RM:
	case XS_SET_PERMS:
		return xs_write_op(c, h, t, payload);
	case XS_WATCH:
		ret = xs_twoargs(payload, h->len, &a, &b);
		if (!ret)
			ret = xs_watch_add(c, a, b);
		if (!ret)
			ret = xs_reply_ok(c, h);
		if (!ret)
			xs_watch_first_event(c, a, b);
		return ret;
	case XS_UNWATCH:
		ret = xs_twoargs(payload, h->len, &a, &b);
		if (!ret)
			ret = xs_watch_del(c, a, b);
		return ret ? ret : xs_reply_ok(c, h);
	case XENHV_XS_RESET_WATCHES:
		xs_watch_del_conn(c);
		return xs_reply_ok(c, h);
	case XS_TRANSACTION_START:
		if (h->tx_id)
			return -EBUSY;
		ret = xs_txn_start(c, &id);
		if (ret)
			return ret;
		return xs_reply(c, h, buf, snprintf(buf, sizeof(buf), "%u", id) + 1);
	case XS_TRANSACTION_END:
		if (!t)
			return -ENOENT;
		a = xs_onearg(payload, h->len);
		if (!a || (strcmp(a, "T") && strcmp(a, "F")))
			return -EINVAL;
		ret = xs_txn_end(c, t, !strcmp(a, "T"));
		if (!ret && !strcmp(a, "T"))
			xs_control_shutdown(c->store);
		return ret ? ret : xs_reply_ok(c, h);
	case XS_GET_DOMAIN_PATH:
		ret = xs_domid_arg(payload, h->len, &id);
		if (ret)
			return ret;
		return xs_reply(c, h, buf,
				snprintf(buf, sizeof(buf), "/local/domain/%u", id) + 1);
	case XS_IS_DOMAIN_INTRODUCED:
		/* A privileged command in xenstored: a domU is refused. */
		if (c->domid)
			return -EACCES;
		ret = xs_domid_arg(payload, h->len, &id);
		if (ret)
			return ret;
		a = (id == 0 || id == c->store->domid) ? "T" : "F";
		return xs_reply(c, h, a, 2);
	case XENHV_XS_CONTROL:
	case XS_INTRODUCE:
	case XS_RELEASE:
	case XS_SET_TARGET:
	case XS_RESUME:
		/* Domain 0's business; a domU is refused. */
		return -EACCES;
	default:
		return -EINVAL;
	}
}

int xs_conn_request(struct xs_conn *c, const struct xsd_sockmsg *hdr,
		    const char *payload)
{
	struct xs_store *s = c->store;
	struct xsd_sockmsg h = *hdr;
	const char *name;
	int ret;

	if (h.len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	xs_lock(&s->lock);
	s->requests++;
	ret = xs_handle(c, &h, payload);
	if (ret) {
		name = xs_errname(-ret);
		h.type = XS_ERROR;
		ret = xs_queue(c, XS_ERROR, h.req_id, h.tx_id, name,
			       strlen(name) + 1, false);
	}
	xs_unlock(&s->lock);
	return ret;
}

struct xs_conn *xs_conn_open(struct xs_store *s, void (*notify)(void *),
			     void *priv)
{
	struct xs_conn *c = xs_zalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->store = s;
	c->domid = s->domid;
	c->out_tail = &c->out;
	c->notify = notify;
	c->priv = priv;
	xs_lock(&s->lock);
	c->next = s->conns;
	s->conns = c;
	xs_unlock(&s->lock);
	return c;
}

/* The domain fell below its outstanding quota: every waiting writer may go. */
static void xs_outstanding_fell(struct xs_store *s, unsigned int before,
				struct xs_conn *except)
{
	struct xs_conn *o;

	if (!s->limits.outstanding || before < s->limits.outstanding ||
	    s->use.outstanding >= s->limits.outstanding)
		return;
	for (o = s->conns; o; o = o->next)
		if (o != except && o->notify)
			o->notify(o->priv);
}

/* Closing ends the client's transactions (uncommitted) and its watches. */
void xs_conn_close(struct xs_conn *c)
{
	struct xs_store *s = c->store;
	struct xs_conn **pp;
	unsigned int before;

	xs_lock(&s->lock);
	while (c->txns)
		xs_txn_end(c, c->txns, false);
	xs_watch_del_conn(c);
	for (pp = &s->conns; *pp != c; pp = &(*pp)->next)
		;
	*pp = c->next;
	before = s->use.outstanding;
	while (c->out)
		xs_msg_free(c, c->out);
	xs_outstanding_fell(s, before, c);
	xs_unlock(&s->lock);
	xs_free(c);
}

/* Copy out up to @len bytes of pending replies and events, in order. */
size_t xs_conn_read(struct xs_conn *c, char *buf, size_t len)
{
	struct xs_store *s = c->store;
	unsigned int before;
	size_t done = 0, n;
	struct xs_msg *m;

	xs_lock(&s->lock);
	before = s->use.outstanding;
	while (done < len && (m = c->out)) {
		n = min_t(size_t, len - done, m->len - m->off);
		memcpy(buf + done, m->data + m->off, n);
		m->off += n;
		done += n;
		if (m->off < m->len)
			break;
		xs_msg_free(c, m);
	}
	xs_outstanding_fell(s, before, c);
	xs_unlock(&s->lock);
	return done;
}

bool xs_conn_readable(struct xs_conn *c)
{
	bool r;

	xs_lock(&c->store->lock);
	r = c->out;
	xs_unlock(&c->store->lock);
	return r;
}

/* Replies a client has not read yet: the outstanding requests. */
unsigned int xs_conn_pending_replies(struct xs_conn *c)
{
	unsigned int n;

	xs_lock(&c->store->lock);
	n = c->nreplies;
	xs_unlock(&c->store->lock);
	return n;
}

/*
 * Xen's outstanding-requests quota is the domain's: a client may send while
 * the guest's unread replies stay under it, and always when it has none of
 * its own (on Xen the guest kernel drains its one connection into each
 * file's queue, so one stuck reader does not stall the others either).
 */
bool xs_conn_may_send(struct xs_conn *c)
{
	struct xs_store *s = c->store;
	bool ok;

	xs_lock(&s->lock);
	ok = !c->domid || !s->limits.outstanding || !c->nreplies ||
	     s->use.outstanding < s->limits.outstanding;
	xs_unlock(&s->lock);
	return ok;
}

void xs_store_stats(struct xs_store *s, struct xs_stats *st)
{
	struct xs_conn *c;

	memset(st, 0, sizeof(*st));
	xs_lock(&s->lock);
	st->nodes = s->use.nodes;
	st->watches = s->use.watches;
	st->transactions = s->use.transactions;
	st->outstanding = s->use.outstanding;
	st->memory = s->use.memory;
	for (c = s->conns; c; c = c->next) {
		st->connections++;
		st->events_dropped += c->events_dropped;
	}
	st->requests = s->requests;
	st->commits = s->commits;
	st->conflicts = s->conflicts;
	st->quota_errors = s->quota_errors;
	xs_unlock(&s->lock);
}

int xs_store_init(struct xs_store *s, u16 domid, const struct xs_limits *l,
		  const char *uuid, const char *name)
{
	int ret;

	memset(s, 0, sizeof(*s));
	xs_lock_init(&s->lock);
	s->domid = domid;
	s->limits = *l;
	ret = xs_tree_init(s, uuid, name);
	if (ret)
		xs_node_free(s, s->tree.root);
	return ret;
}

void xs_store_destroy(struct xs_store *s)
{
	xs_node_free(s, s->tree.root);
	s->tree.root = NULL;
}

/* Domain 0 writes @path (creating it, owned by domain 0 unless inherited). */
int xs_store_write(struct xs_store *s, const char *path, const char *val,
		   unsigned int len)
{
	int ret;

	xs_lock(&s->lock);
	ret = xs_store_write_locked(s, path, val, len, NULL, 0);
	xs_unlock(&s->lock);
	return ret;
}

/* Domain 0 sets @path's permissions ("n0\0r1\0" as on the wire). */
int xs_store_chmod(struct xs_store *s, const char *path, const char *perms,
		   unsigned int plen)
{
	struct xs_txn *t;
	int ret = -ENOMEM;

	xs_lock(&s->lock);
	t = xs_txn_new(s, 0, true);
	if (t) {
		ret = xs_op_set_perms(s, t, path, perms, plen);
		if (!ret)
			ret = xs_txn_commit(s, t);
		xs_txn_free(s, t);
	}
	xs_unlock(&s->lock);
	return ret;
}

/*
 * The toolstack renames a domain by rewriting its name node. Here the name
 * is the guest's hostname, which may not be set yet when xenhv loads from
 * the initramfs; xenbus renames once it is.
 */
int xs_store_rename(struct xs_store *s, const char *name)
{
	char path[48];

	snprintf(path, sizeof(path), "/local/domain/%u/name", s->domid);
	return xs_store_write(s, path, name, strlen(name));
}
