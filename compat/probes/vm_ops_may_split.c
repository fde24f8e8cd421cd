// SPDX-License-Identifier: GPL-2.0
/* Probe: vm_operations_struct.may_split (5.11; .split before). */
#include <linux/mm.h>

int xenhv_probe(struct vm_area_struct *vma, unsigned long addr);
const struct vm_operations_struct xenhv_probe_ops = { .may_split = xenhv_probe };
