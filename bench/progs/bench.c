// SPDX-License-Identifier: GPL-2.0
/* Side-by-side timings in one boot: each xenhv path against its floor, as ratios. */
#define _GNU_SOURCE
/* Tools interface: otherwise xen.h maps sched_op to the old compat number. */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <xencall.h>
#include <xenstore.h>
#include <xen/xen.h>
#include <xen/version.h>
#include <xen/sched.h>
#include <xen/sys/privcmd.h>

#include "../xenhv_bench.h"

#define ROUNDS	5

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

/*
 * The transport floor for XenStore: a request of @req bytes and a reply of
 * @rep bytes over a unix socket pair to an echoing process, per round trip.
 */
static double echo_floor(size_t req, size_t rep, unsigned long n)
{
	static char buf[8192];
	int sv[2];
	unsigned long i;
	uint64_t t0;
	pid_t pid;

	cpu_set_t one, all;

	/*
	 * Both ends on one vCPU: a wake-up across vCPUs costs an IPI, which
	 * under nested emulation dwarfs the transport being measured.
	 */
	sched_getaffinity(0, sizeof(all), &all);
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		for (i = 0; i < n; i++) {
			if (recv(sv[1], buf, req, MSG_WAITALL) != (ssize_t)req ||
			    send(sv[1], buf, rep, 0) != (ssize_t)rep)
				break;
		}
		_exit(0);
	}
	close(sv[1]);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (send(sv[0], buf, req, 0) != (ssize_t)req ||
		    recv(sv[0], buf, rep, MSG_WAITALL) != (ssize_t)rep)
			break;
	}
	t0 = now_ns() - t0;
	close(sv[0]);
	waitpid(pid, NULL, 0);
	sched_setaffinity(0, sizeof(all), &all);
	return i == n ? (double)t0 / n : -1;
}

/*
 * test-xenstore removes xenstore-test/ once it is empty, and in a Xen domU
 * only dom0 can make it again (the home is dom0's): a node of the bench's own
 * in it, from the first run to the last, keeps it, in both guests alike.
 */
static void xs_test_dir_keep(bool keep)
{
	struct xs_handle *h = xs_open(0);

	if (!h)
		return;
	if (keep)
		xs_write(h, XBT_NULL, "xenstore-test/bench", "", 0);
	else
		xs_rm(h, XBT_NULL, "xenstore-test/bench");
	xs_close(h);
}

/* Xen's test-xenstore's own average for one test, in ns per operation. */
static double test_xenstore(const char *test)
{
	char cmd[256], line[256] = "\n";
	double ns = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "/usr/lib/xen-4.17/bin/test-xenstore -i 200 -t '%s'", test);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p))
		if (strstr(line, "avg:"))
			ns = strtod(strstr(line, "avg:") + 4, NULL);
	if (p && pclose(p)) {
		fprintf(stderr, "bench: %s failed; its last line: %s", cmd, line);
		return -1;
	}
	return ns;
}

/* "xenstore-test/<pid>/a" as test-xenstore names it, about 30 bytes. */
#define XS_PATH_LEN	30
static double m_xs_read1(unsigned long n) { (void)n; return test_xenstore("read 1"); }
static double m_xs_read2000(unsigned long n) { (void)n; return test_xenstore("read 2000"); }
static double m_xs_write2000(unsigned long n) { (void)n; return test_xenstore("write 2000"); }
static double f_read1(unsigned long n) { return echo_floor(16 + XS_PATH_LEN, 16 + 1, n); }
static double f_read2000(unsigned long n) { return echo_floor(16 + XS_PATH_LEN, 16 + 2000, n); }
static double f_write2000(unsigned long n) { return echo_floor(16 + XS_PATH_LEN + 2000, 16 + 3, n); }

/*
 * Commits per transaction: alone, or with a second process racing on the
 * same node (each loser retries). ns per successful commit.
 */
