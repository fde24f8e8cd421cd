// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/gntdev: map granted pages (GRANT_COPY is gntdev_copy.c), with Linux gntdev's ABI. */
#include "xenhv.h"

#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/refcount.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "../xen-compat/compat.h"
/* After compat.h: the uapi header needs xen.h's domid_t and grant_ref_t. */
#include <xen/gntdev.h>

static unsigned int gntdev_limit = 64 * 1024;
module_param(gntdev_limit, uint, 0644);
MODULE_PARM_DESC(gntdev_limit, "Most grants one IOCTL_GNTDEV_MAP_GRANT_REF may name (Linux gntdev's limit, default 65536)");

/* A set of grants to map, from MAP_GRANT_REF until its last user goes. */
struct xenhv_gntmap {
	struct list_head next;		/* the file's maps, by index */
	unsigned int index, count;	/* in pages of the file's offset space */
	refcount_t users;		/* the file's list and each VMA */
	atomic_t in_use;		/* mmapped (once only) */
	bool readonly;
	bool mapped;			/* grants pinned, pages held */
	unsigned long vm_start;
	struct {
		u32 flags;
		u64 addr;		/* offset of the byte to clear */
		evtchn_port_t event;
	} notify;
	struct ioctl_gntdev_grant_ref *grants;
	struct page **pages;
};

struct xenhv_gntdev_file {
	struct mutex lock;		/* protects maps */
	struct list_head maps;
	struct xenhv_copy_batch *copy;	/* GRANT_COPY's, kept between calls */
};

static void xenhv_gntmap_free(struct xenhv_gntmap *map)
{
	kvfree(map->pages);
	kvfree(map->grants);
	kfree(map);
}

/* The grants go back and the pages are let go; first the unmap notify byte. */
static void xenhv_gntmap_unmap(struct xenhv_gntmap *map)
{
	unsigned int i, pg;
	u8 *va;

	if (!map->mapped)
		return;
	/* A read-only mapping never writes the granter's page, this byte neither. */
	if ((map->notify.flags & UNMAP_NOTIFY_CLEAR_BYTE) && !map->readonly) {
		pg = map->notify.addr >> PAGE_SHIFT;
		if (pg < map->count) {
			va = kmap_local_page(map->pages[pg]);
			va[map->notify.addr & ~PAGE_MASK] = 0;
			kunmap_local(va);
		}
		map->notify.flags &= ~UNMAP_NOTIFY_CLEAR_BYTE;
	}
	for (i = 0; i < map->count; i++) {
		put_page(map->pages[i]);
		xenhv_gnttab_unmap(map->grants[i].ref, map->readonly);
	}
	map->mapped = false;
}

static void xenhv_gntmap_put(struct xenhv_gntmap *map)
{
	if (!refcount_dec_and_test(&map->users))
		return;
	xenhv_gntmap_unmap(map);
	if (map->notify.flags & UNMAP_NOTIFY_SEND_EVENT) {
		struct evtchn_send send = { .port = map->notify.event };

		xenhv_evtchn_op(EVTCHNOP_send, &send);
		xenhv_evtchn_put(map->notify.event);
	}
	xenhv_gntmap_free(map);
}

/* Pin every grant (Xen's map-time checks) and hold its page; all or none. */
static int xenhv_gntmap_map(struct xenhv_gntmap *map)
{
	unsigned int i;
	u64 gfn;
	void *va;

	for (i = 0; i < map->count; i++) {
		if (xenhv_gnttab_map(map->grants[i].domid, map->grants[i].ref,
				     map->readonly, &gfn) != GNTST_okay)
			goto undo;
		va = xenhv_frame_va(gfn);
		if (!va) {
			xenhv_gnttab_unmap(map->grants[i].ref, map->readonly);
			goto undo;
		}
		map->pages[i] = virt_to_page(va);
		get_page(map->pages[i]);
	}
	map->mapped = true;
	return 0;
undo:
	while (i--) {
		put_page(map->pages[i]);
		xenhv_gnttab_unmap(map->grants[i].ref, map->readonly);
	}
	/* Linux's gntdev: a grant that will not map is EINVAL at mmap. */
	return -EINVAL;
}

/* The lowest gap in the file's offset space that fits, as Linux's gntdev_add_map. */
static void xenhv_gntmap_add(struct xenhv_gntdev_file *f, struct xenhv_gntmap *add)
{
	struct xenhv_gntmap *map;

	list_for_each_entry(map, &f->maps, next) {
		if (add->index + add->count < map->index) {
			list_add_tail(&add->next, &map->next);
			return;
		}
		add->index = map->index + map->count;
	}
	list_add_tail(&add->next, &f->maps);
}

static struct xenhv_gntmap *xenhv_gntmap_find(struct xenhv_gntdev_file *f,
					      unsigned long index,
					      unsigned int count)
{
	struct xenhv_gntmap *map;

	list_for_each_entry(map, &f->maps, next)
		if (map->index == index && (!count || map->count == count))
			return map;
	return NULL;
}

