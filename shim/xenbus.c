// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/xenbus, /proc/xen/xenbus: the in-guest XenStore, framed as Linux's xenbus frontend. */
#include "xenhv.h"

#include <linux/ctype.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/reboot.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/uuid.h>
#include <linux/wait.h>

#include "../xen-compat/compat.h"
#include "../xen-compat/xenstore/xs.h"

/* Xen's C xenstored defaults; each limit exists because of a Xen advisory. */
static unsigned int xenstore_node_size = 2048;
module_param(xenstore_node_size, uint, 0444);
MODULE_PARM_DESC(xenstore_node_size, "XenStore: bytes per node, value + permissions + child names (default 2048)");
static unsigned int xenstore_nodes = 1000;
module_param(xenstore_nodes, uint, 0444);
MODULE_PARM_DESC(xenstore_nodes, "XenStore: nodes the guest may own (default 1000)");
static unsigned int xenstore_watches = 128;
module_param(xenstore_watches, uint, 0444);
MODULE_PARM_DESC(xenstore_watches, "XenStore: watches of the guest (default 128)");
static unsigned int xenstore_transactions = 10;
module_param(xenstore_transactions, uint, 0444);
MODULE_PARM_DESC(xenstore_transactions, "XenStore: open transactions of the guest, all its clients together (default 10)");
static unsigned int xenstore_txn_nodes = 1024;
module_param(xenstore_txn_nodes, uint, 0444);
MODULE_PARM_DESC(xenstore_txn_nodes, "XenStore: nodes one transaction may touch (default 1024)");
static unsigned int xenstore_perms = 5;
module_param(xenstore_perms, uint, 0444);
MODULE_PARM_DESC(xenstore_perms, "XenStore: permissions per node (default 5)");
static unsigned int xenstore_requests = 20;
module_param(xenstore_requests, uint, 0444);
MODULE_PARM_DESC(xenstore_requests, "XenStore: unread replies of the guest before its clients' writes wait (default 20)");
static unsigned int xenstore_memory = 2621440;
module_param(xenstore_memory, uint, 0444);
MODULE_PARM_DESC(xenstore_memory, "XenStore: bytes the guest may use, nodes, transaction copies, watches and queued replies together; beyond is ENOMEM (default 2621440, Xen's hard quota; 0: no limit)");
static char *xenstore_guest_writable = "";
module_param(xenstore_guest_writable, charp, 0444);
MODULE_PARM_DESC(xenstore_guest_writable, "XenStore: names, comma-separated, of extra children of /local/domain/<domid> the guest may create and remove (default none, as Xen)");
static unsigned int xenstore_events = 1024;
module_param(xenstore_events, uint, 0444);
MODULE_PARM_DESC(xenstore_events, "XenStore: watch events queued for a client that does not read; more are dropped (default 1024)");

static struct xs_store xenhv_store;

/* One open file: a XenStore connection and its partial message. */
struct xenhv_xenbus_file {
	struct xs_conn *conn;
	wait_queue_head_t wait;		/* output readable, or replies drained */
	struct mutex lock;		/* protects len and buf */
	unsigned int len;
	union {
		struct xsd_sockmsg msg;
		char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	} in;
};

static void xenhv_xenbus_notify(void *priv)
{
	struct xenhv_xenbus_file *f = priv;

	wake_up_interruptible(&f->wait);
}

/*
 * Loaded from the initramfs, before the guest's own hostname was set: the
 * kernel's "(none)", or the "localhost" that systemd sets in a dracut
 * initramfs, which has no /etc/hostname of the guest's.
 */
static bool xenhv_name_unset;

static bool xenhv_name_placeholder(const char *name)
{
	return !strcmp(name, "(none)") || !strcmp(name, "localhost") ||
	       !strcmp(name, "localhost.localdomain");
}

/* The first client after the hostname is set sees it as the domain name. */
static void xenhv_xenbus_refresh_name(void)
{
	char name[__NEW_UTS_LEN + 1];

	if (!READ_ONCE(xenhv_name_unset))
		return;
	/* uts_sem is not exported; a torn read only delays the rename. */
	strscpy(name, utsname()->nodename, sizeof(name));
	if (xenhv_name_placeholder(name) || xs_store_rename(&xenhv_store, name))
		return;
	WRITE_ONCE(xenhv_name_unset, false);
}

static int xenhv_xenbus_open(struct inode *inode, struct file *file)
{
	struct xenhv_xenbus_file *f;

	xenhv_xenbus_refresh_name();
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	init_waitqueue_head(&f->wait);
	mutex_init(&f->lock);
	f->conn = xs_conn_open(&xenhv_store, xenhv_xenbus_notify, f);
	if (!f->conn) {
		kfree(f);
		return -ENOMEM;
	}
	file->private_data = f;
	stream_open(inode, file);
	return 0;
}

