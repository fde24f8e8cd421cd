// SPDX-License-Identifier: GPL-2.0
/* Probe: zap_special_vma_range() (7.x; zap_vma_ptes() before, for the same VM_PFNMAP VMAs). */
#include <linux/mm.h>

void xenhv_probe(struct vm_area_struct *vma, unsigned long addr);
void xenhv_probe(struct vm_area_struct *vma, unsigned long addr)
{
	zap_special_vma_range(vma, addr, PAGE_SIZE);
}
