// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/gntalloc: pages userspace shares by grant, with the ABI of Linux's gntalloc. */
#include "xenhv.h"

#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "../xen-compat/compat.h"
/* After compat.h: the uapi headers need xen.h's domid_t and grant_ref_t. */
#include <xen/gntalloc.h>

static int gntalloc_limit = 1024;
module_param(gntalloc_limit, int, 0644);
MODULE_PARM_DESC(gntalloc_limit, "Most grants /dev/xen/gntalloc may have allocated at once, all files together (Linux gntalloc's limit, default 1024)");

/* A granted page; it outlives its file while mapped or while a grantee holds it. */
struct xenhv_gref {
	struct list_head next_gref;	/* xenhv_grefs */
	struct list_head next_file;	/* its file's list, while the file holds it */
	struct page *page;
	u64 file_index;
	unsigned int users;		/* the file and each mapping; 0: to revoke */
	long ref;			/* < 0: not granted (yet) */
	struct {
		u16 pgoff;
		u32 flags;
		evtchn_port_t event;
	} notify;
};

struct xenhv_gntalloc_file {
	struct list_head list;
	u64 index;
};

struct xenhv_gntalloc_vma {
	int users;
	int count;
	struct xenhv_gref *grefs[];
};

/* protects xenhv_grefs, xenhv_gref_count, every gref and file list */
static DEFINE_MUTEX(xenhv_gref_mutex);
static LIST_HEAD(xenhv_grefs);
static int xenhv_gref_count;

static void xenhv_gref_cleanup_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(xenhv_gref_retry, xenhv_gref_cleanup_work);

/* The unmap notification, once: a byte cleared, an event sent. */
static void xenhv_gref_notify(struct xenhv_gref *gref)
{
	if (gref->notify.flags & UNMAP_NOTIFY_CLEAR_BYTE) {
		u8 *va = kmap_local_page(gref->page);

		va[gref->notify.pgoff] = 0;
		kunmap_local(va);
	}
	if (gref->notify.flags & UNMAP_NOTIFY_SEND_EVENT) {
		struct evtchn_send send = { .port = gref->notify.event };

		xenhv_evtchn_op(EVTCHNOP_send, &send);
		xenhv_evtchn_put(gref->notify.event);
	}
	gref->notify.flags = 0;
}

/*
 * A gref nobody here uses: revoke and free it, unless the grantee still
 * maps it. Then the page stays (it is never freed under a mapper) and a
 * retry comes later, as Linux's deferred end of foreign access does.
 */
static bool xenhv_gref_try_free(struct xenhv_gref *gref)
{
	xenhv_gref_notify(gref);
	if (gref->ref >= 0 && xenhv_gnttab_end(gref->ref) == -EBUSY)
		return false;
	list_del(&gref->next_gref);
	__free_page(gref->page);
	xenhv_gref_count--;
	kfree(gref);
	return true;
}

/* Frees every gref nobody uses; the caller holds xenhv_gref_mutex. */
static void xenhv_gref_cleanup(void)
{
	struct xenhv_gref *gref, *n;
	bool deferred = false;

	lockdep_assert_held(&xenhv_gref_mutex);
	list_for_each_entry_safe(gref, n, &xenhv_grefs, next_gref)
		if (!gref->users && !xenhv_gref_try_free(gref))
			deferred = true;
	if (deferred)
		mod_delayed_work(system_wq, &xenhv_gref_retry, HZ);
}

static void xenhv_gref_cleanup_work(struct work_struct *work)
{
	mutex_lock(&xenhv_gref_mutex);
	xenhv_gref_cleanup();
	mutex_unlock(&xenhv_gref_mutex);
}

/* @count grefs of @f starting at file offset @index, contiguous; NULL if not. */
static struct xenhv_gref *xenhv_find_grefs(struct xenhv_gntalloc_file *f,
					   u64 index, u32 count)
{
	struct xenhv_gref *gref, *first = NULL;

	if (!count)
		return NULL;
	list_for_each_entry(gref, &f->list, next_file) {
		if (!first && gref->file_index == index)
			first = gref;
		if (!first)
			continue;
		if (gref->file_index != index)
			return NULL;
		index += PAGE_SIZE;
		if (!--count)
			return first;
	}
	return NULL;
}

static int xenhv_add_grefs(struct xenhv_gntalloc_file *f,
			   struct ioctl_gntalloc_alloc_gref *op, u32 *ids)
{
	bool readonly = !(op->flags & GNTALLOC_FLAG_WRITABLE);
	struct xenhv_gref *gref, *n;
	LIST_HEAD(file_list);
	LIST_HEAD(grefs);
	u32 i;
	int rc;

