/* SPDX-License-Identifier: GPL-2.0 */
/* Grant benchmark rows: vchan against a unix socket, GNTTABOP_copy against memcpy and the kernel's copy. */
#ifndef XENHV_BENCH_GRANT_ROWS_H
#define XENHV_BENCH_GRANT_ROWS_H

#include <sys/mman.h>
#include <xengnttab.h>
#include <xen/grant_table.h>

#define BENCH_BLOCK	65536	/* one measured operation: 64 KiB moved */

/* Runs a shell line, returns its wall time in ns (or -1 if it failed). */
static double timed_sh(const char *cmd)
{
	uint64_t t0 = now_ns();

	return system(cmd) == 0 ? (double)(now_ns() - t0) : -1;
}

/*
 * @n blocks from one stream peer to another (tests/progs/vchan_peer, which
 * checks every byte): through vchan-socket-proxy's server and client, or
 * over one unix socket (the floor). ns per 64 KiB.
 */
static double stream(unsigned long n, bool vchan)
{
	static unsigned int run;
	char cmd[1024];
	double ns;

	run++;
	if (vchan)
		snprintf(cmd, sizeof(cmd),
			 "P=/progs/vchan_peer; N=%lu; S=/tmp/bv-s%u.sock; C=/tmp/bv-c%u.sock; "
			 "$P listen $S 1 0 7 $N rx > /dev/null & r=$!; "
			 "vchan-socket-proxy -m server %d data/bench-v%u $S > /dev/null 2>&1 & s=$!; "
			 "vchan-socket-proxy -m client %d data/bench-v%u $C > /dev/null 2>&1 & c=$!; "
			 "$P connect $C 7 $N 1 0 tx > /dev/null; wait $r; rc=$?; "
			 "kill $s $c 2> /dev/null; wait $s $c 2> /dev/null; exit $rc",
			 n * BENCH_BLOCK, run, run, bench_domid, run, bench_domid, run);
	else
		snprintf(cmd, sizeof(cmd),
			 "P=/progs/vchan_peer; N=%lu; S=/tmp/bu%u.sock; "
			 "$P listen $S 1 0 7 $N rx > /dev/null & r=$!; "
			 "$P connect $S 7 $N 1 0 tx > /dev/null; wait $r",
			 n * BENCH_BLOCK, run);
	ns = timed_sh(cmd);
	return ns < 0 ? -1 : ns / n;
}

static double m_vchan(unsigned long n) { return stream(n, true); }
static double m_unix_stream(unsigned long n) { return stream(n, false); }

/*
 * GNTTABOP_copy through gntdev: @nseg granted pages into a local buffer,
 * 4 KiB a segment, in one call. ns per call.
 */
static double grant_copy(unsigned long n, unsigned int nseg)
{
	xengntshr_handle *xgs = xengntshr_open(NULL, 0);
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	xengnttab_grant_copy_segment_t seg[16];
	static uint8_t buf[16][4096];
	uint32_t refs[16];
	unsigned long i = 0, k;
	uint64_t t0 = 0;
	void *p = NULL;

	if (xgs)
		p = xengntshr_share_pages(xgs, bench_domid, nseg, refs, 1);
	if (!p || !xgt)
		goto out;
	memset(seg, 0, sizeof(seg));
	for (k = 0; k < nseg; k++) {
		seg[k].source.foreign.ref = refs[k];
		seg[k].source.foreign.domid = bench_domid;
		seg[k].dest.virt = buf[k];
		seg[k].len = 4096;
		seg[k].flags = GNTCOPY_source_gref;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (xengnttab_grant_copy(xgt, nseg, seg) || seg[nseg - 1].status)
			break;
	t0 = now_ns() - t0;
out:
	if (p)
		xengntshr_unshare(xgs, p, nseg);
	if (xgs)
		xengntshr_close(xgs);
	if (xgt)
		xengnttab_close(xgt);
	return p && i == n ? (double)t0 / n : -1;
}

static double m_grant_copy(unsigned long n) { return grant_copy(n, 16); }
static double m_grant_copy1(unsigned long n) { return grant_copy(n, 1); }

/*
 * The kernel's own copy into user memory: one pread() of @len bytes of a
 * file in tmpfs (a syscall and page-cache pages copied out, the work of a
 * grant copy without the grants).
 */
static double kernel_copy(unsigned long n, size_t len)
{
	static uint8_t buf[BENCH_BLOCK];
	char path[] = "/tmp/bench-kcopy.XXXXXX";
	int fd = mkstemp(path);
	unsigned long i = 0;
	uint64_t t0 = 0;

	if (fd < 0)
		return -1;
	unlink(path);
	memset(buf, 0x5a, sizeof(buf));
	if (write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf)) {
		t0 = now_ns();
		for (i = 0; i < n; i++)
			if (pread(fd, buf, len, 0) != (ssize_t)len)
				break;
		t0 = now_ns() - t0;
	}
	close(fd);
	return t0 && i == n ? (double)t0 / n : -1;
}

static double m_kcopy64k(unsigned long n) { return kernel_copy(n, BENCH_BLOCK); }
static double m_kcopy4k(unsigned long n) { return kernel_copy(n, 4096); }

/* The floor: memcpy of the same 64 KiB from a shared mapping. */
static double m_memcpy64k(unsigned long n)
{
	static uint8_t src[BENCH_BLOCK], dst[BENCH_BLOCK];
	unsigned long i;
	uint64_t t0;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		memcpy(dst, src, sizeof(dst));
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	return (double)(now_ns() - t0) / n;
}

#endif
