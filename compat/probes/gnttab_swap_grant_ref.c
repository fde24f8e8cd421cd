// SPDX-License-Identifier: GPL-2.0
/* Probe: struct gnttab_swap_grant_ref in the kernel's copy of grant_table.h. */
#include <linux/types.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>

struct gnttab_swap_grant_ref xenhv_probe;
