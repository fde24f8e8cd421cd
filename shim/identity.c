// SPDX-License-Identifier: GPL-2.0
/* The Xen identity `xenhv-migrate capture` saved: the VM's UUID, name and toolstack keys. */
#include "xenhv.h"

#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uuid.h>
#include <linux/mm.h>

#include "../xen-compat/xenstore/xs.h"

/*
 * The path comes from the administrator (modprobe.d, written by the
 * package's tools), never from this code: without it the SMBIOS identity
 * stays, as before.
 */
static char *identity;
module_param(identity, charp, 0444);
MODULE_PARM_DESC(identity, "File saved by 'xenhv-migrate capture' on Xen: the VM's UUID, name, vm-data/ and data/ to seed (default: none, the SMBIOS identity)");

/* Far more than a toolstack writes; what a domain may own in XenStore. */
#define XENHV_ID_MAX_FILE	(64 * 1024)
#define XENHV_ID_MAX_KEYS	256
#define XENHV_ID_MAX_NAME	256
#define XENHV_ID_MAX_PATH	256
#define XENHV_ID_MAX_VALUE	2048

struct xenhv_id_key {
	char path[XENHV_ID_MAX_PATH + 1];	/* relative: vm-data/... or data/... */
	char *val;
	unsigned int len;
};

/* Filled once at load, before any client: no lock needed. */
static struct {
	bool have_uuid;
	uuid_t uuid;
	char name[XENHV_ID_MAX_NAME + 1];
	struct xenhv_id_key *keys;
	unsigned int nkeys;
} xenhv_id;

/* %XX decoding in place; returns the decoded length or -EINVAL. */
static int xenhv_id_unescape(char *s, unsigned int len)
{
	unsigned int i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] != '%') {
			s[o++] = s[i];
			continue;
		}
		if (i + 2 >= len)
			return -EINVAL;
		hi = hex_to_bin(s[i + 1]);
		lo = hex_to_bin(s[i + 2]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		s[o++] = hi << 4 | lo;
		i += 2;
	}
	return o;
}

/* XenStore's node name characters, no empty component, no trailing slash. */
static bool xenhv_id_path_ok(const char *p)
{
	const char *c;

	if (!*p || p[strlen(p) - 1] == '/' || strstr(p, "//"))
		return false;
	for (c = p; *c; c++)
		if (!isalnum(*c) && !strchr("-/_@", *c))
			return false;
	return true;
}

static void xenhv_id_clear(void)
{
	unsigned int i;

	for (i = 0; i < xenhv_id.nkeys; i++)
		kfree(xenhv_id.keys[i].val);
	kfree(xenhv_id.keys);
	memset(&xenhv_id, 0, sizeof(xenhv_id));
}

