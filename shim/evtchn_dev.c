// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/evtchn: event channels for userspace, with the ABI of Linux's evtchn driver. */
#include "xenhv.h"

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include "../xen-compat/compat.h"
/* After compat.h: it needs xen.h's domid_t. */
#include <xen/evtchn.h>

#define XENHV_UNRESTRICTED_DOMID	((domid_t)-1)

struct xenhv_evtchn_user {
	struct mutex bind_mutex;	/* protects ports, nr_ports, restrict_domid */
	struct xarray ports;		/* port -> struct xenhv_user_port */
	unsigned int nr_ports;
	domid_t restrict_domid;

	struct mutex ring_cons_mutex;	/* protects ring_cons, and the ring on resize */
	spinlock_t ring_prod_lock;	/* protects ring_prod, ring_overflow, the ring */
	evtchn_port_t *ring;
	unsigned int ring_size;		/* a power of two */
	unsigned int ring_cons, ring_prod;
	bool ring_overflow;

	wait_queue_head_t wait;
	struct fasync_struct *fasync;
};

struct xenhv_user_port {
	struct xenhv_evtchn_user *u;
	evtchn_port_t port;
	bool enabled;		/* false from delivery until userspace unmasks */
	struct rcu_head rcu;
};

static evtchn_port_t *ring_entry(struct xenhv_evtchn_user *u, unsigned int idx)
{
	return &u->ring[idx & (u->ring_size - 1)];
}

/* The upcall: the port is masked until userspace writes it back. */
static void xenhv_evtchn_user_fire(evtchn_port_t port, void *owner)
{
	struct xenhv_user_port *p = owner;
	struct xenhv_evtchn_user *u = p->u;
	unsigned int prod, cons;

	WRITE_ONCE(p->enabled, false);
	spin_lock(&u->ring_prod_lock);
	prod = READ_ONCE(u->ring_prod);
	cons = READ_ONCE(u->ring_cons);
	if (prod - cons < u->ring_size) {
		*ring_entry(u, prod) = port;
		smp_wmb();	/* the entry before the index that publishes it */
		WRITE_ONCE(u->ring_prod, prod + 1);
		/*
		 * The reader's index read again after the new one is out, as
		 * Linux's evtchn_interrupt does: a reader that emptied the ring
		 * since the check above and then found it empty is asleep, and
		 * only this look sees it. Pairs with the barrier in its wait.
		 */
		smp_mb();
		if (READ_ONCE(u->ring_cons) == prod) {
			wake_up_interruptible(&u->wait);
			kill_fasync(&u->fasync, SIGIO, POLL_IN);
		}
	} else {
		u->ring_overflow = true;
	}
	spin_unlock(&u->ring_prod_lock);
}

static ssize_t xenhv_evtchn_read(struct file *file, char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct xenhv_evtchn_user *u = file->private_data;
	unsigned int c, p, n, first;
	ssize_t rc;

	/* Whole ports only, at most a page of them. */
	count &= ~(sizeof(evtchn_port_t) - 1);
	if (!count)
		return 0;
	count = min_t(size_t, count, PAGE_SIZE);

	for (;;) {
		mutex_lock(&u->ring_cons_mutex);
		rc = -EFBIG;
		if (u->ring_overflow)
			goto unlock;
		c = READ_ONCE(u->ring_cons);
		p = READ_ONCE(u->ring_prod);
		if (c != p)
			break;
		mutex_unlock(&u->ring_cons_mutex);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		rc = wait_event_interruptible(u->wait,
					      READ_ONCE(u->ring_cons) !=
					      READ_ONCE(u->ring_prod));
		if (rc)
			return rc;
	}

	n = min_t(unsigned int, p - c, count / sizeof(evtchn_port_t));
	/* The entries may wrap: copy up to the ring's end, then from its start. */
	first = min(n, u->ring_size - (c & (u->ring_size - 1)));
	smp_rmb();	/* the index before the entries it covers */
	rc = -EFAULT;
	if (copy_to_user(buf, ring_entry(u, c), first * sizeof(evtchn_port_t)) ||
	    copy_to_user(buf + first * sizeof(evtchn_port_t), u->ring,
			 (n - first) * sizeof(evtchn_port_t)))
		goto unlock;
	WRITE_ONCE(u->ring_cons, c + n);
	rc = n * sizeof(evtchn_port_t);
unlock:
	mutex_unlock(&u->ring_cons_mutex);
	return rc;
}

