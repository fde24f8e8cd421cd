// SPDX-License-Identifier: GPL-2.0
/* XenStore nodes: path rules, permissions, quotas and the write/mkdir/rm/set_perms operations. */
#include "xs.h"

static char *xs_strndup(const char *s, size_t n)
{
	char *p = xs_zalloc(n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

/* xenstore.txt: ASCII alphanumerics and -/_@ only. */
static bool xs_valid_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
	       c == '@';
}

/*
 * Relative paths are below the client's /local/domain/<domid>; absolute
 * ones start at /. No empty component, no trailing slash, at most
 * XENSTORE_ABS_PATH_MAX in all and XENSTORE_REL_PATH_MAX relative.
 * @special allows the watch-only "@" names (@introduceDomain, ...).
 */
int xs_canonical(const struct xs_store *s, const char *in, char **out,
		 bool special)
{
	size_t n = strlen(in), i, pre, depth;
	char prefix[32];
	char *p;

	*out = NULL;
	if (!n)
		return -EINVAL;
	/* "@..." names the special watches; they are not nodes. */
	if (in[0] == '@' && !special)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!xs_valid_char(in[i]) || (in[i] == '/' && in[i + 1] == '/'))
			return -EINVAL;
	}
	if (n > 1 && in[n - 1] == '/')
		return -EINVAL;
	for (i = 0, depth = 0; i < n; i++)
		depth += in[i] == '/';
	/* Relative paths add /local/domain/<id>/: three more levels. */
	if (depth + (in[0] == '/' ? 0 : 4) > XS_MAX_DEPTH)
		return -EINVAL;
	if (in[0] == '/' || in[0] == '@') {
		if (n > XENSTORE_ABS_PATH_MAX)
			return -EINVAL;
		*out = xs_strndup(in, n);
		return *out ? 0 : -ENOMEM;
	}
	if (n > XENSTORE_REL_PATH_MAX)
		return -EINVAL;
	pre = snprintf(prefix, sizeof(prefix), "/local/domain/%u/", s->domid);
	p = xs_zalloc(pre + n + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p, prefix, pre);
	memcpy(p + pre, in, n);
	*out = p;
	return 0;
}

/* The child of @n named by the first @len bytes of @name. */
static struct xs_node *xs_child(const struct xs_node *n, const char *name,
				size_t len, unsigned int *idx)
{
	unsigned int i;

	for (i = 0; i < n->nchildren; i++) {
		if (strlen(n->children[i]->name) == len &&
		    !memcmp(n->children[i]->name, name, len)) {
			if (idx)
				*idx = i;
			return n->children[i];
		}
	}
	return NULL;
}

/* Walk @path as far as it exists; *rest is what is missing ("" if none). */
static struct xs_node *xs_walk(struct xs_tree *t, const char *path,
			       const char **rest, struct xs_node **parent)
{
	struct xs_node *n = t->root, *up = NULL, *c;
	const char *p = path + 1, *slash;
	size_t len;

	while (*p) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		c = xs_child(n, p, len, NULL);
		if (!c)
			break;
		up = n;
		n = c;
		p += len + (slash ? 1 : 0);
	}
	*rest = p;
	if (parent)
		*parent = up;
	return n;
}

struct xs_node *xs_lookup(struct xs_tree *t, const char *path)
{
	const char *rest;
	struct xs_node *n = xs_walk(t, path, &rest, NULL);

	return *rest ? NULL : n;
}

/* Domain 0 and the owner may do anything; others what their entry says. */
bool xs_can(const struct xs_node *n, u16 domid, int want)
{
	char p = n->perms[0].perm;
	unsigned int i;

	if (domid == 0 || domid == n->perms[0].domid)
		return true;
	for (i = 1; i < n->nperms; i++) {
		if (n->perms[i].domid == domid) {
			p = n->perms[i].perm;
			break;
		}
	}
	if (p == 'b')
		return true;
	return (want == XS_PERM_READ && p == 'r') ||
	       (want == XS_PERM_WRITE && p == 'w');
}

void xs_node_free(struct xs_node *n)
{
	unsigned int i;

	if (!n)
		return;
	for (i = 0; i < n->nchildren; i++)
		xs_node_free(n->children[i]);
	xs_free(n->children);
	xs_free(n->perms);
	xs_free(n->value);
	xs_free(n->name);
	xs_free(n);
}

