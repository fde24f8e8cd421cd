// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/gntalloc and /dev/xen/gntdev misuse, and grant_table_op through libxencall. */
#define _GNU_SOURCE
#define __XEN_TOOLS__ 1
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <xencall.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/sys/gntalloc.h>
#include <xen/sys/gntdev.h>

#include "tap.h"

#define PAGE	4096

static int domid = 1;
static void *volatile bad_ptr = (void *)8;

/* One gntalloc page, writable, for domain @domid: its ref and file offset. */
static int alloc_one(int fd, uint32_t *ref, uint64_t *index)
{
	struct ioctl_gntalloc_alloc_gref a = {
		.domid = domid, .flags = GNTALLOC_FLAG_WRITABLE, .count = 1,
	};
	int rc = ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &a);

	*ref = a.gref_ids[0];
	*index = a.index;
	return rc;
}

static int map_ref(int fd, uint32_t ref, uint64_t *index)
{
	struct ioctl_gntdev_map_grant_ref m = { .count = 1 };
	int rc;

	m.refs[0].domid = domid;
	m.refs[0].ref = ref;
	rc = ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m);
	*index = m.index;
	return rc;
}

static int unmap_ref(int fd, uint64_t index, uint32_t count)
{
	struct ioctl_gntdev_unmap_grant_ref u = { .index = index, .count = count };

	return ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
}

static void test_gntalloc(void)
{
	struct ioctl_gntalloc_alloc_gref a = { .domid = domid, .count = 2000 };
	struct ioctl_gntalloc_dealloc_gref d;
	struct ioctl_gntalloc_unmap_notify n = { 0 };
	int fd = open("/dev/xen/gntalloc", O_RDWR);
	uint64_t index;
	uint32_t ref;
	void *p;

	CHECK(fd >= 0, "open /dev/xen/gntalloc");
	CHECK_ERR(ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &a), ENOSPC,
		  "2000 grants at once (the limit is 1024): ENOSPC");
	CHECK_ERR(ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, bad_ptr), EFAULT, "a bad argument: EFAULT");
	CHECK(alloc_one(fd, &ref, &index) == 0, "one grant (ref %u, offset %llu)", ref,
	      (unsigned long long)index);
	CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, index) == MAP_FAILED &&
	      errno == EINVAL, "a private mapping of a shared page: EINVAL");
	CHECK(mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, index) == MAP_FAILED &&
	      errno == ENOENT, "mapping more pages than were allocated: ENOENT");
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, index + 64 * PAGE) == MAP_FAILED &&
	      errno == ENOENT, "mapping an offset nothing was allocated at: ENOENT");
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, index);
	CHECK(p != MAP_FAILED, "a shared mapping of it");
	n.index = index + 5;
	n.action = 4;
	CHECK_ERR(ioctl(fd, IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, &n), EINVAL, "an unknown notify action: EINVAL");
	n.action = UNMAP_NOTIFY_SEND_EVENT;
	n.event_channel_port = 4000;
	CHECK_ERR(ioctl(fd, IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, &n), EINVAL,
		  "notify through an event channel nobody bound: EINVAL");
	n.index = index + 64 * PAGE;
	n.action = UNMAP_NOTIFY_CLEAR_BYTE;
	CHECK_ERR(ioctl(fd, IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, &n), ENOENT,
		  "notify for an offset nothing was allocated at: ENOENT");
	d.index = index + PAGE;
	d.count = 1;
	CHECK_ERR(ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d), EINVAL, "dealloc of a wrong offset: EINVAL");
	d.index = index;
	d.count = 0;
	CHECK_ERR(ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d), EINVAL, "dealloc of 0 grants: EINVAL");
	d.count = 1;
	CHECK(ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d) == 0, "dealloc while mapped succeeds");
	memset(p, 0x5a, PAGE);
	CHECK(((uint8_t *)p)[PAGE - 1] == 0x5a, "the mapping stays usable after dealloc");
	CHECK_ERR(ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d), EINVAL, "a second dealloc: EINVAL");
	CHECK(munmap(p, PAGE) == 0, "munmap frees it");
	CHECK_ERR(ioctl(fd, 0x1234, 0), ENOTTY, "an unknown ioctl: ENOTTY");
	close(fd);
}

