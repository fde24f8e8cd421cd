// SPDX-License-Identifier: GPL-2.0
/* xenhv's own SynIC interrupt source: a SINT per CPU with its own vector, beside hv_vmbus. */

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/irq_work.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>
#include <asm/mshyperv.h>

#include "../hypercall/hv.h"
#include "vmbus.h"

/*
 * hv_vmbus owns SINT2 (VMBUS_MESSAGE_SINT) and the SynIC's shared vector.
 * xenhv takes another SINT and gives it a vector of its own on each CPU, so
 * neither driver has to know the other.
 */
#define XENHV_VMBUS_SINT	2	/* drivers/hv's VMBUS_MESSAGE_SINT */

static unsigned int sint = 5;
module_param(sint, uint, 0444);
MODULE_PARM_DESC(sint, "Hyper-V SINT xenhv's timers, IPIs and root-partition events arrive on, 0..15 but not VMBus's 2 (default 5)");

struct xenhv_synic_cpu {
	int irq;			/* ours, with a vector on this CPU only */
	unsigned int vector;
	/* The SynIC pages in use: hv_vmbus's if it set them, else ours. */
	struct hv_message_page *msg_page;
	union hv_synic_event_flags *event_page;
	void *own_msg_page, *own_event_page;
	bool owns_scontrol;
	/* Taken from the slots in hard interrupt context, not yet reported. */
	atomic_long_t pending_timers;	/* bit n: HVMSG_TIMER_EXPIRED of timer n */
	atomic_long_t pending_flags[HV_EVENT_FLAGS_LONG_COUNT];
	/* Reports them on PREEMPT_RT, from this CPU's irq_work thread. */
	struct irq_work report_work;
};

static DEFINE_PER_CPU(struct xenhv_synic_cpu, xenhv_synic_cpu);
static const struct xenhv_synic_handlers *xenhv_synic_h;
static struct irq_domain *xenhv_synic_domain;
static struct fwnode_handle *xenhv_synic_fwnode;
static enum cpuhp_state xenhv_synic_hp_state;

unsigned int xenhv_synic_sint(void)
{
	return sint;
}

int xenhv_synic_vector(unsigned int cpu)
{
	return per_cpu(xenhv_synic_cpu, cpu).irq > 0 ?
	       per_cpu(xenhv_synic_cpu, cpu).vector : -1;
}

bool xenhv_synic_shared(unsigned int cpu)
{
	struct xenhv_synic_cpu *sc = per_cpu_ptr(&xenhv_synic_cpu, cpu);

	return sc->msg_page && sc->msg_page != sc->own_msg_page;
}

void xenhv_synic_kick(unsigned int cpu)
{
	int vector = xenhv_synic_vector(cpu);

	if (vector > 0)
		xenhv_hv_send_ipi(cpu, vector);
}

/* A message slot is free again; tell Hyper-V if it queued another. */
static void xenhv_synic_msg_done(struct hv_message *msg)
{
	WRITE_ONCE(msg->header.message_type, HVMSG_NONE);
	/* The slot must read empty before Hyper-V looks again (TLFS 11.10.4). */
	mb();
	if (msg->header.message_flags.msg_pending)
		wrmsrl(HV_X64_MSR_EOM, 0);
}

/*
 * SIMP and SIEFP share a layout: enable in bit 0, the page's frame from bit
 * 12. The page one of them names now, or NULL when it is off.
 */
static void *xenhv_synic_page(u32 msr)
{
	u64 v;

	rdmsrl(msr, v);
	return (v & HV_SYNIC_SIMP_ENABLE) ? phys_to_virt(v & HV_HYP_PAGE_MASK) :
					    NULL;
}

/* Point @msr at our @page, unless somebody (hv_vmbus) has a page there. */
static void xenhv_synic_page_claim(u32 msr, void *page)
{
	u64 v;

	rdmsrl(msr, v);
	if (!(v & HV_SYNIC_SIMP_ENABLE))
		wrmsrl(msr, (v & ~HV_HYP_PAGE_MASK) | virt_to_phys(page) |
			    HV_SYNIC_SIMP_ENABLE);
}

/* Turn @msr off if it still names our @page; true if it did. */
static bool xenhv_synic_page_release(u32 msr, void *page)
{
	if (xenhv_synic_page(msr) != page)
		return false;
	wrmsrl(msr, 0);
	return true;
}

/*
 * The pages the SynIC uses now, read from its MSRs: hv_vmbus may have
 * replaced (CPU hotplug) or freed (unload) the ones we knew, and a page it
 * freed must not be touched.
 */
