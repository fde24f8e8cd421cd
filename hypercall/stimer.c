// SPDX-License-Identifier: GPL-2.0
/* Xen's per-vCPU timers on Hyper-V synthetic timers 1 and 2 (message mode), or hrtimers. */

#include <linux/cpu.h>
#include <linux/hrtimer.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/mshyperv.h>

#include "hv.h"

/* STIMER0 is Linux's clockevent; Xen's singleshot timer is 1, periodic 2. */
#define XENHV_STIMER_FIRST	1
#define XENHV_NR_TIMERS		2
#define XENHV_PERIODIC		1
/* The synthetic timers' MSRs come in CONFIG/COUNT pairs. */
#define XENHV_STIMER_CONFIG(t)	(HV_X64_MSR_STIMER0_CONFIG + 2 * (t))
#define XENHV_STIMER_COUNT(t)	(HV_X64_MSR_STIMER0_COUNT + 2 * (t))

/*
 * Without synthetic timers: one pinned hrtimer per Xen timer and CPU, which
 * knows its vCPU (a CPU going offline moves its hrtimers elsewhere).
 */
struct xenhv_hrt {
	struct hrtimer t;
	unsigned int cpu, which;
	u64 period_ns;
};

struct xenhv_cpu_timers {
	struct xenhv_hrt hrt[XENHV_NR_TIMERS];
};

static DEFINE_PER_CPU(struct xenhv_cpu_timers, xenhv_cpu_timers);
static xenhv_timer_fn xenhv_timer_expiry;
static unsigned int xenhv_timer_sint;

/* Xen system time: Hyper-V's partition reference time, in ns. */
u64 xenhv_hv_system_time(void)
{
	if (xenhv_hv.time_ref_count)
		return hv_read_reference_counter() * 100;
	return ktime_get_ns();
}

struct xenhv_timer_req {
	unsigned int which;
	u64 expires_ns, period_ns;	/* expires_ns 0: stop */
};

/* Runs on the timer's own VP: the synthetic timer MSRs are per VP. */
static void xenhv_stimer_program(void *arg)
{
	const struct xenhv_timer_req *r = arg;
	unsigned int t = XENHV_STIMER_FIRST + r->which;
	union hv_stimer_config cfg = { .as_uint64 = 0 };
	u64 count;

	wrmsrl(XENHV_STIMER_CONFIG(t), 0);
	wrmsrl(XENHV_STIMER_COUNT(t), 0);
	if (!r->expires_ns)
		return;
	cfg.enable = 1;
	cfg.auto_enable = 1;
	cfg.sintx = xenhv_timer_sint;
	cfg.periodic = !!r->period_ns;
	/* One-shot: absolute reference time; periodic: the period (100 ns). */
	count = div_u64(r->period_ns ? r->period_ns : r->expires_ns, 100);
	/* A count of 0 would disable the timer instead of firing it. */
	count = max_t(u64, count, 1);
	wrmsrl(XENHV_STIMER_CONFIG(t), cfg.as_uint64);
	wrmsrl(XENHV_STIMER_COUNT(t), count);
	atomic64_inc(&xenhv_hv_counters.stimer_armed);
}

/* Runs on the timer's CPU too: a pinned hrtimer stays where it was started. */
static void xenhv_hrtimer_program(void *arg)
{
	const struct xenhv_timer_req *r = arg;
	struct xenhv_hrt *h = &this_cpu_ptr(&xenhv_cpu_timers)->hrt[r->which];
	struct hrtimer *t = &h->t;
	s64 delta;

	/*
	 * Not running now on this CPU when it expires in hard interrupt context;
	 * on PREEMPT_RT it may be (softirq thread), and is then re-armed below.
	 */
	hrtimer_try_to_cancel(t);
	h->period_ns = r->which == XENHV_PERIODIC ? r->period_ns : 0;
	if (!r->expires_ns)
		return;
	/* Xen time and CLOCK_MONOTONIC differ by an offset; keep the delta. */
	delta = (s64)(r->expires_ns - xenhv_hv_system_time());
	hrtimer_start(t, ktime_add_ns(ktime_get(), max_t(s64, delta, 0)),
		      HRTIMER_MODE_ABS_PINNED);
}