static long xenhv_gntdev_map_ref(struct xenhv_gntdev_file *f,
				 struct ioctl_gntdev_map_grant_ref __user *u)
{
	struct ioctl_gntdev_map_grant_ref op;
	struct xenhv_gntmap *map;

	if (copy_from_user(&op, u, sizeof(op)))
		return -EFAULT;
	if (!op.count || op.count > READ_ONCE(gntdev_limit))
		return -EINVAL;
	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	map->count = op.count;
	refcount_set(&map->users, 1);
	map->grants = kvmalloc_array(op.count, sizeof(*map->grants), GFP_KERNEL);
	map->pages = kvcalloc(op.count, sizeof(*map->pages), GFP_KERNEL);
	if (!map->grants || !map->pages) {
		xenhv_gntmap_free(map);
		return -ENOMEM;
	}
	if (copy_from_user(map->grants, &u->refs, sizeof(*map->grants) * op.count)) {
		xenhv_gntmap_free(map);
		return -EFAULT;
	}
	mutex_lock(&f->lock);
	xenhv_gntmap_add(f, map);
	op.index = (u64)map->index << PAGE_SHIFT;
	mutex_unlock(&f->lock);
	/*
	 * Not under f->lock: a fault here takes mmap_lock, which mmap()
	 * holds while it waits for f->lock. On failure the map stays, as
	 * in Linux; the caller cannot know its index, and close frees it.
	 */
	if (copy_to_user(u, &op, sizeof(op)))
		return -EFAULT;
	return 0;
}

/* Off the file; a mapping still in place keeps the grants until munmap. */
static long xenhv_gntdev_unmap_ref(struct xenhv_gntdev_file *f,
				   struct ioctl_gntdev_unmap_grant_ref __user *u)
{
	struct ioctl_gntdev_unmap_grant_ref op;
	struct xenhv_gntmap *map;

	if (copy_from_user(&op, u, sizeof(op)))
		return -EFAULT;
	mutex_lock(&f->lock);
	map = xenhv_gntmap_find(f, op.index >> PAGE_SHIFT, op.count);
	if (map)
		list_del(&map->next);
	mutex_unlock(&f->lock);
	if (!map)
		return -ENOENT;
	xenhv_gntmap_put(map);
	return 0;
}

static const struct vm_operations_struct xenhv_gntdev_vmops;

static long xenhv_gntdev_offset_for_vaddr(struct ioctl_gntdev_get_offset_for_vaddr __user *u)
{
	struct ioctl_gntdev_get_offset_for_vaddr op;
	struct vm_area_struct *vma;
	struct xenhv_gntmap *map;
	long rc = -EINVAL;

	if (copy_from_user(&op, u, sizeof(op)))
		return -EFAULT;
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, op.vaddr);
	if (vma && vma->vm_ops == &xenhv_gntdev_vmops && vma->vm_private_data) {
		map = vma->vm_private_data;
		op.offset = (u64)map->index << PAGE_SHIFT;
		op.count = map->count;
		rc = 0;
	}
	mmap_read_unlock(current->mm);
	if (!rc && copy_to_user(u, &op, sizeof(op)))
		return -EFAULT;
	return rc;
}

static long xenhv_gntdev_unmap_notify(struct xenhv_gntdev_file *f,
				      struct ioctl_gntdev_unmap_notify __user *u)
{
	struct ioctl_gntdev_unmap_notify op;
	struct xenhv_gntmap *map, *found = NULL;
	long rc = 0;

	if (copy_from_user(&op, u, sizeof(op)))
		return -EFAULT;
	if (op.action & ~(UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT))
		return -EINVAL;
	/* Held until the notify goes (or is replaced), as Linux's evtchn_get(). */
	if ((op.action & UNMAP_NOTIFY_SEND_EVENT) &&
	    xenhv_evtchn_get(op.event_channel_port))
		return -EINVAL;
	mutex_lock(&f->lock);
	list_for_each_entry(map, &f->maps, next) {
		u64 begin = (u64)map->index << PAGE_SHIFT;
		u64 end = (u64)(map->index + map->count) << PAGE_SHIFT;

		if (op.index >= begin && op.index < end) {
			found = map;
			break;
		}
	}
	if (!found)
		rc = -ENOENT;
	else if ((op.action & UNMAP_NOTIFY_CLEAR_BYTE) && found->readonly)
		rc = -EINVAL;
	if (!rc) {
		/* Swap: the port the map held before is the one to let go. */
		swap(found->notify.flags, op.action);
		swap(found->notify.event, op.event_channel_port);
		found->notify.addr = op.index - ((u64)found->index << PAGE_SHIFT);
	}
	mutex_unlock(&f->lock);
	if (op.action & UNMAP_NOTIFY_SEND_EVENT)
		xenhv_evtchn_put(op.event_channel_port);
	return rc;
}

