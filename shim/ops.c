// SPDX-License-Identifier: GPL-2.0
/* The platform ops xen-compat runs on: Hyper-V hypercalls and kernel services. */
#include "xenhv.h"

#include <linux/ctype.h>
#include <linux/dmi.h>
#include <linux/jiffies.h>
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <asm/mshyperv.h>
#include <asm/tlbflush.h>
#include <linux/module.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>

#include "../hypercall/hv.h"
#include "../xen-compat/compat.h"

static bool crash_poweroff = true;
module_param(crash_poweroff, bool, 0644);
MODULE_PARM_DESC(crash_poweroff, "Power the guest off after a Xen crash or watchdog report, as Xen's default on_crash=destroy (default Y)");

static int xenhv_vcpu_yield(void)
{
	int ret = xenhv_hv_notify_long_spin_wait(1);

	/*
	 * Let Linux run someone else too, where the caller may sleep: Xen's
	 * guests yield from spinlock slow paths with interrupts off.
	 */
	if (xenhv_may_sleep())
		cond_resched();
	return ret;
}

static void xenhv_shutdown(bool reboot)
{
	pr_info("guest asked Xen for %s\n", reboot ? "reboot" : "poweroff");
	if (reboot)
		orderly_reboot();
	else
		orderly_poweroff(true);
}

/* Runs in process context: the watchdog timer defers to it. */
static void xenhv_crash(const u64 p[5])
{
	pr_emerg("Xen shutdown reason %llu reported to Hyper-V as a guest crash (P0..P4 %#llx %#llx %#llx %#llx %#llx)%s\n",
		 p[1], p[0], p[1], p[2], p[3], p[4],
		 xenhv_hv.crash_msrs ? "" : ", but Hyper-V has no crash MSRs");
	xenhv_hv_crash_notify(p);
	if (crash_poweroff)
		kernel_power_off();
}

/* Watchdogs: a timer per id; expiry runs the crash path from a work item. */
struct xenhv_watchdog {
	struct timer_list timer;
	struct work_struct work;
	unsigned int id;
	bool armed;	/* holds a module reference: in use, like an open file */
};

static struct xenhv_watchdog xenhv_watchdogs[XENHV_NR_WATCHDOGS];

static void xenhv_watchdog_work(struct work_struct *work)
{
	struct xenhv_watchdog *w = container_of(work, struct xenhv_watchdog,
						work);

	xenhv_watchdog_expired(w->id);
}

static void xenhv_watchdog_timer(struct timer_list *t)
{
	struct xenhv_watchdog *w = timer_container_of(w, t, timer);

	schedule_work(&w->work);
}

static void xenhv_watchdog_arm(unsigned int id, unsigned int secs)
{
	struct xenhv_watchdog *w = &xenhv_watchdogs[id - 1];
	unsigned long delay = (unsigned long)secs * HZ;

	if (!w->armed) {
		__module_get(THIS_MODULE);
		w->armed = true;
	}
	mod_timer(&w->timer,
		  jiffies + min_t(unsigned long, delay, MAX_JIFFY_OFFSET));
}

static void xenhv_watchdog_stop(unsigned int id)
{
	struct xenhv_watchdog *w = &xenhv_watchdogs[id - 1];

	timer_delete(&w->timer);
	if (w->armed) {
		w->armed = false;
		module_put(THIS_MODULE);
	}
}

/*
 * Guest console text goes to the kernel log a line at a time, prefixed as
 * Xen prefixes a domain's output, with anything unprintable dropped.
 */
static void xenhv_console_write(const char *buf, size_t len)
{
	char line[129];
	size_t i, n = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || buf[i] == '\n' || n == sizeof(line) - 1) {
			if (n) {
				line[n] = '\0';
				pr_info_ratelimited("(d%u) %s\n",
						    xenhv_compat.domid, line);
			}
			n = 0;
			if (i == len || buf[i] == '\n')
				continue;
		}
		if (isprint(buf[i]) || buf[i] == '\t')
			line[n++] = buf[i];
	}
}

/* Hyper-V gives the VM's ID as the SMBIOS system UUID; Xen calls it the handle. */
static void xenhv_domain_handle(u8 handle[XENHV_DOMAIN_HANDLE_LEN])
{
	const char *s = dmi_get_system_info(DMI_PRODUCT_UUID);
	uuid_t u;

	/* The UUID the VM had on Xen, when its captured identity was given. */
	if (xenhv_identity_uuid(handle))
		return;
	memset(handle, 0, XENHV_DOMAIN_HANDLE_LEN);
	if (s && !uuid_parse(s, &u))
		memcpy(handle, u.b, XENHV_DOMAIN_HANDLE_LEN);
}

