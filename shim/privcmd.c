// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/privcmd: Xen hypercalls from userspace, with Linux privcmd's domU answers. */
#include "xenhv.h"

#include <linux/capability.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/interface/xen.h>
#include <xen/privcmd.h>

#include "../xen-compat/compat.h"

/*
 * Linux 6.12's privcmd ioctl for PCI passthrough on a PVH dom0; Xen 4.20's
 * libxenctrl issues it (xc_pcidev_get_gsi). Older uapi headers lack it.
 */
#ifndef IOCTL_PRIVCMD_PCIDEV_GET_GSI
struct privcmd_pcidev_get_gsi {
	__u32 sbdf;
	__u32 gsi;
};

#define IOCTL_PRIVCMD_PCIDEV_GET_GSI \
	_IOC(_IOC_NONE, 'P', 10, sizeof(struct privcmd_pcidev_get_gsi))
#endif

/* Linux privcmd's limits on IOCTL_PRIVCMD_DM_OP, same defaults. */
static unsigned int dm_op_max_nr_bufs = 16;
module_param(dm_op_max_nr_bufs, uint, 0644);
MODULE_PARM_DESC(dm_op_max_nr_bufs, "Maximum number of buffers per DM_OP ioctl (default 16)");

static unsigned int dm_op_buf_max_size = 4096;
module_param(dm_op_buf_max_size, uint, 0644);
MODULE_PARM_DESC(dm_op_buf_max_size, "Maximum size of a DM_OP buffer (default 4096)");

struct xenhv_privcmd_file {
	domid_t restrict_domid;	/* DOMID_INVALID: unrestricted */
};

static const struct vm_operations_struct xenhv_privcmd_vm_ops;

/*
 * The only foreign domain is domain 0 (the root partition), whose memory a
 * domU may not map (-EPERM); mapping our own frames as foreign is -EPERM as
 * well, and a domain that does not exist -ESRCH.
 */
static int xenhv_foreign_map_error(domid_t dom)
{
	return xenhv_is_self(dom) ? -EPERM : xenhv_not_ours(dom);
}

static bool xenhv_privcmd_allowed(struct xenhv_privcmd_file *p, domid_t dom)
{
	return p->restrict_domid == DOMID_INVALID || p->restrict_domid == dom;
}

static long xenhv_privcmd_hypercall(struct xenhv_privcmd_file *p,
				    void __user *udata)
{
	struct xenhv_call c = {
		.mem = &xenhv_user_mem,
		.unprivileged = !capable(CAP_SYS_ADMIN),
	};
	struct privcmd_hypercall h;

	/* A restricted handle may only issue dm_op (through its ioctl). */
	if (p->restrict_domid != DOMID_INVALID)
		return -EPERM;
	if (copy_from_user(&h, udata, sizeof(h)))
		return -EFAULT;
	return xenhv_do_hypercall(&c, h.op, (const xen_ulong_t *)h.arg);
}

static long xenhv_privcmd_dm_op(struct xenhv_privcmd_file *p,
				void __user *udata)
{
	struct xenhv_call c = { .mem = &xenhv_user_mem };
	struct privcmd_dm_op_buf buf;
	struct privcmd_dm_op op;
	xen_ulong_t args[5];
	unsigned int i;

	if (copy_from_user(&op, udata, sizeof(op)))
		return -EFAULT;
	if (!xenhv_privcmd_allowed(p, op.dom))
		return -EPERM;
	/* libxendevicemodel probes with num == 0: supported, nothing to do. */
	if (op.num == 0)
		return 0;
	if (op.num > dm_op_max_nr_bufs)
		return -E2BIG;
	for (i = 0; i < op.num; i++) {
		if (copy_from_user(&buf, &op.ubufs[i], sizeof(buf)))
			return -EFAULT;
		if (buf.size > dm_op_buf_max_size)
			return -E2BIG;
		if (!access_ok(buf.uptr, buf.size))
			return -EFAULT;
	}

	/* struct privcmd_dm_op_buf has xen_dm_op_buf's layout. */
	args[0] = op.dom;
	args[1] = op.num;
	args[2] = (xen_ulong_t)op.ubufs;
	args[3] = 0;
	args[4] = 0;
	return xenhv_do_hypercall(&c, __HYPERVISOR_dm_op, args);
}

static long xenhv_privcmd_restrict(struct xenhv_privcmd_file *p,
				   void __user *udata)
{
	domid_t dom;

	if (copy_from_user(&dom, udata, sizeof(dom)))
		return -EFAULT;
	/* Once restricted, a handle can never be widened or moved. */
	if (p->restrict_domid == DOMID_INVALID)
		p->restrict_domid = dom;
	else if (p->restrict_domid != dom)
		return -EINVAL;
	return 0;
}