	for (i = 0; i < op->count; i++) {
		gref = kzalloc(sizeof(*gref), GFP_KERNEL);
		if (!gref) {
			rc = -ENOMEM;
			goto undo;
		}
		gref->ref = -1;
		gref->users = 1;
		gref->file_index = op->index + (u64)i * PAGE_SIZE;
		list_add_tail(&gref->next_gref, &grefs);
		list_add_tail(&gref->next_file, &file_list);
		/* Zeroed: the grantee must never see what the page held before. */
		gref->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!gref->page) {
			rc = -ENOMEM;
			goto undo;
		}
		gref->ref = xenhv_gnttab_grant(op->domid, page_to_pfn(gref->page),
					       readonly);
		if (gref->ref < 0) {
			rc = gref->ref;
			goto undo;
		}
		ids[i] = gref->ref;
	}
	mutex_lock(&xenhv_gref_mutex);
	list_splice_tail(&grefs, &xenhv_grefs);
	list_splice_tail(&file_list, &f->list);
	mutex_unlock(&xenhv_gref_mutex);
	return 0;

undo:
	list_for_each_entry_safe(gref, n, &grefs, next_gref) {
		if (gref->ref >= 0)
			xenhv_gnttab_end(gref->ref);
		if (gref->page)
			__free_page(gref->page);
		kfree(gref);
	}
	mutex_lock(&xenhv_gref_mutex);
	xenhv_gref_count -= op->count;
	mutex_unlock(&xenhv_gref_mutex);
	return rc;
}

static long xenhv_gntalloc_alloc(struct xenhv_gntalloc_file *f,
				 struct ioctl_gntalloc_alloc_gref __user *arg)
{
	struct ioctl_gntalloc_alloc_gref op;
	int limit = READ_ONCE(gntalloc_limit);
	u32 *ids;
	long rc;

