/* SPDX-License-Identifier: GPL-2.0 */
/* Hyper-V guest API differences between kernels, for hypercall/, vmbus-client/ and bench/. */
#ifndef _XENHV_COMPAT_HYPERV_H
#define _XENHV_COMPAT_HYPERV_H

#include <asm/mshyperv.h>
/* hv_read_reference_counter: asm-generic/mshyperv.h since 5.12, here before. */
#include <clocksource/hyperv_timer.h>

#ifndef XENHV_HAVE_HV_RESULT
static inline u64 hv_result(u64 status)
{
	return status & HV_HYPERCALL_RESULT_MASK;
}

static inline bool hv_result_success(u64 status)
{
	return hv_result(status) == HV_STATUS_SUCCESS;
}
#endif

/* TLFS 6.0, "Hypercall status codes"; named in the kernel's headers since 5.12. */
#ifndef HV_STATUS_ACCESS_DENIED
#define HV_STATUS_ACCESS_DENIED		6
#endif

/*
 * This CPU's hypercall input page (interrupts off). 5.10 declares
 * hyperv_pcpu_input_arg as void __percpu ** where it is a per-CPU pointer,
 * void * __percpu *, as 5.12 has it; the forced cast states the real type on
 * every kernel, so sparse checks the rest.
 */
#define xenhv_hv_input_page() \
	(*this_cpu_ptr((__force void * __percpu *)hyperv_pcpu_input_arg))

/*
 * Whether the kernel's hv_do_*hypercall*() helpers reach Hyper-V. 7.x no
 * longer exports hv_hypercall_pg: its helpers go through a static call that
 * hyperv_init() points at the hypercall page (and that fails every call
 * until then), so hv_is_hyperv_initialized(), which reads the hypercall
 * MSR's enable bit, tells alone. Before, the fast helpers call through
 * hv_hypercall_pg unchecked, so it is tested too.
 */
static inline bool xenhv_hv_hypercalls_ready(void)
{
#ifdef XENHV_HAVE_EXPORT_HV_HYPERCALL_PG
	if (!hv_hypercall_pg)
		return false;
#endif
	return hv_is_hyperv_initialized();
}

/* The partition's privileges, high half (CPUID 0x40000003 EBX). */
static inline u32 xenhv_hv_priv_high(void)
{
#ifdef XENHV_HAVE_MS_HYPERV_PRIV_HIGH
	return ms_hyperv.priv_high;
#else
	return cpuid_ebx(HYPERV_CPUID_FEATURES);
#endif
}

#endif /* _XENHV_COMPAT_HYPERV_H */