/* Closing ends the file's transactions and removes its watches. */
static int xenhv_xenbus_release(struct inode *inode, struct file *file)
{
	struct xenhv_xenbus_file *f = file->private_data;

	xs_conn_close(f->conn);
	kfree(f);
	return 0;
}

/* A client cannot queue replies without end (the domain's quota). */
static bool xenhv_xenbus_may_send(struct xenhv_xenbus_file *f)
{
	return xs_conn_may_send(f->conn);
}

static bool xenhv_xenbus_readable(struct xenhv_xenbus_file *f)
{
	return xs_conn_readable(f->conn);
}

/*
 * Sleeps until @cond holds or a signal comes (-ERESTARTSYS). The conditions
 * take the store's mutex, which must not happen in a task already marked
 * sleeping, as inside wait_event_interruptible(): wait_woken() evaluates
 * them with the task running and still misses no wake-up.
 */
static int xenhv_xenbus_wait(struct xenhv_xenbus_file *f,
			     bool (*cond)(struct xenhv_xenbus_file *f))
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int ret = 0;

	add_wait_queue(&f->wait, &wait);
	while (!cond(f)) {
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		wait_woken(&wait, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	}
	remove_wait_queue(&f->wait, &wait);
	return ret;
}

/*
 * Bytes accumulate until a whole message (header + payload) is there, then
 * it is answered; more than the buffer holds is -EINVAL and drops what was
 * buffered, a header announcing over XENSTORE_PAYLOAD_MAX is -E2BIG, as in
 * xenbus_dev_frontend. Unlike it, a second message in the same write is
 * answered too rather than dropped.
 */
static ssize_t xenhv_xenbus_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct xenhv_xenbus_file *f = file->private_data;
	unsigned int msglen;
	ssize_t ret = len;
	int err;

	if (!len)
		return 0;
	if (!xenhv_xenbus_may_send(f)) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (xenhv_xenbus_wait(f, xenhv_xenbus_may_send))
			return -EINTR;
	}
	mutex_lock(&f->lock);
	if (len > sizeof(f->in.buf) - f->len) {
		f->len = 0;
		ret = -EINVAL;
		goto out;
	}
	if (copy_from_user(f->in.buf + f->len, ubuf, len)) {
		ret = -EFAULT;
		goto out;
	}
	f->len += len;
	while (f->len >= sizeof(f->in.msg)) {
		if (f->in.msg.len > XENSTORE_PAYLOAD_MAX) {
			f->len = 0;
			ret = -E2BIG;
			break;
		}
		msglen = sizeof(f->in.msg) + f->in.msg.len;
		if (f->len < msglen)
			break;
		err = xs_conn_request(f->conn, &f->in.msg,
				      f->in.buf + sizeof(f->in.msg));
		f->len -= msglen;
		memmove(f->in.buf, f->in.buf + msglen, f->len);
		if (err) {
			ret = err;
			break;
		}
	}
out:
	mutex_unlock(&f->lock);
	return ret;
}

static ssize_t xenhv_xenbus_read(struct file *file, char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct xenhv_xenbus_file *f = file->private_data;
	size_t n;
	char *buf;
	int ret;

	if (!len)
		return 0;
	while (!xenhv_xenbus_readable(f)) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = xenhv_xenbus_wait(f, xenhv_xenbus_readable);
		if (ret)
			return ret;
	}
	len = min_t(size_t, len, PAGE_SIZE * 2);
	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = xs_conn_read(f->conn, buf, len);
	if (copy_to_user(ubuf, buf, n))
		n = -EFAULT;
	kfree(buf);
	/* Replies drained: a writer waiting for room may go on. */
	wake_up_interruptible(&f->wait);
	return n;
}

static __poll_t xenhv_xenbus_poll(struct file *file, poll_table *wait)
{
	struct xenhv_xenbus_file *f = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &f->wait, wait);
	if (xs_conn_readable(f->conn))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (xenhv_xenbus_may_send(f))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static const struct file_operations xenhv_xenbus_fops = {
	.owner = THIS_MODULE,
	.open = xenhv_xenbus_open,
	.release = xenhv_xenbus_release,
	.read = xenhv_xenbus_read,
	.write = xenhv_xenbus_write,
	.poll = xenhv_xenbus_poll,
	.llseek = XENHV_NO_LLSEEK,
};

static struct miscdevice xenhv_xenbus_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/xenbus",
	.fops = &xenhv_xenbus_fops,
};

/* /proc/xen/xenbus: the same file, pinning the module while open. */
static int xenhv_xenbus_proc_open(struct inode *inode, struct file *file)
{
	return xenhv_proc_open_pinned(inode, file, xenhv_xenbus_open);
}

static int xenhv_xenbus_proc_release(struct inode *inode, struct file *file)
{
	xenhv_xenbus_release(inode, file);
	xenhv_proc_unpin();
	return 0;
}

