// SPDX-License-Identifier: GPL-2.0
/* Probe: <asm/hyperv-tlfs.h> (7.x keeps the TLFS definitions in include/hyperv/ instead). */
#include <linux/types.h>
#include <asm/hyperv-tlfs.h>

int xenhv_probe = HV_SYNIC_SINT_COUNT;