struct xs_node *xs_tree_clone(const struct xs_node *n)
{
	struct xs_node *c = xs_zalloc(sizeof(*c));
	unsigned int i;

	if (!c)
		return NULL;
	c->gen = n->gen;
	c->len = n->len;
	c->nperms = n->nperms;
	c->name = xs_strndup(n->name, strlen(n->name));
	c->value = xs_zalloc(n->len + 1);
	c->perms = xs_zalloc(n->nperms * sizeof(*c->perms));
	if (n->nchildren)
		c->children = xs_zalloc(n->nchildren * sizeof(*c->children));
	if (!c->name || !c->value || !c->perms ||
	    (n->nchildren && !c->children))
		goto fail;
	memcpy(c->value, n->value, n->len);
	memcpy(c->perms, n->perms, n->nperms * sizeof(*c->perms));
	for (i = 0; i < n->nchildren; i++) {
		c->children[i] = xs_tree_clone(n->children[i]);
		if (!c->children[i])
			goto fail;
		c->nchildren++;
	}
	return c;
fail:
	xs_node_free(c);
	return NULL;
}

unsigned int xs_count_owned(const struct xs_node *n, u16 domid)
{
	unsigned int i, count = n->perms[0].domid == domid;

	for (i = 0; i < n->nchildren; i++)
		count += xs_count_owned(n->children[i], domid);
	return count;
}

/* What a node weighs against the node size quota, as xenstored counts it. */
static size_t xs_node_size(const struct xs_node *n, size_t value_len,
			   unsigned int nperms, size_t extra_child)
{
	size_t size = 16 + value_len + nperms * sizeof(u32) + extra_child;
	unsigned int i;

	for (i = 0; i < n->nchildren; i++)
		size += strlen(n->children[i]->name) + 1;
	return size;
}

static struct xs_node *xs_new_node(const char *name, size_t len,
				   const struct xs_node *parent, u16 owner)
{
	struct xs_node *n = xs_zalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->name = xs_strndup(name, len);
	n->value = xs_zalloc(1);
	n->perms = xs_zalloc(parent->nperms * sizeof(*n->perms));
	if (!n->name || !n->value || !n->perms) {
		xs_node_free(n);
		return NULL;
	}
	/* A new node inherits its parent's permissions, owned by its creator. */
	memcpy(n->perms, parent->perms, parent->nperms * sizeof(*n->perms));
	n->nperms = parent->nperms;
	n->perms[0].domid = owner;
	return n;
}

static int xs_add_child(struct xs_node *parent, struct xs_node *child)
{
	struct xs_node **c = xs_zalloc((parent->nchildren + 1) * sizeof(*c));

	if (!c)
		return -ENOMEM;
	if (parent->nchildren)
		memcpy(c, parent->children, parent->nchildren * sizeof(*c));
	c[parent->nchildren] = child;
	xs_free(parent->children);
	parent->children = c;
	parent->nchildren++;
	return 0;
}

/* Set @n's value: the node size quota holds for unprivileged writers. */
static int xs_set_value(struct xs_store *s, struct xs_node *n, u16 domid,
			const char *val, unsigned int len)
{
	char *v;

	if (domid && xs_node_size(n, len, n->nperms, 0) > s->limits.node_size)
		return -ENOSPC;
	v = xs_zalloc(len + 1);
	if (!v)
		return -ENOMEM;
	memcpy(v, val, len);
	xs_free(n->value);
	n->value = v;
	n->len = len;
	n->gen = ++s->gen;
	return 0;
}

/*
 * WRITE (or MKDIR): an existing node needs write permission; a missing one
 * is created, with any missing parents, under write permission on the
 * deepest existing ancestor and within the domain's node quota.
 */
