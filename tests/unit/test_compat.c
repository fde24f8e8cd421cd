// SPDX-License-Identifier: GPL-2.0
/* Unit tests of xen-compat/ against a model platform and guest memory (ASan + UBSan). */
#include "../../xen-compat/compat.h"
#include "unit.h"

#include <stdlib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/platform.h>

/* Guest memory: a small arena at a fixed guest address; the rest faults. */
#define GBASE	0x10000UL
#define GSIZE	(64 * 1024UL)
#include "arena.h"

static const struct xenhv_guest_mem model_mem = { g_read, g_write, false };

/* The platform model records what xen-compat asked of it. */
static struct {
	int yields, poweroffs, reboots, crashes;
	u64 crash[5];
	int armed[XENHV_NR_WATCHDOGS + 1];
	unsigned int secs[XENHV_NR_WATCHDOGS + 1];
	char console[4096];
	size_t console_len;
	int console_calls;
	const char *input;
} m;

static int m_yield(void) { m.yields++; return 0; }
static void m_shutdown(bool reboot) { reboot ? m.reboots++ : m.poweroffs++; }
static void m_crash(const u64 p[5]) { m.crashes++; memcpy(m.crash, p, sizeof(m.crash)); }
static void m_arm(unsigned int id, unsigned int secs) { m.armed[id] = 1; m.secs[id] = secs; }
static void m_stop(unsigned int id) { m.armed[id] = 0; }

static void m_console_write(const char *buf, size_t len)
{
	m.console_calls++;
	if (m.console_len + len < sizeof(m.console)) {
		memcpy(m.console + m.console_len, buf, len);
		m.console_len += len;
	}
}

static size_t m_console_read(char *buf, size_t len)
{
	size_t n = m.input ? min(strlen(m.input), len) : 0;

	memcpy(buf, m.input, n);
	if (m.input)
		m.input += n;
	return n;
}

static void m_handle(u8 h[XENHV_DOMAIN_HANDLE_LEN])
{
	int i;

	for (i = 0; i < XENHV_DOMAIN_HANDLE_LEN; i++)
		h[i] = (u8)(0xa0 + i);
}

static unsigned int m_vcpu_count(void) { return 2; }
static bool m_vcpu_online(unsigned int v) { return v == 0; }
static u32 m_vp_index(unsigned int v) { return 40 + v; }
static int m_vcpu_runtime(unsigned int v, u64 *run, u64 *now)
{
	if (v)
		return -ENOENT;
	*run = 3000;
	*now = 10000;
	return 0;
}
static u64 m_total_pages(void) { return 131072; }
static u64 m_max_pfn(void) { return 0x23fff; }
static int flushes, invlpgs;
static unsigned long last_va;
static void m_flush_all(void) { flushes++; }
static void m_flush_va(unsigned long va) { invlpgs++; last_va = va; }

static const struct xenhv_platform_ops model_ops = {
	.vcpu_yield = m_yield,
	.shutdown = m_shutdown,
	.crash = m_crash,
	.watchdog_arm = m_arm,
	.watchdog_stop = m_stop,
	.console_write = m_console_write,
	.console_read = m_console_read,
	.domain_handle = m_handle,
	.vcpu_count = m_vcpu_count,
	.vcpu_online = m_vcpu_online,
	.vp_index = m_vp_index,
	.vcpu_runtime = m_vcpu_runtime,
	.total_pages = m_total_pages,
	.max_pfn = m_max_pfn,
	.flush_tlb_all = m_flush_all,
	.flush_tlb_va = m_flush_va,
};

static long call(unsigned long op, xen_ulong_t a0, xen_ulong_t a1, xen_ulong_t a2)
{
	struct xenhv_call c = { .mem = &model_mem };
	xen_ulong_t args[5] = { a0, a1, a2, 0, 0 };

	return xenhv_do_hypercall(&c, op, args);
}

