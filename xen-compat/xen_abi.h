/* SPDX-License-Identifier: GPL-2.0 */
/* Xen ABI names that some kernels' copies of Xen's public headers lack, from Xen 4.17's own. */
#ifndef _XENHV_XEN_ABI_H
#define _XENHV_XEN_ABI_H

/*
 * xenhv's answers must not depend on the kernel it was built for, and a
 * kernel's copy of Xen's public headers (include/xen/interface/) lags Xen's:
 * every name such a copy lacks is defined here, once, under a XENHV_ name,
 * with Xen's published value. The unit build (tests/unit/test_xen_abi.c)
 * checks each against Xen's own headers (Debian's libxen-dev).
 */

/* io/xs_wire.h: Linux 5.10 calls XS_CONTROL XS_DEBUG and has no XS_DIRECTORY_PART. */
#define XENHV_XS_CONTROL		0
#define XENHV_XS_RESET_WATCHES		21
#define XENHV_XS_DIRECTORY_PART		22

/* io/xs_wire.h's error table; Linux 6.1's stops before EPERM. */
struct xenhv_xsd_error {
	int errnum;
	const char *errstring;
};

#define XENHV_XSD_ERROR(x)	{ x, #x }
static const struct xenhv_xsd_error xenhv_xsd_errors[] __maybe_unused = {
	XENHV_XSD_ERROR(EINVAL),
	XENHV_XSD_ERROR(EACCES),
	XENHV_XSD_ERROR(EEXIST),
	XENHV_XSD_ERROR(EISDIR),
	XENHV_XSD_ERROR(ENOENT),
	XENHV_XSD_ERROR(ENOMEM),
	XENHV_XSD_ERROR(ENOSPC),
	XENHV_XSD_ERROR(EIO),
	XENHV_XSD_ERROR(ENOTEMPTY),
	XENHV_XSD_ERROR(ENOSYS),
	XENHV_XSD_ERROR(EROFS),
	XENHV_XSD_ERROR(EBUSY),
	XENHV_XSD_ERROR(EAGAIN),
	XENHV_XSD_ERROR(EISCONN),
	XENHV_XSD_ERROR(E2BIG),
	XENHV_XSD_ERROR(EPERM),
};

#endif /* _XENHV_XEN_ABI_H */
