/* SPDX-License-Identifier: GPL-2.0 */
/* Assembler-side compat: what our .S files use from kernels that may lack it. */
#ifndef _XENHV_COMPAT_ASM_H
#define _XENHV_COMPAT_ASM_H

#include <linux/linkage.h>

/*
 * ENDBR: the landing pad of indirect branch tracking (asm/ibt.h, 5.18). The
 * kernel defines it empty when CONFIG_X86_KERNEL_IBT is off; kernels before
 * IBT have no definition at all.
 */
#ifndef ENDBR
#define ENDBR
#endif

/*
 * IBT_NOSEAL for assembly: objtool seals (turns into a NOP at load) every
 * ENDBR nothing takes the address of; a reference from this discarded
 * section, as the kernel's C-side IBT_NOSEAL() makes, keeps @addr's.
 */
.macro XENHV_IBT_NOSEAL addr
	.pushsection .discard.ibt_endbr_noseal, "a"
	.quad \addr
	.popsection
.endm

#endif /* _XENHV_COMPAT_ASM_H */
