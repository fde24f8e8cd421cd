/* SPDX-License-Identifier: GPL-2.0 */
/* xenhv's API for other kernel modules: Xen hypercalls through a Xen-layout hypercall page. */
#ifndef _XENHV_XENHV_API_H
#define _XENHV_XENHV_API_H

#include <linux/errno.h>
#include <linux/types.h>
#include <asm/nospec-branch.h>

/*
 * xenhv_hypercall_page - a page of 32-byte stubs, one per Xen hypercall
 * number, laid out as Xen's hypercall page: a caller puts the arguments in
 * rdi, rsi, rdx, r10, r8 and calls xenhv_hypercall_page + 32 * op; the
 * result comes back in rax, and rcx, r9, r11 survive (the Xen ABI; Linux's
 * own Xen code relies on it). xenhv_hypercall5() makes such a call.
 */
extern char xenhv_hypercall_page[];

#define XENHV_HYPERCALL_STUB_SIZE	32
#define XENHV_HYPERCALL_STUBS		128

/**
 * xenhv_hypercall() - make a Xen hypercall as a plain C call
 * @op: Xen hypercall number (__HYPERVISOR_*)
 * @a1: first argument, as Xen's ABI passes it
 * @a2: second argument
 * @a3: third argument
 * @a4: fourth argument
 * @a5: fifth argument
 *
 * The same dispatcher as the hypercall page; addresses in the arguments are
 * kernel addresses.
 *
 * Context: process context (some hypercalls sleep).
 * Return: what Xen returns: 0 or a positive value, or a negative errno
 * (-ENOSYS for a hypercall number Xen does not have).
 */
long xenhv_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		     unsigned long a3, unsigned long a4, unsigned long a5);

/**
 * xenhv_hypercall5() - make a Xen hypercall through the hypercall page
 * @op: Xen hypercall number (__HYPERVISOR_*)
 * @a1: first argument (rdi)
 * @a2: second argument (rsi)
 * @a3: third argument (rdx)
 * @a4: fourth argument (r10)
 * @a5: fifth argument (r8)
 *
 * The call Linux's own _hypercall5() makes on Xen, into the stub of @op.
 *
 * Context: process context.
 * Return: as xenhv_hypercall(); -ENOSYS for @op past the page's 128 stubs.
 */
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

/**
 * typedef xenhv_evtchn_handler_t - a kernel module's event channel handler
 * @port: the port that fired
 * @data: what the module passed to xenhv_evtchn_bind_handler()
 *
 * Called in hard interrupt context on the port's notify vCPU, with the
 * port's pending bit already cleared; the port stays unmasked.
 */
typedef void (*xenhv_evtchn_handler_t)(u32 port, void *data);

/**
 * xenhv_evtchn_bind_handler() - take a port's events in a handler
 * @port: a port the module bound (EVTCHNOP_bind_ipi, _bind_virq,
 *        _bind_interdomain or _alloc_unbound through the calls above)
 * @fn: the handler; one per port
 * @data: passed to @fn, and the owner key for xenhv_evtchn_close_handler()
 *
 * An event that came before the bind is delivered at once.
 *
 * Context: any; does not sleep.
 * Return: 0; -EINVAL for a port not in use or a NULL @fn; -EBUSY when the
 * port already has a handler or a /dev/xen/evtchn file holds it.
 */
int xenhv_evtchn_bind_handler(u32 port, xenhv_evtchn_handler_t fn, void *data);

/**
 * xenhv_evtchn_close_handler() - stop taking a port's events and close it
 * @port: the port given to xenhv_evtchn_bind_handler()
 * @data: the same @data as given there
 *
 * Once it returns, the handler is not running and will not run again, so
 * @data may be freed.
 *
 * Context: process context (waits for running handlers).
 * Return: 0; -ENOTCONN when the port was closed under its handler meanwhile.
 */
int xenhv_evtchn_close_handler(u32 port, void *data);

struct page;

/**
 * xenhv_grant_page() - grant another domain access to a page
 * @domid: the grantee (0 is the root partition)
 * @page: a page of the caller's, which must stay until the grant ends
 * @readonly: grant read access only
 *
 * Context: process context.
 * Return: the grant reference (>= 0), or -ENOSPC when the table is full,
 * -EINVAL for a frame a v1 grant cannot name.
 */
int xenhv_grant_page(u16 domid, struct page *page, bool readonly);

/**
 * xenhv_grant_end() - end a grant made by xenhv_grant_page()
 * @ref: the grant reference
 *
 * Context: process context.
 * Return: 0; -EBUSY while the grantee still maps the page (keep the page and
 * try again later); -EINVAL for a reference not granted.
 */
int xenhv_grant_end(u32 ref);

struct shared_info;

/**
 * xenhv_shared_info_page() - the emulated shared_info page
 *
 * Description: event channel bitmaps, each vCPU's pvclock, the wall clock.
 * XENMEM_add_to_physmap(XENMAPSPACE_shared_info) from a kernel caller
 * accepts only this page's frame: kernel memory cannot be replaced.
 * Any context.
 *
 * Return: the page, valid while xenhv is loaded.
 */
struct shared_info *xenhv_shared_info_page(void);

#endif /* _XENHV_XENHV_API_H */