static void xenhv_synic_check_pages(struct xenhv_synic_cpu *sc)
{
	sc->msg_page = xenhv_synic_page(HV_X64_MSR_SIMP);
	sc->event_page = xenhv_synic_page(HV_X64_MSR_SIEFP);
}

/*
 * Take what our SINT's slot of one message page and one event flags page
 * (either may be NULL) carries, freeing the slots for Hyper-V. No locks: this
 * runs in hard interrupt context on every kernel, PREEMPT_RT included.
 */
static void xenhv_synic_take_pages(struct xenhv_synic_cpu *sc,
				   struct hv_message_page *msg_page,
				   union hv_synic_event_flags *event_page)
{
	struct hv_message *msg;
	u32 type, timer;

	if (msg_page) {
		msg = &msg_page->sint_message[sint];
		type = READ_ONCE(msg->header.message_type);
		if (type == HVMSG_TIMER_EXPIRED) {
			timer = ((struct hv_timer_message_payload *)
				 msg->u.payload)->timer_index;
			xenhv_synic_msg_done(msg);
			if (timer < BITS_PER_LONG)
				atomic_long_or(BIT(timer), &sc->pending_timers);
			else
				atomic64_inc(&xenhv_hv_counters.stimer_stray);
		} else if (type != HVMSG_NONE) {
			atomic64_inc(&xenhv_hv_counters.synic_stray_msgs);
			xenhv_synic_msg_done(msg);
		}
	}
	if (event_page)
		xenhv_vmbus_take_flags(&event_page[sint], sc->pending_flags);
}

/* Everything our SINT may carry on this CPU: one timer message, event flags. */
static void xenhv_synic_take(struct xenhv_synic_cpu *sc)
{
	xenhv_synic_check_pages(sc);
	xenhv_synic_take_pages(sc, sc->msg_page, sc->event_page);
}

/* Hand what was taken to the event channel layer, then the upcall. */
static void xenhv_synic_report(struct xenhv_synic_cpu *sc, unsigned int cpu)
{
	unsigned long timers;
	unsigned int t;

	timers = atomic_long_xchg(&sc->pending_timers, 0);
	for_each_set_bit(t, &timers, BITS_PER_LONG)
		xenhv_synic_h->timer(cpu, t);
	xenhv_vmbus_report_flags(sc->pending_flags, xenhv_synic_h->root_event);
	xenhv_synic_h->upcall(cpu);
}

static void xenhv_synic_report_work(struct irq_work *w)
{
	xenhv_synic_report(container_of(w, struct xenhv_synic_cpu, report_work),
			   smp_processor_id());
}

/*
 * Report now, or on PREEMPT_RT from this CPU's irq_work thread: what the
 * handlers take there (spinlock_t, wait queues) sleeps, so it must not run
 * in hard interrupt context; Linux's own Hyper-V drivers defer their work
 * out of the SynIC interrupt the same way.
 */
static void xenhv_synic_deliver(struct xenhv_synic_cpu *sc, unsigned int cpu)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		irq_work_queue(&sc->report_work);
	else
		xenhv_synic_report(sc, cpu);
}

static irqreturn_t xenhv_synic_isr(int irq, void *dev_id)
{
	struct xenhv_synic_cpu *sc = this_cpu_ptr(&xenhv_synic_cpu);

	atomic64_inc(&xenhv_hv_counters.synic_irqs);
	xenhv_synic_take(sc);
	xenhv_synic_deliver(sc, smp_processor_id());
	return IRQ_HANDLED;
}

/*
 * Point this CPU at the SynIC pages in use: hv_vmbus's when it has enabled
 * them, otherwise ours (enabling the SynIC too). Runs on the CPU, with
 * interrupts off, at CPU online and whenever hv_vmbus comes or goes; what
 * arrived in the old pages meanwhile is taken before switching.
 */
static void xenhv_synic_sync_cpu(void *unused)
{
	struct xenhv_synic_cpu *sc = this_cpu_ptr(&xenhv_synic_cpu);
	unsigned int cpu = smp_processor_id();
	union hv_synic_scontrol sctrl;

	if (sc->irq <= 0)
		return;
	xenhv_synic_take(sc);
	/*
	 * hv_vmbus switches the SynIC to its own pages in its CPU callback,
	 * without knowing ours: a timer message or event flag Hyper-V wrote
	 * into our page just before, whose interrupt had not run yet, is
	 * there still and nobody scans that page any more. Take it now; our
	 * pages live as long as this CPU's state.
	 */
	xenhv_synic_take_pages(sc, sc->msg_page != sc->own_msg_page ? sc->own_msg_page : NULL,
			       sc->event_page != sc->own_event_page ? sc->own_event_page : NULL);

	xenhv_synic_page_claim(HV_X64_MSR_SIMP, sc->own_msg_page);
	xenhv_synic_page_claim(HV_X64_MSR_SIEFP, sc->own_event_page);
	rdmsrl(HV_X64_MSR_SCONTROL, sctrl.as_uint64);
	if (!sctrl.enable) {
		sctrl.enable = 1;
		wrmsrl(HV_X64_MSR_SCONTROL, sctrl.as_uint64);
		sc->owns_scontrol = true;
	}
	xenhv_synic_take(sc);
	/* IPIs that came while the SynIC was off are pending events now. */
	xenhv_synic_deliver(sc, cpu);
}