static void test_gntdev(void)
{
	struct ioctl_gntdev_map_grant_ref m0 = { .count = 0 };
	struct ioctl_gntdev_get_offset_for_vaddr o;
	struct ioctl_gntdev_unmap_notify n = { 0 };
	int ga = open("/dev/xen/gntalloc", O_RDWR), gd = open("/dev/xen/gntdev", O_RDWR);
	uint64_t aidx, idx, idx2;
	uint32_t ref;
	uint8_t *a, *m;
	pid_t pid;
	int status;

	CHECK(gd >= 0, "open /dev/xen/gntdev");
	alloc_one(ga, &ref, &aidx);
	a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ga, aidx);
	CHECK_ERR(ioctl(gd, IOCTL_GNTDEV_MAP_GRANT_REF, &m0), EINVAL, "MAP_GRANT_REF of 0 grants: EINVAL");
	m0.count = 100000;
	CHECK_ERR(ioctl(gd, IOCTL_GNTDEV_MAP_GRANT_REF, &m0), EINVAL,
		  "MAP_GRANT_REF of 100000 grants (limit 65536): EINVAL");

	/* A bad ref is accepted by the ioctl and refused at mmap, as in Linux. */
	CHECK(map_ref(gd, 30000, &idx) == 0, "MAP_GRANT_REF of a ref nobody granted is recorded");
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx) == MAP_FAILED && errno == EINVAL,
	      "... and its mmap fails: EINVAL");
	CHECK(unmap_ref(gd, idx, 1) == 0, "UNMAP_GRANT_REF of it");
	CHECK_ERR(unmap_ref(gd, idx, 1), ENOENT, "a second UNMAP_GRANT_REF: ENOENT");

	CHECK(map_ref(gd, ref, &idx) == 0, "MAP_GRANT_REF of a real grant");
	CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, gd, idx) == MAP_FAILED &&
	      errno == EINVAL, "a private writable mapping: EINVAL");
	CHECK(mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, gd, idx) == MAP_FAILED && errno == EINVAL,
	      "a mapping of the wrong size: EINVAL");
	m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gd, idx);
	CHECK(m != MAP_FAILED, "a shared writable mapping");
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx) == MAP_FAILED && errno == EINVAL,
	      "mapping the same grant map twice: EINVAL");
	m[10] = 42;
	CHECK(a[10] == 42, "a write through gntdev shows in the granter's page");
	o.vaddr = (uintptr_t)m + 100;
	CHECK(ioctl(gd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &o) == 0 && o.offset == idx && o.count == 1,
	      "GET_OFFSET_FOR_VADDR finds the map");
	o.vaddr = (uintptr_t)a;
	CHECK_ERR(ioctl(gd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &o), EINVAL,
		  "GET_OFFSET_FOR_VADDR of memory gntdev did not map: EINVAL");
	n.index = idx + 5;
	n.action = 8;
	CHECK_ERR(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), EINVAL, "an unknown notify action: EINVAL");
	n.index = idx + 64 * PAGE;
	n.action = UNMAP_NOTIFY_CLEAR_BYTE;
	CHECK_ERR(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), ENOENT,
		  "notify for an offset no map covers: ENOENT");

	/* The granter cannot take the page back from under a mapper. */
	{
		struct ioctl_gntalloc_dealloc_gref d = { .index = aidx, .count = 1 };

		munmap(a, PAGE);
		CHECK(ioctl(ga, IOCTL_GNTALLOC_DEALLOC_GREF, &d) == 0, "the granter deallocs while mapped");
		m[11] = 7;
		CHECK(m[10] == 42 && m[11] == 7, "the mapper's page is still there and the same");
	}

	/* Unmap while mmapped: the ioctl succeeds, the mapping lives until munmap. */
	CHECK(unmap_ref(gd, idx, 1) == 0, "UNMAP_GRANT_REF while mmapped succeeds");
	CHECK(m[10] == 42, "the mapping still reads the page");
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(m[10] == 42 ? 0 : 1);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child sees the mapping too");
	CHECK(munmap(m, PAGE) == 0, "munmap lets the grant go");

	/* Read-only maps stay read-only. */
	alloc_one(ga, &ref, &aidx);
	map_ref(gd, ref, &idx2);
	m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx2);
	CHECK(m != MAP_FAILED && mprotect(m, PAGE, PROT_READ | PROT_WRITE) == -1 && errno == EACCES,
	      "a read-only grant mapping cannot be made writable: EACCES");
	n.index = idx2;
	n.action = UNMAP_NOTIFY_CLEAR_BYTE;
	CHECK_ERR(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), EINVAL,
		  "a clear-byte notify on a read-only map: EINVAL");
	munmap(m, PAGE);
	CHECK_ERR(ioctl(gd, IOCTL_GNTDEV_SET_MAX_GRANTS, &n), ENOTTY,
		  "SET_MAX_GRANTS: ENOTTY, as in Linux 6.1 (libxengnttab ignores it)");
	close(gd);
	close(ga);
}

