// SPDX-License-Identifier: GPL-2.0
/* Pages shared with libxengntshr in one process, mapped with libxengnttab in another. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xen/grant_table.h>

#include "evtchn_wait.h"
#include "tap.h"

#define PAGES	4
#define PAGE	4096

static int domid = 1;

/* A byte pattern per page and seed, so every page's contents are its own. */
static uint8_t pattern(int page, int i, int seed)
{
	return (uint8_t)(page * 31 + i * 7 + seed);
}

static int check_pattern(const uint8_t *p, int seed)
{
	int pg, i;

	for (pg = 0; pg < PAGES; pg++)
		for (i = 0; i < PAGE; i++)
			if (p[pg * PAGE + i] != pattern(pg, i, seed))
				return 0;
	return 1;
}

static void fill(uint8_t *p, int seed)
{
	int pg, i;

	for (pg = 0; pg < PAGES; pg++)
		for (i = 0; i < PAGE; i++)
			p[pg * PAGE + i] = pattern(pg, i, seed);
}

/* The mapper: child process, maps the refs it is given, checks, writes back. */
static int mapper(int rd, int wr)
{
	uint32_t refs[PAGES], domids[PAGES];
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	uint8_t *p;
	char ok = 1;
	int i;

	if (!xgt || read(rd, refs, sizeof(refs)) != sizeof(refs))
		return 10;
	for (i = 0; i < PAGES; i++)
		domids[i] = domid;
	p = xengnttab_map_grant_refs(xgt, PAGES, domids, refs, PROT_READ | PROT_WRITE);
	CHECK(p != NULL, "another process maps the %d granted pages", PAGES);
	if (!p)
		return 11;
	CHECK(check_pattern(p, 1), "it reads exactly what the granter wrote, on every page");
	fill(p, 2);
	/* Tell the granter, wait for its answer. */
	if (write(wr, &ok, 1) != 1 || read(rd, &ok, 1) != 1)
		return 12;
	CHECK(check_pattern(p, 3), "it sees the granter's later write (same pages, no copies)");
	CHECK(xengnttab_unmap(xgt, p, PAGES) == 0, "xengnttab_unmap");
	xengnttab_close(xgt);
	return tap_failed ? 1 : 0;
}

static void test_share_map(void)
{
	xengntshr_handle *xgs = xengntshr_open(NULL, 0);
	int to_child[2], to_parent[2], status;
	uint32_t refs[PAGES];
	uint8_t *p;
	char c;
	pid_t pid;

	CHECK(xgs != NULL, "xengntshr_open opens /dev/xen/gntalloc");
	p = xengntshr_share_pages(xgs, domid, PAGES, refs, 1);
	CHECK(p != NULL, "xengntshr_share_pages shares %d pages (refs %u..)", PAGES, p ? refs[0] : 0);
	if (!p)
		return;
	CHECK(p[0] == 0 && !memcmp(p, p + 1, PAGES * PAGE - 1), "the shared pages start zeroed");
	CHECK(refs[0] >= 8, "refs start after the 8 Linux keeps for the toolstack");
	fill(p, 1);
	if (pipe(to_child) || pipe(to_parent))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(mapper(to_child[0], to_parent[1]));
	if (write(to_child[1], refs, sizeof(refs)) != sizeof(refs) ||
	    read(to_parent[0], &c, 1) != 1)
		CHECK(0, "talking to the mapper");
	CHECK(check_pattern(p, 2), "the granter sees what the mapper wrote");
	fill(p, 3);
	if (write(to_child[1], &c, 1) != 1)
		CHECK(0, "talking to the mapper");
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the mapper passed (status %#x)", status);
	CHECK(xengntshr_unshare(xgs, p, PAGES) == 0, "xengntshr_unshare");
	xengntshr_close(xgs);
}

/* A mapper that dies: its unmap notify clears a byte and sends an event. */
static void test_unmap_notify(void)
{
	xengntshr_handle *xgs = xengntshr_open(NULL, 0);
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	int sport, status, cport;
	uint32_t ref;
	uint8_t *p;
	pid_t pid;

	sport = xenevtchn_bind_unbound_port(xce, domid);
	p = xengntshr_share_pages(xgs, domid, 1, &ref, 1);
	p[100] = 0xaa;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		xengnttab_handle *xgt = xengnttab_open(NULL, 0);
		xenevtchn_handle *cxe = xenevtchn_open(NULL, 0);
		uint8_t *m;

		cport = xenevtchn_bind_interdomain(cxe, domid, sport);
		m = xengnttab_map_grant_ref_notify(xgt, domid, ref, PROT_READ | PROT_WRITE,
						   100, cport);
		if (!m)
			_exit(2);
		m[200] = 0x55;
		/* Die with the mapping in place. */
		kill(getpid(), SIGKILL);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status), "the mapper was killed with its mapping in place");
	CHECK(p[200] == 0x55, "what it wrote before dying is in the page");
	CHECK(p[100] == 0, "its death cleared the notify byte (gntdev UNMAP_NOTIFY_CLEAR_BYTE)");
	CHECK(next_event(xce, 2000) == sport, "... and sent the notify event (UNMAP_NOTIFY_SEND_EVENT)");
	xengntshr_unshare(xgs, p, 1);
	xenevtchn_close(xce);
	xengntshr_close(xgs);
}