static void xenhv_synic_set_sint(unsigned int vector, bool masked)
{
	union hv_synic_sint s = { .as_uint64 = 0 };

	s.vector = vector;
	s.masked = masked;
	wrmsrl(HV_X64_MSR_SINT0 + sint, s.as_uint64);
}

/* This CPU stops using the SynIC: our SINT masked, our pages given back. */
static void xenhv_synic_stop_cpu(void *unused)
{
	struct xenhv_synic_cpu *sc = this_cpu_ptr(&xenhv_synic_cpu);
	union hv_synic_scontrol sctrl;
	bool ours;

	xenhv_synic_set_sint(0, true);
	/* Both are looked at: each of our pages still named is given back. */
	ours = xenhv_synic_page_release(HV_X64_MSR_SIMP, sc->own_msg_page);
	ours &= xenhv_synic_page_release(HV_X64_MSR_SIEFP, sc->own_event_page);
	/* The SynIC goes off only if nobody else (hv_vmbus) uses it now. */
	if (ours && sc->owns_scontrol) {
		rdmsrl(HV_X64_MSR_SCONTROL, sctrl.as_uint64);
		sctrl.enable = 0;
		wrmsrl(HV_X64_MSR_SCONTROL, sctrl.as_uint64);
	}
	sc->owns_scontrol = false;
	sc->msg_page = NULL;
	sc->event_page = NULL;
}

static struct irq_chip xenhv_synic_chip = {
	.name = "xenhv-synic",
	/* The vector domain acks the local APIC. No irq_set_affinity: the
	 * vector must stay on the CPU whose SINT names it.
	 */
	.irq_ack = irq_chip_ack_parent,
};

static int xenhv_synic_domain_alloc(struct irq_domain *d, unsigned int virq,
				    unsigned int nr_irqs, void *arg)
{
	int ret = irq_domain_alloc_irqs_parent(d, virq, nr_irqs, arg);

	if (ret)
		return ret;
	irq_domain_set_info(d, virq, virq, &xenhv_synic_chip, NULL,
			    handle_edge_irq, NULL, "edge");
	return 0;
}

static const struct irq_domain_ops xenhv_synic_domain_ops = {
	.alloc = xenhv_synic_domain_alloc,
	.free = irq_domain_free_irqs_common,
};

/* CPU hotplug: runs on @cpu as it comes up (and for every CPU at load). */
static int xenhv_synic_cpu_online(unsigned int cpu)
{
	struct xenhv_synic_cpu *sc = per_cpu_ptr(&xenhv_synic_cpu, cpu);
	struct irq_alloc_info info = { .mask = cpumask_of(cpu) };
	struct irq_affinity_desc *aff;
	int irq, ret;

	init_irq_work(&sc->report_work, xenhv_synic_report_work);
	sc->own_msg_page = (void *)get_zeroed_page(GFP_KERNEL);
	sc->own_event_page = (void *)get_zeroed_page(GFP_KERNEL);
	if (!sc->own_msg_page || !sc->own_event_page) {
		ret = -ENOMEM;
		goto free_pages;
	}
	/*
	 * A vector on this CPU alone: the parent assigns it from info.mask now
	 * and, at activation, again from the IRQ's affinity, so both say @cpu.
	 */
	aff = kzalloc(sizeof(*aff), GFP_KERNEL);
	if (!aff) {
		ret = -ENOMEM;
		goto free_pages;
	}
	cpumask_copy(&aff->mask, cpumask_of(cpu));
	irq = __irq_domain_alloc_irqs(xenhv_synic_domain, -1, 1, cpu_to_node(cpu),
				      &info, false, aff);
	kfree(aff);
	if (irq <= 0) {
		ret = irq ? irq : -ENOSPC;
		goto free_pages;
	}
	ret = request_irq(irq, xenhv_synic_isr, IRQF_NOBALANCING | IRQF_NO_THREAD,
			  "xenhv-synic", NULL);
	if (ret)
		goto dispose_irq;
	sc->vector = irqd_cfg(irq_get_irq_data(irq))->vector;
	sc->irq = irq;
	if (!cpumask_equal(irq_data_get_effective_affinity_mask(irq_get_irq_data(irq)),
			   cpumask_of(cpu))) {
		/* Never seen; a SINT naming another CPU's vector would be lost. */
		pr_err("SynIC vector for CPU %u landed on another CPU\n", cpu);
		ret = -EIO;
		goto free_irq;
	}

	local_irq_disable();
	xenhv_synic_sync_cpu(NULL);
	xenhv_synic_set_sint(sc->vector, false);
	local_irq_enable();
	return 0;

free_irq:
	free_irq(irq, NULL);
	sc->irq = 0;
dispose_irq:
	irq_dispose_mapping(irq);
free_pages:
	free_page((unsigned long)sc->own_event_page);
	free_page((unsigned long)sc->own_msg_page);
	sc->own_msg_page = NULL;
	sc->own_event_page = NULL;
	return ret;
}