/* Writing ports unmasks those of them this file holds and has been sent. */
static ssize_t xenhv_evtchn_write(struct file *file, const char __user *buf,
				  size_t count, loff_t *ppos)
{
	struct xenhv_evtchn_user *u = file->private_data;
	struct xenhv_user_port *p;
	evtchn_port_t *kbuf;
	unsigned int i;
	ssize_t rc;

	count &= ~(sizeof(evtchn_port_t) - 1);
	if (!count)
		return 0;
	count = min_t(size_t, count, PAGE_SIZE);
	kbuf = memdup_user(buf, count);
	if (IS_ERR(kbuf))
		return PTR_ERR(kbuf);

	mutex_lock(&u->bind_mutex);
	for (i = 0; i < count / sizeof(evtchn_port_t); i++) {
		p = xa_load(&u->ports, kbuf[i]);
		if (p && !READ_ONCE(p->enabled)) {
			WRITE_ONCE(p->enabled, true);
			xenhv_evtchn_unmask(p->port);
		}
	}
	mutex_unlock(&u->bind_mutex);
	rc = count;
	kfree(kbuf);
	return rc;
}

/* One free ring slot for every bound port, as Linux's driver keeps. */
static int xenhv_evtchn_resize_ring(struct xenhv_evtchn_user *u)
{
	evtchn_port_t *new_ring, *old_ring;
	unsigned int new_size;

	if (u->nr_ports <= u->ring_size)
		return 0;
	new_size = u->ring_size ? 2 * u->ring_size : 64;
	new_ring = kvmalloc_array(new_size, sizeof(*new_ring), GFP_KERNEL);
	if (!new_ring)
		return -ENOMEM;
	old_ring = u->ring;

	mutex_lock(&u->ring_cons_mutex);
	spin_lock_irq(&u->ring_prod_lock);
	/*
	 * Both halves get the old contents, so the entries between cons and
	 * prod keep their indices whatever the wrap.
	 */
	if (old_ring) {
		memcpy(new_ring, old_ring, u->ring_size * sizeof(*new_ring));
		memcpy(new_ring + u->ring_size, old_ring,
		       u->ring_size * sizeof(*new_ring));
	}
	u->ring = new_ring;
	u->ring_size = new_size;
	spin_unlock_irq(&u->ring_prod_lock);
	mutex_unlock(&u->ring_cons_mutex);

	kvfree(old_ring);
	return 0;
}

static void xenhv_evtchn_close_port(evtchn_port_t port)
{
	struct evtchn_close close = { .port = port };

	xenhv_evtchn_op(EVTCHNOP_close, &close);
}

/* A port the hypercall just gave us becomes this file's; on failure it closes. */
static int xenhv_evtchn_bind_to_user(struct xenhv_evtchn_user *u,
				     evtchn_port_t port)
{
	struct xenhv_user_port *p, *stale;
	int rc;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		rc = -ENOMEM;
		goto close;
	}
	p->u = u;
	p->port = port;
	p->enabled = true;
	/* A record left by a port somebody else closed under us goes first. */
	stale = xa_erase(&u->ports, port);
	if (stale) {
		u->nr_ports--;
		kfree_rcu(stale, rcu);
	}
	rc = xa_insert(&u->ports, port, p, GFP_KERNEL);
	if (rc)
		goto free;
	u->nr_ports++;
	rc = xenhv_evtchn_resize_ring(u);
	if (rc)
		goto erase;
	rc = xenhv_evtchn_attach(port, xenhv_evtchn_user_fire, p, true);
	if (rc)
		goto erase;
	return port;

erase:
	xa_erase(&u->ports, port);
	u->nr_ports--;
free:
	kfree(p);
close:
	xenhv_evtchn_close_port(port);
	return rc;
}

static void xenhv_evtchn_unbind(struct xenhv_evtchn_user *u,
				struct xenhv_user_port *p)
{
	xa_erase(&u->ports, p->port);
	u->nr_ports--;
	/* Closed by somebody else already: nothing of ours is left to close. */
	xenhv_evtchn_release(p->port, p);
	/* An upcall on another CPU may still hold p. */
	kfree_rcu(p, rcu);
}

