// SPDX-License-Identifier: GPL-2.0
/* Hyper-V's reference TSC page (scale, offset, sequence), read as the TLFS says, for pvclock. */

#include <linux/moduleparam.h>
#include <asm/mshyperv.h>
#include <asm/msr.h>
#include <clocksource/hyperv_timer.h>

#include "hv.h"

static bool ref_tsc = true;
module_param(ref_tsc, bool, 0444);
MODULE_PARM_DESC(ref_tsc, "Derive Xen's pvclock from the Hyper-V reference TSC page; N takes the fallback (TSC frequency + Xen system time) even when the page is there (default Y)");

/* Whether pvclock may use the page at all: Hyper-V offers it and we may. */
bool xenhv_hv_reftsc_usable(void)
{
	return ref_tsc && xenhv_hv.ref_tsc && hv_get_tsc_page();
}

/* The page's sequence now: 0 while Hyper-V marks it invalid (or it is unused). */
u32 xenhv_hv_reftsc_sequence(void)
{
	return xenhv_hv_reftsc_usable() ? READ_ONCE(hv_get_tsc_page()->tsc_sequence) : 0;
}

/*
 * One consistent snapshot of the page and a TSC value taken inside it:
 * false when the page is unusable now (sequence 0: Hyper-V says use the
 * reference counter MSR instead, e.g. while the TSC frequency changes).
 */
bool xenhv_hv_reftsc_read(struct xenhv_hv_reftsc *r)
{
	const struct ms_hyperv_tsc_page *pg;

	if (!xenhv_hv_reftsc_usable())
		return false;
	pg = hv_get_tsc_page();
	do {
		r->sequence = READ_ONCE(pg->tsc_sequence);
		if (!r->sequence)
			return false;
		/* The page's fields, then the TSC, then the sequence again. */
		virt_rmb();
		r->scale = READ_ONCE(pg->tsc_scale);
		r->offset = READ_ONCE(pg->tsc_offset);
		r->tsc = rdtsc_ordered();
		/* All of it read before the sequence is checked again. */
		virt_rmb();
	} while (READ_ONCE(pg->tsc_sequence) != r->sequence);
	return true;
}