static void reset(void)
{
	memset(&m, 0, sizeof(m));
	memset(arena, 0x55, sizeof(arena));
	xenhv_compat.ops = &model_ops;
	xenhv_compat.version.major = 4;
	xenhv_compat.version.minor = 17;
	xenhv_compat.version.extra = ".0";
	xenhv_compat.domid = 1;
	xenhv_compat.console_io = true;
}

static void test_dispatch(void)
{
	u32 *hdr = G(GBASE);

	reset();
	T(call(64, 0, 0, 0) == -ENOSYS, "hypercall 64 is ENOSYS");
	T(call(~0UL, 0, 0, 0) == -ENOSYS, "hypercall ~0 is ENOSYS");
	T(call(__HYPERVISOR_mmu_update, 0, 0, 0) == -ENOSYS, "PV mmu_update is ENOSYS");
	T(call(__HYPERVISOR_kexec_op, 0, 0, 0) == -ENOSYS, "kexec_op is ENOSYS for HVM");
	T(xenhv_hypercall_count(__HYPERVISOR_kexec_op) == 1 &&
	  xenhv_hypercall_count(64) == 0, "calls are counted per number, in range only");

	hdr[0] = 0;
	hdr[1] = XEN_DOMCTL_INTERFACE_VERSION;
	T(call(__HYPERVISOR_domctl, GBASE, 0, 0) == -EPERM,
	  "domctl with Xen 4.17's interface version (%#x) is EPERM",
	  XEN_DOMCTL_INTERFACE_VERSION);
	hdr[1] = XEN_DOMCTL_INTERFACE_VERSION + 1;
	T(call(__HYPERVISOR_domctl, GBASE, 0, 0) == -EACCES, "domctl, other version: EACCES");
	hdr[1] = XEN_SYSCTL_INTERFACE_VERSION;
	T(call(__HYPERVISOR_sysctl, GBASE, 0, 0) == -EPERM, "sysctl is EPERM");
	hdr[1] = XENPF_INTERFACE_VERSION;
	T(call(__HYPERVISOR_platform_op, GBASE, 0, 0) == -EPERM, "platform_op is EPERM");
	T(call(__HYPERVISOR_platform_op, GBASE + GSIZE - 4, 0, 0) == -EFAULT,
	  "platform_op header across the end of memory is EFAULT");

	T(call(__HYPERVISOR_dm_op, 0, 3, GBASE) == -E2BIG, "dm_op 3 buffers: E2BIG");
	T(call(__HYPERVISOR_dm_op, 0, 2, 8) == -EFAULT, "dm_op bad buffers: EFAULT");
	T(call(__HYPERVISOR_dm_op, 1, 0, 0) == -ENODATA, "dm_op without buffers: ENODATA");
	T(call(__HYPERVISOR_dm_op, 9, 0, 0) == -ENODATA, "dm_op without buffers, any domain: ENODATA");
	T(call(__HYPERVISOR_dm_op, 1, 1, GBASE) == -EPERM, "dm_op on own domid: EPERM");
	T(call(__HYPERVISOR_dm_op, DOMID_SELF, 1, GBASE) == -ESRCH,
	  "dm_op on DOMID_SELF (no domain has that id): ESRCH");
	T(call(__HYPERVISOR_dm_op, 0, 2, GBASE) == -EINVAL, "dm_op on domain 0 (not HVM): EINVAL");
	T(call(__HYPERVISOR_dm_op, 9, 1, GBASE) == -ESRCH, "dm_op on domain 9: ESRCH");
}

