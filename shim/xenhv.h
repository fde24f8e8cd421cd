/* SPDX-License-Identifier: GPL-2.0 */
/* Module-private declarations shared by shim/ and hypercall/; included first everywhere. */
#ifndef _XENHV_SHIM_H
#define _XENHV_SHIM_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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
struct seq_file;
void xenhv_xenbus_show(struct seq_file *m);
struct inode;
struct file;
int xenhv_proc_open_pinned(struct inode *inode, struct file *file,
			   int (*open)(struct inode *, struct file *));
void xenhv_proc_unpin(void);
void xenhv_proc_xen_init(void);
void xenhv_proc_xen_exit(void);
void xenhv_sys_hypervisor_init(void);
void xenhv_sys_hypervisor_exit(void);

/* shim/kapi.c: the dispatcher for callers inside the kernel. */
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

/* shim/grants.c, gntalloc.c, gntdev.c: grant tables and their nodes. */
void *xenhv_frame_alloc(void);
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

/* shim/shared_info.c: time in shared_info, guest areas of hypercalls. */
struct page;
struct vcpu_info;
struct xenhv_guest_mem;
int xenhv_time_init(void);
void xenhv_time_exit(void);
void xenhv_time_show(struct seq_file *m);
int xenhv_time_map_shared_info(const struct xenhv_guest_mem *mem, u64 gfn);
int xenhv_time_vcpu_info_area(const struct xenhv_guest_mem *mem,
			      unsigned int vcpu, u64 gfn, u32 offset,
			      struct vcpu_info **where);
int xenhv_time_runstate_area(const struct xenhv_guest_mem *mem,
			     unsigned int vcpu, unsigned long addr);
int xenhv_privcmd_map_page(unsigned long uaddr, struct page *page);

/* shim/evtchn_dev.c: /dev/xen/evtchn. */
int xenhv_evtchn_dev_init(void);
void xenhv_evtchn_dev_exit(void);

/* shim/guest_mem.c: guest memory as user or kernel addresses. */
extern const struct xenhv_guest_mem xenhv_user_mem;
extern const struct xenhv_guest_mem xenhv_kernel_mem;

/* Use of each /dev/xen node, for the status tool. */
struct xenhv_dev_counters {
	atomic64_t privcmd_opens, privcmd_ioctls;
	atomic64_t buf_opens, buf_mmaps, buf_pages;	/* buf_pages: mapped now */
	atomic64_t evtchn_opens;
};

extern struct xenhv_dev_counters xenhv_dev_counters;

/* shim/debugfs.c: counters and state for tests and the status tool. */
void xenhv_debugfs_init(void);
void xenhv_debugfs_exit(void);

/* Console input queue (fed through debugfs, read by CONSOLEIO_read). */
size_t xenhv_console_input_put(const char *buf, size_t len);

#endif /* _XENHV_SHIM_H */
