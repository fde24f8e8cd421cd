/* SPDX-License-Identifier: GPL-2.0 */
/* The xen-compat layer's contract: its entry points and the ops it needs from below. */
#ifndef _XENHV_COMPAT_H
#define _XENHV_COMPAT_H

#include "port.h"

/* Xen hypercall numbers are 0..63 on x86; the hypercall page has 128 slots. */
#define XENHV_NR_HYPERCALLS	64
/* Xen 4.17's HVM_NR_PARAMS (the kernel's copy of params.h is older). */
#define XENHV_HVM_NR_PARAMS	39

/*
 * How one hypercall reaches guest memory. A /dev/xen/privcmd caller passes
 * user addresses; a kernel caller of the hypercall page passes kernel ones.
 * Both return 0 or -EFAULT, like Xen's copy_{from,to}_guest.
 */
struct xenhv_guest_mem {
	int (*read)(void *dst, xen_ulong_t src, size_t len);
	int (*write)(xen_ulong_t dst, const void *src, size_t len);
	bool kernel;	/* the caller is the kernel: it may name guest frames */
};

/* One hypercall in flight. */
struct xenhv_call {
	const struct xenhv_guest_mem *mem;
	unsigned int multicall_depth;	/* >0 inside a multicall entry */
	/*
	 * A privcmd caller without CAP_SYS_ADMIN: the guest's one grant
	 * table, shared by every user, is not its to see.
	 */
	bool unprivileged;
};

/*
 * Whether this call may sleep: a privcmd caller always may, a kernel caller
 * only where it is preemptible (Xen's API is called from event handlers).
 */
static inline bool xenhv_call_may_sleep(const struct xenhv_call *c)
{
	return !c->mem->kernel || xenhv_may_sleep();
}

/*
 * Between the steps of a long loop: give way where sleeping is allowed,
 * and stop a privcmd caller that is being killed (-EINTR), as Linux's
 * privcmd does. Kernel callers are never cut short.
 */
static inline int xenhv_call_resched(const struct xenhv_call *c)
{
	if (!c->mem->kernel && xenhv_fatal_signal_pending())
		return -EINTR;
	if (xenhv_call_may_sleep(c))
		cond_resched();
	return 0;
}

static inline int xenhv_copy_from_guest(struct xenhv_call *c, void *dst,
					xen_ulong_t src, size_t len)
{
	return c->mem->read(dst, src, len);
}

static inline int xenhv_copy_to_guest(struct xenhv_call *c, xen_ulong_t dst,
				      const void *src, size_t len)
{
	return c->mem->write(dst, src, len);
}

/*
 * What xen-compat needs from the layers below. shim/ fills it with Hyper-V
 * hypercalls and kernel services; the unit tests fill it with a model.
 */
