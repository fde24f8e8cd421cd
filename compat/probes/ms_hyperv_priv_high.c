// SPDX-License-Identifier: GPL-2.0
/* Probe: ms_hyperv.priv_high, CPUID 0x40000003 EBX (5.12). */
#include <asm/mshyperv.h>

u32 xenhv_probe(void);
u32 xenhv_probe(void)
{
	return ms_hyperv.priv_high;
}