static void test_version(void)
{
	struct { unsigned int idx; u32 submap; } *fi = G(GBASE);
	char *s = G(GBASE);
	u8 *h = G(GBASE);

	reset();
	T(call(__HYPERVISOR_xen_version, XENVER_version, 0, 0) == 0x40011, "version 4.17");
	xenhv_compat.version.minor = 18;
	T(call(__HYPERVISOR_xen_version, XENVER_version, 0, 0) == 0x40012,
	  "version follows the configured minor");
	T(call(__HYPERVISOR_xen_version, XENVER_extraversion, GBASE, 0) == 0 &&
	  !strcmp(s, ".0") && s[15] == 0 && s[16] == 0x55,
	  "extraversion: 16 bytes exactly, padded");
	T(call(__HYPERVISOR_xen_version, XENVER_extraversion, GBASE + GSIZE - 8, 0) == -EFAULT,
	  "extraversion across the end of memory is EFAULT");
	T(call(__HYPERVISOR_xen_version, XENVER_capabilities, GBASE, 0) == 0 &&
	  !strcmp(s, "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ") &&
	  s[XEN_CAPABILITIES_INFO_LEN - 1] == 0 && (u8)s[XEN_CAPABILITIES_INFO_LEN] == 0x55,
	  "capabilities: HVM entries, 1024 bytes padded");
	memset(arena, 0x55, sizeof(arena));
	T(call(__HYPERVISOR_xen_version, XENVER_changeset, GBASE, 0) == 0 &&
	  (u8)s[XEN_CHANGESET_INFO_LEN] == 0x55, "changeset: 64 bytes");
	memset(arena, 0x55, sizeof(arena));
	T(call(__HYPERVISOR_xen_version, XENVER_compile_info, GBASE, 0) == 0 &&
	  (u8)s[sizeof(xen_compile_info_t)] == 0x55 && s[63] == 0,
	  "compile_info: the size of xen_compile_info_t");
	T(call(__HYPERVISOR_xen_version, XENVER_platform_parameters, GBASE, 0) == 0 &&
	  *(u64 *)s == 0xffff800000000000ULL, "platform_parameters virt_start");
	fi->idx = 0;
	T(call(__HYPERVISOR_xen_version, XENVER_get_features, GBASE, 0) == 0 &&
	  fi->submap == ((1U << XENFEAT_writable_page_tables) |
			 (1U << XENFEAT_auto_translated_physmap)),
	  "get_features submap 0: exactly the features provided");
	fi->idx = XENFEAT_NR_SUBMAPS;
	T(call(__HYPERVISOR_xen_version, XENVER_get_features, GBASE, 0) == -EINVAL,
	  "get_features past XENFEAT_NR_SUBMAPS is EINVAL");
	T(call(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0) == 4096, "pagesize");
	T(call(__HYPERVISOR_xen_version, XENVER_pagesize, GBASE, 0) == -EINVAL,
	  "pagesize with an argument is EINVAL");
	memset(arena, 0x55, sizeof(arena));
	T(call(__HYPERVISOR_xen_version, XENVER_guest_handle, GBASE, 0) == 0 &&
	  h[0] == 0xa0 && h[15] == 0xaf && h[16] == 0x55, "guest_handle from the platform");
	T(call(__HYPERVISOR_xen_version, XENVER_commandline, GBASE, 0) == 0 &&
	  !strcmp(s, "<denied>"), "commandline is <denied>");
	T(call(__HYPERVISOR_xen_version, XENVER_build_id, GBASE, 0) == -EPERM, "build_id EPERM");
	T(call(__HYPERVISOR_xen_version, 11, GBASE, 0) == -ENOSYS, "subop 11 ENOSYS");
}

