/* SPDX-License-Identifier: GPL-2.0 */
/* A Xen pvclock reader for userspace (Xen's public structs) and shared_info mapped through privcmd. */
#ifndef XENHV_PVCLOCK_H
#define XENHV_PVCLOCK_H

/* Tools interface: otherwise xen.h maps memory_op and friends to compat numbers. */
#define __XEN_TOOLS__ 1
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <x86intrin.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/sys/privcmd.h>

static inline long privcmd_call(int fd, unsigned long op, uint64_t a0, uint64_t a1,
				uint64_t a2)
{
	privcmd_hypercall_t h = { .op = op, .arg = { a0, a1, a2 } };

	return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
}

/*
 * What a Xen HVM guest does with its shared_info: XENMEM_add_to_physmap
 * (XENMAPSPACE_shared_info) at a frame of its own. For a process, the frame
 * is a page of a shared /dev/xen/privcmd mapping: xenhv shows shared_info
 * there, read-only. Returns the page, or NULL.
 */
static inline struct shared_info *map_shared_info(int privcmd)
{
	struct xen_add_to_physmap x = { .domid = DOMID_SELF,
					.space = XENMAPSPACE_shared_info };
	void *va = mmap(NULL, 4096, PROT_READ, MAP_SHARED, privcmd, 0);

	if (va == MAP_FAILED)
		return NULL;
	x.gpfn = (uintptr_t)va >> 12;
	if (privcmd_call(privcmd, __HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			 (uintptr_t)&x, 0)) {
		munmap(va, 4096);
		return NULL;
	}
	return va;
}

/* Xen's (and Linux's pvclock.c) reader: a consistent snapshot, then the scaled delta. */
static inline uint64_t pvclock_ns(const volatile struct vcpu_time_info *t)
{
	uint32_t v, mul;
	uint64_t stamp, sys, delta;
	int8_t shift;

	do {
		v = t->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		stamp = t->tsc_timestamp;
		sys = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		delta = __rdtsc() - stamp;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((v & 1) || v != t->version);
	delta = shift < 0 ? delta >> -shift : delta << shift;
	return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

#endif