/* Arm (or, with @expires_ns 0, stop) timer @which of @cpu. */
static int xenhv_timer_program(unsigned int cpu, unsigned int which,
			       u64 expires_ns, u64 period_ns)
{
	struct xenhv_timer_req r = {
		.which = which, .expires_ns = expires_ns, .period_ns = period_ns,
	};

	if (!xenhv_timer_expiry)
		return -ENODEV;
	if (which >= XENHV_NR_TIMERS || cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -ENOENT;
	return smp_call_function_single(cpu, xenhv_hv.stimer ?
					xenhv_stimer_program :
					xenhv_hrtimer_program, &r, 1);
}

int xenhv_hv_timer_arm(unsigned int cpu, unsigned int which, u64 expires_ns,
		       u64 period_ns)
{
	/* Xen time 0 is long past: the timer is due now, not stopped. */
	return xenhv_timer_program(cpu, which, max_t(u64, expires_ns, 1),
				   period_ns);
}

void xenhv_hv_timer_stop(unsigned int cpu, unsigned int which)
{
	xenhv_timer_program(cpu, which, 0, 0);
}

/* HVMSG_TIMER_EXPIRED on xenhv's SINT, from the SynIC interrupt. */
void xenhv_hv_stimer_expired(unsigned int cpu, u32 timer_index)
{
	xenhv_timer_fn fn;

	if (timer_index < XENHV_STIMER_FIRST ||
	    timer_index >= XENHV_STIMER_FIRST + XENHV_NR_TIMERS) {
		atomic64_inc(&xenhv_hv_counters.stimer_stray);
		return;
	}
	fn = READ_ONCE(xenhv_timer_expiry);
	/* A message that was queued when the timers were torn down. */
	if (!fn)
		return;
	atomic64_inc(&xenhv_hv_counters.stimer_fired);
	fn(cpu, timer_index - XENHV_STIMER_FIRST);
}

static enum hrtimer_restart xenhv_hrtimer_fired(struct hrtimer *t)
{
	struct xenhv_hrt *h = container_of(t, struct xenhv_hrt, t);
	xenhv_timer_fn fn = READ_ONCE(xenhv_timer_expiry);

	atomic64_inc(&xenhv_hv_counters.hrtimer_fired);
	if (fn)
		fn(h->cpu, h->which);
	if (h->period_ns) {
		hrtimer_forward_now(t, ns_to_ktime(h->period_ns));
		return HRTIMER_RESTART;
	}
	return HRTIMER_NORESTART;
}

int xenhv_hv_timers_init(xenhv_timer_fn expiry, unsigned int sint)
{
	unsigned int cpu, i;

	for_each_possible_cpu(cpu) {
		struct xenhv_cpu_timers *ct = per_cpu_ptr(&xenhv_cpu_timers, cpu);

		for (i = 0; i < XENHV_NR_TIMERS; i++) {
			/*
			 * Not _HARD: the expiry takes the event channel lock
			 * (spinlock_t), so on PREEMPT_RT it must run in the
			 * softirq thread; elsewhere it is hard interrupt context.
			 */
			hrtimer_init(&ct->hrt[i].t, CLOCK_MONOTONIC,
				     HRTIMER_MODE_ABS_PINNED);
			ct->hrt[i].t.function = xenhv_hrtimer_fired;
			ct->hrt[i].cpu = cpu;
			ct->hrt[i].which = i;
		}
	}
	xenhv_timer_sint = sint;
	xenhv_timer_expiry = expiry;
	if (!xenhv_hv.stimer)
		pr_info("fallback: no Hyper-V synthetic timers, Xen vCPU timers use hrtimers\n");
	return 0;
}

/* Every timer of every CPU stopped, before the SINT they fire on goes away. */
void xenhv_hv_timers_exit(void)
{
	unsigned int cpu, i;

	cpus_read_lock();
	for_each_online_cpu(cpu)
		for (i = 0; i < XENHV_NR_TIMERS; i++)
			xenhv_timer_program(cpu, i, 0, 0);
	cpus_read_unlock();
	for_each_possible_cpu(cpu)
		for (i = 0; i < XENHV_NR_TIMERS; i++)
			hrtimer_cancel(&per_cpu(xenhv_cpu_timers, cpu).hrt[i].t);
	xenhv_timer_expiry = NULL;
}