struct xenhv_platform_ops {
	/* Give way: HvCallNotifyLongSpinWait; 0 or -errno. */
	int (*vcpu_yield)(void);
	/* Orderly power-off or reboot of the guest. */
	void (*shutdown)(bool reboot);
	/* Hyper-V crash notification with P0..P4, then stop the guest. */
	void (*crash)(const u64 params[5]);
	/* (Re)arm watchdog @id to call xenhv_watchdog_expired(@id) in @secs. */
	void (*watchdog_arm)(unsigned int id, unsigned int secs);
	void (*watchdog_stop)(unsigned int id);
	/* Text a guest wrote with CONSOLEIO_write. */
	void (*console_write)(const char *buf, size_t len);
	/* Up to @len bytes of console input; returns the count taken. */
	size_t (*console_read)(char *buf, size_t len);
	/* The VM's UUID as Xen's domain handle (Hyper-V's SMBIOS UUID). */
	void (*domain_handle)(u8 handle[XENHV_DOMAIN_HANDLE_LEN]);
	/* vCPUs: how many the domain has, which are up, their Hyper-V VP index. */
	unsigned int (*vcpu_count)(void);
	bool (*vcpu_online)(unsigned int vcpu);
	u32 (*vp_index)(unsigned int vcpu);
	/* Time @vcpu ran (HV_X64_MSR_VP_RUNTIME), and now, in ns: 0 or -errno. */
	int (*vcpu_runtime)(unsigned int vcpu, u64 *running_ns, u64 *now_ns);
	/* Memory: pages the guest has, its highest frame. */
	u64 (*total_pages)(void);
	u64 (*max_pfn)(void);
	/* TLB flushes on every vCPU (HvCallFlushVirtualAddressSpace/List). */
	void (*flush_tlb_all)(void);
	void (*flush_tlb_va)(unsigned long va);
	/* Event channels: run @vcpu's upcall, here or by an IPI to it. */
	void (*evtchn_kick)(unsigned int vcpu);
	/* HvSignalEvent on root-partition connection @conn: 0 or -errno. */
	int (*root_signal)(u32 conn);
	/* Xen system time (ns), the clock vCPU timers count on. */
	u64 (*system_time)(void);
	/* The vCPU the caller runs on (Xen's "current"). */
	unsigned int (*current_vcpu)(void);
	/* Arm or stop timer @which of @vcpu; expiry calls xenhv_timer_fired(). */
	int (*timer_arm)(unsigned int vcpu, unsigned int which, u64 expires_ns,
			 u64 period_ns);
	void (*timer_stop)(unsigned int vcpu, unsigned int which);
	/*
	 * SCHEDOP_poll: sleep until xenhv_evtchn_poll_ready(@ports) or Xen
	 * time @timeout (0: none); 0, or -EINTR for a signal. poll_wake() is
	 * called whenever a port becomes pending.
	 */
	long (*poll_wait)(const evtchn_port_t *ports, unsigned int nr,
			  u64 timeout);
	void (*poll_wake)(void);
	/*
	 * Grant tables: a zeroed page for the table (@atomic: without
	 * sleeping), its frame, a frame's page.
	 */
	void *(*frame_alloc)(bool atomic);
	void (*frame_free)(void *va);
	u64 (*frame_gfn)(void *va);
	void *(*frame_va)(u64 gfn);	/* NULL: not a frame of our RAM */
	/* Show our page @va at the caller's frame @gfn (see map_shared_info). */
	int (*frame_show)(const struct xenhv_guest_mem *mem, u64 gfn, void *va);
	/*
	 * Guest areas named by vcpu_op and memory_op. A frame or address
	 * means what @mem's caller means by one: a page of its process for a
	 * privcmd caller, kernel memory for a kernel one.
	 * map_shared_info: show shared_info at frame @gfn; 0 or -EINVAL.
	 * vcpu_info_area: the kernel address of (@gfn, @offset) to hold
	 * @vcpu's vcpu_info from now on; 0 or -EINVAL.
	 * runstate_area: keep @vcpu's runstate at @addr up to date (0: stop);
	 * 0 or -errno.
	 */
	int (*map_shared_info)(const struct xenhv_guest_mem *mem, u64 gfn);
	int (*vcpu_info_area)(const struct xenhv_guest_mem *mem,
			      unsigned int vcpu, u64 gfn, u32 offset,
			      struct vcpu_info **where);
	int (*runstate_area)(const struct xenhv_guest_mem *mem,
			     unsigned int vcpu, xen_ulong_t addr);
};

/* What xen_version reports; module parameters in the kernel. */
struct xenhv_version_info {
	unsigned int major, minor;
	const char *extra;
};

struct xenhv_compat_config {
	const struct xenhv_platform_ops *ops;
	struct xenhv_version_info version;
	unsigned int domid;
	/* console_io allowed, as for a domain Xen's toolstack marked is_console */
	bool console_io;
	/* ports may bind root-partition event connections (HvSignalEvent) */
	bool root_events;
	/* HVM params the guest set or read (HVMOP_set/get_param) */
	u64 hvm_params[XENHV_HVM_NR_PARAMS];
};

extern struct xenhv_compat_config xenhv_compat;

/*
 * The domains that exist for a domU here: itself (by id or DOMID_SELF) and
 * domain 0, the root partition. Asking about another domain answers as Xen's
 * XSM answers a domU: -EPERM for domain 0, -ESRCH for one that is not there.
 */
static inline bool xenhv_is_self(unsigned int dom)
{
	return (u16)dom == DOMID_SELF || (u16)dom == xenhv_compat.domid;
}

static inline long xenhv_not_ours(unsigned int dom)
{
	return (u16)dom == 0 ? -EPERM : -ESRCH;
}

/* Dispatcher: Xen hypercall number and five arguments to a handler. */
long xenhv_do_hypercall(struct xenhv_call *c, unsigned long op,
			const xen_ulong_t args[5]);