/* The granter goes away first: its gntalloc notify tells the mapper. */
static void test_share_notify(void)
{
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	int to_parent[2], to_child[2], port, status, child_port = -1;
	uint32_t ref = 0;
	volatile uint8_t *m;
	pid_t pid;

	port = xenevtchn_bind_unbound_port(xce, domid);
	if (pipe(to_parent) || pipe(to_child))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		xengntshr_handle *xgs = xengntshr_open(NULL, 0);
		xenevtchn_handle *cxe = xenevtchn_open(NULL, 0);
		uint8_t *p;
		char c;

		child_port = xenevtchn_bind_interdomain(cxe, domid, port);
		p = xengntshr_share_page_notify(xgs, domid, &ref, 1, 7, child_port);
		if (!p)
			_exit(2);
		p[7] = 1;
		if (write(to_parent[1], &ref, sizeof(ref)) != sizeof(ref))
			_exit(3);
		/* Wait until the parent has mapped, then go. */
		if (read(to_child[0], &c, 1) != 1)
			_exit(4);
		_exit(0);
	}
	if (read(to_parent[0], &ref, sizeof(ref)) != sizeof(ref))
		CHECK(0, "the sharer's ref");
	m = xengnttab_map_grant_ref(xgt, domid, ref, PROT_READ);
	CHECK(m && m[7] == 1, "a read-only mapping of the sharer's page");
	if (write(to_child[1], "x", 1) != 1)
		CHECK(0, "talking to the sharer");
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the sharer exited");
	CHECK(m && m[7] == 0, "the sharer's exit cleared the notify byte in the still-mapped page");
	CHECK(next_event(xce, 2000) == port, "... and sent its notify event (gntalloc UNMAP_NOTIFY_SEND_EVENT)");
	CHECK(xengnttab_unmap(xgt, (void *)m, 1) == 0, "the mapper lets go of the page last");
	xenevtchn_close(xce);
	xengnttab_close(xgt);
}

/*
 * Many segments in one call (xenhv does them 16 at a time), one of them
 * failing, and a local buffer that cannot be written: each segment's
 * status is its own, and what came before a fault was copied.
 */
static void test_copy_batches(xengnttab_handle *xgt, uint8_t *granted, uint32_t ref)
{
	xengnttab_grant_copy_segment_t seg[40];
	static uint8_t out[40][100];
	uint8_t *ro, *two;
	int i, ok = 0, bad = 0;

	for (i = 0; i < 4000; i++)
		granted[i] = (uint8_t)(i * 7 + 3);
	memset(out, 0, sizeof(out));
	memset(seg, 0, sizeof(seg));
	for (i = 0; i < 40; i++) {
		seg[i].source.foreign.ref = i == 21 ? 40000 : ref;
		seg[i].source.foreign.domid = domid;
		seg[i].source.foreign.offset = i * 100;
		seg[i].dest.virt = out[i];
		seg[i].len = 100;
		seg[i].flags = GNTCOPY_source_gref;
	}
	CHECK(xengnttab_grant_copy(xgt, 40, seg) == 0, "grant copy of 40 segments in one call");
	for (i = 0; i < 40; i++) {
		if (i == 21)
			continue;
		ok += seg[i].status == GNTST_okay && !memcmp(out[i], granted + i * 100, 100);
	}
	CHECK(ok == 39 && seg[21].status == GNTST_bad_gntref,
	      "39 segments copied byte-exact, the one with a bad ref GNTST_bad_gntref (%d right, status %d)",
	      ok, seg[21].status);
	for (i = 0; i < 100; i++)
		bad += out[21][i] != 0;
	CHECK(bad == 0, "the failed segment wrote nothing (%d bytes changed)", bad);

	/* A destination the caller may not write: EFAULT, after what came before. */
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(out, 0, sizeof(out));
	seg[21].source.foreign.ref = ref;
	seg[1].dest.virt = ro;
	errno = 0;
	CHECK(ro != MAP_FAILED && xengnttab_grant_copy(xgt, 2, seg) == -1 && errno == EFAULT,
	      "a read-only destination: EFAULT (errno %d)", errno);
	CHECK_HV("Linux's gntdev drops what it gathered (abi.md#conf-copy-fault)",
		 seg[0].status == GNTST_okay && !memcmp(out[0], granted, 100),
		 "and the segment before it was copied (status %d)", seg[0].status);
	CHECK_HV("Linux's gntdev leaves GNTST_okay there (abi.md#conf-copy-fault)",
		 seg[1].status == GNTST_bad_virt_addr,
		 "the segment at the fault says GNTST_bad_virt_addr (status %d)", seg[1].status);
	/* A destination that runs from a writable page into a read-only one. */
	two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	seg[0].dest.virt = two + 4096 - 50;
	errno = 0;
	CHECK(two != MAP_FAILED && mprotect(two + 4096, 4096, PROT_READ) == 0 &&
	      xengnttab_grant_copy(xgt, 1, seg) == -1 && errno == EFAULT,
	      "a destination running into a read-only page: EFAULT (errno %d)", errno);
	CHECK_HV("Linux's gntdev drops what it gathered (abi.md#conf-copy-fault)",
		 two != MAP_FAILED && !memcmp(two + 4096 - 50, granted, 50),
		 "and its writable part was copied");
	munmap(two, 8192);
	munmap(ro, 4096);
}

