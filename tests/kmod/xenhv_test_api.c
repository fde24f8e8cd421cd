// SPDX-License-Identifier: GPL-2.0
/* Exercises xenhv's kernel API at load: the hypercall page, its ABI, and xenhv_hypercall(). */

#include <linux/module.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>
#include <xen/interface/sched.h>
#include <xenhv/xenhv.h>

static unsigned int expect_version = 0x40011;
module_param(expect_version, uint, 0444);
MODULE_PARM_DESC(expect_version, "xen_version the test expects (major << 16 | minor)");

static unsigned int failures;

static void check(bool ok, const char *what)
{
	pr_info("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		failures++;
}

/* Xen's ABI keeps rcx, r9 and r11 across a hypercall; so must the page. */
static bool page_keeps_registers(void)
{
	register unsigned long rdi asm("rdi") = XENVER_version;
	register unsigned long rsi asm("rsi") = 0;
	register unsigned long rdx asm("rdx") = 0;
	register unsigned long r10 asm("r10") = 0;
	register unsigned long r8 asm("r8") = 0;
	void *stub = xenhv_hypercall_page +
		     __HYPERVISOR_xen_version * XENHV_HYPERCALL_STUB_SIZE;
	unsigned long rcx = 0x1111, r9 = 0x2222, r11 = 0x3333;
	long ret;

	asm volatile("mov %[c], %%rcx\n\t"
		     "mov %[n], %%r9\n\t"
		     "mov %[e], %%r11\n\t"
		     CALL_NOSPEC "\n\t"
		     "mov %%rcx, %[c]\n\t"
		     "mov %%r9, %[n]\n\t"
		     "mov %%r11, %[e]"
		     : "=a" (ret), [c] "+m" (rcx), [n] "+m" (r9), [e] "+m" (r11),
		       "+r" (rdi), "+r" (rsi), "+r" (rdx), "+r" (r10), "+r" (r8),
		       ASM_CALL_CONSTRAINT
		     : THUNK_TARGET(stub)
		     : "rcx", "r9", "r11", "memory", "cc");
	return ret == expect_version && rcx == 0x1111 && r9 == 0x2222 &&
	       r11 == 0x3333;
}

static int __init xenhv_test_api_init(void)
{
	struct xen_extraversion extra = { };
	struct xen_feature_info fi = { .submap_idx = 0 };
	struct multicall_entry mc[3] = { };
	static const char hello[] = "hello from xenhv_test_api\n";
	long ret;

	ret = xenhv_hypercall5(__HYPERVISOR_xen_version, XENVER_version,
			       0, 0, 0, 0);
	check(ret == expect_version, "xen_version through the hypercall page");
	check(xenhv_hypercall(__HYPERVISOR_xen_version, XENVER_version,
			      0, 0, 0, 0) == ret,
	      "xenhv_hypercall() agrees with the hypercall page");
	check(page_keeps_registers(),
	      "hypercall page keeps rcx, r9, r11 (Xen ABI)");

	ret = xenhv_hypercall5(__HYPERVISOR_xen_version, XENVER_extraversion,
			       (unsigned long)&extra, 0, 0, 0);
	check(ret == 0 && extra.extraversion[0] == '.',
	      "extraversion into a kernel buffer");

	ret = xenhv_hypercall5(__HYPERVISOR_xen_version, XENVER_get_features,
			       (unsigned long)&fi, 0, 0, 0);
	check(ret == 0 && (fi.submap & (1U << XENFEAT_auto_translated_physmap)),
	      "get_features submap 0 says auto_translated_physmap");

	ret = xenhv_hypercall5(__HYPERVISOR_xen_version, XENVER_get_features,
			       16, 0, 0, 0);
	check(ret == -EFAULT, "a bad kernel pointer is -EFAULT, not an oops");

	check(xenhv_hypercall5(60, 0, 0, 0, 0, 0) == -ENOSYS,
	      "unknown hypercall 60 is -ENOSYS");
	check(xenhv_hypercall5(127, 0, 0, 0, 0, 0) == -ENOSYS,
	      "last stub (127) is -ENOSYS");
	check(xenhv_hypercall5(500, 0, 0, 0, 0, 0) == -ENOSYS,
	      "number beyond the page is -ENOSYS");

	check(xenhv_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_yield,
			       0, 0, 0, 0) == 0, "sched_op yield");

	ret = xenhv_hypercall5(__HYPERVISOR_console_io, CONSOLEIO_write,
			       sizeof(hello) - 1, (unsigned long)hello, 0, 0);
	check(ret == 0, "console_io write from the kernel");

	mc[0].op = __HYPERVISOR_xen_version;
	mc[0].args[0] = XENVER_version;
	mc[1].op = 61;
	mc[2].op = __HYPERVISOR_multicall;
	ret = xenhv_hypercall5(__HYPERVISOR_multicall, (unsigned long)mc, 3,
			       0, 0, 0);
	check(ret == 0 && mc[0].result == expect_version &&
	      mc[1].result == -ENOSYS && mc[2].result == -EINVAL,
	      "multicall: per-entry results, nesting refused");

	pr_info("%u failures\n", failures);
	return failures ? -EINVAL : 0;
}

static void __exit xenhv_test_api_exit(void)
{
}

module_init(xenhv_test_api_init);
module_exit(xenhv_test_api_exit);
MODULE_DESCRIPTION("Test of xenhv's kernel hypercall API");
MODULE_LICENSE("GPL");
