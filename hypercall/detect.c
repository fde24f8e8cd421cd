// SPDX-License-Identifier: GPL-2.0
/* Detects Hyper-V and the TLFS features xenhv builds on; refuses to load without them. */

#include <asm/hypervisor.h>
#include <asm/mshyperv.h>

#include "hv.h"

struct xenhv_hv_features xenhv_hv;

static void xenhv_hv_read_features(struct xenhv_hv_features *f)
{
	f->hypercall_page = xenhv_hv_hypercalls_ready() &&
			    (ms_hyperv.features & HV_MSR_HYPERCALL_AVAILABLE);
	f->vp_index = ms_hyperv.features & HV_MSR_VP_INDEX_AVAILABLE;
	f->synic = ms_hyperv.features & HV_MSR_SYNIC_AVAILABLE;
	f->stimer = ms_hyperv.features & HV_MSR_SYNTIMER_AVAILABLE;
	f->ref_tsc = ms_hyperv.features & HV_MSR_REFERENCE_TSC_AVAILABLE;
	f->time_ref_count = (ms_hyperv.features & HV_MSR_TIME_REF_COUNT_AVAILABLE) &&
			    hv_read_reference_counter;
	f->vp_runtime = ms_hyperv.features & HV_MSR_VP_RUNTIME_AVAILABLE;
	f->reset_msr = ms_hyperv.features & HV_MSR_RESET_AVAILABLE;
	f->crash_msrs = ms_hyperv.misc_features &
			HV_FEATURE_GUEST_CRASH_MSR_AVAILABLE;
	f->tlbflush = ms_hyperv.hints & HV_X64_REMOTE_TLB_FLUSH_RECOMMENDED;
	f->ipi = ms_hyperv.hints & HV_X64_CLUSTER_IPI_RECOMMENDED;
	f->ex_processor_masks = ms_hyperv.hints &
				HV_X64_EX_PROCESSOR_MASKS_RECOMMENDED;
	f->signal_events = xenhv_hv_priv_high() & HV_SIGNAL_EVENTS;
	f->post_messages = xenhv_hv_priv_high() & HV_POST_MESSAGES;
}

/* One log line either way: why we refuse, or what we found. */
int xenhv_hv_detect(void)
{
	struct xenhv_hv_features *f = &xenhv_hv;
	const char *missing = NULL;

	if (x86_hyper_type != X86_HYPER_MS_HYPERV) {
		pr_err("not running on Hyper-V (no Hyper-V CPUID signature), refusing to load\n");
		return -ENODEV;
	}

	xenhv_hv_read_features(f);
	if (!f->hypercall_page)
		missing = "hypercall page";
	else if (!f->vp_index)
		missing = "VP index MSR";
	else if (!f->synic)
		missing = "SynIC";
	if (missing) {
		pr_err("Hyper-V lacks the %s xenhv needs, refusing to load\n",
		       missing);
		return -ENODEV;
	}

	pr_info("Hyper-V: stimer=%d crash=%d ref_tsc=%d vp_runtime=%d tlbflush=%d ipi=%d ex_masks=%d signal_events=%d\n",
		f->stimer, f->crash_msrs, f->ref_tsc, f->vp_runtime,
		f->tlbflush, f->ipi, f->ex_processor_masks, f->signal_events);
	/* Each missing optional feature: said once, with what replaces it. */
	if (!f->crash_msrs)
		pr_info("fallback: no Hyper-V crash MSRs, Xen crashes go to the kernel log only\n");
	if (!f->vp_runtime)
		pr_info("fallback: no HV_X64_MSR_VP_RUNTIME, vCPU running time from the kernel's CPU accounting\n");
	if (!f->time_ref_count)
		pr_info("fallback: no Hyper-V reference counter, Xen system time is CLOCK_MONOTONIC\n");
	if (!f->ipi)
		pr_info("fallback: no Hyper-V IPI hypercall recommended, event channel IPIs use Linux's APIC driver\n");
	if (!f->tlbflush)
		pr_info("fallback: no Hyper-V flush hypercalls recommended, Xen TLB flushes use Linux's flush\n");
	return 0;
}
