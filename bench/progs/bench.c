// SPDX-License-Identifier: GPL-2.0
/* Side-by-side timings in one boot: each xenhv path against its floor, as ratios. */
/* Tools interface: otherwise xen.h maps sched_op to the old compat number. */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <xencall.h>
#include <xen/xen.h>
#include <xen/version.h>
#include <xen/sched.h>
#include <xen/sys/privcmd.h>

#include "../xenhv_bench.h"

#define ROUNDS	7

static int privcmd, benchdev;
static xencall_handle *xc;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Each measurement returns ns per operation for @n operations. */
typedef double (*measure_fn)(unsigned long n);

static double m_nop(unsigned long n)
{
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		ioctl(benchdev, XENHV_BENCH_NOP);
	return (double)(now_ns() - t0) / n;
}

static double m_privcmd_version(unsigned long n)
{
	privcmd_hypercall_t h = { .op = __HYPERVISOR_xen_version,
				  .arg = { XENVER_version } };
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &h);
	return (double)(now_ns() - t0) / n;
}

static double m_xencall_version(unsigned long n)
{
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		xencall2(xc, __HYPERVISOR_xen_version, XENVER_version, 0);
	return (double)(now_ns() - t0) / n;
}

static double m_privcmd_yield(unsigned long n)
{
	privcmd_hypercall_t h = { .op = __HYPERVISOR_sched_op,
				  .arg = { SCHEDOP_yield } };
	uint64_t t0 = now_ns();
	unsigned long i, bad = 0;

	int r, first = 0;

	for (i = 0; i < n; i++) {
		r = ioctl(privcmd, IOCTL_PRIVCMD_HYPERCALL, &h);
		if (r && !bad++)
			first = errno;
	}
	if (bad) {
		fprintf(stderr, "bench: %lu of %lu SCHEDOP_yield failed, first errno %d\n",
			bad, n, first);
		return -1;
	}
	return (double)(now_ns() - t0) / n;
}

static double kernel_loop(unsigned long cmd, unsigned long n)
{
	struct xenhv_bench_loop l = { .count = n };

	if (ioctl(benchdev, cmd, &l))
		return -1;
	return (double)l.ns / n;
}

static double m_raw_yield(unsigned long n) { return kernel_loop(XENHV_BENCH_RAW_YIELD, n); }

/* One raw HvCallNotifyLongSpinWait per ioctl: the floor of a call from userspace. */
static double m_ioctl_raw_yield(unsigned long n)
{
	struct xenhv_bench_loop l = { .count = 1 };
	uint64_t t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		if (ioctl(benchdev, XENHV_BENCH_RAW_YIELD, &l))
			return -1;
	return (double)(now_ns() - t0) / n;
}
static double m_page_yield(unsigned long n) { return kernel_loop(XENHV_BENCH_SHIM_YIELD, n); }

struct row {
	const char *what, *floor;
	measure_fn path, base;
	unsigned long n;
	double path_ns[ROUNDS], base_ns[ROUNDS];
};

static struct row rows[] = {
	{ .what = "xen_version via /dev/xen/privcmd",
	  .floor = "bare ioctl, /dev/xenhv_bench",
	  .path = m_privcmd_version, .base = m_nop, .n = 20000 },
	{ .what = "xen_version via libxencall",
	  .floor = "bare ioctl, /dev/xenhv_bench",
	  .path = m_xencall_version, .base = m_nop, .n = 20000 },
	{ .what = "SCHEDOP_yield via hypercall page (kernel)",
	  .floor = "raw HvCallNotifyLongSpinWait (kernel)",
	  .path = m_page_yield, .base = m_raw_yield, .n = 5000 },
	{ .what = "SCHEDOP_yield via /dev/xen/privcmd",
	  .floor = "bare ioctl + raw HvCallNotifyLongSpinWait",
	  .path = m_privcmd_yield, .base = m_ioctl_raw_yield, .n = 5000 },
};

int main(void)
{
	unsigned int r, i;
	double p, b;

	privcmd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	benchdev = open("/dev/xenhv_bench", O_RDWR | O_CLOEXEC);
	xc = xencall_open(NULL, 0);
	if (privcmd < 0 || benchdev < 0 || !xc) {
		fprintf(stderr, "bench: /dev/xen/privcmd, /dev/xenhv_bench or libxencall missing\n");
		return 1;
	}
	/* Rounds interleave path and floor so drift hits both alike. */
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			rows[i].path_ns[r] = rows[i].path(rows[i].n);
			rows[i].base_ns[r] = rows[i].base(rows[i].n);
		}
	}
	printf("[bench] %-44s %-40s %10s %10s %7s\n", "path", "floor", "path ns", "floor ns", "ratio");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		qsort(rows[i].path_ns, ROUNDS, sizeof(double), cmp);
		qsort(rows[i].base_ns, ROUNDS, sizeof(double), cmp);
		p = rows[i].path_ns[ROUNDS / 2];
		b = rows[i].base_ns[ROUNDS / 2];
		printf("[bench] %-44s %-40s %10.0f %10.0f %7.2f\n", rows[i].what,
		       rows[i].floor, p, b, b > 0 ? p / b : 0);
	}
	printf("[bench] medians of %d interleaved rounds, one boot of the nested Hyper-V lab\n", ROUNDS);
	xencall_close(xc);
	return 0;
}
