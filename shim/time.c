// SPDX-License-Identifier: GPL-2.0
/* Time in shared_info kept current: pvclock, wall clock, and registered runstate areas. */
#include "xenhv.h"

#include <linux/mm.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <asm/tsc.h>

#include <xenhv/xenhv.h>

#include "../hypercall/hv.h"
#include "../xen-compat/compat.h"

/*
 * Xen refreshes a vCPU's time about once a second; so does xenhv, for
 * every vCPU at once. Between refreshes a reader extrapolates with the TSC.
 */
#define XENHV_TIME_PERIOD	HZ

/* A runstate area: the registering process's memory, or the kernel's. */
struct xenhv_runstate_area {
	xen_ulong_t addr;		/* 0: none */
	struct mm_struct *mm;		/* NULL: a kernel address */
};

static struct {
	/* protects the time fields below (process context only) */
	struct mutex lock;
	bool reftsc;		/* the last refresh used the TSC page */
	u32 sequence;		/* its sequence then (a change: Hyper-V rescaled) */
	u64 updates, reftsc_changes;
	/*
	 * protects runstate and runstate_writes; a spinlock, as kernel
	 * callers may register an area from an event handler
	 */
	spinlock_t rs_lock;
	struct xenhv_runstate_area *runstate;	/* per vCPU */
	u64 runstate_writes;
} xt = {
	.lock = __MUTEX_INITIALIZER(xt.lock),
	.rs_lock = __SPIN_LOCK_UNLOCKED(xt.rs_lock),
};

static void xenhv_time_refresh(struct work_struct *work);
static DECLARE_DELAYED_WORK(xenhv_time_work, xenhv_time_refresh);

/* Xen system time and the time of day at one instant, interrupts off. */
static void xenhv_sample_clocks(u64 *tsc, u64 *now, u64 *real)
{
	unsigned long flags;
	u64 r0;

	local_irq_save(flags);
	r0 = ktime_get_real_ns();
	*tsc = rdtsc_ordered();
	*now = xenhv_hv_system_time();
	*real = r0 + (ktime_get_real_ns() - r0) / 2;
	local_irq_restore(flags);
}

static void xenhv_runstate_drop(struct xenhv_runstate_area *a)
{
	if (a->mm)
		mmdrop(a->mm);
	a->mm = NULL;
	a->addr = 0;
}

/*
 * Every registered runstate area, written without any lock held while user
 * memory is touched, and without faulting: a page that is not there (paged
 * out, write-protected, or in a userfaultfd region nobody serves) is skipped
 * this time, as Xen skips a runstate write it cannot make, so no process can
 * stall the refresh. A kernel area is written under the lock, so its owner
 * can unregister and free it.
 */
static void xenhv_runstate_refresh(void)
{
	struct xenhv_runstate_area a, gone;
	u8 rs[XENHV_RUNSTATE_SIZE];
	unsigned long flags;
	unsigned int cpu;
	bool live;

	for_each_online_cpu(cpu) {
		/*
		 * Another vCPU's running time costs an IPI that this worker
		 * waits for: only a vCPU with an area is read (checked again
		 * under the lock), so an idle guest is not woken each second.
		 */
		if (!READ_ONCE(xt.runstate[cpu].addr))
			continue;
		gone.mm = NULL;
		if (xenhv_vcpu_runstate_get(cpu, rs))
			continue;
		spin_lock_irqsave(&xt.rs_lock, flags);
		a = xt.runstate[cpu];
		live = a.addr && (!a.mm || mmget_not_zero(a.mm));
		if (live && !a.mm) {
			(void)xenhv_kernel_mem.write(a.addr, rs, sizeof(rs));
			xt.runstate_writes++;
		} else if (a.addr && !live) {
			/* Its process is gone: the area goes too. */
			gone = a;
			xt.runstate[cpu].addr = 0;
			xt.runstate[cpu].mm = NULL;
		}
		spin_unlock_irqrestore(&xt.rs_lock, flags);
		xenhv_runstate_drop(&gone);
		if (!live || !a.mm)
			continue;
		/* The worker borrows the process's address space for the copy. */
		kthread_use_mm(a.mm);
		live = !copy_to_user_nofault((void __user *)a.addr, rs, sizeof(rs));
		kthread_unuse_mm(a.mm);
		mmput(a.mm);
		if (live) {
			spin_lock_irqsave(&xt.rs_lock, flags);
			xt.runstate_writes++;
			spin_unlock_irqrestore(&xt.rs_lock, flags);
		}
	}
}

/*
 * The refresh: a new pvclock line for every vCPU (from the TSC page when it
 * is valid, else the TSC frequency and Xen system time), the wall clock,
 * and every registered runstate area.
 */