/* One line "KEY VALUE"; returns NULL or why it is refused. */
static const char *xenhv_id_line(char *line, unsigned int len, char *vm)
{
	char *sp = memchr(line, ' ', len), *val;
	unsigned int klen, vlen;
	struct xenhv_id_key *k;
	int n;

	if (!sp)
		return "no value after the key";
	klen = sp - line;
	*sp = '\0';
	val = sp + 1;
	vlen = len - klen - 1;
	n = xenhv_id_unescape(val, vlen);
	if (n < 0)
		return "a % not followed by two hex digits";
	vlen = n;
	if (!strcmp(line, "uuid")) {
		if (xenhv_id.have_uuid)
			return "a second uuid";
		val[vlen] = '\0';
		if (vlen != UUID_STRING_LEN || uuid_parse(val, &xenhv_id.uuid))
			return "not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
		xenhv_id.have_uuid = true;
		return NULL;
	}
	if (!strcmp(line, "name")) {
		if (xenhv_id.name[0])
			return "a second name";
		if (!vlen || vlen > XENHV_ID_MAX_NAME || memchr(val, '\0', vlen))
			return "the name is empty, longer than 256 bytes or holds a NUL";
		memcpy(xenhv_id.name, val, vlen);
		return NULL;
	}
	if (!strcmp(line, "vm")) {
		if (vlen >= 64 || vm[0])
			return "a second or overlong vm";
		memcpy(vm, val, vlen);
		vm[vlen] = '\0';
		return NULL;
	}
	if (strncmp(line, "vm-data/", 8) && strncmp(line, "data/", 5))
		return "unknown key (uuid, name, vm, vm-data/..., data/... are known)";
	if (klen > XENHV_ID_MAX_PATH || !xenhv_id_path_ok(line))
		return "the key is no valid XenStore path (letters, digits, -/_@; 256 bytes)";
	if (vlen > XENHV_ID_MAX_VALUE)
		return "the value is longer than 2048 bytes";
	if (xenhv_id.nkeys == XENHV_ID_MAX_KEYS)
		return "more than 256 keys";
	k = &xenhv_id.keys[xenhv_id.nkeys];
	k->val = kmemdup(val, vlen ? vlen : 1, GFP_KERNEL);
	if (!k->val)
		return "out of memory";
	strscpy(k->path, line, sizeof(k->path));
	k->len = vlen;
	xenhv_id.nkeys++;
	return NULL;
}

static const char *xenhv_id_parse(char *buf, size_t size, unsigned int *lineno)
{
	char vm[64] = "", want[64];
	char *line = buf, *end = buf + size, *nl;
	const char *why;

	xenhv_id.keys = kcalloc(XENHV_ID_MAX_KEYS, sizeof(*xenhv_id.keys),
				GFP_KERNEL);
	if (!xenhv_id.keys)
		return "out of memory";
	for (*lineno = 1; line < end; line = nl + 1, (*lineno)++) {
		nl = memchr(line, '\n', end - line);
		if (!nl)
			return "the last line does not end with a newline";
		if (nl == line || *line == '#')
			continue;
		why = xenhv_id_line(line, nl - line, vm);
		if (why)
			return why;
	}
	*lineno = 0;
	if (!xenhv_id.have_uuid)
		return "no uuid line";
	snprintf(want, sizeof(want), "/vm/%pUb", &xenhv_id.uuid);
	if (vm[0] && strcmp(vm, want))
		return "vm is not /vm/<uuid> for the file's uuid";
	return NULL;
}

/*
 * The whole of PATH in a new buffer (kvfree it), or -EFBIG when it holds more
 * than XENHV_ID_MAX_FILE bytes, never its first part. kernel_read(), not
 * kernel_read_file(): that is for what the kernel loads (firmware, modules,
 * policies), and IPE (6.12 on) warns at every read that names no such
 * purpose (READING_UNKNOWN), as Debian 13's kernel showed.
 */
static ssize_t xenhv_id_read(const char *path, void **bufp)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t got = 0, n;
	char *buf;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	f = filp_open(path, O_RDONLY | O_NONBLOCK, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!S_ISREG(file_inode(f)->i_mode)) {
		got = -EINVAL;
		goto out;
	}
	if (i_size_read(file_inode(f)) > XENHV_ID_MAX_FILE) {
		got = -EFBIG;
		goto out;
	}
	/* One byte more than allowed tells a file that grew past the limit. */
	buf = kvmalloc(XENHV_ID_MAX_FILE + 1, GFP_KERNEL);
	if (!buf) {
		got = -ENOMEM;
		goto out;
	}
	while (got <= XENHV_ID_MAX_FILE) {
		n = kernel_read(f, buf + got, XENHV_ID_MAX_FILE + 1 - got, &pos);
		if (n <= 0) {
			if (n < 0)
				got = n;
			break;
		}
		got += n;
	}
	if (got > XENHV_ID_MAX_FILE)
		got = -EFBIG;
	if (got < 0)
		kvfree(buf);
	else
		*bufp = buf;
