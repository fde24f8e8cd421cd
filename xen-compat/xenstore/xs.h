/* SPDX-License-Identifier: GPL-2.0 */
/* The in-guest XenStore: tree, transactions, watches and connections (no kernel-only calls). */
#ifndef _XENHV_XS_H
#define _XENHV_XS_H

#include "../port.h"

/* Limits of Xen's C xenstored (module parameters in the kernel). */
struct xs_limits {
	unsigned int node_size;		/* 2048: value + perms + child names */
	unsigned int nodes_per_domain;	/* 1000 */
	unsigned int watches_per_domain;	/* 128 */
	unsigned int transactions;	/* 10 per domain */
	unsigned int txn_nodes;		/* 1024 nodes touched per transaction */
	unsigned int perms_per_node;	/* 5 */
	unsigned int events_pending;	/* watch events queued for one client */
	unsigned int outstanding;	/* 20 unread replies per domain (0: none) */
	unsigned int memory;		/* bytes per domain, Xen's hard quota (0: none) */
};

/*
 * The tree is walked recursively (copy, free, count): in the kernel the
 * depth must stay small for the stack. Xen has no such limit, but real
 * paths are about ten levels deep; deeper ones are EINVAL.
 */
#define XS_MAX_DEPTH	64

/* A permission: 'n'one, 'r'ead, 'w'rite or 'b'oth, for a domain. */
struct xs_perm {
	u16 domid;
	char perm;
};

#define XS_PERM_READ	1
#define XS_PERM_WRITE	2
#define XS_PERM_OWNER	4

struct xs_node {
	char *name;			/* last path component */
	char *value;
	unsigned int len;
	struct xs_perm *perms;		/* perms[0]: owner, default for others */
	unsigned int nperms;
	struct xs_node **children;	/* in creation order, as xenstored */
	unsigned int nchildren;
	u64 gen;			/* store generation of the last change */
	size_t charge;			/* bytes charged to the guest (its node) */
};

/* One tree: the store's. */
struct xs_tree {
	struct xs_node *root;
};

/*
 * A node as one transaction sees it: copied from the store when first
 * touched (read or written), so that reads repeat and commit can check that
 * the store's node is unchanged. Repeated writes replace the copy's value.
 */
struct xs_tnode {
	struct xs_tnode *next;		/* in the order first touched */
	struct xs_tnode *hnext;		/* hash chain */
	char *path;
	u64 gen;			/* the store's node then (0: absent) */
	bool exists;			/* in the transaction's view */
	bool modified;
	u8 fire;			/* at commit: 1 fire watches, 2 as a removal */
	bool owned;			/* owned by the guest in the view */
	char *value;
	unsigned int len;
	struct xs_perm *perms;
	unsigned int nperms;
	char *kids;			/* child names, each NUL-terminated */
	unsigned int kidslen, nkids;
	size_t charge;			/* bytes charged for this copy */
	/* commit scratch */
	struct xs_node *target;
	struct xs_node **newkids;
	bool fresh;			/* target allocated by this commit */
};

#define XS_TXN_HASH	64

struct xs_txn {
	struct xs_txn *next;
	u32 id;
	bool implicit;			/* one request outside a transaction */
	u16 domid;			/* acts as */
	struct xs_tnode *nodes, **tail;
	struct xs_tnode *hash[XS_TXN_HASH];
	unsigned int nnodes;
	int owned_delta;		/* guest-owned nodes it adds (or removes) */
	size_t charge;			/* bytes charged for the transaction */
};

struct xs_watch {
	struct xs_watch *next;
	struct xs_conn *conn;
	char *path;			/* as the client gave it */
	char *abs;			/* canonical (or @special) */
	char *token;
	size_t charge;
};

/* A reply or event waiting to be read; data is header + payload. */
struct xs_msg {
	struct xs_msg *next;
	bool event;
	bool reply;			/* counts as an outstanding request */
	unsigned int len, off;
	size_t charge;
	char data[];
};

struct xs_conn {
	struct xs_conn *next;
	struct xs_store *store;
	u16 domid;			/* the client acts as this domain */
	struct xs_txn *txns;
	unsigned int ntxns;
	u32 next_txid;
	struct xs_msg *out, **out_tail;
	unsigned int nevents;		/* events queued in out */
	unsigned int nreplies;		/* replies queued in out */
	u64 events_dropped;
	void (*notify)(void *priv);	/* output became readable */
	void *priv;
};

/*
 * What the guest uses, all its connections together: Xen's domU has one
 * connection, so Xen's quotas are per domain. Domain 0 (the store's own
 * set-up) is not counted against them.
 */
struct xs_usage {
	unsigned int nodes;		/* nodes it owns in the store */
	unsigned int watches;
	unsigned int transactions;
	unsigned int outstanding;	/* replies not read yet */
	size_t memory;			/* nodes, copies, watches, queued output */
};

