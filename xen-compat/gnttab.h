/* SPDX-License-Identifier: GPL-2.0 */
/* The grant table's lock and pins, shared by its table (gnttab.c) and its copy (gnttab_copy.c). */
#ifndef XENHV_XEN_COMPAT_GNTTAB_H
#define XENHV_XEN_COMPAT_GNTTAB_H

#include "compat.h"

extern spinlock_t xenhv_gnttab_lock;

/* Under the lock: a pin of @ref for a mapping or a copy, as Xen's map checks it. */
int xenhv_gnttab_pin(domid_t dom, grant_ref_t ref, bool readonly, u64 *gfn);
void xenhv_gnttab_unpin(grant_ref_t ref, bool readonly);

#endif
