// SPDX-License-Identifier: GPL-2.0
/* XenStore operations on a transaction's view: copies of touched nodes, xenstored's errors. */
#include "xs.h"

static unsigned int xs_hash_add(unsigned int h, const char *p)
{
	while (*p)
		h = h * 33 + (unsigned char)*p++;
	return h;
}

#define XS_HASH_SEED	5381

static struct xs_tnode *xs_tfind(struct xs_txn *t, const char *path)
{
	struct xs_tnode *tn;

	tn = t->hash[xs_hash_add(XS_HASH_SEED, path) % XS_TXN_HASH];
	for (; tn; tn = tn->hnext)
		if (!strcmp(tn->path, path))
			return tn;
	return NULL;
}

/* What a copy costs the guest: the entry, its path, value, perms and names. */
static size_t xs_tweight(const struct xs_tnode *tn)
{
	return sizeof(*tn) + strlen(tn->path) + 1 +
	       (tn->value ? tn->len + 1 : 0) +
	       tn->nperms * sizeof(*tn->perms) +
	       (tn->kids ? tn->kidslen + 1 : 0);
}

/* Charge @tn's size after it grew by up to @more bytes (checked first). */
static int xs_tcharge_ok(struct xs_store *s, struct xs_txn *t, size_t more)
{
	if (xs_mem_ok(s, t->domid, more))
		return 0;
	s->quota_errors++;
	return -ENOMEM;
}

static void xs_trecharge(struct xs_store *s, struct xs_tnode *tn)
{
	xs_charge(s, &tn->charge, xs_tweight(tn));
}

/* The names of @n's children, each NUL-terminated (always allocated). */
static char *xs_kids_of(const struct xs_node *n, unsigned int *len)
{
	unsigned int i, total = 0, off = 0;
	char *buf;

	for (i = 0; n && i < n->nchildren; i++)
		total += strlen(n->children[i]->name) + 1;
	buf = xs_zalloc(total + 1);
	if (!buf)
		return NULL;
	for (i = 0; n && i < n->nchildren; i++) {
		strcpy(buf + off, n->children[i]->name);
		off += strlen(n->children[i]->name) + 1;
	}
	*len = total;
	return buf;
}

/*
 * The transaction's copy of @path, made from the store the first time it
 * is touched: the transaction's nodes-touched quota (ENOSPC) and, for a
 * real transaction, the guest's memory quota (ENOMEM) hold here.
 */
struct xs_tnode *xs_tget(struct xs_store *s, struct xs_txn *t,
			 const char *path, int *err)
{
	struct xs_tnode *tn = xs_tfind(t, path);
	struct xs_node *n;
	unsigned int h;

	if (tn)
		return tn;
	*err = -ENOSPC;
	if (!t->implicit && t->domid && t->nnodes >= s->limits.txn_nodes)
		goto quota;
	n = xs_lookup(&s->tree, path);
	*err = -ENOMEM;
	if (!t->implicit &&
	    !xs_mem_ok(s, t->domid, sizeof(*tn) + strlen(path) + 1 +
		       (n ? n->len + 1 + n->nperms * sizeof(*n->perms) +
			n->nchildren * 16 : 0)))
		goto quota;
	tn = xs_zalloc(sizeof(*tn));
	if (!tn)
		return NULL;
	tn->path = xs_strndup(path, strlen(path));
	if (!tn->path)
		goto fail;
	if (n) {
		tn->value = xs_strndup(n->value, n->len);
		tn->perms = xs_zalloc(n->nperms * sizeof(*tn->perms));
		tn->kids = xs_kids_of(n, &tn->kidslen);
		if (!tn->value || !tn->perms || !tn->kids)
			goto fail;
		tn->len = n->len;
		memcpy(tn->perms, n->perms, n->nperms * sizeof(*tn->perms));
		tn->nperms = n->nperms;
		tn->nkids = n->nchildren;
		tn->gen = n->gen;
		tn->exists = true;
		tn->owned = n->perms[0].domid == s->domid;
	}
	h = xs_hash_add(XS_HASH_SEED, path) % XS_TXN_HASH;
	tn->hnext = t->hash[h];
	t->hash[h] = tn;
	*t->tail = tn;
	t->tail = &tn->next;
	t->nnodes++;
	xs_trecharge(s, tn);
	return tn;
fail:
	xs_free(tn->path);
	xs_free(tn->value);
	xs_free(tn->perms);
	xs_free(tn->kids);
	xs_free(tn);
	return NULL;
quota:
	s->quota_errors++;
	return NULL;
}