static int xenhv_synic_cpu_offline(unsigned int cpu)
{
	struct xenhv_synic_cpu *sc = per_cpu_ptr(&xenhv_synic_cpu, cpu);

	if (sc->irq <= 0)
		return 0;
	local_irq_disable();
	xenhv_synic_stop_cpu(NULL);
	local_irq_enable();
	free_irq(sc->irq, NULL);
	/* A report queued by the last interrupt runs before the handlers go. */
	irq_work_sync(&sc->report_work);
	irq_dispose_mapping(sc->irq);
	sc->irq = 0;
	free_page((unsigned long)sc->own_event_page);
	free_page((unsigned long)sc->own_msg_page);
	sc->own_msg_page = NULL;
	sc->own_event_page = NULL;
	return 0;
}

/*
 * hv_vmbus sets its own SynIC pages when it loads and turns the SynIC off
 * when it unloads; either way, follow it on every CPU.
 */
static int xenhv_synic_module_event(struct notifier_block *nb,
				    unsigned long state, void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "hv_vmbus") ||
	    (state != MODULE_STATE_LIVE && state != MODULE_STATE_GOING))
		return NOTIFY_DONE;
	cpus_read_lock();
	on_each_cpu(xenhv_synic_sync_cpu, NULL, 1);
	cpus_read_unlock();
	pr_info("hv_vmbus %s: SynIC pages followed on every CPU\n",
		state == MODULE_STATE_LIVE ? "loaded" : "unloaded");
	return NOTIFY_OK;
}

static struct notifier_block xenhv_synic_module_nb = {
	.notifier_call = xenhv_synic_module_event,
};

int xenhv_synic_init(const struct xenhv_synic_handlers *h)
{
	int ret;

	if (sint >= HV_SYNIC_SINT_COUNT || sint == XENHV_VMBUS_SINT) {
		pr_err("sint must be 0..15 and not VMBus's %d\n", XENHV_VMBUS_SINT);
		return -EINVAL;
	}
	xenhv_synic_h = h;
	xenhv_synic_fwnode = irq_domain_alloc_named_fwnode("xenhv-synic");
	if (!xenhv_synic_fwnode)
		return -ENOMEM;
	xenhv_synic_domain = irq_domain_create_hierarchy(x86_vector_domain, 0, 0,
							 xenhv_synic_fwnode,
							 &xenhv_synic_domain_ops,
							 NULL);
	if (!xenhv_synic_domain) {
		ret = -ENOMEM;
		goto free_fwnode;
	}
	ret = register_module_notifier(&xenhv_synic_module_nb);
	if (ret)
		goto remove_domain;
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "xenhv/synic:online",
				xenhv_synic_cpu_online, xenhv_synic_cpu_offline);
	if (ret < 0)
		goto unregister_notifier;
	xenhv_synic_hp_state = ret;
	pr_info("SynIC: SINT%u, a vector of its own on each CPU%s\n", sint,
		xenhv_synic_shared(0) ? ", sharing hv_vmbus's SynIC pages" : "");
	return 0;

unregister_notifier:
	unregister_module_notifier(&xenhv_synic_module_nb);
remove_domain:
	irq_domain_remove(xenhv_synic_domain);
free_fwnode:
	irq_domain_free_fwnode(xenhv_synic_fwnode);
	return ret;
}

void xenhv_synic_exit(void)
{
	cpuhp_remove_state(xenhv_synic_hp_state);
	unregister_module_notifier(&xenhv_synic_module_nb);
	irq_domain_remove(xenhv_synic_domain);
	irq_domain_free_fwnode(xenhv_synic_fwnode);
}
