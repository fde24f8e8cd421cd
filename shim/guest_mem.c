// SPDX-License-Identifier: GPL-2.0
/* Guest memory for xen-compat: user addresses (privcmd) or kernel ones (hypercall page). */
#include "xenhv.h"

#include <linux/uaccess.h>

#include "../xen-compat/compat.h"

static int xenhv_user_read(void *dst, xen_ulong_t src, size_t len)
{
	return copy_from_user(dst, (const void __user *)src, len) ? -EFAULT : 0;
}

static int xenhv_user_write(xen_ulong_t dst, const void *src, size_t len)
{
	return copy_to_user((void __user *)dst, src, len) ? -EFAULT : 0;
}

const struct xenhv_guest_mem xenhv_user_mem = {
	.read = xenhv_user_read,
	.write = xenhv_user_write,
};

/*
 * Kernel callers are trusted as Linux trusts its own Xen code; reads still
 * go through the no-fault copy so a stray pointer is -EFAULT, not an oops.
 */
static int xenhv_kernel_read(void *dst, xen_ulong_t src, size_t len)
{
	return copy_from_kernel_nofault(dst, (const void *)src, len) ? -EFAULT : 0;
}

static int xenhv_kernel_write(xen_ulong_t dst, const void *src, size_t len)
{
	if (!dst)
		return -EFAULT;
	memcpy((void *)dst, src, len);
	return 0;
}

const struct xenhv_guest_mem xenhv_kernel_mem = {
	.read = xenhv_kernel_read,
	.write = xenhv_kernel_write,
	.kernel = true,
};