static long xenhv_gntdev_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct xenhv_gntdev_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case IOCTL_GNTDEV_MAP_GRANT_REF:
		return xenhv_gntdev_map_ref(f, uarg);
	case IOCTL_GNTDEV_UNMAP_GRANT_REF:
		return xenhv_gntdev_unmap_ref(f, uarg);
	case IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR:
		return xenhv_gntdev_offset_for_vaddr(uarg);
	case IOCTL_GNTDEV_SET_UNMAP_NOTIFY:
		return xenhv_gntdev_unmap_notify(f, uarg);
	case IOCTL_GNTDEV_GRANT_COPY:
		return xenhv_gntdev_grant_copy(&f->copy, uarg);
	default:
		/*
		 * SET_MAX_GRANTS is gone from Linux too (libxengnttab ignores
		 * ENOTTY); no dma-buf export or import here.
		 */
		return -ENOTTY;
	}
}

static void xenhv_gntdev_vma_open(struct vm_area_struct *vma)
{
	struct xenhv_gntmap *map = vma->vm_private_data;

	refcount_inc(&map->users);
}

static void xenhv_gntdev_vma_close(struct vm_area_struct *vma)
{
	struct xenhv_gntmap *map = vma->vm_private_data;

	vma->vm_private_data = NULL;
	xenhv_gntmap_put(map);
}

static const struct vm_operations_struct xenhv_gntdev_vmops = {
	.open = xenhv_gntdev_vma_open,
	.close = xenhv_gntdev_vma_close,
};

/*
 * The granted pages as raw frames (VM_PFNMAP): nothing can take a page
 * reference through the mapping (get_user_pages fails, so vmsplice and
 * O_DIRECT get EFAULT), so once the mapping goes the grant is really
 * unused, and the granter's end of it (which then succeeds) is final.
 */
static int xenhv_gntdev_insert(struct vm_area_struct *vma,
			       struct xenhv_gntmap *map)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < map->count && !rc; i++)
		rc = remap_pfn_range(vma, vma->vm_start + i * PAGE_SIZE,
				     page_to_pfn(map->pages[i]), PAGE_SIZE,
				     vma->vm_page_prot);
	return rc;
}

static int xenhv_gntdev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct xenhv_gntdev_file *f = file->private_data;
	struct xenhv_gntmap *map;
	int rc = -EINVAL;

	/* A private writable map would write a copy, never the granted page. */
	if ((vma->vm_flags & VM_WRITE) && !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mutex_lock(&f->lock);
	map = xenhv_gntmap_find(f, vma->vm_pgoff, vma_pages(vma));
	/* Each map is mapped once, whole. */
	if (!map || !atomic_add_unless(&map->in_use, 1, 1)) {
		mutex_unlock(&f->lock);
		return -EINVAL;
	}
	refcount_inc(&map->users);
	vma->vm_ops = &xenhv_gntdev_vmops;
	vma->vm_private_data = map;
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	map->readonly = !(vma->vm_flags & VM_WRITE);
	/* A read-only grant mapping must not become writable by mprotect. */
	if (map->readonly)
		vm_flags_clear(vma, VM_MAYWRITE);
	map->vm_start = vma->vm_start;
	rc = xenhv_gntmap_map(map);
	mutex_unlock(&f->lock);
	if (!rc)
		rc = xenhv_gntdev_insert(vma, map);
	if (rc) {
		/*
		 * A failed mmap never calls ->close: drop the VMA's reference
		 * here. As in Linux, the map cannot be mmapped again.
		 */
		vma->vm_private_data = NULL;
		xenhv_gntmap_put(map);
	}
	return rc;
}

static int xenhv_gntdev_open(struct inode *inode, struct file *file)
{
	struct xenhv_gntdev_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	INIT_LIST_HEAD(&f->maps);
	file->private_data = f;
	return 0;
}

static int xenhv_gntdev_release(struct inode *inode, struct file *file)
{
	struct xenhv_gntdev_file *f = file->private_data;
	struct xenhv_gntmap *map, *n;

	mutex_lock(&f->lock);
	list_for_each_entry_safe(map, n, &f->maps, next) {
		list_del(&map->next);
		xenhv_gntmap_put(map);
	}
	mutex_unlock(&f->lock);
	kfree(f->copy);
	kfree(f);
	return 0;
}

static const struct file_operations xenhv_gntdev_fops = {
	.owner = THIS_MODULE,
	.open = xenhv_gntdev_open,
	.release = xenhv_gntdev_release,
	.unlocked_ioctl = xenhv_gntdev_ioctl,
	.mmap = xenhv_gntdev_mmap,
};

static struct miscdevice xenhv_gntdev_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/gntdev",
	.fops = &xenhv_gntdev_fops,
};

int xenhv_gntdev_init(void)
{
	return misc_register(&xenhv_gntdev_miscdev);
}

void xenhv_gntdev_exit(void)
{
	misc_deregister(&xenhv_gntdev_miscdev);
}