static double commits(unsigned long n, bool contended)
{
	struct xs_handle *h = xs_open(0);
	unsigned long i, done = 0;
	xs_transaction_t t;
	unsigned int len;
	pid_t pid = -1;
	uint64_t t0;
	char *v;

	if (!h)
		return -1;
	xs_write(h, XBT_NULL, "data/bench/c", "0", 1);
	if (contended) {
		pid = fork();
		if (pid == 0) {
			/* A connection of its own: a shared one would mix replies. */
			struct xs_handle *h2 = xs_open(0);

			for (; h2;) {
				t = xs_transaction_start(h2);
				if (t == XBT_NULL)	/* never end transaction 0 (xs_txn_cost) */
					continue;
				free(xs_read(h2, t, "data/bench/c", &len));
				xs_write(h2, t, "data/bench/c", "x", 1);
				xs_transaction_end(h2, t, false);
			}
			_exit(1);
		}
	}
	t0 = now_ns();
	for (i = 0; done < n && i < 100 * n; i++) {
		t = xs_transaction_start(h);
		if (t == XBT_NULL)
			break;
		v = xs_read(h, t, "data/bench/c", &len);
		free(v);
		xs_write(h, t, "data/bench/c", "y", 1);
		done += xs_transaction_end(h, t, false);
	}
	t0 = now_ns() - t0;
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	xs_rm(h, XBT_NULL, "data/bench");
	xs_close(h);
	return done == n ? (double)t0 / n : -1;
}

#include "evtchn_rows.h"
#include "grant_rows.h"
#include "time_rows.h"
#include "vchan_rows.h"
#include "xs_rows.h"
/* After the event, grant and XenStore rows: it reuses their helpers. */
#include "curve_rows.h"

static double m_commit_conflict(unsigned long n) { return commits(n, true); }
static double m_commit_alone(unsigned long n) { return commits(n, false); }

struct row {
	const char *what, *floor;
	measure_fn path, base;
	unsigned long n;
	/* Path or floor needs xenhv or Hyper-V: not measured in the Xen lab. */
	bool hv;
	/*
	 * The path maps a grant of the domU's own: not run in the Xen lab's PVH
	 * domU, which under TCG then corrupts its memory (docs/lab.md).
	 */
	bool maps;
	double goal;	/* the largest acceptable ratio; 0: none set */
	double path_ns[ROUNDS], base_ns[ROUNDS];
};

