// SPDX-License-Identifier: GPL-2.0
/* An interrupt vector sent to one vCPU with HvCallSendSyntheticClusterIpi, or the APIC. */

#include <asm/apic.h>
#include <asm/mshyperv.h>

#include "hv.h"

/*
 * The fast form carries a 64-bit VP mask, so VPs 0..63; past that (or without
 * the recommendation) the kernel's APIC driver sends it, which on Hyper-V is
 * itself the Ex hypercall.
 */
void xenhv_hv_send_ipi(unsigned int cpu, unsigned int vector)
{
	u32 vp = hv_cpu_number_to_vp_number(cpu);
	u64 status;

	if (xenhv_hv.ipi && vp < 64) {
		status = hv_do_fast_hypercall16(HVCALL_SEND_IPI, vector,
						BIT_ULL(vp));
		if (hv_result_success(status)) {
			atomic64_inc(&xenhv_hv_counters.send_ipi);
			return;
		}
	}
	atomic64_inc(&xenhv_hv_counters.apic_ipi);
	apic->send_IPI(cpu, vector);
}
