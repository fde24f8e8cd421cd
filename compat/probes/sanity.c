// SPDX-License-Identifier: GPL-2.0
/* Probe: the kernel compiles a module at all (a failure here means the probe flags are wrong). */
#include <linux/module.h>

int xenhv_probe(void);
int xenhv_probe(void)
{
	return 0;
}