static struct row rows[] = {
	{ .what = "xen_version via /dev/xen/privcmd",
	  .floor = "bare ioctl, /dev/xenhv_bench",
	  .path = m_privcmd_version, .base = m_nop, .n = 20000, .hv = true },
	{ .what = "xen_version via libxencall",
	  .floor = "bare ioctl, /dev/xenhv_bench",
	  .path = m_xencall_version, .base = m_nop, .n = 20000, .hv = true },
	{ .what = "SCHEDOP_yield via hypercall page (kernel)",
	  .floor = "raw HvCallNotifyLongSpinWait (kernel)",
	  .path = m_page_yield, .base = m_raw_yield, .n = 5000, .hv = true },
	{ .what = "SCHEDOP_yield via /dev/xen/privcmd",
	  .floor = "bare ioctl + raw HvCallNotifyLongSpinWait",
	  .path = m_privcmd_yield, .base = m_ioctl_raw_yield, .n = 5000, .hv = true },
	{ .what = "test-xenstore 'read 1' via /dev/xen/xenbus",
	  .floor = "unix socket echo, same sizes",
	  .path = m_xs_read1, .base = f_read1, .n = 2000 },
	{ .what = "test-xenstore 'read 2000' via /dev/xen/xenbus",
	  .floor = "unix socket echo, same sizes",
	  .path = m_xs_read2000, .base = f_read2000, .n = 2000 },
	{ .what = "test-xenstore 'write 2000' via /dev/xen/xenbus",
	  .floor = "unix socket echo, same sizes",
	  .path = m_xs_write2000, .base = f_write2000, .n = 2000 },
	{ .what = "XenStore commit, another writer racing",
	  .floor = "XenStore commit, uncontended",
	  .path = m_commit_conflict, .base = m_commit_alone, .n = 300 },
	XS_TXN_ROWS
	{ .what = "event round trip via /dev/xen/evtchn",
	  .floor = "eventfd ping-pong, same two processes",
	  .path = m_evtchn_rtt, .base = m_eventfd_rtt, .n = 2000 },
	{ .what = "events one way via /dev/xen/evtchn",
	  .floor = "eventfd one way, same two processes",
	  .path = m_evtchn_oneway, .base = m_eventfd_oneway, .n = 2000 },
	{ .what = "pvclock read (shared_info via add_to_physmap)",
	  .floor = "clock_gettime(CLOCK_MONOTONIC), vDSO",
	  .path = m_pvclock, .base = m_vdso_clock, .n = 200000,
	  /* On Xen the remap moves the domU kernel's own shared_info (abi.md). */
	  .hv = true },
	{ .what = "HVMOP_flush_tlbs via /dev/xen/privcmd",
	  .floor = "bare ioctl + raw HvCallFlushVirtualAddressSpace",
	  .path = m_privcmd_flush, .base = m_ioctl_raw_flush, .n = 2000, .hv = true },
	{ .what = "root-partition round trip (hyperv-testdev)",
	  .floor = "kernel round trip, raw HvSignalEvent",
	  .path = m_root_rtt, .base = m_root_krtt, .n = 1000, .hv = true, .goal = 1.5 },
	/* No goal: the tool asks for the smallest rings (docs/benchmarks.md). */
	{ .what = "vchan-socket-proxy stream, per 64 KiB",
	  .floor = "unix socket stream, same two peers",
	  .path = m_vchan, .base = m_unix_stream, .n = 64, .maps = true },
	VCHAN_LIB_ROWS
	CURVE_ROWS
	{ .what = "GNTTABOP_copy via gntdev, per 64 KiB",
	  .floor = "memcpy of 64 KiB",
	  .path = m_grant_copy, .base = m_memcpy64k, .n = 2000, .goal = 1.25 },
	/* The same work minus the grants (docs/benchmarks.md says why both). */
	{ .what = "GNTTABOP_copy, 16 x 4 KiB, vs kernel copy",
	  .floor = "pread() of 64 KiB from tmpfs",
	  .path = m_grant_copy, .base = m_kcopy64k, .n = 2000, .goal = 1.25 },
	{ .what = "GNTTABOP_copy, 1 segment of 4 KiB",
	  .floor = "pread() of 4 KiB from tmpfs",
	  .path = m_grant_copy1, .base = m_kcopy4k, .n = 5000, .goal = 1.25 },
};

/* Whether this is a Xen PV domU (/sys/hypervisor/guest_type). */
static bool guest_is_pv(void)
{
	char type[16] = "";
	FILE *f = fopen("/sys/hypervisor/guest_type", "r");

	if (f) {
		if (!fgets(type, sizeof(type), f))
			type[0] = 0;
		fclose(f);
	}
	return !strcmp(type, "PV\n");
}

/* Does @what contain one of @list's comma-separated words? */
static bool picked(const char *what, const char *list)
{
	char word[64];
	size_t len;

	while (*list) {
		len = strcspn(list, ",");
		if (len && len < sizeof(word)) {
			memcpy(word, list, len);
			word[len] = 0;
			if (strstr(what, word))
				return true;
		}
		list += len + (list[len] == ',');
	}
	return false;
}