/* @path's parent ("/" for "/x"), or NULL for the root or on ENOMEM. */
static char *xs_parent(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!strcmp(path, "/"))
		return NULL;
	return xs_strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/*
 * xenstored's errno_from_parents(): a client that lacks @want on the
 * nearest existing ancestor learns EACCES, not whether the node exists.
 */
static int xs_errno_from_parents(struct xs_store *s, struct xs_txn *t,
				 const char *path, int err, unsigned int want,
				 struct xs_tnode **anc)
{
	char *p = xs_parent(path), *up;
	struct xs_tnode *tn = NULL;
	int ret = 0;

	if (anc)
		*anc = NULL;
	if (!strcmp(path, "/"))
		return err;		/* the root has no parent to ask */
	while (p) {
		tn = xs_tget(s, t, p, &ret);
		if (!tn || tn->exists)
			break;
		up = xs_parent(p);
		xs_free(p);
		p = up;
		tn = NULL;
	}
	xs_free(p);
	if (anc)
		*anc = tn;
	if (!tn)
		return ret ? ret : -ENOMEM;
	if ((xs_perm_for(tn->perms, tn->nperms, t->domid) & want) != want)
		return -EACCES;
	return err;
}

/* The node at @path if it exists and the client has @want on it. */
int xs_op_get(struct xs_store *s, struct xs_txn *t, const char *path,
	      unsigned int want, struct xs_tnode **out)
{
	int err = 0;
	struct xs_tnode *tn = xs_tget(s, t, path, &err);

	if (!tn)
		return err;
	if (tn->exists &&
	    (xs_perm_for(tn->perms, tn->nperms, t->domid) & want) == want) {
		*out = tn;
		return 0;
	}
	return xs_errno_from_parents(s, t, path, tn->exists ? -EACCES : -ENOENT,
				     want & (XS_PERM_READ | XS_PERM_WRITE), NULL);
}

/* xenstored's size of a node: 16 + value + perms + child names. */
static size_t xs_tsize(const struct xs_tnode *tn, size_t len,
		       unsigned int nperms, size_t more_kids)
{
	return 16 + len + nperms * sizeof(u32) + tn->kidslen + more_kids;
}

static int xs_tset_value(struct xs_store *s, struct xs_txn *t,
			 struct xs_tnode *tn, const char *val, unsigned int len)
{
	char *v;
	int ret;

	if (t->domid && xs_tsize(tn, len, tn->nperms, 0) > s->limits.node_size) {
		s->quota_errors++;
		return -ENOSPC;
	}
	ret = xs_tcharge_ok(s, t, len > tn->len ? len - tn->len : 0);
	if (ret)
		return ret;
	v = xs_strndup(val ? val : "", len);
	if (!v)
		return -ENOMEM;
	xs_free(tn->value);
	tn->value = v;
	tn->len = len;
	tn->modified = true;
	xs_trecharge(s, tn);
	return 0;
}

static int xs_tkids_add(struct xs_store *s, struct xs_txn *t,
			struct xs_tnode *tn, const char *name)
{
	size_t n = strlen(name) + 1;
	char *k;
	int ret = xs_tcharge_ok(s, t, n);

	if (ret)
		return ret;
	k = xs_zalloc(tn->kidslen + n + 1);
	if (!k)
		return -ENOMEM;
	memcpy(k, tn->kids, tn->kidslen);
	memcpy(k + tn->kidslen, name, n);
	xs_free(tn->kids);
	tn->kids = k;
	tn->kidslen += n;
	tn->nkids++;
	tn->modified = true;
	xs_trecharge(s, tn);
	return 0;
}

static void xs_tkids_del(struct xs_store *s, struct xs_tnode *tn,
			 const char *name)
{
	size_t n = strlen(name) + 1;
	unsigned int off;

	for (off = 0; off < tn->kidslen; off += strlen(tn->kids + off) + 1) {
		if (strcmp(tn->kids + off, name))
			continue;
		memmove(tn->kids + off, tn->kids + off + n,
			tn->kidslen - off - n + 1);
		tn->kidslen -= n;
		tn->nkids--;
		tn->modified = true;
		xs_trecharge(s, tn);
		return;
	}
}

