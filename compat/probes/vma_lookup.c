// SPDX-License-Identifier: GPL-2.0
/* Probe: vma_lookup() (5.14). */
#include <linux/mm.h>

struct vm_area_struct *xenhv_probe(struct mm_struct *mm, unsigned long a);
struct vm_area_struct *xenhv_probe(struct mm_struct *mm, unsigned long a)
{
	return vma_lookup(mm, a);
}
