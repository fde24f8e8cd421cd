// SPDX-License-Identifier: GPL-2.0
/* Probe: rdmsrq() and wrmsrq() (6.16; rdmsrl() and wrmsrl() before, gone in 7.x). */
#include <asm/msr.h>

void xenhv_probe(void);
void xenhv_probe(void)
{
	u64 v;

	rdmsrq(0x40000000, v);
	wrmsrq(0x40000000, v);
}
