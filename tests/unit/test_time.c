// SPDX-License-Identifier: GPL-2.0
/* Unit tests of pvclock.c and the areas of vcpu_op/memory_op, and hvm_op's param policy. */
#include "../../xen-compat/compat.h"
#include "unit.h"

#include <stdlib.h>
#include <xen/memory.h>
#include <xen/hvm/params.h>

#define GBASE	0x40000UL
#define GSIZE	(16 * 1024UL)
#include "arena.h"

static const struct xenhv_guest_mem tm_mem = { g_read, g_write, false };

/* A page the model hands out for register_vcpu_info's frame 0x77. */
static unsigned char vi_page[4096] __attribute__((aligned(4096)));

static struct {
	unsigned int current;
	u64 shinfo_gfn;
	int shinfo_calls;
	xen_ulong_t runstate_addr[2];
	int kicks;
} tm;

static unsigned int tm_vcpu_count(void) { return 2; }
static bool tm_vcpu_online(unsigned int v) { return v < 2; }
static unsigned int tm_current(void) { return tm.current; }
static void tm_kick(unsigned int v) { tm.kicks++; (void)v; }
static u64 tm_now(void) { return 5000; }

static int tm_runtime(unsigned int v, u64 *run, u64 *now)
{
	*run = 1000 + v;
	*now = 5000;
	return 0;
}

static int tm_map_shinfo(const struct xenhv_guest_mem *mem, u64 gfn)
{
	(void)mem;
	tm.shinfo_calls++;
	tm.shinfo_gfn = gfn;
	return gfn == 0x42 ? 0 : -EINVAL;
}

static int tm_vcpu_info_area(const struct xenhv_guest_mem *mem, unsigned int vcpu,
			     u64 gfn, u32 offset, struct vcpu_info **where)
{
	(void)mem;
	(void)vcpu;
	if (gfn != 0x77)
		return -EINVAL;
	*where = (struct vcpu_info *)(vi_page + offset);
	return 0;
}

static int tm_runstate_area(const struct xenhv_guest_mem *mem, unsigned int vcpu,
			    xen_ulong_t addr)
{
	(void)mem;
	tm.runstate_addr[vcpu] = addr;
	return 0;
}

static const struct xenhv_platform_ops tm_ops = {
	.vcpu_count = tm_vcpu_count,
	.vcpu_online = tm_vcpu_online,
	.current_vcpu = tm_current,
	.evtchn_kick = tm_kick,
	.system_time = tm_now,
	.vcpu_runtime = tm_runtime,
	.map_shared_info = tm_map_shinfo,
	.vcpu_info_area = tm_vcpu_info_area,
	.runstate_area = tm_runstate_area,
};

static long call(unsigned long op, xen_ulong_t a0, xen_ulong_t a1, xen_ulong_t a2)
{
	struct xenhv_call c = { .mem = &tm_mem };
	xen_ulong_t args[5] = { a0, a1, a2, 0, 0 };

	return xenhv_do_hypercall(&c, op, args);
}

/* Hyper-V's own arithmetic: reference time in 100 ns units. */
static u64 hv_ref(u64 tsc, u64 scale, s64 offset)
{
	return (u64)(((unsigned __int128)tsc * scale) >> 64) + (u64)offset;
}