/* GNTTABOP_copy through gntdev, between a granted page and local buffers. */
static void test_grant_copy(void)
{
	xengntshr_handle *xgs = xengntshr_open(NULL, 0);
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	xengnttab_grant_copy_segment_t seg[2];
	uint8_t *p, buf[6000], out[3000];
	uint32_t ref;
	int i;

	p = xengntshr_share_pages(xgs, domid, 1, &ref, 1);
	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 13);
	/* Local -> grant: 3000 bytes from a buffer that may cross a page. */
	memset(seg, 0, sizeof(seg));
	seg[0].source.virt = buf + 1500;
	seg[0].dest.foreign.ref = ref;
	seg[0].dest.foreign.domid = domid;
	seg[0].dest.foreign.offset = 1000;
	seg[0].len = 3000;
	seg[0].flags = GNTCOPY_dest_gref;
	/* Grant -> local: the same bytes back. */
	seg[1].source.foreign.ref = ref;
	seg[1].source.foreign.domid = domid;
	seg[1].source.foreign.offset = 1000;
	seg[1].dest.virt = out;
	seg[1].len = 3000;
	seg[1].flags = GNTCOPY_source_gref;
	CHECK(xengnttab_grant_copy(xgt, 2, seg) == 0, "xengnttab_grant_copy of two segments");
	CHECK(seg[0].status == GNTST_okay && seg[1].status == GNTST_okay, "both segments GNTST_okay");
	CHECK(!memcmp(p + 1000, buf + 1500, 3000), "the bytes landed in the granted page at the offset");
	CHECK(!memcmp(out, buf + 1500, 3000), "and came back into the local buffer");
	seg[0].dest.foreign.ref = 40000;
	CHECK(xengnttab_grant_copy(xgt, 1, seg) == 0 && seg[0].status == GNTST_bad_gntref,
	      "a ref past the table: status GNTST_bad_gntref");
	seg[0].dest.foreign.ref = ref;
	seg[0].dest.foreign.domid = 77;
	CHECK(xengnttab_grant_copy(xgt, 1, seg) == 0 && seg[0].status == GNTST_bad_domain,
	      "another domain's grant: status GNTST_bad_domain");
	seg[0].dest.foreign.domid = domid;
	seg[0].dest.foreign.offset = 2000;
	CHECK(xengnttab_grant_copy(xgt, 1, seg) == -1 && errno == EINVAL,
	      "offset + len past the page: EINVAL, as Linux's gntdev");
	test_copy_batches(xgt, p, ref);
	xengntshr_unshare(xgs, p, 1);
	seg[0].dest.foreign.offset = 0;
	CHECK(xengnttab_grant_copy(xgt, 1, seg) == 0 && seg[0].status == GNTST_general_error,
	      "a revoked grant: status GNTST_general_error");
	xengnttab_close(xgt);
	xengntshr_close(xgs);
}

int main(int argc, char **argv)
{
	tap_prog = "gnt_share";
	if (argc > 1)
		domid = atoi(argv[1]);
	if (tap_maps_grants("a granted page shared and mapped by another process"))
		test_share_map();
	if (tap_maps_grants("gntdev's unmap notify when its mapper dies"))
		test_unmap_notify();
	if (tap_maps_grants("gntalloc's unmap notify when its sharer exits"))
		test_share_notify();
	test_grant_copy();
	return tap_failed ? 1 : 0;
}