	if (copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.count > limit)
		return -ENOSPC;
	ids = kcalloc(op.count, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;

	mutex_lock(&xenhv_gref_mutex);
	/* Grefs still waiting for their grantee count against the limit. */
	xenhv_gref_cleanup();
	if (xenhv_gref_count > limit || op.count > limit - xenhv_gref_count) {
		mutex_unlock(&xenhv_gref_mutex);
		rc = -ENOSPC;
		goto free;
	}
	xenhv_gref_count += op.count;
	op.index = f->index;
	f->index += (u64)op.count * PAGE_SIZE;
	mutex_unlock(&xenhv_gref_mutex);

	rc = xenhv_add_grefs(f, &op, ids);
	if (rc)
		goto free;
	/* As Linux: the grefs stay allocated if the answer cannot be written. */
	if (copy_to_user(arg, &op, sizeof(op)) ||
	    copy_to_user(arg->gref_ids, ids, sizeof(*ids) * op.count))
		rc = -EFAULT;
free:
	kfree(ids);
	return rc;
}

static long xenhv_gntalloc_dealloc(struct xenhv_gntalloc_file *f,
				   void __user *arg)
{
	struct ioctl_gntalloc_dealloc_gref op;
	struct xenhv_gref *gref, *n;
	long rc = 0;
	u32 i;

	if (copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	mutex_lock(&xenhv_gref_mutex);
	gref = xenhv_find_grefs(f, op.index, op.count);
	if (gref) {
		/* Off the file; freed below, or when its mappings go. */
		for (i = 0; i < op.count; i++) {
			n = list_next_entry(gref, next_file);
			list_del(&gref->next_file);
			gref->users--;
			gref = n;
		}
	} else {
		rc = -EINVAL;
	}
	xenhv_gref_cleanup();
	mutex_unlock(&xenhv_gref_mutex);
	return rc;
}

static long xenhv_gntalloc_unmap_notify(struct xenhv_gntalloc_file *f,
					void __user *arg)
{
	struct ioctl_gntalloc_unmap_notify op;
	struct xenhv_gref *gref;
	long rc = 0;

	if (copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	mutex_lock(&xenhv_gref_mutex);
	gref = xenhv_find_grefs(f, op.index & PAGE_MASK, 1);
	if (!gref)
		rc = -ENOENT;
	else if (op.action & ~(UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT))
		rc = -EINVAL;
	else if ((op.action & UNMAP_NOTIFY_SEND_EVENT) &&
		 xenhv_evtchn_get(op.event_channel_port))
		rc = -EINVAL;
	if (!rc) {
		/* The new port is held first, then the old one let go. */
		if (gref->notify.flags & UNMAP_NOTIFY_SEND_EVENT)
			xenhv_evtchn_put(gref->notify.event);
		gref->notify.flags = op.action;
		gref->notify.pgoff = op.index & ~PAGE_MASK;
		gref->notify.event = op.event_channel_port;
	}
	mutex_unlock(&xenhv_gref_mutex);
	return rc;
}

static long xenhv_gntalloc_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	struct xenhv_gntalloc_file *f = file->private_data;

	switch (cmd) {
	case IOCTL_GNTALLOC_ALLOC_GREF:
		return xenhv_gntalloc_alloc(f, (void __user *)arg);
	case IOCTL_GNTALLOC_DEALLOC_GREF:
		return xenhv_gntalloc_dealloc(f, (void __user *)arg);
	case IOCTL_GNTALLOC_SET_UNMAP_NOTIFY:
		return xenhv_gntalloc_unmap_notify(f, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static void xenhv_gntalloc_vma_open(struct vm_area_struct *vma)
{
	struct xenhv_gntalloc_vma *v = vma->vm_private_data;

	if (!v)
		return;
	mutex_lock(&xenhv_gref_mutex);
	v->users++;
	mutex_unlock(&xenhv_gref_mutex);
}

static void xenhv_gntalloc_vma_close(struct vm_area_struct *vma)
{
	struct xenhv_gntalloc_vma *v = vma->vm_private_data;
	int i;

	if (!v)
		return;
	mutex_lock(&xenhv_gref_mutex);
	if (!--v->users) {
		for (i = 0; i < v->count; i++)
			v->grefs[i]->users--;
		kfree(v);
		xenhv_gref_cleanup();
	}
	mutex_unlock(&xenhv_gref_mutex);
}

static const struct vm_operations_struct xenhv_gntalloc_vmops = {
	.open = xenhv_gntalloc_vma_open,
	.close = xenhv_gntalloc_vma_close,
};

static int xenhv_gntalloc_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct xenhv_gntalloc_file *f = file->private_data;
	int count = vma_pages(vma), i, rc = 0;
	struct xenhv_gntalloc_vma *v;
	struct xenhv_gref *gref;

	/* A private copy would not be the shared page. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	v = kzalloc(struct_size(v, grefs, count), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	mutex_lock(&xenhv_gref_mutex);
	gref = xenhv_find_grefs(f, (u64)vma->vm_pgoff << PAGE_SHIFT, count);
	if (!gref) {
		mutex_unlock(&xenhv_gref_mutex);
		kfree(v);
		return -ENOENT;
	}
	v->users = 1;
	v->count = count;
	for (i = 0; i < count; i++) {
		v->grefs[i] = gref;
		gref->users++;
		gref = list_next_entry(gref, next_file);
	}
	vma->vm_private_data = v;
	vma->vm_ops = &xenhv_gntalloc_vmops;
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	for (i = 0; i < count && !rc; i++)
		rc = vm_insert_page(vma, vma->vm_start + i * PAGE_SIZE,
				    v->grefs[i]->page);
	if (rc) {
		/* A failed mmap never calls ->close: undo here. */
		for (i = 0; i < count; i++)
			v->grefs[i]->users--;
		vma->vm_private_data = NULL;
		kfree(v);
	}
	mutex_unlock(&xenhv_gref_mutex);
	return rc;
}

static int xenhv_gntalloc_open(struct inode *inode, struct file *file)
{
	struct xenhv_gntalloc_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	INIT_LIST_HEAD(&f->list);
	file->private_data = f;
	return 0;
}

static int xenhv_gntalloc_release(struct inode *inode, struct file *file)
{
	struct xenhv_gntalloc_file *f = file->private_data;
	struct xenhv_gref *gref, *n;

	mutex_lock(&xenhv_gref_mutex);
	list_for_each_entry_safe(gref, n, &f->list, next_file) {
		list_del(&gref->next_file);
		gref->users--;
	}
	xenhv_gref_cleanup();
	mutex_unlock(&xenhv_gref_mutex);
	kfree(f);
	return 0;
}

static const struct file_operations xenhv_gntalloc_fops = {
	.owner = THIS_MODULE,
	.open = xenhv_gntalloc_open,
	.release = xenhv_gntalloc_release,
	.unlocked_ioctl = xenhv_gntalloc_ioctl,
	.mmap = xenhv_gntalloc_mmap,
};

static struct miscdevice xenhv_gntalloc_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/gntalloc",
	.fops = &xenhv_gntalloc_fops,
};

/* Grefs alive (in files, mapped, or waiting for their grantee), for status. */
int xenhv_gntalloc_count(void)
{
	return READ_ONCE(xenhv_gref_count);
}

int xenhv_gntalloc_init(void)
{
	return misc_register(&xenhv_gntalloc_miscdev);
}

/*
 * No file or mapping is left (they pin the module); grefs that waited for
 * a grantee wait no more: the grantee's mappings died with its files.
 */
void xenhv_gntalloc_exit(void)
{
	misc_deregister(&xenhv_gntalloc_miscdev);
	cancel_delayed_work_sync(&xenhv_gref_retry);
	mutex_lock(&xenhv_gref_mutex);
	xenhv_gref_cleanup();
	mutex_unlock(&xenhv_gref_mutex);
	cancel_delayed_work_sync(&xenhv_gref_retry);
	WARN_ON(!list_empty(&xenhv_grefs));
}