int xs_tree_write(struct xs_store *s, struct xs_tree *t, u16 domid,
		  const char *path, const char *val, unsigned int len,
		  bool mkdir_only)
{
	const char *rest, *slash;
	struct xs_node *n = xs_walk(t, path, &rest, NULL), *c;
	unsigned int missing = 0;
	const char *p;
	size_t clen;
	int ret;

	if (!*rest) {
		if (mkdir_only)
			return 0;
		if (!xs_can(n, domid, XS_PERM_WRITE))
			return -EACCES;
		return xs_set_value(s, n, domid, val, len);
	}
	if (!xs_can(n, domid, XS_PERM_WRITE))
		return -EACCES;
	for (p = rest; p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
		missing++;
	if (domid && xs_count_owned(t->root, domid) + missing >
		     s->limits.nodes_per_domain)
		return -ENOSPC;
	if (domid && xs_node_size(n, n->len, n->nperms, strlen(rest) + 1) >
		     s->limits.node_size)
		return -ENOSPC;
	if (domid && !mkdir_only && 16 + len + n->nperms * sizeof(u32) >
				    s->limits.node_size)
		return -ENOSPC;

	for (p = rest; *p; p += clen + (slash ? 1 : 0)) {
		slash = strchr(p, '/');
		clen = slash ? (size_t)(slash - p) : strlen(p);
		c = xs_new_node(p, clen, n, domid);
		if (!c)
			return -ENOMEM;
		ret = xs_add_child(n, c);
		if (ret) {
			xs_node_free(c);
			return ret;
		}
		n->gen = ++s->gen;
		c->gen = ++s->gen;
		n = c;
		if (!slash)
			break;
	}
	return mkdir_only ? 0 : xs_set_value(s, n, domid, val, len);
}

/* RM: a missing node is fine when its parent exists, as in xenstored. */
int xs_tree_rm(struct xs_store *s, struct xs_tree *t, u16 domid,
	       const char *path)
{
	const char *rest, *name;
	struct xs_node *parent, *n = xs_walk(t, path, &rest, &parent);
	unsigned int i;

	if (*rest)
		return strchr(rest, '/') ? -ENOENT : 0;
	if (!parent)
		return -EINVAL;		/* the root stays */
	if (!xs_can(n, domid, XS_PERM_WRITE))
		return -EACCES;
	name = strrchr(path, '/') + 1;
	if (!xs_child(parent, name, strlen(name), &i))
		return -ENOENT;
	memmove(&parent->children[i], &parent->children[i + 1],
		(parent->nchildren - i - 1) * sizeof(*parent->children));
	parent->nchildren--;
	parent->gen = ++s->gen;
	xs_node_free(n);
	return 0;
}

/* A decimal number no greater than @max, and nothing else. */
int xs_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -EINVAL;
	}
	*out = v;
	return 0;
}