/* "<parent>/<name>" ("/<name>" below the root). */
static char *xs_join(const char *parent, const char *name, size_t len)
{
	size_t pl = strcmp(parent, "/") ? strlen(parent) : 0;
	char *p = xs_zalloc(pl + len + 2);

	if (!p)
		return NULL;
	memcpy(p, parent, pl);
	p[pl] = '/';
	memcpy(p + pl + 1, name, len);
	return p;
}

/* Make the missing @tn a child of @parent, as xenstored's construct_node(). */
static int xs_tcreate(struct xs_store *s, struct xs_txn *t,
		      struct xs_tnode *parent, struct xs_tnode *tn)
{
	const char *name = strrchr(tn->path, '/') + 1;
	int ret = xs_tcharge_ok(s, t, parent->nperms * sizeof(*tn->perms) + 1);

	if (ret)
		return ret;
	tn->value = xs_zalloc(1);
	tn->kids = xs_zalloc(1);
	tn->perms = xs_zalloc(parent->nperms * sizeof(*tn->perms));
	if (!tn->value || !tn->kids || !tn->perms)
		goto nomem;
	ret = xs_tkids_add(s, t, parent, name);
	if (ret)
		goto fail;
	/* Inherited permissions; an unprivileged domain owns what it creates. */
	memcpy(tn->perms, parent->perms, parent->nperms * sizeof(*tn->perms));
	tn->nperms = parent->nperms;
	if (t->domid)
		tn->perms[0].domid = t->domid;
	tn->len = 0;
	tn->kidslen = 0;
	tn->nkids = 0;
	tn->exists = true;
	tn->modified = true;
	tn->owned = tn->perms[0].domid == s->domid;
	t->owned_delta += tn->owned;
	xs_trecharge(s, tn);
	return 0;
nomem:
	ret = -ENOMEM;
fail:
	xs_free(tn->value);
	xs_free(tn->kids);
	xs_free(tn->perms);
	tn->value = NULL;
	tn->kids = NULL;
	tn->perms = NULL;
	return ret;
}

/*
 * WRITE (or MKDIR): an existing node needs write permission; a missing one
 * is created, with any missing parents, under write permission on the
 * deepest existing ancestor and within the domain's node quota.
 */