/* The subsystems (one file each). */
long xenhv_do_xen_version(struct xenhv_call *c, int cmd, xen_ulong_t arg);
long xenhv_do_sched_op(struct xenhv_call *c, int cmd, xen_ulong_t arg);
long xenhv_do_console_io(struct xenhv_call *c, int cmd, unsigned int count,
			 xen_ulong_t buf);
long xenhv_do_multicall(struct xenhv_call *c, xen_ulong_t list,
			unsigned int nr_calls);
long xenhv_do_vcpu_op(struct xenhv_call *c, int cmd, unsigned int vcpu,
		      xen_ulong_t arg);
long xenhv_do_memory_op(struct xenhv_call *c, unsigned long cmd,
			xen_ulong_t arg);
long xenhv_do_hvm_op(struct xenhv_call *c, unsigned long op, xen_ulong_t arg);
long xenhv_do_mmuext_op(struct xenhv_call *c, xen_ulong_t ops,
			unsigned int count, xen_ulong_t pdone,
			unsigned int foreigndom);

/* Watchdogs: expiry (called by the platform timer) and teardown. */
#define XENHV_NR_WATCHDOGS	2	/* Xen's NR_DOMAIN_WATCHDOG_TIMERS */
void xenhv_watchdog_expired(unsigned int id);
void xenhv_watchdog_stop_all(void);
unsigned int xenhv_watchdog_armed(void);

/* Crash notification parameters: P0 tags the crash as xenhv's ("XENHV"). */
#define XENHV_CRASH_TAG		0x58454e4856ULL
void xenhv_report_crash(unsigned int reason, u64 p2, u64 p3);

/* Event channels (evtchn*.c, vcpu_info.c): the 2-level ABI, 4096 ports. */
#define XENHV_EVTCHN_NR		4096	/* EVTCHN_2L_NR_CHANNELS on 64-bit */
#define XENHV_NR_VIRQS		24	/* Xen's NR_VIRQS */
#define XENHV_EVTCHNOP_reset_cont	14
/* Root-partition connections a port can bind: one SynIC event flag each. */
#define XENHV_ROOT_CONNECTIONS	2048	/* HV_EVENT_FLAGS_COUNT */

/* A port's consumer: called in the upcall with the port's pending bit cleared. */
typedef void (*xenhv_evtchn_fire_t)(evtchn_port_t port, void *owner);

struct xenhv_evtchn_counters {
	atomic64_t upcalls, delivered, coalesced;
	atomic64_t root_sends, root_events, root_unbound;
};

struct shared_info;
int xenhv_evtchn_init(struct shared_info *si, unsigned int nr_vcpus);
void xenhv_evtchn_exit(void);
long xenhv_evtchn_op(int cmd, void *arg);
long xenhv_do_event_channel_op(struct xenhv_call *c, int cmd, xen_ulong_t arg);
int xenhv_evtchn_attach(evtchn_port_t port, xenhv_evtchn_fire_t fire,
			void *owner, bool mask_on_fire);
int xenhv_evtchn_release(evtchn_port_t port, void *owner);
int xenhv_evtchn_notify(evtchn_port_t port, void *owner);
int xenhv_evtchn_get(evtchn_port_t port);
void xenhv_evtchn_put(evtchn_port_t port);
void xenhv_evtchn_unmask(evtchn_port_t port);
void xenhv_evtchn_upcall(unsigned int vcpu);
void xenhv_evtchn_send_virq(unsigned int vcpu, unsigned int virq);
void xenhv_evtchn_root_event(u32 conn);
unsigned int xenhv_evtchn_ports_in_use(void);
long xenhv_evtchn_poll_ready(const evtchn_port_t *ports, unsigned int nr);

/* What debugfs shows of one port (Xen's ECS_* state, its bits, its consumer). */
struct xenhv_evtchn_info {
	u8 state;
	u16 remote_dom;
	u32 remote_port, vcpu;
	bool pending, masked, consumer, mask_on_fire;
	u16 refs;
};

bool xenhv_evtchn_port_info(evtchn_port_t port, struct xenhv_evtchn_info *info);
extern struct xenhv_evtchn_counters xenhv_evtchn_stats;

