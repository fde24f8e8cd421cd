// SPDX-License-Identifier: GPL-2.0
/* Event channels wired to Hyper-V: shared_info, upcalls on xenhv's SINT, timers, root events. */
#include "xenhv.h"

#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/smp.h>
#include <linux/wait.h>

#include <xenhv/xenhv.h>

#include "../hypercall/hv.h"
#include "../vmbus-client/vmbus.h"
#include "../xen-compat/compat.h"

/* The emulated shared_info page: event channel bitmaps and vcpu_info. */
struct shared_info *xenhv_shared_info;

static DEFINE_PER_CPU(bool, xenhv_in_upcall);

/*
 * Runs on @cpu from its SINT interrupt or a local kick, with interrupts off;
 * on PREEMPT_RT from the SINT's irq_work thread, which is bound to @cpu.
 */
static void xenhv_run_upcall(unsigned int cpu)
{
	/* A consumer that sends from its handler: the running loop sees it. */
	if (this_cpu_read(xenhv_in_upcall))
		return;
	this_cpu_write(xenhv_in_upcall, true);
	/*
	 * Consumers free what a handler is given after synchronize_rcu(). With
	 * interrupts off that waits for this loop anyway; on PREEMPT_RT the loop
	 * runs preemptible in a thread, and only a read-side section holds it.
	 */
	rcu_read_lock();
	xenhv_evtchn_upcall(cpu);
	rcu_read_unlock();
	this_cpu_write(xenhv_in_upcall, false);
}

/* Xen's vcpu_kick: the upcall runs on the port's vCPU, here or by an IPI. */
void xenhv_events_kick(unsigned int vcpu)
{
	unsigned long flags;

	local_irq_save(flags);
	/*
	 * On PREEMPT_RT the upcall takes sleeping locks, so it runs only from
	 * the SynIC interrupt's irq_work thread: a local kick takes the SINT too.
	 */
	if (vcpu == smp_processor_id() && !IS_ENABLED(CONFIG_PREEMPT_RT))
		xenhv_run_upcall(vcpu);
	else
		xenhv_synic_kick(vcpu);
	local_irq_restore(flags);
}

int xenhv_events_root_signal(u32 conn)
{
	return xenhv_vmbus_signal_event(conn);
}

unsigned int xenhv_events_current_vcpu(void)
{
	return raw_smp_processor_id();
}

/* SCHEDOP_poll sleepers; woken whenever any port becomes pending. */
static DECLARE_WAIT_QUEUE_HEAD(xenhv_poll_wq);

void xenhv_events_poll_wake(void)
{
	if (wq_has_sleeper(&xenhv_poll_wq))
		wake_up_all(&xenhv_poll_wq);
}

long xenhv_events_poll_wait(const evtchn_port_t *ports, unsigned int nr,
			    u64 timeout)
{
	ktime_t rel = KTIME_MAX;
	long ret;

	if (timeout) {
		s64 left = (s64)(timeout - xenhv_hv_system_time());

		/* Xen: a timeout already past ends the poll at once. */
		if (left <= 0)
			return 0;
		rel = ns_to_ktime(left);
	}
	ret = wait_event_interruptible_hrtimeout(xenhv_poll_wq,
						 xenhv_evtchn_poll_ready(ports, nr),
						 rel);
	return ret == -ETIME ? 0 : ret == -ERESTARTSYS ? -EINTR : ret;
}

static void xenhv_events_timer_expired(unsigned int cpu, unsigned int which)
{
	xenhv_timer_fired(cpu);
}

static const struct xenhv_synic_handlers xenhv_synic_handlers = {
	.timer = xenhv_hv_stimer_expired,
	.root_event = xenhv_evtchn_root_event,
	.upcall = xenhv_run_upcall,
};

int xenhv_events_init(void)
{
	int ret;

	xenhv_shared_info = (struct shared_info *)get_zeroed_page(GFP_KERNEL);
	if (!xenhv_shared_info)
		return -ENOMEM;
	ret = xenhv_evtchn_init(xenhv_shared_info, nr_cpu_ids);
	if (ret)
		goto free_page;
	ret = xenhv_hv_timers_init(xenhv_events_timer_expired, xenhv_synic_sint());
	if (ret)
		goto exit_evtchn;
	ret = xenhv_synic_init(&xenhv_synic_handlers);
	if (ret)
		goto exit_timers;
	xenhv_compat.root_events = xenhv_hv.signal_events;
	if (!xenhv_hv.signal_events)
		pr_info("fallback: Hyper-V does not let this partition signal events, no root-partition ports\n");
	ret = xenhv_guest_areas_init();
	if (ret)
		goto exit_synic;
	/* Time lives in shared_info's vcpu_info too: after event channels. */
	ret = xenhv_time_init();
	if (ret)
		goto exit_areas;
	return 0;

exit_areas:
	xenhv_guest_areas_exit();
exit_synic:
	xenhv_compat.root_events = false;
	xenhv_synic_exit();
exit_timers:
	xenhv_hv_timers_exit();
exit_evtchn:
	xenhv_evtchn_exit();
free_page:
	free_page((unsigned long)xenhv_shared_info);
	return ret;
}

void xenhv_events_exit(void)
{
	xenhv_time_exit();
	xenhv_guest_areas_exit();
	xenhv_compat.root_events = false;
	xenhv_hv_timers_exit();
	xenhv_synic_exit();
	xenhv_evtchn_exit();
	free_page((unsigned long)xenhv_shared_info);
	xenhv_shared_info = NULL;
}

/* The kernel API: a module takes a port's events in a handler of its own. */
int xenhv_evtchn_bind_handler(u32 port, xenhv_evtchn_handler_t fn,
			      void *data)
{
	if (!fn)
		return -EINVAL;
	return xenhv_evtchn_attach(port, fn, data, false);
}
EXPORT_SYMBOL_GPL(xenhv_evtchn_bind_handler);

/* Closes the port; when it returns, @fn runs no more for it. */
int xenhv_evtchn_close_handler(u32 port, void *data)
{
	int ret = xenhv_evtchn_release(port, data);

	synchronize_rcu();
	return ret;
}
EXPORT_SYMBOL_GPL(xenhv_evtchn_close_handler);
