/* SPDX-License-Identifier: GPL-2.0 */
/* The Hyper-V TLFS definitions, wherever this kernel keeps them. */
#ifndef _XENHV_COMPAT_HYPERV_TLFS_H
#define _XENHV_COMPAT_HYPERV_TLFS_H

/* asm/hyperv-tlfs.h until 6.x; 7.x has them in include/hyperv/ (hvgdk.h). */
#ifdef XENHV_HAVE_ASM_HYPERV_TLFS
#include <asm/hyperv-tlfs.h>
#else
#include <hyperv/hvgdk.h>
#endif

/* 7.x's name for the SIEF slot's count of unsigned longs. */
#ifndef HV_EVENT_FLAGS_UL_COUNT
#define HV_EVENT_FLAGS_UL_COUNT	HV_EVENT_FLAGS_LONG_COUNT
#endif

#endif /* _XENHV_COMPAT_HYPERV_TLFS_H */