static void test_sched(void)
{
	struct { u32 id, timeout; } *wd = G(GBASE);
	unsigned int *reason = G(GBASE);

	reset();
	T(call(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0) == 0 && m.yields == 1,
	  "yield reaches the platform");
	*reason = SHUTDOWN_poweroff;
	T(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, GBASE, 0) == 0 && m.poweroffs == 1,
	  "shutdown poweroff");
	*reason = SHUTDOWN_reboot;
	T(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, GBASE, 0) == 0 && m.reboots == 1,
	  "shutdown reboot");
	*reason = 0x103;
	T(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, GBASE, 0) == 0 && m.crashes == 1 &&
	  m.crash[0] == XENHV_CRASH_TAG && m.crash[1] == SHUTDOWN_crash &&
	  m.crash[4] == 0x40011,
	  "shutdown reason 0x103 is SHUTDOWN_crash (Xen keeps a u8): crash report");
	*reason = 77;
	T(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, GBASE, 0) == 0 && m.poweroffs == 2,
	  "an unknown reason ends the domain (xl destroys it)");
	*reason = SHUTDOWN_suspend;
	T(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, GBASE, 0) == -EOPNOTSUPP,
	  "suspend is EOPNOTSUPP");
	T(call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 4, 0) == -EFAULT, "bad pointer EFAULT");

	wd->id = 0;
	wd->timeout = 30;
	T(call(__HYPERVISOR_sched_op, SCHEDOP_watchdog, GBASE, 0) == 1 &&
	  m.armed[1] && m.secs[1] == 30, "watchdog 1 armed for 30 s");
	T(call(__HYPERVISOR_sched_op, SCHEDOP_watchdog, GBASE, 0) == 2, "watchdog 2");
	T(call(__HYPERVISOR_sched_op, SCHEDOP_watchdog, GBASE, 0) == -ENOSPC, "then ENOSPC");
	T(xenhv_watchdog_armed() == 3, "both armed");
	xenhv_watchdog_expired(2);
	T(m.crashes == 2 && m.crash[1] == SHUTDOWN_watchdog && m.crash[2] == 2 &&
	  m.crash[3] == 30, "expiry of watchdog 2 reports SHUTDOWN_watchdog, id, timeout");
	wd->id = 2;
	wd->timeout = 0;
	T(call(__HYPERVISOR_sched_op, SCHEDOP_watchdog, GBASE, 0) == 0 && !m.armed[2],
	  "watchdog 2 freed");
	xenhv_watchdog_expired(2);
	T(m.crashes == 2, "a freed watchdog's late timer does not crash");
	xenhv_watchdog_expired(0);
	xenhv_watchdog_expired(3);
	T(m.crashes == 2, "expiry of ids 0 and 3 is ignored");
	wd->id = 0;
	wd->timeout = 0;
	T(call(__HYPERVISOR_sched_op, SCHEDOP_watchdog, GBASE, 0) == 2 &&
	  m.armed[2] && m.secs[2] == 0, "id 0 with timeout 0 arms to fire at once, as Xen");
	xenhv_watchdog_stop_all();
	T(xenhv_watchdog_armed() == 0 && !m.armed[1] && !m.armed[2], "stop_all disarms");
	wd->id = 1;
	wd->timeout = 5;
	T(call(__HYPERVISOR_sched_op, SCHEDOP_watchdog, GBASE, 0) == -EINVAL,
	  "a stopped watchdog's id is EINVAL");
	T(call(__HYPERVISOR_sched_op, SCHEDOP_poll, 8, 0) == -EFAULT, "poll: unreadable argument, EFAULT");
	T(call(__HYPERVISOR_sched_op, SCHEDOP_pin_override, GBASE, 0) == -EPERM, "pin EPERM");
}

static void test_console(void)
{
	char *s = G(GBASE);

	reset();
	memset(s, 'x', 300);
	T(call(__HYPERVISOR_console_io, CONSOLEIO_write, 300, GBASE) == 0 &&
	  m.console_len == 300 && m.console_calls == 3, "300 bytes in chunks of 127");
	T(call(__HYPERVISOR_console_io, CONSOLEIO_write, 300, GBASE + GSIZE - 200) == -EFAULT &&
	  m.console_len == 427, "a write running off memory: EFAULT after the good chunk");
	m.input = "typed";
	T(call(__HYPERVISOR_console_io, CONSOLEIO_read, 3, GBASE) == 3 && !memcmp(s, "typ", 3),
	  "read takes at most count bytes");
	T(call(__HYPERVISOR_console_io, CONSOLEIO_read, 100, GBASE) == 2 && !memcmp(s, "ed", 2),
	  "read returns what is queued");
	T(call(__HYPERVISOR_console_io, CONSOLEIO_read, 0x80000000UL, GBASE) == -E2BIG,
	  "read over INT_MAX is E2BIG");
	T(call(__HYPERVISOR_console_io, 5, 0, 0) == -ENOSYS, "cmd 5 ENOSYS");
	xenhv_compat.console_io = false;
	T(call(__HYPERVISOR_console_io, CONSOLEIO_write, 1, GBASE) == -EPERM,
	  "console_io=N: EPERM as for a domain not marked is_console");
}

