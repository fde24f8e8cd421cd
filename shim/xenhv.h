/* SPDX-License-Identifier: GPL-2.0 */
/* Module-private declarations of shim/: what its files call in each other. */
#ifndef _XENHV_SHIM_H
#define _XENHV_SHIM_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/printk.h>

struct xenhv_call;

/* shim/privcmd.c, shim/hypercall_buf.c: the /dev/xen nodes. */
int xenhv_privcmd_init(void);
void xenhv_privcmd_exit(void);
int xenhv_hypercall_buf_init(void);
void xenhv_hypercall_buf_exit(void);

/* shim/proc_xen.c, shim/sys_hypervisor.c: Xen's compatibility files (optional). */
extern const struct proc_ops xenhv_privcmd_proc_ops;
extern const struct proc_ops xenhv_xenbus_proc_ops;

/* shim/identity.c: the Xen identity captured on Xen (module parameter identity=). */
struct xs_store;
void xenhv_identity_load(void);
bool xenhv_identity_uuid(u8 *handle);
const char *xenhv_identity_name(void);
void xenhv_identity_seed(struct xs_store *s);

/* shim/xenbus.c: the in-guest XenStore on /dev/xen/xenbus. */
int xenhv_xenbus_init(unsigned int domid);
void xenhv_xenbus_exit(void);
#define XENHV_XENBUS_STATUS_NR	16
extern const char *const xenhv_xenbus_status_keys[XENHV_XENBUS_STATUS_NR];
void xenhv_xenbus_status_fill(s64 *v);
struct inode;
struct file;
int xenhv_proc_open_pinned(struct inode *inode, struct file *file,
			   int (*open)(struct inode *, struct file *));
void xenhv_proc_unpin(void);
void xenhv_proc_xen_init(void);
void xenhv_proc_xen_exit(void);
void xenhv_sys_hypervisor_init(void);
void xenhv_sys_hypervisor_exit(void);

/* shim/hypercall_kernel.c: the dispatcher for callers inside the kernel. */
long xenhv_hypercall_kernel(unsigned long op, unsigned long a1,
			    unsigned long a2, unsigned long a3,
			    unsigned long a4, unsigned long a5);

/* shim/ops.c: the platform ops xen-compat runs on. */
int xenhv_platform_init(void);
void xenhv_platform_exit(void);

/* shim/events.c: event channels on Hyper-V, and their platform ops. */
int xenhv_events_init(void);
void xenhv_events_exit(void);
void xenhv_events_kick(unsigned int vcpu);
int xenhv_events_root_signal(u32 conn);
unsigned int xenhv_events_current_vcpu(void);
void xenhv_events_poll_wake(void);
long xenhv_events_poll_wait(const u32 *ports, unsigned int nr, u64 timeout);
struct shared_info;
extern struct shared_info *xenhv_shared_info;

/* shim/grants.c, gntalloc.c, gntdev.c, gntdev_copy.c: grant tables and their nodes. */
void *xenhv_frame_alloc(bool atomic);
void xenhv_frame_free(void *va);
u64 xenhv_frame_gfn(void *va);
void *xenhv_frame_va(u64 gfn);
struct xenhv_guest_mem;
int xenhv_frame_show(const struct xenhv_guest_mem *mem, u64 gfn, void *va);
int xenhv_gntalloc_init(void);
int xenhv_gntalloc_count(void);
void xenhv_gntalloc_exit(void);
int xenhv_gntdev_init(void);
void xenhv_gntdev_exit(void);
struct xenhv_copy_batch;
long xenhv_gntdev_grant_copy(struct xenhv_copy_batch **cache, void __user *u);

/* shim/time.c: time in shared_info, and the runstate areas it keeps current. */
struct page;
struct vcpu_info;
struct xenhv_guest_mem;
int xenhv_time_init(void);
void xenhv_time_exit(void);
#define XENHV_TIME_STATUS_NR	13
extern const char *const xenhv_time_status_keys[XENHV_TIME_STATUS_NR];
void xenhv_time_status_fill(s64 *v);
const char *xenhv_time_status_text(unsigned int idx);
int xenhv_time_runstate_area(const struct xenhv_guest_mem *mem,
			     unsigned int vcpu, unsigned long addr);

/* shim/guest_areas.c: shared_info and vcpu_info where a caller names them. */
int xenhv_guest_areas_init(void);
void xenhv_guest_areas_exit(void);
int xenhv_area_map_shared_info(const struct xenhv_guest_mem *mem, u64 gfn);
int xenhv_area_vcpu_info(const struct xenhv_guest_mem *mem, unsigned int vcpu,
			 u64 gfn, u32 offset, struct vcpu_info **where);
int xenhv_privcmd_map_page(unsigned long uaddr, struct page *page);

/* shim/evtchn_dev.c: /dev/xen/evtchn. */
int xenhv_evtchn_dev_init(void);
void xenhv_evtchn_dev_exit(void);

/* shim/guest_mem.c: guest memory as user or kernel addresses. */
extern const struct xenhv_guest_mem xenhv_user_mem;
extern const struct xenhv_guest_mem xenhv_kernel_mem;

/* shim/dev_counters.c: use of each /dev/xen node, for the status tool. */
struct xenhv_dev_counters {
	atomic64_t privcmd_opens, privcmd_ioctls;
	atomic64_t buf_opens, buf_mmaps, buf_pages;	/* buf_pages: mapped now */
	atomic64_t evtchn_opens;
};

extern struct xenhv_dev_counters xenhv_dev_counters;
#define XENHV_DEV_STATUS_NR	7
extern const char *const xenhv_dev_status_keys[XENHV_DEV_STATUS_NR];
void xenhv_dev_status_fill(s64 *v);

/* shim/status.c: /sys/module/xenhv/status, what the status tool reads. */
void xenhv_status_init(void);
void xenhv_status_exit(void);

/* shim/debugfs.c: detail and knobs for tests only. */
void xenhv_debugfs_init(void);
void xenhv_debugfs_exit(void);

/* shim/console_input.c: /dev/xenhv-console, the queue CONSOLEIO_read reads. */
int xenhv_console_input_init(void);
void xenhv_console_input_exit(void);
size_t xenhv_console_input_put(const char *buf, size_t len);
size_t xenhv_console_input_get(char *buf, size_t len);

#endif /* _XENHV_SHIM_H */