/* The VMA must be one of ours, and a first map must cover all of it. */
static int xenhv_privcmd_check_vma(unsigned long addr, unsigned long nr_pages)
{
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, addr);
	if (!vma || vma->vm_ops != &xenhv_privcmd_vm_ops ||
	    addr != vma->vm_start ||
	    addr + (nr_pages << PAGE_SHIFT) != vma->vm_end)
		ret = -EINVAL;
	mmap_read_unlock(current->mm);
	return ret;
}

/* Between frames of a batch of up to 2^31: give way, stop if killed. */
static int xenhv_privcmd_resched(void)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	cond_resched();
	return 0;
}

/*
 * IOCTL_PRIVCMD_MMAPBATCH(_V2): Linux's checks in Linux's order; every
 * frame then fails as the foreign map fails for a domU, reported per frame
 * (V1: the error bit in the frame array, V2: the error array) with 0 back.
 */
static long xenhv_privcmd_mmapbatch(struct xenhv_privcmd_file *p,
				    void __user *udata, int version)
{
	struct privcmd_mmapbatch_v2 m;
	xen_pfn_t __user *arr;
	int err, i;
	xen_pfn_t gfn;

	if (version == 1) {
		struct privcmd_mmapbatch m1;

		if (copy_from_user(&m1, udata, sizeof(m1)))
			return -EFAULT;
		m.num = m1.num;
		m.dom = m1.dom;
		m.addr = m1.addr;
		m.arr = m1.arr;
		m.err = NULL;
		if (m.num > 0 && !access_ok(m.arr, m.num * sizeof(*m.arr)))
			return -EFAULT;
	} else {
		if (copy_from_user(&m, udata, sizeof(m)))
			return -EFAULT;
		if (m.num > 0 && !access_ok(m.err, m.num * sizeof(*m.err)))
			return -EFAULT;
	}
	if (!xenhv_privcmd_allowed(p, m.dom))
		return -EPERM;
	if ((int)m.num <= 0)
		return -EINVAL;
	for (i = 0; i < (int)m.num; i++) {
		if (get_user(gfn, &m.arr[i]))
			return -EFAULT;
		if (xenhv_privcmd_resched())
			return -EINTR;
	}
	if (m.err && clear_user(m.err, m.num * sizeof(*m.err)))
		return -EFAULT;
	if (xenhv_privcmd_check_vma(m.addr, m.num))
		return -EINVAL;

	err = xenhv_foreign_map_error(m.dom);
	arr = (xen_pfn_t __user *)m.arr;
	for (i = 0; i < (int)m.num; i++) {
		if (m.err) {
			if (put_user(err, &m.err[i]))
				return -EFAULT;
		} else {
			if (get_user(gfn, &arr[i]))
				return -EFAULT;
			gfn |= PRIVCMD_MMAPBATCH_MFN_ERROR;
			if (put_user(gfn, &arr[i]))
				return -EFAULT;
		}
		if (xenhv_privcmd_resched())
			return -EINTR;
	}
	return 0;
}

static long xenhv_privcmd_mmap_resource(struct xenhv_privcmd_file *p,
					void __user *udata)
{
	struct privcmd_mmap_resource r;

	if (copy_from_user(&r, udata, sizeof(r)))
		return -EFAULT;
	if (!xenhv_privcmd_allowed(p, r.dom))
		return -EPERM;
	/* Both the address and the count, or neither (a size query). */
	if (!!r.addr != !!r.num)
		return -EINVAL;
	if (r.addr && xenhv_privcmd_check_vma(r.addr, r.num))
		return -EINVAL;
	/*
	 * XENMEM_acquire_resource: Xen refuses it to every translated (HVM,
	 * PVH) domain but the hardware domain, -EACCES before it looks at the
	 * target, since foreign pages in a translated P2M are not reference
	 * counted; size queries included (measured in the Xen lab).
	 */
	return -EACCES;
}

/*
 * As Linux's privcmd on a domain without xen-pciback: the argument is read,
 * then there is no passed-through device whose GSI could be told.
 */
static long xenhv_privcmd_pcidev_get_gsi(void __user *udata)
{
	struct privcmd_pcidev_get_gsi g;

	if (copy_from_user(&g, udata, sizeof(g)))
		return -EFAULT;
	return -EOPNOTSUPP;
}

