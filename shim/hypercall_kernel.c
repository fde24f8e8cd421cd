// SPDX-License-Identifier: GPL-2.0
/* Kernel callers' way in: the hypercall page stubs' C side and xenhv_hypercall(). */
#include "xenhv.h"

#include <linux/export.h>
#include <xenhv/xenhv.h>

#include "../xen-compat/compat.h"

/* Called from the stubs in hypercall_page.S with the Xen registers unpacked. */
long xenhv_hypercall_kernel(unsigned long op, unsigned long a1,
			    unsigned long a2, unsigned long a3,
			    unsigned long a4, unsigned long a5)
{
	struct xenhv_call c = { .mem = &xenhv_kernel_mem };
	xen_ulong_t args[5] = { a1, a2, a3, a4, a5 };

	return xenhv_do_hypercall(&c, op, args);
}

long xenhv_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		     unsigned long a3, unsigned long a4, unsigned long a5)
{
	return xenhv_hypercall_kernel(op, a1, a2, a3, a4, a5);
}
EXPORT_SYMBOL_GPL(xenhv_hypercall);

/*
 * The page itself is assembly (hypercall_page.S); exporting it from C gives
 * modversions the type (from xenhv/xenhv.h) to checksum.
 */
EXPORT_SYMBOL_GPL(xenhv_hypercall_page);
