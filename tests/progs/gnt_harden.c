// SPDX-License-Identifier: GPL-2.0
/* Grant lifetime under attack: a mapper racing a failing ALLOC_GREF, huge maps, vmsplice. */
#define _GNU_SOURCE
#define __XEN_TOOLS__ 1
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <xen/xen.h>
#include <xen/sys/gntalloc.h>
#include <xen/sys/gntdev.h>

#include "tap.h"

#define PAGE	4096

static int domid;

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

static void unmap_ref(int fd, uint64_t index)
{
	struct ioctl_gntdev_unmap_grant_ref u = { .index = index, .count = 1 };

	ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
}

/* A read-only gntdev mapping of @ref, or NULL; *idx is its gntdev offset. */
static void *map_one(int gd, uint32_t ref, uint64_t *idx)
{
	void *p;

	if (map_ref(gd, ref, idx))
		return NULL;
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, *idx);
	if (p != MAP_FAILED)
		return p;
	unmap_ref(gd, *idx);
	return NULL;
}

struct racer {
	int gd;
	uint32_t ref;
	volatile int stop, spinning;
	void *got;
	uint64_t idx;
};

/* Maps @ref the moment it becomes valid, and keeps the mapping. */
static void *mapper(void *arg)
{
	struct racer *r = arg;

	while (!r->stop) {
		r->spinning = 1;
		r->got = map_one(r->gd, r->ref, &r->idx);
		if (r->got)
			break;
	}
	return NULL;
}

/*
 * ALLOC_GREF of @left + 1 pages when only @left refs are free: the batch
 * fails at its last grant and undoes the others, one of which (@first,
 * its first) a gntdev user mapped meanwhile. That ref must stay valid, on
 * its page, until the mapping goes, and then be revoked for good.
 */
static void test_undo(uint32_t first, unsigned int left)
{
	struct ioctl_gntalloc_alloc_gref *a;
	int ga = open("/dev/xen/gntalloc", O_RDWR);
	int gd = open("/dev/xen/gntdev", O_RDWR);
	struct racer r = { .gd = gd, .ref = first };
	pthread_t t;
	uint64_t idx;
	int attempt, rc = 0, err = 0, i;
	uint8_t *p;

	CHECK(ga >= 0 && gd >= 0, "open gntalloc and gntdev");
	a = calloc(1, sizeof(*a) + (left + 1) * sizeof(uint32_t));
	for (attempt = 0; attempt < 20 && !r.got; attempt++) {
		r.stop = 0;
		r.spinning = 0;
		pthread_create(&t, NULL, mapper, &r);
		while (!r.spinning)
			;
		a->domid = domid;
		a->flags = GNTALLOC_FLAG_WRITABLE;
		a->count = left + 1;
		errno = 0;
		rc = ioctl(ga, IOCTL_GNTALLOC_ALLOC_GREF, a);
		err = errno;
		r.stop = 1;
		pthread_join(t, NULL);
		if (rc == 0)
			break;
	}
	CHECK(rc == -1 && err == ENOSPC,
	      "ALLOC_GREF of %u pages with %u refs free: ENOSPC (attempt %d)",
	      left + 1, left, attempt);
	CHECK(r.got != NULL, "a gntdev mapper pinned ref %u before the batch was undone",
	      first);
	if (!r.got)
		return;
	p = r.got;
	for (i = 0; i < PAGE && !p[i]; i++)
		;
	CHECK(i == PAGE, "the pinned page still reads as the zeroed page it was");
	munmap(r.got, PAGE);
	unmap_ref(gd, r.idx);
	/* The ref was kept for the mapper; with it gone it is revoked (retried each second). */
	for (i = 0; i < 40; i++) {
		p = map_one(gd, first, &idx);
		if (!p)
			break;
		munmap(p, PAGE);
		unmap_ref(gd, idx);
		usleep(100 * 1000);
	}
	CHECK(!p, "once the mapper let go, ref %u is revoked: a new map fails", first);
	free(a);
	close(gd);
	close(ga);
}

/* A mapping too large to describe: refused plainly, nothing allocated for it. */
static void test_hugemap(void)
{
	int ga = open("/dev/xen/gntalloc", O_RDWR);
	size_t len;
	void *p;

	for (len = 1UL << 33; len <= 1UL << 44; len <<= 11) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, ga, 0);
		CHECK(p == MAP_FAILED && errno == ENOENT,
		      "a %zu GiB gntalloc mapping with nothing allocated: ENOENT", len >> 30);
		if (p != MAP_FAILED)
			munmap(p, len);
	}
	close(ga);
}

/*
 * vmsplice would keep a reference to a granted page in a pipe after the
 * mapping and the grant are gone: gntdev's mappings cannot be pinned.
 */
static void test_vmsplice(void)
{
	struct ioctl_gntalloc_alloc_gref a = {
		.domid = domid, .flags = GNTALLOC_FLAG_WRITABLE, .count = 1,
	};
	int ga = open("/dev/xen/gntalloc", O_RDWR);
	int gd = open("/dev/xen/gntdev", O_RDWR);
	struct iovec iov;
	uint64_t idx;
	int pfd[2];
	uint8_t *m, *g;
	ssize_t n;

	CHECK(ioctl(ga, IOCTL_GNTALLOC_ALLOC_GREF, &a) == 0, "one grant for the splice test");
	g = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ga, a.index);
	m = map_one(gd, a.gref_ids[0], &idx);
	CHECK(g != MAP_FAILED && m, "granted and mapped through gntdev");
	if (g == MAP_FAILED || !m)
		return;
	memset(g, 0x42, PAGE);
	CHECK(m[0] == 0x42 && m[PAGE - 1] == 0x42, "the gntdev mapping sees the granter's page");
	CHECK(pipe(pfd) == 0, "a pipe");
	iov.iov_base = m;
	iov.iov_len = PAGE;
	errno = 0;
	n = vmsplice(pfd[1], &iov, 1, 0);
	CHECK(n == -1 && errno == EFAULT, "vmsplice of the gntdev mapping into a pipe: EFAULT (got %zd)",
	      n);
	munmap(m, PAGE);
	unmap_ref(gd, idx);
	close(pfd[0]);
	close(pfd[1]);
	munmap(g, PAGE);
	close(gd);
	close(ga);
}

int main(int argc, char **argv)
{
	tap_prog = "gnt_harden";
	if (argc == 5 && !strcmp(argv[1], "undo")) {
		domid = atoi(argv[2]);
		test_undo(strtoul(argv[3], NULL, 0), atoi(argv[4]));
	} else if (argc == 2 && !strcmp(argv[1], "hugemap")) {
		test_hugemap();
	} else if (argc == 3 && !strcmp(argv[1], "vmsplice")) {
		domid = atoi(argv[2]);
		test_vmsplice();
	} else {
		fprintf(stderr, "usage: gnt_harden undo DOMID FIRST_FREE_REF LEFT | hugemap | vmsplice DOMID\n");
		return 2;
	}
	return tap_failed ? 1 : 0;
}