static long xenhv_privcmd_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	struct xenhv_privcmd_file *p = file->private_data;
	void __user *udata = (void __user *)arg;

	atomic64_inc(&xenhv_dev_counters.privcmd_ioctls);
	switch (cmd) {
	case IOCTL_PRIVCMD_HYPERCALL:
		return xenhv_privcmd_hypercall(p, udata);
	case IOCTL_PRIVCMD_MMAP:
		/* Linux: the v1 interface does not exist for HVM guests. */
		return -ENOSYS;
	case IOCTL_PRIVCMD_MMAPBATCH:
		return xenhv_privcmd_mmapbatch(p, udata, 1);
	case IOCTL_PRIVCMD_MMAPBATCH_V2:
		return xenhv_privcmd_mmapbatch(p, udata, 2);
	case IOCTL_PRIVCMD_DM_OP:
		return xenhv_privcmd_dm_op(p, udata);
	case IOCTL_PRIVCMD_RESTRICT:
		return xenhv_privcmd_restrict(p, udata);
	case IOCTL_PRIVCMD_MMAP_RESOURCE:
		return xenhv_privcmd_mmap_resource(p, udata);
	case IOCTL_PRIVCMD_PCIDEV_GET_GSI:
		return xenhv_privcmd_pcidev_get_gsi(udata);
	default:
		return -ENOTTY;
	}
}

/* Nothing is ever mapped into a privcmd VMA here: touching it is SIGBUS. */
static vm_fault_t xenhv_privcmd_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

/* Linux refuses to split a privcmd VMA (partial munmap or mprotect). */
static int xenhv_privcmd_may_split(struct vm_area_struct *vma,
				   unsigned long addr)
{
	return -EINVAL;
}

/* A page xenhv shows in a privcmd VMA is read-only: no write upgrade. */
static vm_fault_t xenhv_privcmd_pfn_mkwrite(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct xenhv_privcmd_vm_ops = {
	.fault = xenhv_privcmd_fault,
	.XENHV_VM_OPS_MAY_SPLIT = xenhv_privcmd_may_split,
	.pfn_mkwrite = xenhv_privcmd_pfn_mkwrite,
};

/*
 * Shows @page read-only at @uaddr of the caller, which must lie in a shared
 * /dev/xen/privcmd mapping (a guest frame, for a privcmd caller, is a page
 * of its own address space). Whatever was shown there before goes.
 */
int xenhv_privcmd_map_page(unsigned long uaddr, struct page *page)
{
	struct vm_area_struct *vma;
	vm_fault_t vmf;
	int ret = -EINVAL;

	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, uaddr);
	if (vma && vma->vm_ops == &xenhv_privcmd_vm_ops &&
	    !is_cow_mapping(vma->vm_flags)) {
		uaddr &= PAGE_MASK;
		zap_special_vma_range(vma, uaddr, PAGE_SIZE);
		vmf = vmf_insert_pfn_prot(vma, uaddr, page_to_pfn(page),
					  vm_get_page_prot(vma->vm_flags &
							   ~VM_WRITE));
		ret = vmf == VM_FAULT_NOPAGE ? 0 :
		      vmf == VM_FAULT_OOM ? -ENOMEM : -EINVAL;
	}
	mmap_read_unlock(current->mm);
	return ret;
}

static int xenhv_privcmd_mmap(struct file *file, struct vm_area_struct *vma)
{
	/* As Linux's privcmd: foreign mappings cannot be copied on fork. */
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTCOPY | VM_DONTEXPAND |
		     VM_DONTDUMP);
	vma->vm_ops = &xenhv_privcmd_vm_ops;
	return 0;
}

static int xenhv_privcmd_open(struct inode *inode, struct file *file)
{
	struct xenhv_privcmd_file *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->restrict_domid = DOMID_INVALID;
	file->private_data = p;
	atomic64_inc(&xenhv_dev_counters.privcmd_opens);
	return 0;
}

static int xenhv_privcmd_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations xenhv_privcmd_fops = {
	.owner = THIS_MODULE,
	.open = xenhv_privcmd_open,
	.release = xenhv_privcmd_release,
	.unlocked_ioctl = xenhv_privcmd_ioctl,
	.mmap = xenhv_privcmd_mmap,
	.llseek = noop_llseek,
};

/* /proc/xen/privcmd, libxencall's fallback: the same file, pinning the module. */
static int xenhv_privcmd_proc_open(struct inode *inode, struct file *file)
{
	return xenhv_proc_open_pinned(inode, file, xenhv_privcmd_open);
}

static int xenhv_privcmd_proc_release(struct inode *inode, struct file *file)
{
	xenhv_privcmd_release(inode, file);
	xenhv_proc_unpin();
	return 0;
}

const struct proc_ops xenhv_privcmd_proc_ops = {
	.proc_open = xenhv_privcmd_proc_open,
	.proc_release = xenhv_privcmd_proc_release,
	.proc_ioctl = xenhv_privcmd_ioctl,
	.proc_mmap = xenhv_privcmd_mmap,
	.proc_lseek = noop_llseek,
};

static struct miscdevice xenhv_privcmd_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/privcmd",
	.fops = &xenhv_privcmd_fops,
};

int xenhv_privcmd_init(void)
{
	return misc_register(&xenhv_privcmd_dev);
}

void xenhv_privcmd_exit(void)
{
	misc_deregister(&xenhv_privcmd_dev);
}