/* Across frequencies and 2 s of TSC, pvclock stays on Hyper-V's line. */
static void test_reftsc_math(void)
{
	static const u64 hz[] = { 100000000ULL, 1000000000ULL, 2500000000ULL,
				  3700000000ULL, 10000000000ULL };
	unsigned int i, k, bad = 0, bad_shift = 0;
	s64 offset = -123456789;
	s64 worst = 0, d;
	u64 t0 = 987654321012345ULL;

	for (i = 0; i < ARRAY_SIZE(hz); i++) {
		/* Hyper-V's scale: 2^64 * 10^7 / frequency (100 ns per tick). */
		u64 scale = (u64)(((unsigned __int128)10000000 << 64) / hz[i]);
		struct xenhv_pvclock p = { 0 };

		xenhv_pvclock_from_reftsc(&p, scale, offset, t0);
		if (p.mul < 0x80000000U || p.shift < -31 || p.shift > 31)
			bad_shift++;
		for (k = 0; k <= 2000; k++) {
			u64 tsc = t0 + (hz[i] / 1000) * k + k * 7;
			u64 pv = xenhv_pvclock_read(&p, tsc);
			u64 ref = hv_ref(tsc, scale, offset) * 100;

			d = (s64)(pv - ref);
			/* pv interpolates inside the 100 ns step, a ns or so low at most. */
			if (d < -3 || d >= 100 + 3)
				bad++;
			if (d < worst)
				worst = d;
		}
	}
	T(!bad_shift, "reftsc: mul keeps 32 significant bits, shift in range, 5 frequencies");
	T(!bad, "reftsc: pvclock within [-3, 103) ns of Hyper-V's reference time over 2 s (worst low %lld ns)",
	  (long long)worst);
}

/* The fallback: a wrong TSC frequency, samples of the true clock each second. */
static void test_sample_math(void)
{
	struct xenhv_pvclock p = { 0 };
	u64 t0 = 1000000000ULL, tsc, truth, v, prev = 0;
	s64 err = 0;
	unsigned int k, j, backwards = 0;

	/* The TSC really runs at 2.6 GHz; Linux thinks 2.5 GHz (4% off). */
	for (k = 0; k <= 20; k++) {
		tsc = t0 + k * 2600000000ULL;
		truth = 7000000000ULL + k * 1000000000ULL;
		if (k)
			err = (s64)(xenhv_pvclock_read(&p, tsc) - truth);
		xenhv_pvclock_from_sample(&p, 2500000, tsc, truth);
		for (j = 0; j < 10; j++) {
			v = xenhv_pvclock_read(&p, tsc + j * 260000000ULL);
			if (v < prev)
				backwards++;
			prev = v;
		}
	}
	T(!backwards && p.flags == 0, "sample: never steps back across 20 refreshes, no stable flag");
	T(err < 1000 && err > -1000,
	  "sample: converges on system time despite a 4%% wrong TSC frequency (off %lld ns)",
	  (long long)err);
	memset(&p, 0, sizeof(p));
	xenhv_pvclock_from_sample(&p, 0, t0, 1);
	T(p.mul || p.shift, "sample: khz 0 (no calibration) does not divide by zero");
}

static void test_publish(struct shared_info *si)
{
	struct xenhv_pvclock p = { .tsc_timestamp = 11, .system_time = 22,
				   .mul = 0x90000000U, .shift = -1, .flags = 1 };
	struct vcpu_info *vi = &si->vcpu_info[0];

	vi->time.version = 7;	/* an update was in flight when copied */
	xenhv_pvclock_publish(vi, &p);
	T(vi->time.version == 8 && vi->time.tsc_timestamp == 11 &&
	  vi->time.system_time == 22 && vi->time.tsc_to_system_mul == 0x90000000U &&
	  vi->time.tsc_shift == -1 && vi->time.flags == 1,
	  "publish: Xen's vcpu_time_info fields, version even after an odd one");
	xenhv_pvclock_publish(vi, &p);
	T(vi->time.version == 10, "publish: version goes up by 2");
	xenhv_time_set(&p);
	T(si->vcpu_info[1].time.system_time == 22 && si->vcpu_info[1].time.version % 2 == 0,
	  "time_set: every vCPU gets the same line");

	si->wc_version = 0;
	xenhv_wallclock_publish(si, 1700000000123456789ULL + 5000000000ULL, 5000000000ULL);
	T(si->wc_version == 2 && si->wc_sec == 1700000000U && si->wc_nsec == 123456789U &&
	  si->wc_sec_hi == 0, "wall clock: time of day at system time 0, version even");
	xenhv_wallclock_publish(si, (1ULL << 32) * 1000000000ULL, 0);
	T(si->wc_sec == 0 && si->wc_sec_hi == 1, "wall clock: seconds past 2106 in wc_sec_hi");
}