static void test_multicall(void)
{
	struct multicall_entry *mc = G(GBASE);
	xen_ulong_t end = GBASE + GSIZE - 2 * sizeof(*mc);

	reset();
	memset(mc, 0, 3 * sizeof(*mc));
	mc[0].op = __HYPERVISOR_xen_version;
	mc[0].args[0] = XENVER_version;
	mc[1].op = __HYPERVISOR_multicall;
	mc[1].args[0] = GBASE;
	mc[1].args[1] = 1;
	mc[2].op = __HYPERVISOR_sched_op;
	mc[2].args[0] = SCHEDOP_yield;
	T(call(__HYPERVISOR_multicall, GBASE, 3, 0) == 0 && mc[0].result == 0x40011 &&
	  (long)mc[1].result == -EINVAL && mc[2].result == 0 && m.yields == 1,
	  "per-entry results; nesting is EINVAL and the list goes on");
	memcpy(G(end), mc, 2 * sizeof(*mc));
	T(call(__HYPERVISOR_multicall, end, 3, 0) == -EFAULT && m.yields == 1,
	  "an entry beyond memory ends the call with EFAULT");
	T(call(__HYPERVISOR_multicall, GBASE, 0, 0) == 0, "zero entries");
}

static void test_vcpu_mem_hvm(void)
{
	struct { int state; u64 entry; u64 time[4]; } *rs = G(GBASE);
	struct { u16 domid; u16 pad; u32 index; u64 value; } *hp = G(GBASE);
	struct { unsigned int cmd; xen_ulong_t a1, a2; } *mmu = G(GBASE);
	u16 *dom = G(GBASE);
	u64 *physid = G(GBASE);
	unsigned int *done = G(GBASE + 1024);

	reset();
	T(call(__HYPERVISOR_vcpu_op, 3, 0, 0) == 1, "VCPUOP_is_up 0: up");
	T(call(__HYPERVISOR_vcpu_op, 3, 1, 0) == 0, "VCPUOP_is_up 1: down");
	T(call(__HYPERVISOR_vcpu_op, 3, 2, 0) == -ENOENT, "a vCPU the domain lacks: ENOENT");
	T(call(__HYPERVISOR_vcpu_op, 4, 0, GBASE) == 0 && rs->state == 0 &&
	  rs->time[0] == 3000 && rs->time[2] == 7000 && rs->entry == 10000,
	  "get_runstate_info: running from the platform, the rest blocked");
	T(call(__HYPERVISOR_vcpu_op, 4, 0, 8) == -EFAULT, "runstate into a bad pointer: EFAULT");
	T(call(__HYPERVISOR_vcpu_op, 12, 1, GBASE) == 0 && *physid == 41,
	  "get_physid gives the Hyper-V VP index");
	T(call(__HYPERVISOR_vcpu_op, 0, 0, GBASE) == -ENOSYS, "VCPUOP_initialise: ENOSYS");

	*dom = DOMID_SELF;
	T(call(__HYPERVISOR_memory_op, 3, GBASE, 0) == 131072, "current_reservation");
	T(call(__HYPERVISOR_memory_op, 4, GBASE, 0) == 131072, "maximum_reservation");
	*dom = 0;
	T(call(__HYPERVISOR_memory_op, 3, GBASE, 0) == -EPERM, "domain 0's reservation: EPERM");
	*dom = 9;
	T(call(__HYPERVISOR_memory_op, 3, GBASE, 0) == -ESRCH, "domain 9's: ESRCH");
	T(call(__HYPERVISOR_memory_op, 3, 8, 0) == -EFAULT, "reservation, bad pointer: EFAULT");
	T(call(__HYPERVISOR_memory_op, 2, 0, 0) == 0x23fff, "maximum_ram_page");
	T(call(__HYPERVISOR_memory_op, 7, 8, 0) == -EFAULT, "add_to_physmap, bad pointer: EFAULT");

	hp->domid = DOMID_SELF;
	hp->index = 0;
	hp->value = 0x1234;
	T(call(__HYPERVISOR_hvm_op, 0, GBASE, 0) == 0, "set CALLBACK_IRQ");
	hp->value = 0;
	T(call(__HYPERVISOR_hvm_op, 1, GBASE, 0) == 0 && hp->value == 0x1234,
	  "get_param reads it back");
	hp->index = 1;
	T(call(__HYPERVISOR_hvm_op, 0, GBASE, 0) == -EPERM, "STORE_PFN is the toolstack's: EPERM");
	hp->index = 39;
	T(call(__HYPERVISOR_hvm_op, 1, GBASE, 0) == -EINVAL, "param 39 (HVM_NR_PARAMS): EINVAL");
	hp->index = 0;
	hp->domid = 0;
	T(call(__HYPERVISOR_hvm_op, 1, GBASE, 0) == -EPERM, "domain 0's params: EPERM");
	flushes = 0;
	T(call(__HYPERVISOR_hvm_op, 5, 0, 0) == 0 && flushes == 1, "flush_tlbs flushes");
	T(call(__HYPERVISOR_hvm_op, 5, GBASE, 0) == -EINVAL, "flush_tlbs with an argument: EINVAL");

	memset(mmu, 0, 3 * sizeof(*mmu));
	mmu[0].cmd = MMUEXT_TLB_FLUSH_ALL;
	mmu[1].cmd = MMUEXT_INVLPG_ALL;
	mmu[1].a1 = 0x7f0000001000UL;
	mmu[2].cmd = MMUEXT_PIN_L4_TABLE;
	flushes = invlpgs = 0;
	{
		struct xenhv_call c = { .mem = &model_mem };
		xen_ulong_t a[5] = { GBASE, 3, GBASE + 1024, DOMID_SELF, 0 };

		T(xenhv_do_hypercall(&c, __HYPERVISOR_mmuext_op, a) == -ENOSYS &&
		  flushes == 1 && invlpgs == 1 && last_va == 0x7f0000001000UL && *done == 2,
		  "mmuext_op: flush and invlpg done, a PV pin is ENOSYS, 2 done");
		a[3] = 0;
		T(xenhv_do_hypercall(&c, __HYPERVISOR_mmuext_op, a) == -EPERM,
		  "mmuext_op on domain 0: EPERM");
	}
}

/* Whether lockdep_assert_held(@l) aborts in a child process (held: with @l taken). */
static bool assert_aborts(spinlock_t *l, bool held)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(3);
		if (held)
			spin_lock(l);
		lockdep_assert_held(l);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* The userspace port's lockdep_assert_held() is a real check, not a no-op. */
static void test_lock_assert(void)
{
	static DEFINE_SPINLOCK(l);

	T(assert_aborts(&l, false),
	  "port: lockdep_assert_held() aborts when the caller does not hold the lock");
	T(!assert_aborts(&l, true),
	  "port: lockdep_assert_held() passes when the caller holds the lock");
}

void test_compat(void)
{
	test_lock_assert();
	test_vcpu_mem_hvm();
	test_dispatch();
	test_version();
	test_sched();
	test_console();
	test_multicall();
}