/* One ioctl; the caller holds u->bind_mutex. */
static long xenhv_evtchn_ioctl_locked(struct xenhv_evtchn_user *u,
				      unsigned int cmd, void __user *uarg)
{
	struct xenhv_user_port *p;
	long rc;

	lockdep_assert_held(&u->bind_mutex);
	switch (cmd) {
	case IOCTL_EVTCHN_BIND_VIRQ: {
		struct ioctl_evtchn_bind_virq bind;
		struct evtchn_bind_virq op = { };

		if (u->restrict_domid != XENHV_UNRESTRICTED_DOMID)
			return -EACCES;
		if (copy_from_user(&bind, uarg, sizeof(bind)))
			return -EFAULT;
		op.virq = bind.virq;
		op.vcpu = 0;
		rc = xenhv_evtchn_op(EVTCHNOP_bind_virq, &op);
		return rc ? rc : xenhv_evtchn_bind_to_user(u, op.port);
	}
	case IOCTL_EVTCHN_BIND_INTERDOMAIN: {
		struct ioctl_evtchn_bind_interdomain bind;
		struct evtchn_bind_interdomain op = { };

		if (copy_from_user(&bind, uarg, sizeof(bind)))
			return -EFAULT;
		if (u->restrict_domid != XENHV_UNRESTRICTED_DOMID &&
		    u->restrict_domid != bind.remote_domain)
			return -EACCES;
		op.remote_dom = bind.remote_domain;
		op.remote_port = bind.remote_port;
		rc = xenhv_evtchn_op(EVTCHNOP_bind_interdomain, &op);
		return rc ? rc : xenhv_evtchn_bind_to_user(u, op.local_port);
	}
	case IOCTL_EVTCHN_BIND_UNBOUND_PORT: {
		struct ioctl_evtchn_bind_unbound_port bind;
		struct evtchn_alloc_unbound op = { };

		if (u->restrict_domid != XENHV_UNRESTRICTED_DOMID)
			return -EACCES;
		if (copy_from_user(&bind, uarg, sizeof(bind)))
			return -EFAULT;
		op.dom = DOMID_SELF;
		op.remote_dom = bind.remote_domain;
		rc = xenhv_evtchn_op(EVTCHNOP_alloc_unbound, &op);
		return rc ? rc : xenhv_evtchn_bind_to_user(u, op.port);
	}
	case IOCTL_EVTCHN_UNBIND: {
		struct ioctl_evtchn_unbind unbind;

		if (copy_from_user(&unbind, uarg, sizeof(unbind)))
			return -EFAULT;
		if (unbind.port >= XENHV_EVTCHN_NR)
			return -EINVAL;
		p = xa_load(&u->ports, unbind.port);
		if (!p)
			return -ENOTCONN;
		xenhv_evtchn_unbind(u, p);
		return 0;
	}
	case IOCTL_EVTCHN_NOTIFY: {
		struct ioctl_evtchn_notify notify;

		if (copy_from_user(&notify, uarg, sizeof(notify)))
			return -EFAULT;
		p = xa_load(&u->ports, notify.port);
		if (!p)
			return -ENOTCONN;
		/* Linux's driver ignores what the send itself says. */
		xenhv_evtchn_notify(notify.port, p);
		return 0;
	}
	case IOCTL_EVTCHN_RESET:
		/* The ring empties and its error clears; bindings stay. */
		mutex_lock(&u->ring_cons_mutex);
		spin_lock_irq(&u->ring_prod_lock);
		WRITE_ONCE(u->ring_cons, 0);
		WRITE_ONCE(u->ring_prod, 0);
		u->ring_overflow = false;
		spin_unlock_irq(&u->ring_prod_lock);
		mutex_unlock(&u->ring_cons_mutex);
		return 0;
	case IOCTL_EVTCHN_RESTRICT_DOMID: {
		struct ioctl_evtchn_restrict_domid ierd;

		if (u->restrict_domid != XENHV_UNRESTRICTED_DOMID)
			return -EACCES;
		if (copy_from_user(&ierd, uarg, sizeof(ierd)))
			return -EFAULT;
		if (ierd.domid == 0 || ierd.domid >= DOMID_FIRST_RESERVED)
			return -EINVAL;
		u->restrict_domid = ierd.domid;
		return 0;
	}
	default:
		return -ENOSYS;
	}
}

