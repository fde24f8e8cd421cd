// SPDX-License-Identifier: GPL-2.0
/* Prints what `xl info` shows of the hypervisor, through Debian's libxenctrl. */
#include <stdio.h>
#include <xenctrl.h>

int main(void)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	xen_extraversion_t extra = "";
	xen_capabilities_info_t caps = "";
	xen_changeset_info_t cs = "";
	xen_feature_info_t fi = { .submap_idx = 0 };
	xen_domain_handle_t h;
	int v, i;

	if (!xch)
		return 1;
	v = xc_version(xch, XENVER_version, NULL);
	if (v < 0 || xc_version(xch, XENVER_extraversion, &extra) ||
	    xc_version(xch, XENVER_capabilities, &caps) ||
	    xc_version(xch, XENVER_changeset, &cs) ||
	    xc_version(xch, XENVER_get_features, &fi) ||
	    xc_version(xch, XENVER_guest_handle, &h))
		return 1;
	printf("xen_major              : %d\n", v >> 16);
	printf("xen_minor              : %d\n", v & 0xffff);
	printf("xen_extra              : %s\n", extra);
	printf("xen_version            : %d.%d%s\n", v >> 16, v & 0xffff, extra);
	printf("xen_caps               : %s\n", caps);
	printf("xen_changeset          : %s\n", cs);
	printf("xen_pagesize           : %d\n", xc_version(xch, XENVER_pagesize, NULL));
	printf("xen_features[0]        : %#x\n", fi.submap);
	printf("domain handle (VM UUID): ");
	for (i = 0; i < 16; i++)
		printf("%02x%s", h[i], (i == 3 || i == 5 || i == 7 || i == 9) ? "-" : "");
	printf("\n");
	xc_interface_close(xch);
	return 0;
}