const struct proc_ops xenhv_xenbus_proc_ops = {
	.proc_open = xenhv_xenbus_proc_open,
	.proc_release = xenhv_xenbus_proc_release,
	.proc_read = xenhv_xenbus_read,
	.proc_write = xenhv_xenbus_write,
	.proc_poll = xenhv_xenbus_poll,
	.proc_lseek = XENHV_NO_LLSEEK,
};

/* status/xenstore: usage against each quota, and what was done. */
const char *const xenhv_xenbus_status_keys[XENHV_XENBUS_STATUS_NR] = {
	"nodes", "nodes_limit", "watches", "watches_limit", "transactions",
	"transactions_limit", "outstanding", "outstanding_limit", "memory",
	"memory_limit", "connections", "requests", "commits", "conflicts",
	"quota_errors", "events_dropped",
};

void xenhv_xenbus_status_fill(s64 *v)
{
	struct xs_stats st;

	xs_store_stats(&xenhv_store, &st);
	v[0] = st.nodes;
	v[1] = xenstore_nodes;
	v[2] = st.watches;
	v[3] = xenstore_watches;
	v[4] = st.transactions;
	v[5] = xenstore_transactions;
	v[6] = st.outstanding;
	v[7] = xenstore_requests;
	v[8] = st.memory;
	v[9] = xenstore_memory;
	v[10] = st.connections;
	v[11] = st.requests;
	v[12] = st.commits;
	v[13] = st.conflicts;
	v[14] = st.quota_errors;
	v[15] = st.events_dropped;
}

static struct work_struct xenhv_shutdown_work;
static bool xenhv_shutdown_reboot;

static void xenhv_shutdown_fn(struct work_struct *work)
{
	if (xenhv_shutdown_reboot)
		orderly_reboot();
	else
		orderly_poweroff(true);
}

/* control/shutdown, as Linux's Xen manage.c obeys it (never under the store lock). */
static void xenhv_store_shutdown(const char *how)
{
	pr_info("XenStore control/shutdown: %s\n", how);
	xenhv_shutdown_reboot = !strcmp(how, "reboot");
	schedule_work(&xenhv_shutdown_work);
}

/* "a,b-c": non-empty names of one node each, as xenstored allows them. */
static bool xenhv_xenbus_names_ok(const char *p)
{
	bool empty = true;

	if (!*p)
		return true;
	if (strlen(p) > 512)
		return false;
	for (; *p; p++) {
		if (*p == ',') {
			if (empty)
				return false;
			empty = true;
		} else if (isalnum(*p) || *p == '-' || *p == '_' || *p == '@') {
			empty = false;
		} else {
			return false;
		}
	}
	return !empty;
}

int xenhv_xenbus_init(unsigned int domid)
{
	u8 handle[XENHV_DOMAIN_HANDLE_LEN];
	struct xs_limits l = {
		.node_size = xenstore_node_size,
		.nodes_per_domain = xenstore_nodes,
		.watches_per_domain = xenstore_watches,
		.transactions = xenstore_transactions,
		.txn_nodes = xenstore_txn_nodes,
		.perms_per_node = xenstore_perms,
		.events_pending = xenstore_events,
		.outstanding = xenstore_requests,
		.memory = xenstore_memory,
	};
	char uuid[UUID_STRING_LEN + 1];
	const char *name;
	int ret;

	if (!xenstore_node_size || !xenstore_nodes || !xenstore_requests ||
	    !xenstore_events || xenstore_perms < 1) {
		pr_err("xenstore_* limits must be at least 1\n");
		return -EINVAL;
	}
	if (!xenhv_xenbus_names_ok(xenstore_guest_writable)) {
		pr_err("xenstore_guest_writable must be node names (letters, digits, -_@) separated by commas\n");
		return -EINVAL;
	}
	/* The VM's UUID: the same as Xen's domain handle (all zero if unknown). */
	xenhv_compat.ops->domain_handle(handle);
	snprintf(uuid, sizeof(uuid), "%pUb", handle);
	INIT_WORK(&xenhv_shutdown_work, xenhv_shutdown_fn);
	/* A captured name is the toolstack's: the hostname no longer renames it. */
	name = xenhv_identity_name();
	xenhv_name_unset = !name && xenhv_name_placeholder(utsname()->nodename);
	ret = xs_store_init(&xenhv_store, domid, &l, uuid,
			    name ? name : utsname()->nodename);
	if (ret)
		return ret;
	xenhv_store.guest_writable = xenstore_guest_writable;
	xenhv_identity_seed(&xenhv_store);
	xenhv_store.shutdown_request = xenhv_store_shutdown;
	ret = misc_register(&xenhv_xenbus_dev);
	if (ret)
		xs_store_destroy(&xenhv_store);
	return ret;
}

void xenhv_xenbus_exit(void)
{
	misc_deregister(&xenhv_xenbus_dev);
	cancel_work_sync(&xenhv_shutdown_work);
	xs_store_destroy(&xenhv_store);
}
