// SPDX-License-Identifier: GPL-2.0
/* Probe: vm_flags_set() and vm_flags_clear() (6.3 made vma->vm_flags read-only). */
#include <linux/mm.h>

void xenhv_probe(struct vm_area_struct *vma);
void xenhv_probe(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO);
	vm_flags_clear(vma, VM_MAYWRITE);
}
