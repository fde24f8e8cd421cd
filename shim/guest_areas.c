// SPDX-License-Identifier: GPL-2.0
/* Guest areas hypercalls name: shared_info at a caller's frame, a registered vcpu_info. */
#include "xenhv.h"

#include <linux/mm.h>
#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include <xenhv/xenhv.h>

#include "../xen-compat/compat.h"

static struct {
	/* protects vcpu_info_page (process context only) */
	struct mutex lock;
	struct page **vcpu_info_page;		/* per vCPU, privcmd callers */
} xa = {
	.lock = __MUTEX_INITIALIZER(xa.lock),
};

/*
 * XENMAPSPACE_shared_info. A privcmd caller's frame is a page of its own
 * address space inside a /dev/xen/privcmd mapping, where shared_info then
 * shows, read-only. A kernel caller cannot have a page of its memory
 * replaced; it names xenhv's page (xenhv_shared_info_page()) and gets 0.
 */
int xenhv_area_map_shared_info(const struct xenhv_guest_mem *mem, u64 gfn)
{
	struct page *pg = virt_to_page(xenhv_shared_info);

	if (mem == &xenhv_user_mem)
		return xenhv_privcmd_map_page(gfn << PAGE_SHIFT, pg);
	return gfn == page_to_pfn(pg) ? 0 : -EINVAL;
}

struct shared_info *xenhv_shared_info_page(void)
{
	return xenhv_shared_info;
}
EXPORT_SYMBOL_GPL(xenhv_shared_info_page);

/*
 * VCPUOP_register_vcpu_info's frame. Kernel caller: a page of RAM, whose
 * (offset) then holds the vcpu_info, as on Xen. privcmd caller: a page of a
 * /dev/xen/privcmd mapping; xenhv gives the vCPU a page of its own, shown
 * there read-only with the vcpu_info at (offset).
 */
int xenhv_area_vcpu_info(const struct xenhv_guest_mem *mem, unsigned int vcpu,
			 u64 gfn, u32 offset, struct vcpu_info **where)
{
	struct page *pg;
	int ret;

	if (mem != &xenhv_user_mem) {
		if (gfn > ULONG_MAX >> PAGE_SHIFT || !pfn_valid(gfn) ||
		    !page_is_ram(gfn))
			return -EINVAL;
		*where = pfn_to_kaddr(gfn) + offset;
		return 0;
	}
	mutex_lock(&xa.lock);
	pg = xa.vcpu_info_page[vcpu];
	if (!pg)
		pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	ret = pg ? xenhv_privcmd_map_page(gfn << PAGE_SHIFT, pg) : -ENOMEM;
	if (!ret || xa.vcpu_info_page[vcpu])
		xa.vcpu_info_page[vcpu] = pg;
	else if (pg)
		__free_page(pg);
	mutex_unlock(&xa.lock);
	if (!ret)
		*where = page_address(pg) + offset;
	return ret;
}

int xenhv_guest_areas_init(void)
{
	xa.vcpu_info_page = kcalloc(nr_cpu_ids, sizeof(*xa.vcpu_info_page),
				    GFP_KERNEL);
	return xa.vcpu_info_page ? 0 : -ENOMEM;
}

void xenhv_guest_areas_exit(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (xa.vcpu_info_page[cpu])
			__free_page(xa.vcpu_info_page[cpu]);
	kfree(xa.vcpu_info_page);
	xa.vcpu_info_page = NULL;
}