int main(void)
{
	const char *world = getenv("LAB_WORLD");
	const char *only = getenv("BENCH_ROWS");
	bool trace = getenv("BENCH_TRACE");
	bool xen = world && !strcmp(world, "xen");
	bool nomap;
	unsigned int r, i;
	unsigned long n;
	double p, b;

	/* In the Xen lab's domU the same rows run where their floor is plain Linux. */
	privcmd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	benchdev = xen ? -1 : open("/dev/xenhv_bench", O_RDWR | O_CLOEXEC);
	xc = xencall_open(NULL, 0);
	if (privcmd < 0 || (benchdev < 0 && !xen) || !xc) {
		fprintf(stderr, "bench: /dev/xen/privcmd, /dev/xenhv_bench or libxencall missing\n");
		return 1;
	}
	/* A PV domU maps its own grants; the Xen lab's PVH domU cannot (docs/lab.md). */
	nomap = xen && !guest_is_pv();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		rows[i].maps &= nomap;
	bench_evtchn_setup();
	if (!xen && bench_time_setup())
		return 1;
	/* BENCH_ROWS: only rows whose name contains one of its comma-separated words. */
	for (i = 0; only && i < sizeof(rows) / sizeof(rows[0]); i++)
		if (!picked(rows[i].what, only))
			rows[i].path = NULL;
	xs_test_dir_keep(true);
	/* Rounds interleave path and floor so drift hits both alike. */
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			if ((xen && (rows[i].hv || rows[i].maps)) || !rows[i].path)
				continue;
			/* BENCH_TRACE: which row runs, for a guest that dies in one. */
			if (trace)
				fprintf(stderr, "[trace] bench: round %u: %s\n", r, rows[i].what);
			/*
			 * A TCG Xen runs every operation emulated: a quarter of
			 * the count (the figures are per operation) keeps its
			 * boot within its limit.
			 */
			n = xen ? rows[i].n / 4 + 1 : rows[i].n;
			rows[i].path_ns[r] = rows[i].path(n);
			rows[i].base_ns[r] = rows[i].base(n);
		}
	}
	printf("[bench] %-44s %-40s %10s %10s %7s %7s %s\n", "path", "floor", "path ns",
	       "floor ns", "ratio", "goal", "verdict");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if ((xen && (rows[i].hv || rows[i].maps)) || !rows[i].path) {
			printf("[bench] %-44s %-40s %10s %10s %7s %7s %s\n", rows[i].what,
			       rows[i].floor, "n/a", "n/a", "n/a", "-",
			       xen && rows[i].maps && !rows[i].hv ? "xen-lab" : "-");
			continue;
		}
		qsort(rows[i].path_ns, ROUNDS, sizeof(double), cmp);
		qsort(rows[i].base_ns, ROUNDS, sizeof(double), cmp);
		p = rows[i].path_ns[ROUNDS / 2];
		b = rows[i].base_ns[ROUNDS / 2];
		/* Sorted: a round that failed (-1) is the first. */
		if (rows[i].path_ns[0] < 0 || rows[i].base_ns[0] < 0) {
			printf("[bench] %-44s %-40s %10s %10s %7s %7s %s\n", rows[i].what,
			       rows[i].floor, "failed", "failed", "n/a", "-", "failed");
			continue;
		}
		printf("[bench] %-44s %-40s %10.0f %10.0f %7.2f ", rows[i].what,
		       rows[i].floor, p, b, b > 0 ? p / b : 0);
		if (rows[i].goal > 0)
			printf("%7.2f %s\n", rows[i].goal,
			       b > 0 && p / b <= rows[i].goal ? "met" : "not-met");
		else
			printf("%7s %s\n", "-", "-");
	}
	printf("[bench] medians of %d interleaved rounds, one boot of the %s\n", ROUNDS,
	       !xen ? "nested Hyper-V lab" : nomap ? "Xen lab's PVH domU" : "Xen lab's PV domU");
	if (nomap)
		printf("# bench: rows marked xen-lab map a grant of the domU's own, which corrupts the Xen lab's PVH domU under TCG (docs/lab.md); a real Xen host would run them\n");
	xs_test_dir_keep(false);
	xencall_close(xc);
	return 0;
}
