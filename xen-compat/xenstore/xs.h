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
	unsigned int transactions;	/* 10 per connection */
	unsigned int txn_nodes;		/* 1024 nodes touched per transaction */
	unsigned int perms_per_node;	/* 5 */
	unsigned int events_pending;	/* watch events queued for one client */
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

struct xs_node {
	char *name;			/* last path component */
	char *value;
	unsigned int len;
	struct xs_perm *perms;		/* perms[0]: owner, default for others */
	unsigned int nperms;
	struct xs_node **children;	/* in creation order, as xenstored */
	unsigned int nchildren;
	u64 gen;			/* store generation of the last change */
};

/* One tree: the store's, or a transaction's snapshot of it. */
struct xs_tree {
	struct xs_node *root;
};

/* A modification a transaction will replay on the store at commit. */
struct xs_op {
	struct xs_op *next;
	u32 type;			/* XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS */
	char *path;
	char *data;			/* value, or perms as "r0\0w1\0" */
	unsigned int len;
};

/* A node a transaction saw, and its generation then (0: absent). */
struct xs_seen {
	struct xs_seen *next;
	char *path;
	u64 gen;
};

struct xs_txn {
	struct xs_txn *next;
	u32 id;
	struct xs_tree tree;		/* snapshot taken at start */
	struct xs_op *ops, **ops_tail;
	struct xs_seen *seen;
	unsigned int nseen;
};

struct xs_watch {
	struct xs_watch *next;
	struct xs_conn *conn;
	char *path;			/* as the client gave it */
	char *abs;			/* canonical (or @special) */
	char *token;
};

/* A reply or event waiting to be read; data is header + payload. */
struct xs_msg {
	struct xs_msg *next;
	bool event;
	unsigned int len, off;
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
	u64 events_dropped;
	void (*notify)(void *priv);	/* output became readable */
	void *priv;
};

struct xs_store {
	xs_lock_t lock;			/* protects everything below and every conn */
	struct xs_tree tree;
	u64 gen;
	u16 domid;			/* the guest's domain id */
	struct xs_limits limits;
	struct xs_watch *watches;
	struct xs_conn *conns;
	/* A write of poweroff/reboot to control/shutdown (set by the platform). */
	void (*shutdown_request)(const char *how);
	/* statistics for the status tool */
	u64 requests, commits, conflicts, quota_errors;
};

/* tree.c */
int xs_canonical(const struct xs_store *s, const char *in, char **out, bool special);
struct xs_node *xs_lookup(struct xs_tree *t, const char *path);
bool xs_can(const struct xs_node *n, u16 domid, int want);
int xs_tree_write(struct xs_store *s, struct xs_tree *t, u16 domid,
		  const char *path, const char *val, unsigned int len,
		  bool mkdir_only);
int xs_tree_rm(struct xs_store *s, struct xs_tree *t, u16 domid,
	       const char *path);
int xs_tree_set_perms(struct xs_store *s, struct xs_tree *t, u16 domid,
		      const char *path, const char *perms, unsigned int len);
int xs_parse_uint(const char *s, unsigned long max, unsigned long *out);
int xs_parse_perms(const char *buf, unsigned int len, struct xs_perm **out,
		   unsigned int *n);
struct xs_node *xs_tree_clone(const struct xs_node *n);
void xs_node_free(struct xs_node *n);
unsigned int xs_count_owned(const struct xs_node *n, u16 domid);
int xs_tree_init(struct xs_store *s, const char *uuid, const char *name);
int xs_store_rename(struct xs_store *s, const char *name);

/* txn.c */
struct xs_txn *xs_txn_find(struct xs_conn *c, u32 id);
int xs_txn_start(struct xs_conn *c, u32 *id);
int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit);
void xs_txn_free(struct xs_txn *t);
int xs_txn_seen(struct xs_store *s, struct xs_txn *t, const char *path);
int xs_txn_log(struct xs_txn *t, u32 type, const char *path,
	       const char *data, unsigned int len);

/* watch.c */
int xs_watch_add(struct xs_conn *c, const char *path, const char *token);
int xs_watch_del(struct xs_conn *c, const char *path, const char *token);
void xs_watch_del_conn(struct xs_conn *c);
int xs_watch_first_event(struct xs_conn *c, const char *path,
			 const char *token);
void xs_fire(struct xs_store *s, const char *path, bool recursive);
int xs_queue(struct xs_conn *c, u32 type, u32 req_id, u32 tx_id,
	     const char *payload, unsigned int len, bool event);

/* Usage against the limits, for the status tool. */
struct xs_stats {
	unsigned int nodes, watches, transactions, connections;
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

#endif /* _XENHV_XS_H */