/* Exit with live mappings and grants: everything is let go. */
static void test_exit_with_mappings(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int ga = open("/dev/xen/gntalloc", O_RDWR), gd = open("/dev/xen/gntdev", O_RDWR);
		uint64_t aidx, idx;
		uint32_t ref;
		void *a, *m;

		alloc_one(ga, &ref, &aidx);
		a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ga, aidx);
		map_ref(gd, ref, &idx);
		m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gd, idx);
		_exit(a != MAP_FAILED && m != MAP_FAILED ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a process exits holding grants and mappings of them");
}

static int gnt_op(xencall_handle *xc, int cmd, void *arg, size_t size, int count)
{
	void *buf = xencall_alloc_buffer(xc, size);
	int rc;

	memcpy(buf, arg, size);
	rc = xencall3(xc, __HYPERVISOR_grant_table_op, cmd, (uintptr_t)buf, count);
	memcpy(arg, buf, size);
	xencall_free_buffer(xc, buf);
	return rc;
}

static void test_hypercalls(void)
{
	xencall_handle *xc = xencall_open(NULL, 0);
	struct gnttab_query_size qs = { .dom = DOMID_SELF };
	struct gnttab_set_version sv = { .version = 2 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	struct gnttab_get_status_frames sf = { .dom = DOMID_SELF };
	struct gnttab_map_grant_ref mp = { .dom = DOMID_SELF, .ref = 8, .flags = GNTMAP_host_map };
	struct gnttab_copy cp = { 0 };

	CHECK(gnt_op(xc, GNTTABOP_query_size, &qs, sizeof(qs), 1) == 0 && qs.status == GNTST_okay &&
	      qs.max_nr_frames == 64 && qs.nr_frames >= 1,
	      "query_size: %u frames of at most 64", qs.nr_frames);
	qs.dom = 77;
	CHECK(gnt_op(xc, GNTTABOP_query_size, &qs, sizeof(qs), 1) == 0 && qs.status == GNTST_bad_domain,
	      "query_size of another domain: GNTST_bad_domain");
	CHECK_ERR(gnt_op(xc, GNTTABOP_query_size, &qs, sizeof(qs), 2), EINVAL, "query_size with count 2: EINVAL");
	/* On Xen these would change or overwrite what the domU's kernel owns. */
	if (tap_hv_run("Xen offers v2, and switching a live domU's table is its kernel's business (abi.md#conf-gnttab-v2)",
		       "set_version 2: ENOSYS (v2 not offered)")) {
		CHECK_ERR(gnt_op(xc, GNTTABOP_set_version, &sv, sizeof(sv), 1), ENOSYS,
			  "set_version 2: ENOSYS (v2 not offered)");
		CHECK(sv.version == 1, "... and the version written back is 1");
	}
	sv.version = 3;
	CHECK_ERR(gnt_op(xc, GNTTABOP_set_version, &sv, sizeof(sv), 1), EINVAL, "set_version 3: EINVAL");
	sv.version = 1;
	CHECK(gnt_op(xc, GNTTABOP_set_version, &sv, sizeof(sv), 1) == 0, "set_version 1");
	CHECK(gnt_op(xc, GNTTABOP_get_version, &gv, sizeof(gv), 1) == 0 && gv.version == 1, "get_version: 1");
	CHECK_ERR(gnt_op(xc, GNTTABOP_get_status_frames, &sf, sizeof(sf), 1), ENOSYS,
		  "get_status_frames: ENOSYS (not among Xen's grant ops for HVM guests)");
	if (tap_hv_run("on Xen it maps the grant over the domU's own frame host_addr (abi.md#conf-gnttab-raw)",
		       "map_grant_ref as a hypercall: GNTST_general_error (gntdev maps)"))
		CHECK(gnt_op(xc, GNTTABOP_map_grant_ref, &mp, sizeof(mp), 1) == 0 &&
		      mp.status == GNTST_general_error,
		      "map_grant_ref as a hypercall: GNTST_general_error (gntdev maps)");
	cp.source.domid = domid;
	cp.source.u.gmfn = 1;
	cp.dest.domid = DOMID_SELF;
	cp.len = 8;
	CHECK(gnt_op(xc, GNTTABOP_copy, &cp, sizeof(cp), 1) == 0 && cp.status == GNTST_permission_denied,
	      "copy naming a frame by numeric domid, not DOMID_SELF: GNTST_permission_denied");
	cp.source.domid = DOMID_SELF;
	cp.source.u.gmfn = 1;
	cp.dest.domid = DOMID_SELF;
	cp.dest.u.gmfn = 2;
	cp.len = 8;
	if (tap_hv_run("on Xen it copies between the domU's own frames, its kernel's memory (abi.md#conf-gnttab-raw)",
		       "copy between raw frames from userspace: GNTST_permission_denied"))
		CHECK(gnt_op(xc, GNTTABOP_copy, &cp, sizeof(cp), 1) == 0 &&
		      cp.status == GNTST_permission_denied,
		      "copy between raw frames from userspace: GNTST_permission_denied");
	cp.len = 4097;
	CHECK(gnt_op(xc, GNTTABOP_copy, &cp, sizeof(cp), 1) == 0 && cp.status == GNTST_bad_copy_arg,
	      "copy longer than a page: GNTST_bad_copy_arg");
	CHECK_ERR(gnt_op(xc, GNTTABOP_transfer, &cp, sizeof(cp), 1), ENOSYS, "transfer: ENOSYS");
	xencall_close(xc);
}

/* A grant to domain 0 (the root partition) is made, and the guest cannot map it. */
static void test_root_grant(void)
{
	struct ioctl_gntalloc_alloc_gref a = { .domid = 0, .count = 1 };
	int ga = open("/dev/xen/gntalloc", O_RDWR), gd = open("/dev/xen/gntdev", O_RDWR);
	uint64_t idx;

	CHECK(ioctl(ga, IOCTL_GNTALLOC_ALLOC_GREF, &a) == 0, "a grant to domain 0 is made (ref %u)",
	      a.gref_ids[0]);
	CHECK(map_ref(gd, a.gref_ids[0], &idx) == 0 &&
	      mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx) == MAP_FAILED && errno == EINVAL,
	      "the guest itself cannot map it (granted to another domain): EINVAL");
	close(gd);
	close(ga);
}

/* Holds a granted page mapped through gntdev until stdin closes. */
static int hold(void)
{
	int ga = open("/dev/xen/gntalloc", O_RDWR), gd = open("/dev/xen/gntdev", O_RDWR);
	uint64_t aidx, idx;
	uint32_t ref;
	char c;

	if (alloc_one(ga, &ref, &aidx) || map_ref(gd, ref, &idx) ||
	    mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gd, idx) == MAP_FAILED)
		return 1;
	/* The files are closed: only the mapping holds the module now. */
	close(gd);
	close(ga);
	printf("mapped\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	tap_prog = "gnt_abi";
	if (argc > 1 && !strcmp(argv[1], "hold"))
		return hold();
	if (argc > 1)
		domid = atoi(argv[1]);
	test_gntalloc();
	if (tap_maps_grants("gntdev's map, unmap and misuse"))
		test_gntdev();
	if (tap_maps_grants("an exit with grant mappings in place"))
		test_exit_with_mappings();
	test_root_grant();
	test_hypercalls();
	return tap_failed ? 1 : 0;
}
