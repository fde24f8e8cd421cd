// SPDX-License-Identifier: GPL-2.0
/* XenStore transactions: O(1) start, copies of touched nodes, a commit that applies only those. */
#include "xs.h"

struct xs_txn *xs_txn_new(struct xs_store *s, u16 domid, bool implicit)
{
	struct xs_txn *t = xs_zalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->tail = &t->nodes;
	t->domid = domid;
	t->implicit = implicit;
	xs_charge(s, &t->charge, sizeof(*t));
	return t;
}

void xs_txn_free(struct xs_store *s, struct xs_txn *t)
{
	struct xs_tnode *tn, *next;

	for (tn = t->nodes; tn; tn = next) {
		next = tn->next;
		xs_charge(s, &tn->charge, 0);
		xs_free(tn->path);
		xs_free(tn->value);
		xs_free(tn->perms);
		xs_free(tn->kids);
		xs_free(tn->newkids);
		xs_free(tn);
	}
	xs_charge(s, &t->charge, 0);
	xs_free(t);
}

/* The transaction's copy of @parent's child @name, without allocating. */
static struct xs_tnode *xs_tfind_child(struct xs_txn *t, const char *parent,
				       const char *name)
{
	size_t pl = strcmp(parent, "/") ? strlen(parent) : 0;
	struct xs_tnode *tn;
	unsigned int h = 5381;
	const char *p;

	for (p = parent; p < parent + pl; p++)
		h = h * 33 + (unsigned char)*p;
	h = h * 33 + '/';
	for (p = name; *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (tn = t->hash[h % XS_TXN_HASH]; tn; tn = tn->hnext)
		if (!strncmp(tn->path, parent, pl) && tn->path[pl] == '/' &&
		    !strcmp(tn->path + pl + 1, name))
			return tn;
	return NULL;
}

/* Everything commit needs that can fail, before the store changes. */
static int xs_commit_prepare(struct xs_txn *t)
{
	struct xs_tnode *tn;
	struct xs_node *n;

	for (tn = t->nodes; tn; tn = tn->next) {
		if (!tn->modified || !tn->exists)
			continue;
		if (!tn->target) {
			n = xs_zalloc(sizeof(*n));
			if (!n)
				goto nomem;
			n->name = xs_strndup(strrchr(tn->path, '/') + 1,
					     strlen(strrchr(tn->path, '/') + 1));
			tn->target = n;
			tn->fresh = true;
			if (!n->name)
				goto nomem;
		}
		if (tn->nkids) {
			tn->newkids = xs_zalloc(tn->nkids * sizeof(*tn->newkids));
			if (!tn->newkids)
				goto nomem;
		}
	}
	return 0;
nomem:
	for (tn = t->nodes; tn; tn = tn->next) {
		if (tn->fresh) {
			xs_free(tn->target->name);
			xs_free(tn->target);
			tn->target = NULL;
			tn->fresh = false;
		}
		xs_free(tn->newkids);
		tn->newkids = NULL;
	}
	return -ENOMEM;
}

/* The copy's value and permissions become the store node's. */
static void xs_commit_node(struct xs_store *s, struct xs_tnode *tn)
{
	struct xs_node *n = tn->target;

	xs_free(n->value);
	xs_free(n->perms);
	n->value = tn->value;
	n->len = tn->len;
	n->perms = tn->perms;
	n->nperms = tn->nperms;
	tn->value = NULL;
	tn->perms = NULL;
	n->gen = ++s->gen;
}

/*
 * The store node's children become the copy's list: kept ones stay,
 * created ones come from this commit, the rest (removed) are freed.
 */
static void xs_commit_kids(struct xs_store *s, struct xs_txn *t,
			   struct xs_tnode *tn)
{
	struct xs_node *n = tn->target, **old = n->children, *c;
	unsigned int i, j, nold = n->nchildren, count = 0, off = 0;
	struct xs_tnode *ct;
	const char *k;

	for (i = 0; i < tn->nkids; i++, off += strlen(k) + 1) {
		k = tn->kids + off;
		c = NULL;
		if (i < nold && old[i] && !strcmp(old[i]->name, k))
			j = i;
		else
			for (j = 0; j < nold; j++)
				if (old[j] && !strcmp(old[j]->name, k))
					break;
		if (j < nold) {
			c = old[j];
			old[j] = NULL;
		} else {
			ct = xs_tfind_child(t, tn->path, k);
			c = ct && ct->exists ? ct->target : NULL;
		}
		if (c)
			tn->newkids[count++] = c;
	}
	for (j = 0; j < nold; j++)
		xs_node_free(s, old[j]);
	xs_free(old);
	n->children = count ? tn->newkids : NULL;
	n->nchildren = count;
	if (!count)
		xs_free(tn->newkids);
	tn->newkids = NULL;
	xs_node_recharge(s, n);
}

/*
 * Commit, as xenstored: EAGAIN when any node the transaction touched
 * (read or written) changed in the store since; the node quota holds
 * again over the result (ENOSPC); then only the touched nodes change.
 */
int xs_txn_commit(struct xs_store *s, struct xs_txn *t)
{
	struct xs_tnode *tn;
	struct xs_node *n;
	int ret;

	for (tn = t->nodes; tn; tn = tn->next) {
		n = xs_lookup(&s->tree, tn->path);
		if ((n ? n->gen : 0) != tn->gen) {
			s->conflicts++;
			return -EAGAIN;
		}
		tn->target = n;
	}
	if (t->domid && t->owned_delta > 0 &&
	    s->use.nodes + t->owned_delta > s->limits.nodes_per_domain) {
		s->quota_errors++;
		return -ENOSPC;
	}
	ret = xs_commit_prepare(t);
	if (ret)
		return ret;
	for (tn = t->nodes; tn; tn = tn->next)
		if (tn->modified && tn->exists)
			xs_commit_node(s, tn);
	for (tn = t->nodes; tn; tn = tn->next)
		if (tn->modified && tn->exists)
			xs_commit_kids(s, t, tn);
	for (tn = t->nodes; tn; tn = tn->next)
		if (tn->fire)
			xs_fire(s, tn->path, tn->fire == 2);
	return 0;
}

struct xs_txn *xs_txn_find(struct xs_conn *c, u32 id)
{
	struct xs_txn *t;

	for (t = c->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

/* TRANSACTION_START: nothing is copied; the domain's quota is 10. */
int xs_txn_start(struct xs_conn *c, u32 *id)
{
	struct xs_store *s = c->store;
	struct xs_txn *t;

	if (c->domid && s->use.transactions >= s->limits.transactions) {
		s->quota_errors++;
		return -ENOSPC;
	}
	if (!xs_mem_ok(s, c->domid, sizeof(*t))) {
		s->quota_errors++;
		return -ENOMEM;
	}
	t = xs_txn_new(s, c->domid, false);
	if (!t)
		return -ENOMEM;
	/* Ids are never 0 (no transaction) and not reused while open. */
	do {
		t->id = ++c->next_txid;
	} while (!t->id || xs_txn_find(c, t->id));
	t->next = c->txns;
	c->txns = t;
	c->ntxns++;
	s->use.transactions++;
	*id = t->id;
	return 0;
}

/* TRANSACTION_END: the transaction is gone either way. */
int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit)
{
	struct xs_store *s = c->store;
	struct xs_txn **pp;
	int ret = 0;

	for (pp = &c->txns; *pp != t; pp = &(*pp)->next)
		;
	*pp = t->next;
	c->ntxns--;
	s->use.transactions--;
	if (commit) {
		ret = xs_txn_commit(s, t);
		if (!ret)
			s->commits++;
	}
	xs_txn_free(s, t);
	return ret;
}

/* One write (and permissions) as domain 0, the toolstack, committed at once. */
int xs_store_write_locked(struct xs_store *s, const char *path,
			  const char *val, unsigned int len,
			  const char *perms, unsigned int plen)
{
	struct xs_txn *t = xs_txn_new(s, 0, true);
	int ret;

	if (!t)
		return -ENOMEM;
	ret = xs_op_write(s, t, path, val, len, false);
	if (!ret && perms)
		ret = xs_op_set_perms(s, t, path, perms, plen);
	if (!ret)
		ret = xs_txn_commit(s, t);
	xs_txn_free(s, t);
	return ret;
}