/* "r0\0w1\0": a permission letter and a domain id, each NUL-terminated. */
int xs_parse_perms(const char *buf, unsigned int len, struct xs_perm **out,
		   unsigned int *n)
{
	unsigned int i, count = 0, off;
	unsigned long id;
	struct xs_perm *p;
	const char *e;

	if (!len || buf[len - 1])
		return -EINVAL;
	for (i = 0; i < len; i++)
		count += !buf[i];
	p = xs_zalloc(count * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (i = 0, off = 0; i < count; i++) {
		e = buf + off;
		if (!e[0] || !strchr("nrwb", e[0]) ||
		    xs_parse_uint(e + 1, 65535, &id))
			goto bad;
		p[i].perm = buf[off];
		p[i].domid = (u16)id;
		off += strlen(buf + off) + 1;
	}
	*out = p;
	*n = count;
	return 0;
bad:
	xs_free(p);
	return -EINVAL;
}

/* SET_PERMS: write permission; an unprivileged domain keeps the owner. */
int xs_tree_set_perms(struct xs_store *s, struct xs_tree *t, u16 domid,
		      const char *path, const char *perms, unsigned int len)
{
	struct xs_node *n = xs_lookup(t, path);
	struct xs_perm *p;
	unsigned int np;
	int ret;

	if (!n)
		return -ENOENT;
	ret = xs_parse_perms(perms, len, &p, &np);
	if (ret)
		return ret;
	ret = -ENOSPC;
	if (domid && np > s->limits.perms_per_node)
		goto out;
	ret = -EACCES;
	if (!xs_can(n, domid, XS_PERM_WRITE))
		goto out;
	ret = -EPERM;
	if (domid && p[0].domid != n->perms[0].domid)
		goto out;
	xs_free(n->perms);
	n->perms = p;
	n->nperms = np;
	n->gen = ++s->gen;
	return 0;
out:
	xs_free(p);
	return ret;
}

/* Set a node's value and permissions as domain 0 (the initial tree). */
static int xs_init_node(struct xs_store *s, const char *path, const char *val,
			const char *perms, unsigned int plen)
{
	int ret = xs_tree_write(s, &s->tree, 0, path, val, strlen(val), false);

	return ret ? ret : xs_tree_set_perms(s, &s->tree, 0, path, perms, plen);
}

/*
 * What a Xen domU finds: its domain directory (its own, writable) with the
 * keys agents read, and /vm/<uuid> readable by it. The rest is domain 0's.
 */
int xs_tree_init(struct xs_store *s, const char *uuid, const char *name)
{
	char dom[32], vm[64], path[128], own[16], ro[16], val[64];
	static const char * const dirs[] = {
		"data", "attr", "vm-data", "control", "device", "error",
		"drivers", "feature", "memory",
	};
	unsigned int i, ownlen, rolen;
	int ret;

	s->tree.root = xs_zalloc(sizeof(*s->tree.root));
	if (!s->tree.root)
		return -ENOMEM;
	s->tree.root->name = xs_strndup("", 0);
	s->tree.root->value = xs_zalloc(1);
	s->tree.root->perms = xs_zalloc(sizeof(struct xs_perm));
	if (!s->tree.root->name || !s->tree.root->value || !s->tree.root->perms)
		return -ENOMEM;
	s->tree.root->perms[0].perm = 'n';
	s->tree.root->nperms = 1;

	snprintf(dom, sizeof(dom), "/local/domain/%u", s->domid);
	snprintf(vm, sizeof(vm), "/vm/%s", uuid);
	/* "b<d>" makes the domain the owner; "n0\0r<d>" lets it read. */
	ownlen = snprintf(own, sizeof(own), "n%u", s->domid) + 1;
	rolen = snprintf(ro, sizeof(ro), "n0%cr%u", 0, s->domid) + 1;

	ret = xs_init_node(s, "/tool", "", "n0", sizeof("n0"));
	ret = ret ? ret : xs_init_node(s, "/local/domain", "", "n0", sizeof("n0"));
	ret = ret ? ret : xs_init_node(s, vm, "", ro, rolen);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/uuid", vm);
	ret = xs_init_node(s, path, uuid, ro, rolen);
	if (!ret) {
		snprintf(path, sizeof(path), "%s/name", vm);
		ret = xs_init_node(s, path, name, ro, rolen);
	}
	if (!ret)
		ret = xs_init_node(s, dom, "", own, ownlen);
	if (ret)
		return ret;

	snprintf(val, sizeof(val), "%u", s->domid);
	snprintf(path, sizeof(path), "%s/domid", dom);
	ret = xs_init_node(s, path, val, ro, rolen);
	snprintf(path, sizeof(path), "%s/name", dom);
	ret = ret ? ret : xs_init_node(s, path, name, ro, rolen);
	snprintf(path, sizeof(path), "%s/vm", dom);
	ret = ret ? ret : xs_init_node(s, path, vm, ro, rolen);
	snprintf(path, sizeof(path), "%s/unique-domain-id", dom);
	ret = ret ? ret : xs_init_node(s, path, uuid, ro, rolen);
	for (i = 0; !ret && i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", dom, dirs[i]);
		ret = xs_init_node(s, path, "", own, ownlen);
	}
	snprintf(path, sizeof(path), "%s/control/shutdown", dom);
	ret = ret ? ret : xs_init_node(s, path, "", own, ownlen);
	/* What Linux's own Xen code would advertise: it acts on these. */
	snprintf(path, sizeof(path), "%s/control/feature-poweroff", dom);
	ret = ret ? ret : xs_init_node(s, path, "1", own, ownlen);
	snprintf(path, sizeof(path), "%s/control/feature-reboot", dom);
	ret = ret ? ret : xs_init_node(s, path, "1", own, ownlen);
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
	int ret;

	snprintf(path, sizeof(path), "/local/domain/%u/name", s->domid);
	xs_lock(&s->lock);
	ret = xs_tree_write(s, &s->tree, 0, path, name, strlen(name), false);
	if (!ret)
		xs_fire(s, path, false);
	xs_unlock(&s->lock);
	return ret;
}
