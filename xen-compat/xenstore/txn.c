// SPDX-License-Identifier: GPL-2.0
/* XenStore transactions: a snapshot at start, all-or-nothing commit, EAGAIN on conflict. */
#include "xs.h"

struct xs_txn *xs_txn_find(struct xs_conn *c, u32 id)
{
	struct xs_txn *t;

	for (t = c->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

void xs_txn_free(struct xs_txn *t)
{
	struct xs_op *op, *nop;
	struct xs_seen *sn, *nsn;

	for (op = t->ops; op; op = nop) {
		nop = op->next;
		xs_free(op->path);
		xs_free(op->data);
		xs_free(op);
	}
	for (sn = t->seen; sn; sn = nsn) {
		nsn = sn->next;
		xs_free(sn->path);
		xs_free(sn);
	}
	xs_node_free(t->tree.root);
	xs_free(t);
}

int xs_txn_start(struct xs_conn *c, u32 *id)
{
	struct xs_store *s = c->store;
	struct xs_txn *t;

	if (c->domid && c->ntxns >= s->limits.transactions) {
		s->quota_errors++;
		return -ENOSPC;
	}
	t = xs_zalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->tree.root = xs_tree_clone(s->tree.root);
	if (!t->tree.root) {
		xs_free(t);
		return -ENOMEM;
	}
	t->ops_tail = &t->ops;
	/* Ids are never 0 (no transaction) and not reused while open. */
	do {
		t->id = ++c->next_txid;
	} while (!t->id || xs_txn_find(c, t->id));
	t->next = c->txns;
	c->txns = t;
	c->ntxns++;
	*id = t->id;
	return 0;
}

/*
 * Remember what @path looked like in the snapshot, the first time the
 * transaction touches it: commit fails if the store's node differs then.
 */
int xs_txn_seen(struct xs_store *s, struct xs_txn *t, const char *path)
{
	struct xs_node *n;
	struct xs_seen *sn;

	for (sn = t->seen; sn; sn = sn->next)
		if (!strcmp(sn->path, path))
			return 0;
	if (t->nseen >= s->limits.txn_nodes) {
		s->quota_errors++;
		return -ENOSPC;
	}
	sn = xs_zalloc(sizeof(*sn));
	if (!sn)
		return -ENOMEM;
	sn->path = xs_zalloc(strlen(path) + 1);
	if (!sn->path) {
		xs_free(sn);
		return -ENOMEM;
	}
	strcpy(sn->path, path);
	n = xs_lookup(&t->tree, path);
	sn->gen = n ? n->gen : 0;
	sn->next = t->seen;
	t->seen = sn;
	t->nseen++;
	return 0;
}

int xs_txn_log(struct xs_txn *t, u32 type, const char *path,
	       const char *data, unsigned int len)
{
	struct xs_op *op = xs_zalloc(sizeof(*op));

	if (!op)
		return -ENOMEM;
	op->type = type;
	op->len = len;
	op->path = xs_zalloc(strlen(path) + 1);
	op->data = xs_zalloc(len + 1);
	if (!op->path || !op->data) {
		xs_free(op->path);
		xs_free(op->data);
		xs_free(op);
		return -ENOMEM;
	}
	strcpy(op->path, path);
	if (len)
		memcpy(op->data, data, len);
	*t->ops_tail = op;
	t->ops_tail = &op->next;
	return 0;
}

/*
 * Replay the transaction's changes on a copy of the store and put the copy
 * in place only if every change applies: all or nothing. Watches fire after.
 */
static int xs_txn_apply(struct xs_conn *c, struct xs_txn *t)
{
	struct xs_store *s = c->store;
	struct xs_tree copy = { .root = xs_tree_clone(s->tree.root) };
	struct xs_op *op;
	int ret = 0;

	if (!copy.root)
		return -ENOMEM;
	for (op = t->ops; op && !ret; op = op->next) {
		switch (op->type) {
		case XS_WRITE:
		case XS_MKDIR:
			ret = xs_tree_write(s, &copy, c->domid, op->path,
					    op->data, op->len,
					    op->type == XS_MKDIR);
			break;
		case XS_RM:
			ret = xs_tree_rm(s, &copy, c->domid, op->path);
			break;
		case XS_SET_PERMS:
			ret = xs_tree_set_perms(s, &copy, c->domid, op->path,
						op->data, op->len);
			break;
		}
	}
	if (ret) {
		xs_node_free(copy.root);
		return ret;
	}
	xs_node_free(s->tree.root);
	s->tree.root = copy.root;
	for (op = t->ops; op; op = op->next)
		xs_fire(s, op->path, op->type == XS_RM);
	return 0;
}

/*
 * TRANSACTION_END: the transaction is gone either way. A commit conflicts
 * (-EAGAIN) when any node it touched changed in the store since the start.
 */
int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit)
{
	struct xs_store *s = c->store;
	struct xs_txn **pp;
	struct xs_seen *sn;
	struct xs_node *n;
	int ret = 0;

	for (pp = &c->txns; *pp != t; pp = &(*pp)->next)
		;
	*pp = t->next;
	c->ntxns--;

	if (commit) {
		for (sn = t->seen; sn; sn = sn->next) {
			n = xs_lookup(&s->tree, sn->path);
			if ((n ? n->gen : 0) != sn->gen) {
				s->conflicts++;
				ret = -EAGAIN;
				break;
			}
		}
		if (!ret)
			ret = xs_txn_apply(c, t);
		if (!ret)
			s->commits++;
	}
	xs_txn_free(t);
	return ret;
}