static void xenhv_time_refresh(struct work_struct *work)
{
	struct xenhv_hv_reftsc r;
	struct xenhv_pvclock p;
	u64 tsc, now, real;
	bool reftsc;

	mutex_lock(&xt.lock);
	xenhv_time_get(&p);
	reftsc = xenhv_hv_reftsc_read(&r);
	if (reftsc) {
		if (xt.reftsc && r.sequence != xt.sequence)
			xt.reftsc_changes++;
		xt.sequence = r.sequence;
		xenhv_pvclock_from_reftsc(&p, r.scale, r.offset, r.tsc);
		p.cal_tsc = 0;
	} else {
		xenhv_sample_clocks(&tsc, &now, &real);
		xenhv_pvclock_from_sample(&p, tsc_khz, tsc, now);
	}
	if (reftsc != xt.reftsc && xt.updates)
		pr_info("pvclock now from %s\n", reftsc ?
			"the Hyper-V reference TSC page" :
			"the TSC frequency (the reference TSC page became invalid)");
	xt.reftsc = reftsc;
	xenhv_time_set(&p);
	xenhv_sample_clocks(&tsc, &now, &real);
	xenhv_wallclock_publish(xenhv_shared_info, real, now);
	xt.updates++;
	mutex_unlock(&xt.lock);
	xenhv_runstate_refresh();
	schedule_delayed_work(&xenhv_time_work, XENHV_TIME_PERIOD);
}

/*
 * VCPUOP_register_runstate_memory_area: a privcmd caller's address is in
 * its own process, written by the refresh worker in that address space for
 * as long as the process lives; a kernel caller's is kernel memory.
 */
int xenhv_time_runstate_area(const struct xenhv_guest_mem *mem,
			     unsigned int vcpu, xen_ulong_t addr)
{
	struct xenhv_runstate_area *a = &xt.runstate[vcpu], old;
	unsigned long flags;

	spin_lock_irqsave(&xt.rs_lock, flags);
	old = *a;
	a->addr = addr;
	a->mm = NULL;
	if (addr && mem == &xenhv_user_mem) {
		a->mm = current->mm;
		mmgrab(a->mm);
	}
	spin_unlock_irqrestore(&xt.rs_lock, flags);
	xenhv_runstate_drop(&old);
	return 0;
}

int xenhv_time_init(void)
{
	xt.runstate = kcalloc(nr_cpu_ids, sizeof(*xt.runstate), GFP_KERNEL);
	if (!xt.runstate)
		return -ENOMEM;
	if (!xenhv_hv_reftsc_usable())
		pr_info("fallback: %s, Xen pvclock from the TSC frequency and Xen system time\n",
			xenhv_hv.ref_tsc ? "ref_tsc=N" :
			"no Hyper-V reference TSC page");
	/* The first refresh now: shared_info has a clock before anyone maps it. */
	xenhv_time_refresh(&xenhv_time_work.work);
	return 0;
}

void xenhv_time_exit(void)
{
	unsigned int cpu;

	cancel_delayed_work_sync(&xenhv_time_work);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		xenhv_runstate_drop(&xt.runstate[cpu]);
	kfree(xt.runstate);
	xt.runstate = NULL;
	xt.updates = 0;
	xt.reftsc = false;
}

/* status/time: the source, the line every vCPU follows, the updates. */
const char *const xenhv_time_status_keys[XENHV_TIME_STATUS_NR] = {
	"source", "tsc_sequence", "tsc_khz", "tsc_timestamp", "system_time",
	"mul", "shift", "flags", "updates", "reftsc_changes", "runstate_areas",
	"runstate_writes", "vcpu_info_moved",
};

const char *xenhv_time_status_text(unsigned int idx)
{
	if (idx)
		return NULL;
	return READ_ONCE(xt.reftsc) ? "reftsc" : "tsc";
}

void xenhv_time_status_fill(s64 *v)
{
	struct xenhv_pvclock p;
	unsigned int cpu, areas = 0, moved = 0;
	unsigned long flags;
	u64 writes;

	spin_lock_irqsave(&xt.rs_lock, flags);
	for_each_possible_cpu(cpu)
		areas += !!xt.runstate[cpu].addr;
	writes = xt.runstate_writes;
	spin_unlock_irqrestore(&xt.rs_lock, flags);
	mutex_lock(&xt.lock);
	xenhv_time_get(&p);
	for_each_possible_cpu(cpu)
		moved += xenhv_evtchn_vcpu_info_moved(cpu);
	v[0] = xt.reftsc;
	v[1] = xenhv_hv_reftsc_sequence();
	v[2] = tsc_khz;
	v[3] = p.tsc_timestamp;
	v[4] = p.system_time;
	v[5] = p.mul;
	v[6] = p.shift;
	v[7] = p.flags;
	v[8] = xt.updates;
	v[9] = xt.reftsc_changes;
	v[10] = areas;
	v[11] = writes;
	v[12] = moved;
	mutex_unlock(&xt.lock);
}