static long xenhv_evtchn_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct xenhv_evtchn_user *u = file->private_data;
	long rc;

	/* Binds and unbinds one at a time, as in Linux's driver. */
	mutex_lock(&u->bind_mutex);
	rc = xenhv_evtchn_ioctl_locked(u, cmd, (void __user *)arg);
	mutex_unlock(&u->bind_mutex);
	return rc;
}

static __poll_t xenhv_evtchn_poll(struct file *file, poll_table *wait)
{
	struct xenhv_evtchn_user *u = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &u->wait, wait);
	if (READ_ONCE(u->ring_cons) != READ_ONCE(u->ring_prod))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(u->ring_overflow))
		mask = EPOLLERR;
	return mask;
}

static int xenhv_evtchn_fasync(int fd, struct file *file, int on)
{
	struct xenhv_evtchn_user *u = file->private_data;

	return fasync_helper(fd, file, on, &u->fasync);
}

static int xenhv_evtchn_open(struct inode *inode, struct file *file)
{
	struct xenhv_evtchn_user *u;

	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	mutex_init(&u->bind_mutex);
	mutex_init(&u->ring_cons_mutex);
	spin_lock_init(&u->ring_prod_lock);
	xa_init(&u->ports);
	init_waitqueue_head(&u->wait);
	u->restrict_domid = XENHV_UNRESTRICTED_DOMID;
	file->private_data = u;
	atomic64_inc(&xenhv_dev_counters.evtchn_opens);
	return stream_open(inode, file);
}

/* Closing the file closes every port it bound. */
static int xenhv_evtchn_release_file(struct inode *inode, struct file *file)
{
	struct xenhv_evtchn_user *u = file->private_data;
	struct xenhv_user_port *p;
	unsigned long idx;

	xa_for_each(&u->ports, idx, p)
		xenhv_evtchn_unbind(u, p);
	/* No upcall may still be looking at u when it goes. */
	synchronize_rcu();
	xa_destroy(&u->ports);
	kvfree(u->ring);
	kfree(u);
	return 0;
}

/*
 * /proc/PID/fdinfo: the ring's indices and each port with whether userspace
 * has unmasked it since its last event (what a stalled reader waits for).
 */
static void xenhv_evtchn_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct xenhv_evtchn_user *u = file->private_data;
	struct xenhv_user_port *p;
	unsigned long idx;

	seq_printf(m, "ring_size:\t%u\nring_prod:\t%u\nring_cons:\t%u\nring_overflow:\t%d\n",
		   u->ring_size, READ_ONCE(u->ring_prod), READ_ONCE(u->ring_cons),
		   READ_ONCE(u->ring_overflow));
	/* Not bind_mutex: the reader may be a stalled task's, inside it. */
	rcu_read_lock();
	xa_for_each(&u->ports, idx, p)
		seq_printf(m, "port:\t%u enabled %d\n", p->port, READ_ONCE(p->enabled));
	rcu_read_unlock();
}

static const struct file_operations xenhv_evtchn_fops = {
	.owner = THIS_MODULE,
	.open = xenhv_evtchn_open,
	.release = xenhv_evtchn_release_file,
	.read = xenhv_evtchn_read,
	.write = xenhv_evtchn_write,
	.unlocked_ioctl = xenhv_evtchn_ioctl,
	.poll = xenhv_evtchn_poll,
	.fasync = xenhv_evtchn_fasync,
	.show_fdinfo = xenhv_evtchn_show_fdinfo,
	.llseek = XENHV_NO_LLSEEK,
};

static struct miscdevice xenhv_evtchn_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/evtchn",
	.fops = &xenhv_evtchn_fops,
};

int xenhv_evtchn_dev_init(void)
{
	return misc_register(&xenhv_evtchn_miscdev);
}

void xenhv_evtchn_dev_exit(void)
{
	misc_deregister(&xenhv_evtchn_miscdev);
}
