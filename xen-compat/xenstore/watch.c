// SPDX-License-Identifier: GPL-2.0
/* XenStore watches: registration, the first event, events on change, bounded queues. */
#include "xs.h"

/*
 * Append a message to @c's output, charged to the guest. Events beyond the
 * client's queue or the guest's memory quota are dropped, as xenstored
 * drops them; replies are bounded by the outstanding-requests quota.
 */
int xs_queue(struct xs_conn *c, u32 type, u32 req_id, u32 tx_id,
	     const char *payload, unsigned int len, bool event)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = req_id, .tx_id = tx_id, .len = len,
	};
	struct xs_store *s = c->store;
	size_t size = sizeof(struct xs_msg) + sizeof(hdr) + len;
	struct xs_msg *m;

	if (event && (c->nevents >= s->limits.events_pending ||
		      !xs_mem_ok(s, c->domid, size))) {
		c->events_dropped++;
		return -ENOSPC;
	}
	m = xs_zalloc(size);
	if (!m)
		return -ENOMEM;
	m->event = event;
	m->reply = !event;
	m->len = sizeof(hdr) + len;
	memcpy(m->data, &hdr, sizeof(hdr));
	if (len)
		memcpy(m->data + sizeof(hdr), payload, len);
	if (c->domid)
		xs_charge(s, &m->charge, size);
	*c->out_tail = m;
	c->out_tail = &m->next;
	if (event)
		c->nevents++;
	if (m->reply) {
		c->nreplies++;
		s->use.outstanding++;
	}
	if (c->notify)
		c->notify(c->priv);
	return 0;
}

/* Drop the first message of @c's output (read, or the client is gone). */
void xs_msg_free(struct xs_conn *c, struct xs_msg *m)
{
	struct xs_store *s = c->store;

	c->out = m->next;
	if (!c->out)
		c->out_tail = &c->out;
	if (m->event)
		c->nevents--;
	if (m->reply) {
		c->nreplies--;
		s->use.outstanding--;
	}
	xs_charge(s, &m->charge, 0);
	xs_free(m);
}

/* Is @path @base itself or below it? */
static bool xs_is_under(const char *path, const char *base)
{
	size_t n = strlen(base);

	if (!strcmp(base, "/"))
		return path[0] == '/';
	return !strncmp(path, base, n) && (path[n] == '\0' || path[n] == '/');
}

/* An event for a watch set with a relative path names a relative path. */
static int xs_event(struct xs_watch *w, const char *abs)
{
	char prefix[32], *buf;
	size_t pl, n, tl = strlen(w->token);
	const char *path = abs;
	int ret;

	pl = snprintf(prefix, sizeof(prefix), "/local/domain/%u/",
		      w->conn->store->domid);
	if (w->path[0] != '/' && w->path[0] != '@' && !strncmp(abs, prefix, pl))
		path = abs + pl;
	n = strlen(path);
	buf = xs_zalloc(n + tl + 2);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, n + 1);
	memcpy(buf + n + 1, w->token, tl + 1);
	ret = xs_queue(w->conn, XS_WATCH_EVENT, 0, 0, buf, n + tl + 2, true);
	xs_free(buf);
	return ret;
}

/*
 * Only a watcher that may read the node (or, when it is gone, its nearest
 * remaining ancestor) hears of it.
 */
static bool xs_may_see(struct xs_store *s, const char *path, u16 domid)
{
	char *p = xs_zalloc(strlen(path) + 1), *slash;
	struct xs_node *n = NULL;

	if (!p)
		return false;
	strcpy(p, path);
	while (!(n = xs_lookup(&s->tree, p))) {
		slash = strrchr(p, '/');
		if (!slash || slash == p) {
			n = s->tree.root;
			break;
		}
		*slash = '\0';
	}
	xs_free(p);
	return xs_can(n, domid, XS_PERM_READ);
}

/*
 * A change to @path fires every watch on @path or above it; when a subtree
 * went away (@recursive), watches below @path fire too, with their own path.
 */
void xs_fire(struct xs_store *s, const char *path, bool recursive)
{
	struct xs_watch *w;

	for (w = s->watches; w; w = w->next) {
		if (w->abs[0] == '@')
			continue;
		if (xs_is_under(path, w->abs)) {
			if (xs_may_see(s, path, w->conn->domid))
				xs_event(w, path);
		} else if (recursive && xs_is_under(w->abs, path)) {
			if (xs_may_see(s, w->abs, w->conn->domid))
				xs_event(w, w->abs);
		}
	}
}

int xs_watch_add(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_store *s = c->store;
	struct xs_watch *w;
	size_t size;
	char *abs;
	int ret;

	ret = xs_canonical(s, path, &abs, true);
	if (ret)
		return ret;
	for (w = s->watches; w; w = w->next) {
		if (w->conn == c && !strcmp(w->abs, abs) &&
		    !strcmp(w->token, token)) {
			xs_free(abs);
			return -EEXIST;
		}
	}
	/* Xen's quotas: watches per domain (E2BIG) and its memory (ENOMEM). */
	ret = -E2BIG;
	if (c->domid && s->use.watches >= s->limits.watches_per_domain)
		goto quota;
	size = sizeof(*w) + 2 * strlen(path) + strlen(abs) + strlen(token) + 3;
	ret = -ENOMEM;
	if (!xs_mem_ok(s, c->domid, size))
		goto quota;
	w = xs_zalloc(sizeof(*w));
	if (w) {
		w->path = xs_zalloc(strlen(path) + 1);
		w->token = xs_zalloc(strlen(token) + 1);
	}
	if (!w || !w->path || !w->token) {
		if (w) {
			xs_free(w->path);
			xs_free(w->token);
		}
		xs_free(w);
		xs_free(abs);
		return -ENOMEM;
	}
	strcpy(w->path, path);
	strcpy(w->token, token);
	w->abs = abs;
	w->conn = c;
	w->next = s->watches;
	s->watches = w;
	s->use.watches++;
	xs_charge(s, &w->charge, c->domid ? size : 0);
	return 0;
quota:
	s->quota_errors++;
	xs_free(abs);
	return ret;
}

/* The event every new watch gets, after the WATCH reply: its own path, as given. */
int xs_watch_first_event(struct xs_conn *c, const char *path,
			 const char *token)
{
	struct xs_watch w = { .conn = c, .path = (char *)path,
			      .token = (char *)token };

	return xs_event(&w, path);
}

static void xs_watch_free(struct xs_store *s, struct xs_watch *w)
{
	s->use.watches--;
	xs_charge(s, &w->charge, 0);
	xs_free(w->path);
	xs_free(w->abs);
	xs_free(w->token);
	xs_free(w);
}

int xs_watch_del(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_watch **pp, *w;
	char *abs;
	int ret = xs_canonical(c->store, path, &abs, true);

	if (ret)
		return ret;
	for (pp = &c->store->watches; (w = *pp); pp = &w->next) {
		if (w->conn == c && !strcmp(w->abs, abs) &&
		    !strcmp(w->token, token)) {
			*pp = w->next;
			xs_watch_free(c->store, w);
			xs_free(abs);
			return 0;
		}
	}
	xs_free(abs);
	return -ENOENT;
}

void xs_watch_del_conn(struct xs_conn *c)
{
	struct xs_watch **pp = &c->store->watches, *w;

	while ((w = *pp)) {
		if (w->conn == c) {
			*pp = w->next;
			xs_watch_free(c->store, w);
		} else {
			pp = &w->next;
		}
	}
}