out:
	filp_close(f, NULL);
	return got;
}

void xenhv_identity_load(void)
{
	unsigned int lineno = 0;
	const char *why;
	void *buf = NULL;
	ssize_t n;

	if (!identity || !*identity)
		return;
	n = xenhv_id_read(identity, &buf);
	if (n < 0) {
		pr_err("identity %s: %s (%zd); keeping the SMBIOS identity\n",
		       identity, n == -EFBIG ? "larger than 64 KiB" :
		       "cannot be read", n);
		return;
	}
	why = xenhv_id_parse(buf, n, &lineno);
	kvfree(buf);
	if (why) {
		if (lineno)
			pr_err("identity %s:%u: %s; keeping the SMBIOS identity\n",
			       identity, lineno, why);
		else
			pr_err("identity %s: %s; keeping the SMBIOS identity\n",
			       identity, why);
		xenhv_id_clear();
		return;
	}
	pr_info("identity %s: Xen VM %pUb%s%s, %u toolstack keys\n", identity,
		&xenhv_id.uuid, xenhv_id.name[0] ? ", name " : "",
		xenhv_id.name, xenhv_id.nkeys);
}

bool xenhv_identity_uuid(u8 *handle)
{
	if (!xenhv_id.have_uuid)
		return false;
	memcpy(handle, xenhv_id.uuid.b, XENHV_DOMAIN_HANDLE_LEN);
	return true;
}

const char *xenhv_identity_name(void)
{
	return xenhv_id.name[0] ? xenhv_id.name : NULL;
}

/* Is PATH (relative, NUL-terminated) one of the captured keys? */
static bool xenhv_id_is_key(const char *path)
{
	unsigned int i;

	for (i = 0; i < xenhv_id.nkeys; i++)
		if (!strcmp(xenhv_id.keys[i].path, path))
			return true;
	return false;
}

/*
 * The keys go in as domain 0 wrote them on Xen, each node (and every
 * directory it needs below vm-data/ or data/) owned by the guest like
 * those directories themselves: first the directories that are no key of
 * their own, then every key with its value. Called before
 * /dev/xen/xenbus exists.
 */
void xenhv_identity_seed(struct xs_store *s)
{
	char path[XENHV_ID_MAX_PATH + 32], own[16];
	unsigned int i, ownlen, base;
	char *slash;
	int ret;

	if (!xenhv_id.nkeys)
		return;
	ownlen = snprintf(own, sizeof(own), "n%u", s->domid) + 1;
	base = snprintf(path, sizeof(path), "/local/domain/%u/", s->domid);
	xs_lock(&s->lock);
	for (i = 0; i < xenhv_id.nkeys; i++) {
		strscpy(path + base, xenhv_id.keys[i].path, sizeof(path) - base);
		/* From below vm-data/ or data/: those keep their own. */
		for (slash = strchr(path + base, '/');
		     (slash = strchr(slash + 1, '/'));) {
			*slash = '\0';
			ret = xenhv_id_is_key(path + base) ? 0 :
			      xs_store_write_locked(s, path, "", 0, own, ownlen);
			*slash = '/';
			if (ret)
				pr_err("identity: %s not seeded (%d)\n", path, ret);
		}
	}
	for (i = 0; i < xenhv_id.nkeys; i++) {
		struct xenhv_id_key *k = &xenhv_id.keys[i];

		strscpy(path + base, k->path, sizeof(path) - base);
		ret = xs_store_write_locked(s, path, k->val, k->len, own, ownlen);
		if (ret)
			pr_err("identity: %s not seeded (%d)\n", path, ret);
	}
	xs_unlock(&s->lock);
	for (i = 0; i < xenhv_id.nkeys; i++)
		kfree(xenhv_id.keys[i].val);
	kfree(xenhv_id.keys);
	xenhv_id.keys = NULL;
	xenhv_id.nkeys = 0;
}
