/* SPDX-License-Identifier: GPL-2.0 */
/* Module-private declarations shared by shim/ and hypercall/; included first everywhere. */
#ifndef _XENHV_SHIM_H
#define _XENHV_SHIM_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/types.h>
#include <linux/printk.h>

struct xenhv_call;

/* shim/privcmd.c, shim/hypercall_buf.c: the /dev/xen nodes. */
int xenhv_privcmd_init(void);
void xenhv_privcmd_exit(void);
int xenhv_hypercall_buf_init(void);
void xenhv_hypercall_buf_exit(void);

/* shim/ops.c: the platform ops xen-compat runs on. */
int xenhv_platform_init(void);
void xenhv_platform_exit(void);

/* shim/guest_mem.c: guest memory as user or kernel addresses. */
extern const struct xenhv_guest_mem xenhv_user_mem;
extern const struct xenhv_guest_mem xenhv_kernel_mem;

/* shim/debugfs.c: counters and state for tests and the status tool. */
void xenhv_debugfs_init(void);
void xenhv_debugfs_exit(void);

/* Console input queue (fed through debugfs, read by CONSOLEIO_read). */
size_t xenhv_console_input_put(const char *buf, size_t len);

#endif /* _XENHV_SHIM_H */