static void test_vcpu_areas(struct shared_info *si)
{
	struct { u64 mfn; u32 offset; u32 rsvd; } *reg = G(GBASE);
	struct vcpu_runstate_info *rs = G(GBASE + 512);
	u64 *addr = G(GBASE + 1024);
	struct vcpu_info *vi;

	si->vcpu_info[0].evtchn_upcall_mask = 1;
	reg->mfn = 0x77;
	reg->offset = 4096 - 64 + 1;
	reg->rsvd = 0;
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GBASE) == -EINVAL,
	  "register_vcpu_info: an offset past the page's last vcpu_info: EINVAL");
	reg->offset = 128;
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, GBASE) == -EINVAL,
	  "register_vcpu_info for another online vCPU: EINVAL");
	reg->mfn = 0x78;
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GBASE) == -EINVAL,
	  "register_vcpu_info on a frame that is not the guest's: EINVAL");
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, 8) == -EFAULT,
	  "register_vcpu_info, unreadable argument: EFAULT");
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 2, GBASE) == -ENOENT,
	  "register_vcpu_info, a vCPU the domain lacks: ENOENT");
	reg->mfn = 0x77;
	tm.kicks = 0;
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GBASE) == 0,
	  "register_vcpu_info: frame 0x77 offset 128");
	vi = (struct vcpu_info *)(vi_page + 128);
	T(xenhv_evtchn_vcpu_info(0) == vi && vi->evtchn_upcall_mask == 1 &&
	  vi->evtchn_upcall_pending == 1 && vi->evtchn_pending_sel == ~0UL && tm.kicks == 1,
	  "the vcpu_info moved with its contents; all selectors set and an upcall run");
	T(vi->time.version % 2 == 0 && vi->time.system_time == 22,
	  "the moved vcpu_info carries the current pvclock");
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, GBASE) == -EINVAL,
	  "a second register_vcpu_info: EINVAL");

	*addr = GBASE + 512;
	memset(rs, 0, sizeof(*rs));
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 1, GBASE + 1024) == 0 &&
	  tm.runstate_addr[1] == GBASE + 512 && rs->time[RUNSTATE_running] == 1001 &&
	  rs->time[RUNSTATE_blocked] == 3999 && rs->state_entry_time == 5000,
	  "register_runstate_memory_area: recorded and written at once");
	*addr = 8;
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 1, GBASE + 1024) == 0 &&
	  tm.runstate_addr[1] == 8, "a runstate area at a bad address: 0, as Xen for HVM");
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 1, 8) == -EFAULT,
	  "register_runstate_memory_area, unreadable argument: EFAULT");
	*addr = 0;
	T(call(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 1, GBASE + 1024) == 0 &&
	  tm.runstate_addr[1] == 0, "address 0 stops the updates");
	T(call(__HYPERVISOR_vcpu_op, 13 /* register_vcpu_time_memory_area */, 0, GBASE) == -ENOSYS,
	  "register_vcpu_time_memory_area: ENOSYS");
}

static void test_physmap(void)
{
	struct xen_add_to_physmap *x = G(GBASE);

	memset(x, 0, sizeof(*x));
	x->domid = DOMID_SELF;
	x->space = XENMAPSPACE_shared_info;
	x->gpfn = 0x42;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == 0 &&
	  tm.shinfo_gfn == 0x42, "add_to_physmap shared_info at frame 0x42");
	x->gpfn = 0x43;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == -EINVAL,
	  "shared_info at a frame that is not the guest's: EINVAL");
	x->gpfn = 0x42;
	x->idx = 1;
	tm.shinfo_calls = 0;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == -EINVAL &&
	  !tm.shinfo_calls, "shared_info index 1: EINVAL");
	x->idx = 0;
	x->domid = 0;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == -EPERM,
	  "into domain 0: EPERM");
	x->domid = 7;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == -ESRCH,
	  "into domain 7: ESRCH");
	x->domid = DOMID_SELF;
	x->space = XENMAPSPACE_gmfn_foreign;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == -ENOSYS,
	  "gmfn_foreign outside the batch call: ENOSYS");
	x->space = XENMAPSPACE_gmfn_range;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == -EOPNOTSUPP,
	  "gmfn_range (moving RAM Hyper-V owns): EOPNOTSUPP");
	x->space = 99;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == -EINVAL,
	  "an unknown space: EINVAL");
	x->space = XENMAPSPACE_grant_table;
	x->gpfn = 0x99;
	x->idx = 64;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == -EINVAL,
	  "grant_table frame 64 (past the 64-frame maximum): EINVAL");
	x->idx = 0x80000000UL;
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, GBASE, 0) == -EINVAL,
	  "a grant status frame (v2 only): EINVAL");
	T(call(__HYPERVISOR_memory_op, XENMEM_add_to_physmap | (0x10000UL << 6), GBASE, 0) == -EDOM,
	  "a continuation start past xatp.size: EDOM");
}

