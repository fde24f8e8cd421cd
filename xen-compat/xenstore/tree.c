// SPDX-License-Identifier: GPL-2.0
/* XenStore nodes: path rules, permissions, the store's nodes and what they cost the guest. */
#include "xs.h"

char *xs_strndup(const char *s, size_t n)
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
struct xs_node *xs_child(const struct xs_node *n, const char *name,
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

/*
 * What @domid may do with a node of permissions @p, as xenstored's
 * perm_for_conn(): domain 0 and the owner everything, others what their
 * entry (or the default, perms[0]) says.
 */
unsigned int xs_perm_for(const struct xs_perm *p, unsigned int n, u16 domid)
{
	char c = p[0].perm;
	unsigned int i;

	if (domid == 0 || domid == p[0].domid)
		return XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
	for (i = 1; i < n; i++) {
		if (p[i].domid == domid) {
			c = p[i].perm;
			break;
		}
	}
	switch (c) {
	case 'b':
		return XS_PERM_READ | XS_PERM_WRITE;
	case 'r':
		return XS_PERM_READ;
	case 'w':
		return XS_PERM_WRITE;
	default:
		return 0;
	}
}

bool xs_can(const struct xs_node *n, u16 domid, int want)
{
	return (xs_perm_for(n->perms, n->nperms, domid) & want) == (unsigned int)want;
}

/* Would the guest's memory stay within its quota with @more bytes? */
bool xs_mem_ok(const struct xs_store *s, u16 domid, size_t more)
{
	return !domid || !s->limits.memory ||
	       s->use.memory + more <= s->limits.memory;
}

/* Move a charge to @now bytes (the usage never goes below what is charged). */
void xs_charge(struct xs_store *s, size_t *charge, size_t now)
{
	s->use.memory = s->use.memory - *charge + now;
	*charge = now;
}

/* What a store node costs its owner: the node and what hangs off it. */
static size_t xs_weight(const struct xs_node *n)
{
	return sizeof(*n) + strlen(n->name) + 1 + n->len + 1 +
	       n->nperms * sizeof(*n->perms) +
	       n->nchildren * sizeof(*n->children);
}

/* After any change to @n: the guest's node count and memory follow it. */
void xs_node_recharge(struct xs_store *s, struct xs_node *n)
{
	size_t w = n->perms[0].domid == s->domid ? xs_weight(n) : 0;

	if (!n->charge && w)
		s->use.nodes++;
	else if (n->charge && !w)
		s->use.nodes--;
	xs_charge(s, &n->charge, w);
}

void xs_node_free(struct xs_store *s, struct xs_node *n)
{
	unsigned int i;

	if (!n)
		return;
	for (i = 0; i < n->nchildren; i++)
		xs_node_free(s, n->children[i]);
	if (n->charge)
		s->use.nodes--;
	xs_charge(s, &n->charge, 0);
	xs_free(n->children);
	xs_free(n->perms);
	xs_free(n->value);
	xs_free(n->name);
	xs_free(n);
}

/* A walk of the tree, for tests that check the counter against it. */
unsigned int xs_count_owned(const struct xs_node *n, u16 domid)
{
	unsigned int i, count = n->perms[0].domid == domid;

	for (i = 0; i < n->nchildren; i++)
		count += xs_count_owned(n->children[i], domid);
	return count;
}

/*
 * The admin's extra guest-writable subtrees of the home: the guest may
 * create (and remove, and create again) these children of
 * /local/domain/<domid>, which otherwise belongs to domain 0.
 */
bool xs_guest_may_create(const struct xs_store *s, const char *parent,
			 const char *name, size_t len)
{
	char home[32];
	const char *p = s->guest_writable, *e;

	snprintf(home, sizeof(home), "/local/domain/%u", s->domid);
	if (!p || strcmp(parent, home))
		return false;
	while (*p) {
		e = strchr(p, ',');
		if (!e)
			e = p + strlen(p);
		if ((size_t)(e - p) == len && !memcmp(p, name, len))
			return true;
		p = *e ? e + 1 : e;
	}
	return false;
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

/* A node of the initial tree, as the toolstack writes it. */
static int xs_init_node(struct xs_store *s, const char *path, const char *val,
			const char *perms, unsigned int plen)
{
	return xs_store_write_locked(s, path, val, strlen(val), perms, plen);
}

/*
 * What libxl's libxl__domain_make() lays out for a domU: its home, the
 * toolstack's nodes in it and control/ belong to domain 0 and are readable
 * by the guest ("n0 r<d>"); the subtrees the guest writes (data/, attr/,
 * drivers/, feature/, error/, the control/ feature keys, the suspend event
 * channel) are the guest's ("n<d>"). /vm/<uuid> is readable by it.
 */
int xs_tree_init(struct xs_store *s, const char *uuid, const char *name)
{
	char dom[32], vm[64], path[128], own[16], ro[16], val[64];
	static const char * const ro_dirs[] = {
		"cpu", "memory", "device", "control",
	};
	static const char * const rw_nodes[] = {
		"control/shutdown", "control/feature-poweroff",
		"control/feature-reboot", "control/feature-suspend",
		"control/sysrq", "device/suspend/event-channel",
		"data", "drivers", "feature", "attr", "error",
		/* xapi's: the guest agent's */
		"vm-data",
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
	/* "n<d>" makes the domain the owner; "n0\0r<d>" lets it read. */
	ownlen = snprintf(own, sizeof(own), "n%u", s->domid) + 1;
	rolen = snprintf(ro, sizeof(ro), "n0%cr%u", 0, s->domid) + 1;

	ret = xs_init_node(s, "/tool", "", "n0", sizeof("n0"));
	ret = ret ? ret : xs_init_node(s, "/local/domain", "", "n0", sizeof("n0"));
	ret = ret ? ret : xs_init_node(s, vm, "", ro, rolen);
	ret = ret ? ret : xs_init_node(s, dom, "", ro, rolen);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/uuid", vm);
	ret = xs_init_node(s, path, uuid, ro, rolen);
	snprintf(path, sizeof(path), "%s/name", vm);
	ret = ret ? ret : xs_init_node(s, path, name, ro, rolen);
	snprintf(val, sizeof(val), "%u", s->domid);
	snprintf(path, sizeof(path), "%s/domid", dom);
	ret = ret ? ret : xs_init_node(s, path, val, ro, rolen);
	snprintf(path, sizeof(path), "%s/name", dom);
	ret = ret ? ret : xs_init_node(s, path, name, ro, rolen);
	snprintf(path, sizeof(path), "%s/vm", dom);
	ret = ret ? ret : xs_init_node(s, path, vm, ro, rolen);
	snprintf(path, sizeof(path), "%s/unique-domain-id", dom);
	ret = ret ? ret : xs_init_node(s, path, uuid, ro, rolen);
	for (i = 0; !ret && i < ARRAY_SIZE(ro_dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", dom, ro_dirs[i]);
		ret = xs_init_node(s, path, "", ro, rolen);
	}
	for (i = 0; !ret && i < ARRAY_SIZE(rw_nodes); i++) {
		snprintf(path, sizeof(path), "%s/%s", dom, rw_nodes[i]);
		ret = xs_init_node(s, path, "", own, ownlen);
	}
	/* libxl's, and what Linux's own Xen code acts on. */
	snprintf(path, sizeof(path), "%s/control/platform-feature-xs_reset_watches", dom);
	ret = ret ? ret : xs_init_node(s, path, "1", ro, rolen);
	snprintf(path, sizeof(path), "%s/control/feature-poweroff", dom);
	ret = ret ? ret : xs_init_node(s, path, "1", own, ownlen);
	snprintf(path, sizeof(path), "%s/control/feature-reboot", dom);
	ret = ret ? ret : xs_init_node(s, path, "1", own, ownlen);
	return ret;
}
