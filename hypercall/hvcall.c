// SPDX-License-Identifier: GPL-2.0
/* Thin wrappers over the kernel's Hyper-V hypercalls and MSRs, with status -> errno. */

#include <linux/smp.h>
#include <asm/mshyperv.h>
#include <asm/tlbflush.h>

#include "hv.h"

struct xenhv_hv_counters xenhv_hv_counters;

/* TLFS status codes mapped to the errno a Xen caller expects for the same failure. */
int xenhv_hv_status_to_errno(u64 status)
{
	switch (hv_result(status)) {
	case HV_STATUS_SUCCESS:
		return 0;
	case HV_STATUS_INVALID_HYPERCALL_CODE:
		return -ENOSYS;
	case HV_STATUS_INVALID_HYPERCALL_INPUT:
	case HV_STATUS_INVALID_ALIGNMENT:
	case HV_STATUS_INVALID_PARAMETER:
	case HV_STATUS_INVALID_PORT_ID:
		return -EINVAL;
	case HV_STATUS_INVALID_CONNECTION_ID:
		return -ENOENT;
	case HV_STATUS_ACCESS_DENIED:
	case HV_STATUS_OPERATION_DENIED:
		return -EPERM;
	case HV_STATUS_INSUFFICIENT_MEMORY:
	case HV_STATUS_INSUFFICIENT_BUFFERS:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

/* SCHEDOP_yield's counterpart: tell Hyper-V this VP is spinning. */
int xenhv_hv_notify_long_spin_wait(u32 retries)
{
	u64 status;

	atomic64_inc(&xenhv_hv_counters.notify_long_spin_wait);
	status = hv_do_fast_hypercall8(HVCALL_NOTIFY_LONG_SPIN_WAIT, retries);

	return xenhv_hv_status_to_errno(status);
}

/*
 * Flush every vCPU's TLB, in every address space: all of it, or the page at
 * @va only. One hypercall on this CPU's input page (interrupts off while it
 * is in use, as Linux's own flushes do).
 */
static int xenhv_hv_flush(bool one_page, unsigned long va)
{
	struct hv_tlb_flush *flush;
	unsigned long flags;
	u64 status;

	local_irq_save(flags);
	flush = xenhv_hv_input_page();
	if (!flush) {
		local_irq_restore(flags);
		return -ENODEV;
	}
	flush->address_space = 0;
	flush->flags = HV_FLUSH_ALL_PROCESSORS |
		       HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES;
	flush->processor_mask = 0;
	if (one_page) {
		/* The low 12 bits count additional pages: none. */
		flush->gva_list[0] = va & PAGE_MASK;
		status = hv_do_rep_hypercall(HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST,
					     1, 0, flush, NULL);
	} else {
		status = hv_do_hypercall(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE,
					 flush, NULL);
	}
	local_irq_restore(flags);
	atomic64_inc(one_page ? &xenhv_hv_counters.flush_list :
				&xenhv_hv_counters.flush_space);
	return xenhv_hv_status_to_errno(status);
}

int xenhv_hv_flush_all(void)
{
	return xenhv_hv_flush(false, 0);
}

int xenhv_hv_flush_va(unsigned long va)
{
	return xenhv_hv_flush(true, va);
}

static void xenhv_read_vp_runtime(void *arg)
{
	rdmsrl(HV_X64_MSR_VP_RUNTIME, *(u64 *)arg);
}

/* HV_X64_MSR_VP_RUNTIME counts 100 ns units; it is read on its own VP. */
int xenhv_hv_vp_runtime(unsigned int cpu, u64 *ns)
{
	u64 units = 0;
	int ret;

	if (!xenhv_hv.vp_runtime)
		return -EOPNOTSUPP;
	ret = smp_call_function_single(cpu, xenhv_read_vp_runtime, &units, 1);
	*ns = units * 100;
	return ret;
}

/*
 * The guest crash MSRs: P0..P4 first, then CRASH_CTL with CRASH_NOTIFY,
 * which is what makes the host record the crash (and QEMU stop the VM).
 */
void xenhv_hv_crash_notify(const u64 params[5])
{
	if (!xenhv_hv.crash_msrs)
		return;
	atomic64_inc(&xenhv_hv_counters.crash_notify);
	wrmsrl(HV_X64_MSR_CRASH_P0, params[0]);
	wrmsrl(HV_X64_MSR_CRASH_P1, params[1]);
	wrmsrl(HV_X64_MSR_CRASH_P2, params[2]);
	wrmsrl(HV_X64_MSR_CRASH_P3, params[3]);
	wrmsrl(HV_X64_MSR_CRASH_P4, params[4]);
	/* Halves spelled out: the constant does not fit wrmsrl's u32 casts. */
	wrmsr(HV_X64_MSR_CRASH_CTL, lower_32_bits(HV_CRASH_CTL_CRASH_NOTIFY),
	      upper_32_bits(HV_CRASH_CTL_CRASH_NOTIFY));
}
