// SPDX-License-Identifier: GPL-2.0
/* xen-compat/xen_abi.h against Xen's own public headers (libxen-dev): every name, every value. */
#include "../../xen-compat/port.h"
#include "../../xen-compat/xen_abi.h"
#include "unit.h"

/* Here <xen/io/xs_wire.h> is Xen 4.17's (tests/unit/uport.h includes it). */
_Static_assert(XENHV_XS_CONTROL == XS_CONTROL, "XS_CONTROL");
_Static_assert(XENHV_XS_RESET_WATCHES == XS_RESET_WATCHES, "XS_RESET_WATCHES");
_Static_assert(XENHV_XS_DIRECTORY_PART == XS_DIRECTORY_PART, "XS_DIRECTORY_PART");
_Static_assert(ARRAY_SIZE(xenhv_xsd_errors) == ARRAY_SIZE(xsd_errors),
	       "xenhv's XenStore error table has Xen's length");

void test_xen_abi(void)
{
	unsigned int i, same = 0;

	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		same += xenhv_xsd_errors[i].errnum == xsd_errors[i].errnum &&
			!strcmp(xenhv_xsd_errors[i].errstring, xsd_errors[i].errstring);
	T(same == ARRAY_SIZE(xsd_errors),
	  "xs_wire error table: %u of Xen's %zu entries, in Xen's order", same,
	  ARRAY_SIZE(xsd_errors));
	T(!strcmp(xenhv_xsd_errors[ARRAY_SIZE(xenhv_xsd_errors) - 1].errstring, "EPERM"),
	  "EPERM is in it (a domU giving its node away hears EPERM, not EIO)");
}