/* Grant tables (gnttab.c): v1, Xen's default of 64 frames (32768 refs). */
#define XENHV_GNTTAB_MAX_FRAMES	64
/* Refs Linux on Xen keeps for the toolstack (console, xenstore rings). */
#define XENHV_GNTTAB_RESERVED	8

struct xenhv_gnttab_counters {
	atomic64_t grants, revoked, maps, copies;
};

extern struct xenhv_gnttab_counters xenhv_gnttab_stats;
int xenhv_gnttab_init(void);
void xenhv_gnttab_exit(void);
long xenhv_gnttab_grant(domid_t domid, u64 gfn, bool readonly);
int xenhv_gnttab_end(grant_ref_t ref);
int xenhv_gnttab_map(domid_t dom, grant_ref_t ref, bool readonly, u64 *gfn);
void xenhv_gnttab_unmap(grant_ref_t ref, bool readonly);
struct gnttab_copy;
s16 xenhv_gnttab_copy_one(const struct xenhv_call *c, struct gnttab_copy *op,
			  void *src_local, void *dst_local);
void xenhv_gnttab_copy_acquire(struct gnttab_copy *ops, unsigned int n,
			       u8 **src, u8 **dst);
void xenhv_gnttab_copy_release(const struct gnttab_copy *ops, unsigned int n,
			       unsigned int copied);
long xenhv_do_grant_table_op(struct xenhv_call *c, unsigned int cmd,
			     xen_ulong_t uop, unsigned int count);
unsigned int xenhv_gnttab_in_use(void);
unsigned int xenhv_gnttab_frames(void);
long xenhv_gnttab_map_frame(struct xenhv_call *c, xen_ulong_t idx, u64 gfn);

/* vCPU timers (vcpu_timer.c): Xen's singleshot and periodic timer per vCPU. */
#define XENHV_TIMER_SINGLESHOT	0
#define XENHV_TIMER_PERIODIC	1
#define XENHV_VCPUOP_set_periodic_timer		6
#define XENHV_VCPUOP_stop_periodic_timer	7
#define XENHV_VCPUOP_set_singleshot_timer	8
#define XENHV_VCPUOP_stop_singleshot_timer	9
long xenhv_do_set_timer_op(u64 timeout);
long xenhv_vcpu_timer_op(struct xenhv_call *c, int cmd, unsigned int vcpu,
			 xen_ulong_t arg);
void xenhv_timer_fired(unsigned int vcpu);

/* Time (pvclock.c): the line every vCPU's pvclock follows, and the wall clock. */
struct xenhv_pvclock {
	u64 tsc_timestamp;
	u64 system_time;	/* ns of Xen system time at tsc_timestamp */
	u32 mul;
	s8 shift;
	u8 flags;
	u64 cal_tsc, cal_ns;	/* the fallback's last sample (not published) */
};

struct vcpu_info;
u64 xenhv_pvclock_scale(u64 delta, u32 mul, s8 shift);
u64 xenhv_pvclock_read(const struct xenhv_pvclock *p, u64 tsc);
void xenhv_pvclock_from_reftsc(struct xenhv_pvclock *p, u64 scale, s64 offset,
			       u64 tsc);
void xenhv_pvclock_from_sample(struct xenhv_pvclock *p, u32 tsc_khz, u64 tsc,
			       u64 now_ns);
void xenhv_pvclock_publish(struct vcpu_info *vi, const struct xenhv_pvclock *p);
void xenhv_wallclock_publish(struct shared_info *si, u64 real_ns, u64 now_ns);
void xenhv_time_set(const struct xenhv_pvclock *p);
void xenhv_time_get(struct xenhv_pvclock *p);
void xenhv_time_republish(unsigned int vcpu);

/* vCPU areas: vcpu_info moved by VCPUOP_register_vcpu_info, runstate. */
struct vcpu_info *xenhv_evtchn_vcpu_info(unsigned int vcpu);
int xenhv_evtchn_move_vcpu_info(unsigned int vcpu, struct vcpu_info *to);
bool xenhv_evtchn_vcpu_info_moved(unsigned int vcpu);
#define XENHV_RUNSTATE_SIZE	48	/* struct vcpu_runstate_info, 64-bit */
int xenhv_vcpu_runstate_get(unsigned int vcpu, void *rs);

/* Per-hypercall-number call counts, for status output and tests. */
u64 xenhv_hypercall_count(unsigned int op);

#endif /* _XENHV_COMPAT_H */
