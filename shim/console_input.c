// SPDX-License-Identifier: GPL-2.0
/* /dev/xenhv-console: bytes written there are the Xen console's input, read by CONSOLEIO_read. */
#include "xenhv.h"

#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

/*
 * On Xen the console's input comes from the hypervisor's serial line; here
 * whoever may write this root-only node types it. What a reader has not
 * taken yet waits in a 4 KiB queue; a write to a full queue is -ENOSPC.
 */

/* protects xenhv_console_in */
static DEFINE_SPINLOCK(xenhv_console_lock);
static DEFINE_KFIFO(xenhv_console_in, char, 4096);

size_t xenhv_console_input_put(const char *buf, size_t len)
{
	return kfifo_in_spinlocked(&xenhv_console_in, buf, len,
				   &xenhv_console_lock);
}

size_t xenhv_console_input_get(char *buf, size_t len)
{
	return kfifo_out_spinlocked(&xenhv_console_in, buf, len,
				    &xenhv_console_lock);
}

static ssize_t xenhv_console_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	char buf[256];
	size_t n = min(len, sizeof(buf));

	if (copy_from_user(buf, ubuf, n))
		return -EFAULT;
	n = xenhv_console_input_put(buf, n);
	return n ? n : -ENOSPC;
}

static const struct file_operations xenhv_console_fops = {
	.owner = THIS_MODULE,
	.write = xenhv_console_write,
	.llseek = noop_llseek,
};

static struct miscdevice xenhv_console_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xenhv-console",
	.fops = &xenhv_console_fops,
	.mode = 0200,
};

int xenhv_console_input_init(void)
{
	return misc_register(&xenhv_console_dev);
}

void xenhv_console_input_exit(void)
{
	misc_deregister(&xenhv_console_dev);
}
