// SPDX-License-Identifier: GPL-2.0
/* xen_version: every XENVER_ subop, answered locally as Xen answers an HVM domU. */
#include "compat.h"

/*
 * xenhv runs HVM-style guests only: no PV ABI, so none of the xen-3.0-*
 * entries; formatted as Xen formats it (each entry followed by a space).
 */
static const char xenhv_capabilities[] =
	"hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ";

/* What Xen's default XSM policy shows a domU instead of the command line. */
static const char xenhv_denied[] = "<denied>";

/* HYPERVISOR_VIRT_START of the 64-bit Xen ABI, as Xen reports it. */
#define XENHV_VIRT_START	0xFFFF800000000000UL

/*
 * The features really provided, a subset of what Xen gives an HVM domU:
 * no PV page tables and guest-physical frames. No callback vector (events
 * reach userspace through /dev/xen/evtchn) and no vNUMA.
 */
static u32 xenhv_features_submap0(void)
{
	return BIT(XENFEAT_writable_page_tables) |
	       BIT(XENFEAT_auto_translated_physmap);
}

/* Copy a NUL-padded string of exactly @size bytes to the guest. */
static long xenhv_put_string(struct xenhv_call *c, xen_ulong_t arg,
			     const char *s, size_t size)
{
	char buf[XEN_CAPABILITIES_INFO_LEN];

	memset(buf, 0, size);
	strscpy(buf, s, size);
	return xenhv_copy_to_guest(c, arg, buf, size) ? -EFAULT : 0;
}

static long xenhv_compile_info(struct xenhv_call *c, xen_ulong_t arg)
{
	struct {
		char compiler[64];
		char compile_by[16];
		char compile_domain[32];
		char compile_date[32];
	} info;

	BUILD_BUG_ON(sizeof(info) != XENHV_COMPILE_INFO_LEN);
	memset(&info, 0, sizeof(info));
	strscpy(info.compiler, "gcc/clang (xenhv)", sizeof(info.compiler));
	strscpy(info.compile_by, "xenhv", sizeof(info.compile_by));
	strscpy(info.compile_domain, "hyper-v", sizeof(info.compile_domain));
	strscpy(info.compile_date, "n/a", sizeof(info.compile_date));
	return xenhv_copy_to_guest(c, arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long xenhv_get_features(struct xenhv_call *c, xen_ulong_t arg)
{
	struct {
		unsigned int submap_idx;
		u32 submap;
	} fi;

	if (xenhv_copy_from_guest(c, &fi, arg, sizeof(fi)))
		return -EFAULT;
	if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
		return -EINVAL;
	fi.submap = xenhv_features_submap0();
	return xenhv_copy_to_guest(c, arg, &fi, sizeof(fi)) ? -EFAULT : 0;
}

long xenhv_do_xen_version(struct xenhv_call *c, int cmd, xen_ulong_t arg)
{
	const struct xenhv_version_info *v = &xenhv_compat.version;
	xen_ulong_t virt_start = XENHV_VIRT_START;
	u8 handle[XENHV_DOMAIN_HANDLE_LEN];

	switch (cmd) {
	case XENVER_version:
		return (long)((v->major << 16) | v->minor);
	case XENVER_extraversion:
		return xenhv_put_string(c, arg, v->extra, XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info:
		return xenhv_compile_info(c, arg);
	case XENVER_capabilities:
		return xenhv_put_string(c, arg, xenhv_capabilities,
					XEN_CAPABILITIES_INFO_LEN);
	case XENVER_changeset:
		return xenhv_put_string(c, arg, "xenhv", XEN_CHANGESET_INFO_LEN);
	case XENVER_platform_parameters:
		return xenhv_copy_to_guest(c, arg, &virt_start,
					   sizeof(virt_start)) ? -EFAULT : 0;
	case XENVER_get_features:
		return xenhv_get_features(c, arg);
	case XENVER_pagesize:
		/* Xen: the argument must be NULL. */
		return arg ? -EINVAL : (long)PAGE_SIZE;
	case XENVER_guest_handle:
		xenhv_compat.ops->domain_handle(handle);
		return xenhv_copy_to_guest(c, arg, handle,
					   sizeof(handle)) ? -EFAULT : 0;
	case XENVER_commandline:
		/* XSM_PRIV: a domU reads "<denied>" and gets success. */
		return xenhv_copy_to_guest(c, arg, xenhv_denied,
					   sizeof(xenhv_denied)) ? -EFAULT : 0;
	case XENVER_build_id:
		/* XSM_PRIV in Xen's default policy: refused to a domU. */
		return -EPERM;
	default:
		return -ENOSYS;
	}
}
