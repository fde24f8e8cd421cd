// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/hypercall: zeroed, shared hypercall buffers as libxencall allocates them. */
#include "xenhv.h"

#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

/*
 * Linux 6.1's privcmd-buf has no limit; this one bounds what one open file
 * can pin, generously, so a runaway caller fails with -ENOMEM early.
 */
static unsigned int hypercall_buf_max_pages = 16384;
module_param(hypercall_buf_max_pages, uint, 0644);
MODULE_PARM_DESC(hypercall_buf_max_pages, "Maximum pages of hypercall buffers per open file (default 16384)");

struct xenhv_buf_file {
	struct mutex lock;	/* protects pages and every VMA's users count */
	unsigned int pages;	/* mapped through this file now */
};

/* One mmap of the device: its pages, freed when the last VMA goes. */
struct xenhv_buf_vma {
	struct xenhv_buf_file *file;
	unsigned int users;	/* VMAs sharing it (fork, split) */
	unsigned int n_pages;
	struct page *pages[];
};

static int xenhv_buf_open(struct inode *inode, struct file *file)
{
	struct xenhv_buf_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	atomic64_inc(&xenhv_dev_counters.buf_opens);
	return 0;
}

static int xenhv_buf_release(struct inode *inode, struct file *file)
{
	/* Every VMA holds a reference to the file, so none is left here. */
	kfree(file->private_data);
	return 0;
}

static void xenhv_buf_vma_open(struct vm_area_struct *vma)
{
	struct xenhv_buf_vma *v = vma->vm_private_data;

	mutex_lock(&v->file->lock);
	v->users++;
	mutex_unlock(&v->file->lock);
}

static void xenhv_buf_vma_close(struct vm_area_struct *vma)
{
	struct xenhv_buf_vma *v = vma->vm_private_data;
	struct xenhv_buf_file *f = v->file;
	unsigned int i;

	mutex_lock(&f->lock);
	if (--v->users) {
		mutex_unlock(&f->lock);
		return;
	}
	f->pages -= v->n_pages;
	mutex_unlock(&f->lock);
	atomic64_sub(v->n_pages, &xenhv_dev_counters.buf_pages);

	for (i = 0; i < v->n_pages; i++)
		__free_page(v->pages[i]);
	kfree(v);
}

/* A buffer never grows or moves; anything outside its pages is a bug. */
static vm_fault_t xenhv_buf_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct xenhv_buf_vm_ops = {
	.open = xenhv_buf_vma_open,
	.close = xenhv_buf_vma_close,
	.fault = xenhv_buf_fault,
};

static int xenhv_buf_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct xenhv_buf_file *f = file->private_data;
	unsigned long count = vma_pages(vma);
	struct xenhv_buf_vma *v;
	int ret;

	/*
	 * Shared only: a private copy would not be what the caller passes.
	 * The offset is ignored, as Linux ignores it: a buffer starts at 0.
	 */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	mutex_lock(&f->lock);
	if (count > hypercall_buf_max_pages ||
	    f->pages + count > hypercall_buf_max_pages) {
		mutex_unlock(&f->lock);
		return -ENOMEM;
	}
	f->pages += count;
	mutex_unlock(&f->lock);

	v = kzalloc(struct_size(v, pages, count), GFP_KERNEL);
	if (!v) {
		ret = -ENOMEM;
		goto undo_count;
	}
	v->file = f;
	v->users = 1;
	for (; v->n_pages < count; v->n_pages++) {
		v->pages[v->n_pages] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!v->pages[v->n_pages]) {
			ret = -ENOMEM;
			goto free_pages;
		}
	}

	/* As Linux: a child inherits the buffer; it never grows. */
	vm_flags_set(vma, VM_IO | VM_DONTEXPAND);
	vma->vm_ops = &xenhv_buf_vm_ops;
	vma->vm_private_data = v;
	ret = vm_map_pages_zero(vma, v->pages, v->n_pages);
	if (ret)
		goto free_pages;
	atomic64_inc(&xenhv_dev_counters.buf_mmaps);
	atomic64_add(v->n_pages, &xenhv_dev_counters.buf_pages);
	return 0;

free_pages:
	while (v->n_pages)
		__free_page(v->pages[--v->n_pages]);
	kfree(v);
	vma->vm_private_data = NULL;
	vma->vm_ops = NULL;
undo_count:
	mutex_lock(&f->lock);
	f->pages -= count;
	mutex_unlock(&f->lock);
	return ret;
}

static const struct file_operations xenhv_buf_fops = {
	.owner = THIS_MODULE,
	.open = xenhv_buf_open,
	.release = xenhv_buf_release,
	.mmap = xenhv_buf_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice xenhv_buf_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/hypercall",
	.fops = &xenhv_buf_fops,
};

int xenhv_hypercall_buf_init(void)
{
	return misc_register(&xenhv_buf_dev);
}

void xenhv_hypercall_buf_exit(void)
{
	misc_deregister(&xenhv_buf_dev);
}
