// SPDX-License-Identifier: GPL-2.0
/* Probe: is_cow_mapping() in <linux/mm.h> (5.11). */
#include <linux/mm.h>

bool xenhv_probe(vm_flags_t flags);
bool xenhv_probe(vm_flags_t flags)
{
	return is_cow_mapping(flags);
}