int xs_op_write(struct xs_store *s, struct xs_txn *t, const char *path,
		const char *val, unsigned int len, bool mkdir_only)
{
	struct xs_tnode *tn, *anc, *c;
	unsigned int missing = 0;
	const char *p, *first;
	char *cp;
	int ret = xs_op_get(s, t, path, XS_PERM_WRITE, &tn);

	if (!ret) {
		if (!mkdir_only)
			ret = xs_tset_value(s, t, tn, val, len);
		if (!ret && !mkdir_only)
			tn->fire = 1;
		return ret;
	}
	if (ret != -ENOENT && ret != -EACCES)
		return ret;
	ret = xs_errno_from_parents(s, t, path, -ENOENT, XS_PERM_WRITE, &anc);
	if (!anc)
		return ret;
	tn = xs_tfind(t, path);
	if (tn && tn->exists)
		return -EACCES;		/* there, and not the client's to write */
	first = path + strlen(anc->path) + (strcmp(anc->path, "/") ? 1 : 0);
	if (ret == -EACCES && t->domid == s->domid &&
	    xs_guest_may_create(s, anc->path, first, strcspn(first, "/")))
		ret = -ENOENT;
	if (ret != -ENOENT)
		return ret;
	for (p = first; p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
		missing++;
	if (t->domid && s->use.nodes + t->owned_delta + missing >
			s->limits.nodes_per_domain)
		goto nospc;
	if (t->domid && xs_tsize(anc, anc->len, anc->nperms,
				 strcspn(first, "/") + 1) > s->limits.node_size)
		goto nospc;
	if (t->domid && !mkdir_only &&
	    16 + len + anc->nperms * sizeof(u32) > s->limits.node_size)
		goto nospc;

	/* Top down: each missing node was touched by the walk above. */
	for (p = first; ; p++) {
		p += strcspn(p, "/");
		cp = xs_strndup(path, p - path);
		c = cp ? xs_tfind(t, cp) : NULL;
		xs_free(cp);
		if (!c)
			return -ENOMEM;
		ret = xs_tcreate(s, t, anc, c);
		if (ret)
			return ret;
		anc = c;
		if (!*p)
			break;
	}
	anc->fire = 1;
	return mkdir_only ? 0 : xs_tset_value(s, t, anc, val, len);
nospc:
	s->quota_errors++;
	return -ENOSPC;
}

/* Remove @tn and everything below it from the view. */
static int xs_tdelete(struct xs_store *s, struct xs_txn *t,
		      struct xs_tnode *tn, unsigned int depth)
{
	struct xs_tnode *c;
	unsigned int off;
	char *cp;
	int ret = 0;

	for (off = 0; depth < XS_MAX_DEPTH && off < tn->kidslen;
	     off += strlen(tn->kids + off) + 1) {
		cp = xs_join(tn->path, tn->kids + off, strlen(tn->kids + off));
		c = cp ? xs_tget(s, t, cp, &ret) : NULL;
		xs_free(cp);
		if (!c)
			return ret ? ret : -ENOMEM;
		if (c->exists) {
			ret = xs_tdelete(s, t, c, depth + 1);
			if (ret)
				return ret;
		}
	}
	t->owned_delta -= tn->owned;
	tn->owned = false;
	tn->exists = false;
	tn->modified = true;
	xs_free(tn->value);
	xs_free(tn->perms);
	xs_free(tn->kids);
	tn->value = NULL;
	tn->perms = NULL;
	tn->kids = NULL;
	tn->len = 0;
	tn->nperms = 0;
	tn->kidslen = 0;
	tn->nkids = 0;
	xs_trecharge(s, tn);
	return 0;
}

/* RM: a missing node is fine when its parent exists, as in xenstored. */
int xs_op_rm(struct xs_store *s, struct xs_txn *t, const char *path)
{
	struct xs_tnode *tn, *parent;
	char *pp;
	int ret;

	if (!strcmp(path, "/"))
		return -EINVAL;		/* the root stays */
	ret = xs_op_get(s, t, path, XS_PERM_WRITE, &tn);
	if (ret == -ENOENT) {
		pp = xs_parent(path);
		parent = pp ? xs_tget(s, t, pp, &ret) : NULL;
		xs_free(pp);
		if (!parent)
			return ret ? ret : -ENOMEM;
		return parent->exists ? 0 : -ENOENT;
	}
	if (ret)
		return ret;
	pp = xs_parent(path);
	parent = pp ? xs_tget(s, t, pp, &ret) : NULL;
	xs_free(pp);
	if (!parent)
		return ret ? ret : -ENOMEM;
	ret = xs_tdelete(s, t, tn, 0);
	if (ret)
		return ret;
	xs_tkids_del(s, parent, strrchr(path, '/') + 1);
	tn->fire = 2;
	return 0;
}

/*
 * SET_PERMS: only the owner (or domain 0) may, as xenstored's
 * XS_PERM_OWNER check; an unprivileged owner cannot give the node away,
 * and no one can give it to a domain that does not exist.
 */
int xs_op_set_perms(struct xs_store *s, struct xs_txn *t, const char *path,
		    const char *perms, unsigned int len)
{
	struct xs_tnode *tn;
	struct xs_perm *p;
	unsigned int np;
	int ret;

	ret = xs_parse_perms(perms, len, &p, &np);
	if (ret)
		return ret;
	ret = -ENOSPC;
	if (t->domid && np > s->limits.perms_per_node)
		goto quota;
	/*
	 * xenstored refuses an owner that is no domain (ENOENT) before it looks
	 * at the node; the only domains here are the guest and domain 0.
	 */
	ret = -ENOENT;
	if (p[0].domid != s->domid && p[0].domid != 0)
		goto out;
	ret = xs_op_get(s, t, path, XS_PERM_WRITE | XS_PERM_OWNER, &tn);
	if (ret)
		goto out;
	ret = -EPERM;
	if (t->domid && p[0].domid != tn->perms[0].domid)
		goto out;
	ret = -ENOSPC;
	if (t->domid && xs_tsize(tn, tn->len, np, 0) > s->limits.node_size)
		goto quota;
	ret = xs_tcharge_ok(s, t, np * sizeof(*p));
	if (ret)
		goto out;
	xs_free(tn->perms);
	tn->perms = p;
	tn->nperms = np;
	t->owned_delta -= tn->owned;
	tn->owned = p[0].domid == s->domid;
	t->owned_delta += tn->owned;
	tn->modified = true;
	tn->fire = 1;
	xs_trecharge(s, tn);
	return 0;
quota:
	s->quota_errors++;
out:
	xs_free(p);
	return ret;
}
