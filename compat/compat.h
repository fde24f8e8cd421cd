/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel API differences between the kernels xenhv builds for (5.10 .. 7.x), in one place. */
#ifndef _XENHV_COMPAT_COMPAT_H
#define _XENHV_COMPAT_COMPAT_H

/*
 * Kbuild force-includes this header into every object of xenhv and its test
 * and bench modules, as WireGuard's compat layer does. Each XENHV_HAVE_* in
 * xenhv-probes.h comes from a snippet in compat/probes/ that Kbuild compiled
 * against the target kernel's headers; the fallbacks below are written for
 * the kernels that lack the feature. Code elsewhere uses the newest API and
 * never tests LINUX_VERSION_CODE.
 */
#include "xenhv-probes.h"

#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/timer.h>
#include <linux/hrtimer.h>
#include <linux/kobject.h>
#include <asm/msr.h>

/*
 * hex_to_bin() and the other hex helpers: <linux/kernel.h> declared them
 * until <linux/hex.h> was split out of it, and 7.x's kernel.h no longer
 * includes that, so it comes from here wherever it exists.
 */
#ifdef XENHV_HAVE_LINUX_HEX_H
#include <linux/hex.h>
#else
#include <linux/kernel.h>
#endif

#ifndef XENHV_HAVE_VM_FLAGS_SET
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * A file that cannot seek: no_llseek until 6.12, a NULL method since (both
 * make lseek() fail with ESPIPE).
 */
#ifdef XENHV_HAVE_NO_LLSEEK
#define XENHV_NO_LLSEEK	no_llseek
#else
#define XENHV_NO_LLSEEK	NULL
#endif

#ifndef XENHV_HAVE_VMA_LOOKUP
static inline struct vm_area_struct *vma_lookup(struct mm_struct *mm,
						unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && addr >= vma->vm_start ? vma : NULL;
}
#endif

/* Unmapping pages of a VM_PFNMAP VMA: zap_vma_ptes() before 7.x's rename. */
#ifndef XENHV_HAVE_ZAP_SPECIAL_VMA_RANGE
#define zap_special_vma_range(vma, addr, size)	zap_vma_ptes(vma, addr, size)
#endif

/* Timers: timer_delete*() since 6.2, timer_container_of() since 6.16. */
#ifndef XENHV_HAVE_TIMER_DELETE
#define timer_delete(t)		del_timer(t)
#define timer_delete_sync(t)	del_timer_sync(t)
#endif
#ifndef XENHV_HAVE_TIMER_CONTAINER_OF
#define timer_container_of(var, t, field)	from_timer(var, t, field)
#endif

/* MSR accessors: rdmsrq()/wrmsrq() since 6.16, rdmsrl()/wrmsrl() before. */
#ifndef XENHV_HAVE_RDMSRQ
#define rdmsrq(msr, val)	rdmsrl(msr, val)
#define wrmsrq(msr, val)	wrmsrl(msr, val)
#define rdmsrq_safe(msr, p)	rdmsrl_safe(msr, p)
#endif

/* hrtimer_setup() (6.13) replaces hrtimer_init() plus setting ->function. */
#ifndef XENHV_HAVE_HRTIMER_SETUP
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

#ifndef XENHV_HAVE_IS_COW_MAPPING
static inline bool is_cow_mapping(vm_flags_t flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}
#endif

/*
 * xenhv is x86_64 only (dkms.conf, Kbuild): no highmem, so a local mapping
 * of a page is its linear-map address, and nothing is undone.
 */
#ifndef XENHV_HAVE_KMAP_LOCAL
#define kmap_local_page(page)	page_address(page)
#define kunmap_local(addr)	((void)(addr))
#endif

/* The vm_operations_struct method that refuses a VMA split (.split before 5.11). */
#ifdef XENHV_HAVE_VM_OPS_MAY_SPLIT
#define XENHV_VM_OPS_MAY_SPLIT	may_split
#else
#define XENHV_VM_OPS_MAY_SPLIT	split
#endif

/*
 * __irq_domain_alloc_irqs() is exported since 5.11 (probed in Module.symvers).
 * Before, the one exported way to an IRQ of a hierarchy domain is
 * irq_create_fwspec_mapping(), which hands the domain's .alloc a fwspec
 * instead of the parent's allocation info, and no affinity: callers that
 * need a CPU check where the vector landed.
 */
#ifdef XENHV_HAVE_EXPORT___IRQ_DOMAIN_ALLOC_IRQS
#define XENHV_IRQ_BY_FWSPEC	0
#else
#define XENHV_IRQ_BY_FWSPEC	1
#endif

/*
 * Flush this CPU's whole TLB, global entries and every PCID included (with
 * preemption off). __flush_tlb_all() does that, but 7.x exports it to KVM's
 * modules alone, and x86 exports no other TLB flush to modules. There the
 * kernel's own steps for it are taken here: INVPCID's all-context flush
 * where the CPU has it; else CR4.PGE toggled and written back unchanged,
 * interrupts off, so the kernel's copy of CR4 stays true; without global
 * pages there are no PCIDs either, and a CR3 reload flushes all.
 */
#ifdef XENHV_HAVE_EXPORT___FLUSH_TLB_ALL
#include <asm/tlbflush.h>

static inline void xenhv_flush_tlb_local(void)
{
	__flush_tlb_all();
}
#else
#include <asm/invpcid.h>
#include <asm/special_insns.h>

static inline void xenhv_flush_tlb_local(void)
{
	unsigned long flags, cr4;

	if (boot_cpu_has(X86_FEATURE_INVPCID)) {
		invpcid_flush_all();
		return;
	}
	raw_local_irq_save(flags);
	cr4 = native_read_cr4();
	if (cr4 & X86_CR4_PGE) {
		/* native_write_cr4() is not exported: the same mov. */
		asm volatile("mov %0, %%cr4" : : "r" (cr4 ^ X86_CR4_PGE) : "memory");
		asm volatile("mov %0, %%cr4" : : "r" (cr4) : "memory");
	} else {
		native_write_cr3(__native_read_cr3());
	}
	raw_local_irq_restore(flags);
}
#endif

/*
 * /sys/hypervisor: drivers/base/hypervisor.c makes it only in a kernel where a
 * driver selects SYS_HYPERVISOR (Xen's guest support, s390); elsewhere, a
 * trimmed or a Xen-less distribution kernel, hypervisor_kobj is declared but
 * not there to link against, so xenhv makes the directory itself, as that
 * file does, and removes it again at unload.
 */
#if IS_ENABLED(CONFIG_SYS_HYPERVISOR)
static inline struct kobject *xenhv_hypervisor_kobj_get(void)
{
	return hypervisor_kobj;
}

static inline void xenhv_hypervisor_kobj_put(struct kobject *kobj)
{
}
#else
static inline struct kobject *xenhv_hypervisor_kobj_get(void)
{
	return kobject_create_and_add("hypervisor", NULL);
}

static inline void xenhv_hypervisor_kobj_put(struct kobject *kobj)
{
	kobject_put(kobj);
}
#endif

#endif /* _XENHV_COMPAT_COMPAT_H */
