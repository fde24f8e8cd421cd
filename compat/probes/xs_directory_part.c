// SPDX-License-Identifier: GPL-2.0
/* Probe: XS_CONTROL and XS_DIRECTORY_PART in the kernel's xs_wire.h (5.13's sync with Xen). */
#include <linux/errno.h>
#include <linux/types.h>
#include <xen/interface/io/xs_wire.h>

int xenhv_probe = XS_DIRECTORY_PART + XS_CONTROL;
