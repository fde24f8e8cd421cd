/* SPDX-License-Identifier: GPL-2.0 */
/* Xen ABI names that older kernels' copies of Xen's public headers lack, from Xen's own. */
#ifndef _XENHV_COMPAT_XEN_ABI_H
#define _XENHV_COMPAT_XEN_ABI_H

/*
 * Included by xen-compat/port.h after the kernel's xen/interface headers.
 * Values and layouts are those of Xen 4.17's public headers (xen/include/
 * public/io/xs_wire.h, grant_table.h); the userspace unit tests build
 * against those headers directly and do not need this file.
 */

/* io/xs_wire.h */
#ifndef XENHV_HAVE_XS_DIRECTORY_PART
#define XS_CONTROL		XS_DEBUG
#define XS_DIRECTORY_PART	22	/* XS_RESET_WATCHES + 1 */
#endif
#ifndef XENSTORE_ABS_PATH_MAX
#define XENSTORE_ABS_PATH_MAX	3072
#endif
#ifndef XENSTORE_REL_PATH_MAX
#define XENSTORE_REL_PATH_MAX	2048
#endif

/* grant_table.h */
#ifndef GNTTABOP_swap_grant_ref
#define GNTTABOP_swap_grant_ref	11
#endif
#ifndef XENHV_HAVE_GNTTAB_SWAP_GRANT_REF
struct gnttab_swap_grant_ref {
	/* IN parameters */
	grant_ref_t ref_a;
	grant_ref_t ref_b;
	/* OUT parameters */
	s16 status;		/* GNTST_* */
};
#endif
#ifndef GNTST_no_space
#define GNTST_no_space		(-13)	/* Out of space (handles etc). */
#endif

#endif /* _XENHV_COMPAT_XEN_ABI_H */
