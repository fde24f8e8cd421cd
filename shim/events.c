// SPDX-License-Identifier: GPL-2.0
/* Event channels wired to Hyper-V: shared_info, upcalls on xenhv's SINT, timers, root events. */
#include "xenhv.h"

#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/smp.h>

#include <xenhv/xenhv.h>

#include "../hypercall/hv.h"
#include "../vmbus-client/vmbus.h"
#include "../xen-compat/compat.h"

/* The emulated shared_info page: event channel bitmaps and vcpu_info. */
struct shared_info *xenhv_shared_info;

static DEFINE_PER_CPU(bool, xenhv_in_upcall);

/* Runs with interrupts off on @cpu: from its SINT interrupt or a local kick. */
static void xenhv_run_upcall(unsigned int cpu)
{
	/* A consumer that sends from its handler: the running loop sees it. */
	if (this_cpu_read(xenhv_in_upcall))
		return;
	this_cpu_write(xenhv_in_upcall, true);
	xenhv_evtchn_upcall(cpu);
	this_cpu_write(xenhv_in_upcall, false);
}

/* Xen's vcpu_kick: the upcall runs on the port's vCPU, here or by an IPI. */
void xenhv_events_kick(unsigned int vcpu)
{
	unsigned long flags;

	local_irq_save(flags);
	if (vcpu == smp_processor_id())
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
	return 0;

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
