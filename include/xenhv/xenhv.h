/* SPDX-License-Identifier: GPL-2.0 */
/* xenhv's API for other kernel modules: Xen hypercalls through a Xen-layout hypercall page. */
#ifndef _XENHV_XENHV_API_H
#define _XENHV_XENHV_API_H

#include <linux/errno.h>
#include <linux/types.h>
#include <asm/nospec-branch.h>

/*
 * A page of 32-byte stubs, one per Xen hypercall number, laid out as Xen's
 * hypercall page: a caller puts the arguments in rdi, rsi, rdx, r10, r8
 * and calls xenhv_hypercall_page + 32 * op; the result comes back in rax,
 * and rcx, r9, r11 survive (the Xen ABI; Linux's own Xen code relies on it).
 */
extern char xenhv_hypercall_page[];

#define XENHV_HYPERCALL_STUB_SIZE	32
#define XENHV_HYPERCALL_STUBS		128

/* The same dispatcher as a plain C call. */
long xenhv_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		     unsigned long a3, unsigned long a4, unsigned long a5);

/* A call through the hypercall page, as Linux's _hypercall5() makes one. */
static inline long xenhv_hypercall5(unsigned int op, unsigned long a1,
				    unsigned long a2, unsigned long a3,
				    unsigned long a4, unsigned long a5)
{
	register unsigned long rdi asm("rdi") = a1;
	register unsigned long rsi asm("rsi") = a2;
	register unsigned long rdx asm("rdx") = a3;
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	void *stub;
	long ret;

	if (op >= XENHV_HYPERCALL_STUBS)
		return -ENOSYS;
	stub = xenhv_hypercall_page + op * XENHV_HYPERCALL_STUB_SIZE;
	asm volatile(CALL_NOSPEC
		     : "=a" (ret), "+r" (rdi), "+r" (rsi), "+r" (rdx),
		       "+r" (r10), "+r" (r8), ASM_CALL_CONSTRAINT
		     : THUNK_TARGET(stub)
		     : "memory", "cc");
	return ret;
}

/*
 * Event channels: a module that bound a port (EVTCHNOP_bind_ipi, _virq,
 * _interdomain, _alloc_unbound through the calls above) takes its events in
 * @fn, called in interrupt context on the port's notify vCPU with the port's
 * pending bit already cleared; the port stays unmasked. One handler per port.
 */
typedef void (*xenhv_evtchn_handler_t)(u32 port, void *data);
int xenhv_evtchn_bind_handler(u32 port, xenhv_evtchn_handler_t fn, void *data);
/* Closes the port; once it returns, @fn is not running and will not run. */
int xenhv_evtchn_close_handler(u32 port, void *data);

/*
 * Grant tables: share @page with domain @domid (a ref, or -ENOSPC when the
 * table is full); end it (0, or -EBUSY while the grantee still maps it: keep
 * the page and try again later).
 */
struct page;
int xenhv_grant_page(u16 domid, struct page *page, bool readonly);
int xenhv_grant_end(u32 ref);

/*
 * The emulated shared_info page (event channels, each vCPU's pvclock, the
 * wall clock). XENMEM_add_to_physmap(XENMAPSPACE_shared_info) from a kernel
 * caller accepts only this page's frame: kernel memory cannot be replaced.
 */
struct shared_info;
struct shared_info *xenhv_shared_info_page(void);

#endif /* _XENHV_XENHV_API_H */
