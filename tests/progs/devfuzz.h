/* SPDX-License-Identifier: GPL-2.0 */
/* devfuzz's value and pointer generators: boundary values, live handles, bad and live addresses. */
#ifndef XENHV_DEVFUZZ_H
#define XENHV_DEVFUZZ_H

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE		4096
#define NFD		16
#define NMAP		16
#define NPOOL		32

/* One worker's view: its files, mappings and the handles the kernel gave it. */
struct fz {
	uint64_t rng;
	int fd[NFD], kind[NFD];
	struct { unsigned char *addr; size_t len; int kind; } map[NMAP];
	uint32_t port[NPOOL], gref[NPOOL], txid[NPOOL];
	uint64_t index[NPOOL];
	unsigned int nport, ngref, ntxid, nindex;
	unsigned char *scratch;	/* 4 pages read-write, then a PROT_NONE page */
	unsigned char *text;	/* one page of letters (console_io) */
	unsigned char *freed;	/* an address that was mapped and is not */
};

static uint64_t rnd(struct fz *f)
{
	/* xorshift64*: small, and one seed gives one sequence. */
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545F4914F6CDD1DULL;
}

static unsigned int below(struct fz *f, unsigned int n)
{
	return n ? (unsigned int)(rnd(f) % n) : 0;
}

#define pool_add(f, arr, n, v) do {					\
	(f)->arr[(f)->n % NPOOL] = (v);					\
	(f)->n++;							\
} while (0)
#define pool_pick(f, arr, n) \
	((f)->n ? (f)->arr[below(f, (f)->n < NPOOL ? (f)->n : NPOOL)] : (uint64_t)below(f, 8))

static const uint64_t boundary[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 1023, 1024,
	4095, 4096, 4097, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7ff0, 0x7ff1, 0x7ff2,
	0x7ff4, 0x7ff5, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
	0xfffffffffffffffeULL, 0xffffffffffffffffULL,
};

/*
 * Xen's sched_op hypercall number: never produced as a value, so random
 * memory read as a multicall list cannot shut the guest down.
 */
#define FZ_SCHED_OP	29

static uint64_t val(struct fz *f)
{
	uint64_t v;

	switch (below(f, 8)) {
	case 0: case 1:
		v = boundary[below(f, sizeof(boundary) / sizeof(boundary[0]))];
		break;
	case 2:
		v = below(f, 64);
		break;
	case 3:
		v = pool_pick(f, port, nport);
		break;
	case 4:
		v = pool_pick(f, gref, ngref);
		break;
	case 5:
		v = pool_pick(f, index, nindex);
		break;
	case 6:
		v = rnd(f);
		break;
	default:
		v = (uint64_t[]){ 0, 1, 2, 0x7ff0, 0x7ff2, 0x7ff4 }[below(f, 6)];
	}
	return v == FZ_SCHED_OP ? 0 : v;
}

/* A live or dead address (for pointers and for address fields alike). */
static void *ptr(struct fz *f, size_t len)
{
	unsigned int i;

	if (len > 4 * PAGE)
		len = 4 * PAGE;
	switch (below(f, 12)) {
	case 0:
		return NULL;
	case 1:
		return (void *)8;
	case 2:	/* kernel text, direct map, non-canonical */
		return (void *)(uintptr_t)(uint64_t[]){ 0xffffffff81000000ULL,
			0xffff888000000000ULL, 0x0000800000000000ULL }[below(f, 3)];
	case 3:	/* ending at the guard page: a read past len faults */
		return f->scratch + 4 * PAGE - len;
	case 4:	/* straddling the guard page */
		return f->scratch + 4 * PAGE - 1 - below(f, 16);
	case 5:
		return f->freed;
	case 6: case 7:
		i = below(f, NMAP);
		if (f->map[i].addr)
			return f->map[i].addr + (below(f, 4) ? 0 : below(f, f->map[i].len));
		/* fall through */
	default:
		return f->scratch + below(f, 2 * PAGE);
	}
}

/* Fills @len bytes with words a kernel struct field might hold. */
static void fill(struct fz *f, void *dst, size_t len)
{
	unsigned char *p = dst;
	size_t n;

	while (len) {
		uint64_t v;

		switch (below(f, 4)) {
		case 0:
			v = (uintptr_t)ptr(f, 64);
			n = 8;
			break;
		case 1:	/* two 16-bit fields, as domid_t pairs */
			v = (val(f) & 0xffff) | (val(f) & 0xffff) << 16;
			n = 4;
			break;
		case 2:
			v = val(f);
			n = 4;
			break;
		default:
			v = val(f);
			n = 8;
		}
		if (n > len)
			n = len;
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}

/* A struct of @len bytes for an ioctl: random words, in scratch or at the guard. */
static void *arg_buf(struct fz *f, size_t len)
{
	unsigned char *p;

	if (!below(f, 8))
		return ptr(f, len);
	p = below(f, 2) ? f->scratch + 4 * PAGE - len : f->scratch + 2 * PAGE + below(f, 64);
	fill(f, p, len);
	return p;
}

#endif
