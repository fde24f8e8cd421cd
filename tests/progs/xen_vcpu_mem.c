// SPDX-License-Identifier: GPL-2.0
/* vcpu_op, memory_op, hvm_op and mmuext_op through Debian's libxencall. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <xencall.h>
#include <xenctrl.h>
#include <xen/vcpu.h>
#include <xen/memory.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "tap.h"

static xencall_handle *xc;

static long vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return xencall3(xc, __HYPERVISOR_vcpu_op, cmd, vcpu, (uint64_t)(uintptr_t)arg);
}

static uint64_t running_ns(struct vcpu_runstate_info *rs, unsigned int vcpu)
{
	return vcpu_op(VCPUOP_get_runstate_info, vcpu, rs) ? 0 : rs->time[RUNSTATE_running];
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long pages = argc > 1 ? atol(argv[1]) : 0, res;
	struct vcpu_runstate_info *rs;
	struct mmuext_op *mmu;
	xen_hvm_param_t *hp;
	uint64_t *physid, r0, r1, r2, fip;
	unsigned int *done;
	domid_t *dom;
	cpu_set_t cpu1;
	volatile unsigned long spin = 0;
	double t;

	tap_prog = "xen_vcpu_mem";
	xc = xencall_open(NULL, 0);
	if (!xc)
		return 1;
	rs = xencall_alloc_buffer(xc, sizeof(*rs));
	physid = xencall_alloc_buffer(xc, sizeof(*physid));
	dom = xencall_alloc_buffer(xc, sizeof(*dom));
	hp = xencall_alloc_buffer(xc, sizeof(*hp));
	mmu = xencall_alloc_buffer(xc, 2 * sizeof(*mmu) + sizeof(*done));
	done = (unsigned int *)(mmu + 2);

	CHECK(vcpu_op(VCPUOP_is_up, 0, NULL) == 1 && vcpu_op(VCPUOP_is_up, 1, NULL) == 1,
	      "VCPUOP_is_up: both vCPUs are up");
	CHECK_ERR(vcpu_op(VCPUOP_is_up, 64, NULL), ENOENT, "VCPUOP_is_up 64: ENOENT");
	CHECK_HV("Xen answers get_physid only for a vCPU pinned to one physical CPU",
		 vcpu_op(VCPUOP_get_physid, 1, physid) == 0 && *physid == 1,
		 "VCPUOP_get_physid: vCPU 1 is Hyper-V VP index 1");
	CHECK_ERR(vcpu_op(VCPUOP_get_runstate_info, 0, (void *)8), EFAULT,
		  "get_runstate_info into a bad pointer: EFAULT");

	/* Running time (HV_X64_MSR_VP_RUNTIME) grows while busy, not while asleep. */
	CPU_ZERO(&cpu1);
	CPU_SET(1, &cpu1);
	sched_setaffinity(0, sizeof(cpu1), &cpu1);
	r0 = running_ns(rs, 1);
	for (t = now(); now() - t < 1.0;)
		spin++;
	r1 = running_ns(rs, 1);
	sleep(1);
	r2 = running_ns(rs, 1);
	printf("# vCPU 1 running: +%.3f s busy for 1 s, +%.3f s asleep for 1 s\n",
	       (r1 - r0) / 1e9, (r2 - r1) / 1e9);
	CHECK(r1 - r0 > 500000000ULL, "running time grows by > 0.5 s in a 1 s busy loop");
	CHECK(r2 - r1 < 300000000ULL, "and by < 0.3 s in 1 s of sleep");
	CHECK(rs->time[RUNSTATE_blocked] > 0 && rs->state == RUNSTATE_running,
	      "the rest of the time is blocked; the vCPU is running");

	*dom = DOMID_SELF;
	res = xencall2(xc, __HYPERVISOR_memory_op, XENMEM_current_reservation,
		       (uint64_t)(uintptr_t)dom);
	/* Xen counts every page the domain owns, the kernel's reserved ones too. */
	CHECK(res >= pages && res <= pages + pages / 8,
	      "current_reservation covers the guest's RAM (%ld pages; the kernel's usable %ld)",
	      res, pages);
	CHECK_HV("Xen counts the pages the domain owns, beyond what the kernel can use",
		 res == pages, "current_reservation is exactly the kernel's usable RAM in pages");
	*dom = 0;
	CHECK_ERR(xencall2(xc, __HYPERVISOR_memory_op, XENMEM_current_reservation,
			   (uint64_t)(uintptr_t)dom), EPERM, "domain 0's reservation: EPERM");

	/*
	 * A parameter the guest may set whose change harms nothing: CALLBACK_IRQ is the
	 * guest kernel's own upcall, and a vector set from here kills a Xen domU.
	 */
	hp->domid = DOMID_SELF;
	hp->index = HVM_PARAM_CALLBACK_IRQ;
	CHECK(xencall2(xc, __HYPERVISOR_hvm_op, HVMOP_get_param, (uint64_t)(uintptr_t)hp) == 0,
	      "HVMOP_get_param CALLBACK_IRQ");
	hp->index = HVM_PARAM_X87_FIP_WIDTH;
	CHECK(xencall2(xc, __HYPERVISOR_hvm_op, HVMOP_get_param, (uint64_t)(uintptr_t)hp) == 0,
	      "HVMOP_get_param X87_FIP_WIDTH");
	fip = hp->value;
	hp->value = 4;
	CHECK(xencall2(xc, __HYPERVISOR_hvm_op, HVMOP_set_param, (uint64_t)(uintptr_t)hp) == 0,
	      "HVMOP_set_param X87_FIP_WIDTH 4");
	hp->value = 0;
	CHECK(xencall2(xc, __HYPERVISOR_hvm_op, HVMOP_get_param, (uint64_t)(uintptr_t)hp) == 0 &&
	      hp->value == 4, "HVMOP_get_param reads it back");
	hp->value = 3;
	CHECK_ERR(xencall2(xc, __HYPERVISOR_hvm_op, HVMOP_set_param, (uint64_t)(uintptr_t)hp),
		  EINVAL, "HVMOP_set_param X87_FIP_WIDTH 3 (not 0, 4 or 8): EINVAL");
	hp->value = fip;
	CHECK(xencall2(xc, __HYPERVISOR_hvm_op, HVMOP_set_param, (uint64_t)(uintptr_t)hp) == 0,
	      "HVMOP_set_param X87_FIP_WIDTH back to %llu", (unsigned long long)fip);
	hp->index = HVM_PARAM_STORE_PFN;
	CHECK_ERR(xencall2(xc, __HYPERVISOR_hvm_op, HVMOP_set_param, (uint64_t)(uintptr_t)hp),
		  EPERM, "HVMOP_set_param STORE_PFN (the toolstack's): EPERM");
	hp->index = 1000;
	CHECK_ERR(xencall2(xc, __HYPERVISOR_hvm_op, HVMOP_get_param, (uint64_t)(uintptr_t)hp),
		  EINVAL, "HVMOP_get_param 1000: EINVAL");
	CHECK(xencall2(xc, __HYPERVISOR_hvm_op, HVMOP_flush_tlbs, 0) == 0, "HVMOP_flush_tlbs");

	memset(mmu, 0, 2 * sizeof(*mmu));
	mmu[0].cmd = MMUEXT_TLB_FLUSH_ALL;
	mmu[1].cmd = MMUEXT_INVLPG_ALL;
	mmu[1].arg1.linear_addr = (unsigned long)(uintptr_t)rs;
	res = xencall4(xc, __HYPERVISOR_mmuext_op, (uint64_t)(uintptr_t)mmu, 2,
		       (uint64_t)(uintptr_t)done, DOMID_SELF);
	CHECK_HV("Xen answers an HVM or PVH domain's mmuext_op EINVAL (abi.md#conf-mmuext)",
		 res == 0 && *done == 2, "mmuext_op TLB_FLUSH_ALL + INVLPG_ALL, 2 done (rc %ld errno %d)",
		 res, res ? errno : 0);
	xencall_close(xc);
	return tap_failed ? 1 : 0;
}
