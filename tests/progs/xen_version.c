// SPDX-License-Identifier: GPL-2.0
/* Every XENVER_ subop through Debian's libxencall and libxenctrl, on /dev/xen/privcmd. */
#include <stdint.h>
#include <stdlib.h>
#include <xencall.h>
#include <xenctrl.h>
#include <xen/version.h>

#include "tap.h"

static long ver(xencall_handle *xc, int cmd, void *arg)
{
	return xencall2(xc, __HYPERVISOR_xen_version, cmd, (uint64_t)(uintptr_t)arg);
}

/* All bytes after the first NUL are NUL too: Xen pads its strings. */
static int padded(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size)
		return 0;
	for (; n < size; n++)
		if (s[n])
			return 0;
	return 1;
}

static int parse_uuid(const char *s, unsigned char out[16])
{
	int i;

	for (i = 0; i < 16; i++) {
		while (*s == '-')
			s++;
		if (sscanf(s, "%2hhx", &out[i]) != 1)
			return -1;
		s += 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long expect = argc > 1 ? strtol(argv[1], NULL, 0) : 0x40011;
	const char *expect_extra = argc > 2 ? argv[2] : ".0";
	const char *uuid = argc > 3 ? argv[3] : NULL;
	xencall_handle *xc;
	xc_interface *xch;
	xen_feature_info_t *fi;
	char *buf, vs[64], vs2[64];
	unsigned char want[16];
	xen_extraversion_t extra;
	long v;

	tap_prog = "xen_version";
	xc = xencall_open(NULL, 0);
	CHECK(xc, "libxencall opens /dev/xen/privcmd");
	if (!xc)
		return 1;
	CHECK(xencall_buffers_never_fault(xc) == 1,
	      "libxencall uses /dev/xen/hypercall buffers");
	buf = xencall_alloc_buffer(xc, 2048);
	fi = xencall_alloc_buffer(xc, sizeof(*fi));
	CHECK(buf && fi, "hypercall buffers allocate");
	if (!buf || !fi)
		return 1;

	v = ver(xc, XENVER_version, NULL);
	CHECK(v == expect, "XENVER_version is %#lx (got %#lx)", expect, v);

	memset(buf, 0x55, 2048);
	CHECK(ver(xc, XENVER_extraversion, buf) == 0 &&
	      strcmp(buf, expect_extra) == 0 && padded(buf, XEN_EXTRAVERSION_LEN),
	      "XENVER_extraversion is \"%s\", NUL padded", expect_extra);
	snprintf(vs, sizeof(vs), "%ld.%ld%s", v >> 16, v & 0xffff, buf);

	memset(buf, 0x55, 2048);
	CHECK(ver(xc, XENVER_capabilities, buf) == 0 &&
	      padded(buf, XEN_CAPABILITIES_INFO_LEN) && strstr(buf, "hvm-3.0-x86_64"),
	      "XENVER_capabilities is padded and lists hvm-3.0-x86_64");
	CHECK_HV("xenhv hosts no PV guest, as a Xen built without PV",
		 !strstr(buf, "xen-3.0-x86_64"),
		 "XENVER_capabilities lists no PV (\"%.60s\")", buf);

	memset(buf, 0x55, 2048);
	CHECK(ver(xc, XENVER_compile_info, buf) == 0 &&
	      padded(buf, 64) && padded(buf + 64, 16) && padded(buf + 80, 32) &&
	      padded(buf + 112, 32), "XENVER_compile_info: four padded strings");

	memset(buf, 0x55, 2048);
	CHECK(ver(xc, XENVER_changeset, buf) == 0 && padded(buf, XEN_CHANGESET_INFO_LEN),
	      "XENVER_changeset is a padded string (\"%s\")", buf);
	CHECK_HV("xenhv names its build; Debian's Xen answers an empty changeset", buf[0],
		 "XENVER_changeset is not empty");

	memset(buf, 0x55, 2048);
	CHECK(ver(xc, XENVER_platform_parameters, buf) == 0 &&
	      *(uint64_t *)buf == 0xffff800000000000ULL,
	      "XENVER_platform_parameters: virt_start of the 64-bit ABI");

	fi->submap_idx = 0;
	fi->submap = 0xdeadbeef;
	CHECK(ver(xc, XENVER_get_features, fi) == 0 &&
	      (fi->submap & (1U << XENFEAT_auto_translated_physmap)) &&
	      (fi->submap & (1U << XENFEAT_writable_page_tables)) &&
	      !(fi->submap & (1U << XENFEAT_dom0)),
	      "XENVER_get_features submap 0 = %#x (translated, not dom0)", fi->submap);
	CHECK_HV("xenhv offers no callback vector, safe pvclock, vnode or not_direct_mapped bit",
		 fi->submap == 0x5, "XENVER_get_features submap 0 is exactly %#x", 0x5);
	fi->submap_idx = 1;
	CHECK_ERR(ver(xc, XENVER_get_features, fi), EINVAL,
		  "XENVER_get_features submap 1 is EINVAL");

	CHECK(ver(xc, XENVER_pagesize, NULL) == 4096, "XENVER_pagesize is 4096");
	CHECK_ERR(ver(xc, XENVER_pagesize, buf), EINVAL,
		  "XENVER_pagesize with an argument is EINVAL");

	memset(buf, 0x55, 2048);
	CHECK(ver(xc, XENVER_guest_handle, buf) == 0,
	      "XENVER_guest_handle succeeds");
	if (uuid && parse_uuid(uuid, want) == 0)
		CHECK(memcmp(buf, want, 16) == 0,
		      "XENVER_guest_handle is the VM's UUID %s", uuid);

	memset(buf, 0x55, 2048);
	CHECK(ver(xc, XENVER_commandline, buf) == 0 && !strcmp(buf, "<denied>"),
	      "XENVER_commandline reads \"<denied>\" for a domU");
	CHECK_ERR(ver(xc, XENVER_build_id, buf), EPERM,
		  "XENVER_build_id is EPERM for a domU");
	CHECK_ERR(ver(xc, 11, buf), ENOSYS, "XENVER 11 (unknown) is ENOSYS");
	CHECK_ERR(ver(xc, -1, buf), ENOSYS, "XENVER -1 is ENOSYS");
	CHECK_ERR(ver(xc, XENVER_extraversion, (void *)8), EFAULT,
		  "XENVER_extraversion into a bad pointer is EFAULT");

	/* libxenctrl, the library xl and most Xen tools use, must agree. */
	xch = xc_interface_open(NULL, NULL, 0);
	CHECK(xch, "libxenctrl opens (xencall, foreignmemory, devicemodel)");
	if (xch) {
		v = xc_version(xch, XENVER_version, NULL);
		memset(extra, 0, sizeof(extra));
		CHECK(xc_version(xch, XENVER_extraversion, &extra) == 0,
		      "xc_version extraversion");
		snprintf(vs2, sizeof(vs2), "%ld.%ld%s", v >> 16, v & 0xffff, extra);
		CHECK(strcmp(vs, vs2) == 0, "libxenctrl and libxencall agree: Xen %s", vs2);
		xc_interface_close(xch);
	}

	xencall_free_buffer(xc, fi);
	xencall_free_buffer(xc, buf);
	CHECK(xencall_close(xc) == 0, "libxencall closes");
	return tap_failed ? 1 : 0;
}
