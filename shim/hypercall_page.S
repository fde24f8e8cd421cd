/* SPDX-License-Identifier: GPL-2.0 */
/* A Xen-layout hypercall page whose 32-byte stubs enter xenhv's dispatcher. */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/page_types.h>
#include <asm/unwind_hints.h>
#include <compat/asm.h>

/*
 * Kernel callers reach a stub by an indirect call (include/xenhv/xenhv.h),
 * so on a kernel with indirect branch tracking each one starts with ENDBR,
 * kept from sealing. Xen's own page has no ENDBR because Linux calls it
 * directly; ours is a function table.
 */
	.pushsection .text, "ax"
	.balign PAGE_SIZE
SYM_CODE_START(xenhv_hypercall_page)
	.set op, 0
	.rept (PAGE_SIZE / 32)
	UNWIND_HINT_FUNC
1:	ENDBR
	XENHV_IBT_NOSEAL 1b
	movl $op, %eax
	jmp xenhv_hypercall_entry
	.balign 32, 0xcc
	.set op, op + 1
	.endr
SYM_CODE_END(xenhv_hypercall_page)

/*
 * Xen passes the arguments in rdi, rsi, rdx, r10, r8 and keeps rcx, r9 and
 * r11; the C dispatcher takes (op, a1..a5) in rdi, rsi, rdx, rcx, r8, r9.
 * Three pushes also leave the stack 16-byte aligned for the call.
 */
SYM_FUNC_START(xenhv_hypercall_entry)
	push %rcx
	push %r9
	push %r11
	mov %r8, %r9
	mov %r10, %r8
	mov %rdx, %rcx
	mov %rsi, %rdx
	mov %rdi, %rsi
	mov %eax, %edi
	call xenhv_hypercall_kernel
	pop %r11
	pop %r9
	pop %rcx
	RET
SYM_FUNC_END(xenhv_hypercall_entry)
	.popsection
