// SPDX-License-Identifier: GPL-2.0
/* The grant table's memory in the kernel: its pages, guest frames, the kernel API. */
#include "xenhv.h"

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pfn.h>

#include <xenhv/xenhv.h>

#include "../xen-compat/compat.h"

void *xenhv_frame_alloc(bool atomic)
{
	return (void *)get_zeroed_page(atomic ? GFP_ATOMIC : GFP_KERNEL);
}

void xenhv_frame_free(void *va)
{
	free_page((unsigned long)va);
}

u64 xenhv_frame_gfn(void *va)
{
	return PFN_DOWN(__pa(va));
}

/*
 * A guest frame's kernel address: RAM the kernel maps (x86-64 maps all of
 * it), never a hole or device memory.
 */
void *xenhv_frame_va(u64 gfn)
{
	if (gfn > ULONG_MAX >> PAGE_SHIFT || !pfn_valid(gfn) ||
	    PageReserved(pfn_to_page(gfn)))
		return NULL;
	return page_address(pfn_to_page(gfn));
}

/*
 * A grant table frame at the caller's frame @gfn: in a /dev/xen/privcmd
 * mapping for a process; a kernel caller must name the frame itself, as
 * kernel memory cannot be replaced under Linux.
 */
int xenhv_frame_show(const struct xenhv_guest_mem *mem, u64 gfn, void *va)
{
	if (mem == &xenhv_user_mem)
		return xenhv_privcmd_map_page(gfn << PAGE_SHIFT, virt_to_page(va));
	return gfn == xenhv_frame_gfn(va) ? 0 : -EINVAL;
}

/* The kernel API: share a page of ours with @domid, and take it back. */
int xenhv_grant_page(u16 domid, struct page *page, bool readonly)
{
	return xenhv_gnttab_grant(domid, page_to_pfn(page), readonly);
}
EXPORT_SYMBOL_GPL(xenhv_grant_page);

int xenhv_grant_end(u32 ref)
{
	return xenhv_gnttab_end(ref);
}
EXPORT_SYMBOL_GPL(xenhv_grant_end);