struct xs_store {
	xs_lock_t lock;			/* protects everything below and every conn */
	struct xs_tree tree;
	u64 gen;
	u16 domid;			/* the guest's domain id */
	struct xs_limits limits;
	struct xs_usage use;
	/* Home children the guest may create and remove ("a,b"), or NULL. */
	const char *guest_writable;
	struct xs_watch *watches;
	struct xs_conn *conns;
	/* A write of poweroff/reboot to control/shutdown (set by the platform). */
	void (*shutdown_request)(const char *how);
	/* statistics for the status tool */
	u64 requests, commits, conflicts, quota_errors;
};

/* tree.c: paths, permissions, the store's nodes and what they are charged */
int xs_canonical(const struct xs_store *s, const char *in, char **out, bool special);
struct xs_node *xs_lookup(struct xs_tree *t, const char *path);
struct xs_node *xs_child(const struct xs_node *n, const char *name,
			 size_t len, unsigned int *idx);
unsigned int xs_perm_for(const struct xs_perm *p, unsigned int n, u16 domid);
bool xs_can(const struct xs_node *n, u16 domid, int want);
int xs_parse_uint(const char *s, unsigned long max, unsigned long *out);
int xs_parse_perms(const char *buf, unsigned int len, struct xs_perm **out,
		   unsigned int *n);
char *xs_strndup(const char *s, size_t n);
bool xs_mem_ok(const struct xs_store *s, u16 domid, size_t more);
void xs_charge(struct xs_store *s, size_t *charge, size_t now);
void xs_node_recharge(struct xs_store *s, struct xs_node *n);
void xs_node_free(struct xs_store *s, struct xs_node *n);
unsigned int xs_count_owned(const struct xs_node *n, u16 domid);
bool xs_guest_may_create(const struct xs_store *s, const char *parent,
			 const char *name, size_t len);
int xs_tree_init(struct xs_store *s, const char *uuid, const char *name);

/* view.c: the operations, on a transaction's view of the store */
struct xs_tnode *xs_tget(struct xs_store *s, struct xs_txn *t,
			 const char *path, int *err);
int xs_op_get(struct xs_store *s, struct xs_txn *t, const char *path,
	      unsigned int want, struct xs_tnode **out);
int xs_op_write(struct xs_store *s, struct xs_txn *t, const char *path,
		const char *val, unsigned int len, bool mkdir_only);
int xs_op_rm(struct xs_store *s, struct xs_txn *t, const char *path);
int xs_op_set_perms(struct xs_store *s, struct xs_txn *t, const char *path,
		    const char *perms, unsigned int len);

/* txn.c */
struct xs_txn *xs_txn_new(struct xs_store *s, u16 domid, bool implicit);
void xs_txn_free(struct xs_store *s, struct xs_txn *t);
int xs_txn_commit(struct xs_store *s, struct xs_txn *t);
struct xs_txn *xs_txn_find(struct xs_conn *c, u32 id);
int xs_txn_start(struct xs_conn *c, u32 *id);
int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit);
/* As domain 0, under the lock: the toolstack's writes (set-up, seeding). */
int xs_store_write_locked(struct xs_store *s, const char *path,
			  const char *val, unsigned int len,
			  const char *perms, unsigned int plen);

/* watch.c */
int xs_watch_add(struct xs_conn *c, const char *path, const char *token);
int xs_watch_del(struct xs_conn *c, const char *path, const char *token);
void xs_watch_del_conn(struct xs_conn *c);
int xs_watch_first_event(struct xs_conn *c, const char *path,
			 const char *token);
void xs_fire(struct xs_store *s, const char *path, bool recursive);
int xs_queue(struct xs_conn *c, u32 type, u32 req_id, u32 tx_id,
	     const char *payload, unsigned int len, bool event);
void xs_msg_free(struct xs_conn *c, struct xs_msg *m);

/* Usage against the limits, for the status tool. */
struct xs_stats {
	unsigned int nodes, watches, transactions, connections, outstanding;
	size_t memory;
	u64 requests, commits, conflicts, quota_errors, events_dropped;
};

/* wire.c: the client-facing entry points (take the store lock). */
void xs_store_stats(struct xs_store *s, struct xs_stats *st);
int xs_store_init(struct xs_store *s, u16 domid, const struct xs_limits *l,
		  const char *uuid, const char *name);
void xs_store_destroy(struct xs_store *s);
struct xs_conn *xs_conn_open(struct xs_store *s, void (*notify)(void *),
			     void *priv);
void xs_conn_close(struct xs_conn *c);
int xs_conn_request(struct xs_conn *c, const struct xsd_sockmsg *hdr,
		    const char *payload);
size_t xs_conn_read(struct xs_conn *c, char *buf, size_t len);
bool xs_conn_readable(struct xs_conn *c);
unsigned int xs_conn_pending_replies(struct xs_conn *c);
bool xs_conn_may_send(struct xs_conn *c);
/* Domain 0's writes from outside (the platform): take the lock, fire watches. */
int xs_store_write(struct xs_store *s, const char *path, const char *val,
		   unsigned int len);
int xs_store_chmod(struct xs_store *s, const char *path, const char *perms,
		   unsigned int plen);
int xs_store_rename(struct xs_store *s, const char *name);

#endif /* _XENHV_XS_H */
