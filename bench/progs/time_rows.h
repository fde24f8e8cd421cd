/* SPDX-License-Identifier: GPL-2.0 */
/* Time and flush benchmark rows: pvclock against the vDSO, HVMOP_flush_tlbs against the raw flush. */
#include <xen/hvm/hvm_op.h>

#include "../../tests/progs/pvclock.h"

static const volatile struct vcpu_time_info *bench_vt;
static volatile uint64_t bench_sink;

static int bench_time_setup(void)
{
	struct shared_info *si = map_shared_info(privcmd);

	if (!si) {
		fprintf(stderr, "bench: add_to_physmap(shared_info) failed\n");
		return -1;
	}
	/* Every vCPU's pvclock follows one line: vCPU 0's serves wherever we run. */
	bench_vt = &si->vcpu_info[0].time;
	return 0;
}

static double m_pvclock(unsigned long n)
{
	uint64_t t0 = now_ns(), s = 0;
	unsigned long i;

	for (i = 0; i < n; i++)
		s += pvclock_ns(bench_vt);
	bench_sink = s;
	return (double)(now_ns() - t0) / n;
}

static double m_vdso_clock(unsigned long n)
{
	uint64_t t0 = now_ns(), s = 0;
	unsigned long i;

	for (i = 0; i < n; i++)
		s += now_ns();
	bench_sink = s;
	return (double)(now_ns() - t0) / n;
}

static double m_privcmd_flush(unsigned long n)
{
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		if (privcmd_call(privcmd, __HYPERVISOR_hvm_op, HVMOP_flush_tlbs, 0, 0))
			return -1;
	return (double)(now_ns() - t0) / n;
}

/* One raw flush per ioctl: the floor of a flush asked for from userspace. */
static double m_ioctl_raw_flush(unsigned long n)
{
	struct xenhv_bench_loop l = { .count = 1 };
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		if (ioctl(benchdev, XENHV_BENCH_RAW_FLUSH, &l))
			return -1;
	return (double)(now_ns() - t0) / n;
}