static unsigned int xenhv_vcpu_count(void)
{
	return nr_cpu_ids;
}

static bool xenhv_vcpu_online(unsigned int vcpu)
{
	return cpu_online(vcpu);
}

static u32 xenhv_vp_index(unsigned int vcpu)
{
	return hv_vp_index ? hv_vp_index[vcpu] : vcpu;
}

/* Without the VP runtime MSR: the time Linux accounted as busy on that CPU. */
static u64 xenhv_cpustat_busy(unsigned int cpu)
{
	const u64 *s = kcpustat_cpu(cpu).cpustat;

	return s[CPUTIME_USER] + s[CPUTIME_NICE] + s[CPUTIME_SYSTEM] +
	       s[CPUTIME_IRQ] + s[CPUTIME_SOFTIRQ];
}

static int xenhv_vcpu_runtime(unsigned int vcpu, u64 *running, u64 *now)
{
	if (!cpu_online(vcpu))
		return -ENOENT;
	*now = xenhv_hv_system_time();
	if (!xenhv_hv.vp_runtime) {
		*running = xenhv_cpustat_busy(vcpu);
		return 0;
	}
	return xenhv_hv_vp_runtime(vcpu, running);
}

static u64 xenhv_total_pages(void)
{
	return totalram_pages();
}

/* On x86-64 all RAM is mapped: high_memory ends the highest frame. */
static u64 xenhv_max_pfn(void)
{
	return PHYS_PFN(__pa(high_memory - 1));
}

static void xenhv_local_flush(void *unused)
{
	xenhv_flush_tlb_local();
}

/* Hyper-V flushes when it recommends it; the plain Linux flush otherwise. */
static void xenhv_flush_tlb_all(void)
{
	if (xenhv_hv.tlbflush && !xenhv_hv_flush_all())
		return;
	on_each_cpu(xenhv_local_flush, NULL, 1);
}

static void xenhv_flush_tlb_va(unsigned long va)
{
	if (xenhv_hv.tlbflush && !xenhv_hv_flush_va(va))
		return;
	on_each_cpu(xenhv_local_flush, NULL, 1);
}

static const struct xenhv_platform_ops xenhv_kernel_ops = {
	.vcpu_yield = xenhv_vcpu_yield,
	.shutdown = xenhv_shutdown,
	.crash = xenhv_crash,
	.watchdog_arm = xenhv_watchdog_arm,
	.watchdog_stop = xenhv_watchdog_stop,
	.console_write = xenhv_console_write,
	.console_read = xenhv_console_input_get,
	.domain_handle = xenhv_domain_handle,
	.vcpu_count = xenhv_vcpu_count,
	.vcpu_online = xenhv_vcpu_online,
	.vp_index = xenhv_vp_index,
	.vcpu_runtime = xenhv_vcpu_runtime,
	.total_pages = xenhv_total_pages,
	.max_pfn = xenhv_max_pfn,
	.flush_tlb_all = xenhv_flush_tlb_all,
	.flush_tlb_va = xenhv_flush_tlb_va,
	.evtchn_kick = xenhv_events_kick,
	.root_signal = xenhv_events_root_signal,
	.system_time = xenhv_hv_system_time,
	.current_vcpu = xenhv_events_current_vcpu,
	.timer_arm = xenhv_hv_timer_arm,
	.timer_stop = xenhv_hv_timer_stop,
	.poll_wait = xenhv_events_poll_wait,
	.poll_wake = xenhv_events_poll_wake,
	.frame_alloc = xenhv_frame_alloc,
	.frame_free = xenhv_frame_free,
	.frame_gfn = xenhv_frame_gfn,
	.frame_va = xenhv_frame_va,
	.frame_show = xenhv_frame_show,
	.map_shared_info = xenhv_area_map_shared_info,
	.vcpu_info_area = xenhv_area_vcpu_info,
	.runstate_area = xenhv_time_runstate_area,
};

int xenhv_platform_init(void)
{
	unsigned int i;

	for (i = 0; i < XENHV_NR_WATCHDOGS; i++) {
		xenhv_watchdogs[i].id = i + 1;
		timer_setup(&xenhv_watchdogs[i].timer, xenhv_watchdog_timer, 0);
		INIT_WORK(&xenhv_watchdogs[i].work, xenhv_watchdog_work);
	}
	xenhv_compat.ops = &xenhv_kernel_ops;
	return 0;
}

void xenhv_platform_exit(void)
{
	unsigned int i;

	xenhv_watchdog_stop_all();
	for (i = 0; i < XENHV_NR_WATCHDOGS; i++) {
		timer_delete_sync(&xenhv_watchdogs[i].timer);
		cancel_work_sync(&xenhv_watchdogs[i].work);
	}
}