static void test_params(void)
{
	xen_hvm_param_t *hp = G(GBASE);

	hp->domid = DOMID_SELF;
	hp->index = HVM_PARAM_STORE_PFN;
	hp->value = 5;
	T(call(__HYPERVISOR_hvm_op, HVMOP_get_param, GBASE, 0) == 0 && hp->value == 0,
	  "get STORE_PFN: 0 (no ring: the store is /dev/xen/xenbus)");
	hp->index = HVM_PARAM_CONSOLE_PFN;
	T(call(__HYPERVISOR_hvm_op, HVMOP_get_param, GBASE, 0) == 0 && hp->value == 0,
	  "get CONSOLE_PFN: 0 (no PV console ring)");
	T(call(__HYPERVISOR_hvm_op, HVMOP_set_param, GBASE, 0) == -EPERM,
	  "set CONSOLE_PFN: EPERM");
	hp->index = HVM_PARAM_STORE_EVTCHN;
	hp->value = 9;
	T(call(__HYPERVISOR_hvm_op, HVMOP_set_param, GBASE, 0) == 0,
	  "set STORE_EVTCHN: the guest may, as on Xen");
	hp->value = 0;
	T(call(__HYPERVISOR_hvm_op, HVMOP_get_param, GBASE, 0) == 0 && hp->value == 9,
	  "and reads it back");
	hp->index = HVM_PARAM_IOREQ_PFN;
	T(call(__HYPERVISOR_hvm_op, HVMOP_get_param, GBASE, 0) == -EPERM,
	  "get IOREQ_PFN (the device model's): EPERM");
	hp->index = HVM_PARAM_VIRIDIAN;
	T(call(__HYPERVISOR_hvm_op, HVMOP_get_param, GBASE, 0) == -EPERM,
	  "get VIRIDIAN (the toolstack's): EPERM");
	hp->index = HVM_PARAM_X87_FIP_WIDTH;
	hp->value = 3;
	T(call(__HYPERVISOR_hvm_op, HVMOP_set_param, GBASE, 0) == -EINVAL,
	  "set X87_FIP_WIDTH 3: EINVAL");
	hp->value = 8;
	T(call(__HYPERVISOR_hvm_op, HVMOP_set_param, GBASE, 0) == 0, "set X87_FIP_WIDTH 8");
	hp->index = 7;	/* a hole in params.h */
	T(call(__HYPERVISOR_hvm_op, HVMOP_get_param, GBASE, 0) == -EPERM,
	  "an unassigned param below HVM_NR_PARAMS: EPERM, as Xen");
	memset(xenhv_compat.hvm_params, 0, sizeof(xenhv_compat.hvm_params));
}

void test_time(void)
{
	struct shared_info *si = aligned_alloc(4096, 4096);

	memset(&tm, 0, sizeof(tm));
	memset(si, 0, 4096);
	memset(vi_page, 0, sizeof(vi_page));
	xenhv_compat.ops = &tm_ops;
	xenhv_compat.domid = 1;
	if (xenhv_evtchn_init(si, 2)) {
		T(0, "evtchn_init");
		return;
	}
	test_reftsc_math();
	test_sample_math();
	test_publish(si);
	test_vcpu_areas(si);
	test_physmap();
	test_params();
	xenhv_evtchn_exit();
	free(si);
}
