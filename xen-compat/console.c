// SPDX-License-Identifier: GPL-2.0
/* console_io: CONSOLEIO_write to the kernel log, CONSOLEIO_read from an input queue. */
#include "compat.h"

/* Xen copies guest text in chunks of this size; so do we (small stack). */
#define XENHV_CONSOLE_CHUNK	127

static long xenhv_console_write(struct xenhv_call *c, unsigned int count,
				xen_ulong_t buf)
{
	char chunk[XENHV_CONSOLE_CHUNK];
	unsigned int n;

	while (count) {
		n = min_t(unsigned int, count, sizeof(chunk));
		if (xenhv_copy_from_guest(c, chunk, buf, n))
			return -EFAULT;
		xenhv_compat.ops->console_write(chunk, n);
		buf += n;
		count -= n;
		/* Up to 4 GiB: a caller killed meanwhile stops here. */
		if (xenhv_call_resched(c))
			return -EINTR;
	}
	return 0;
}

/* Returns the number of bytes read, as Xen's read_console_ring does. */
static long xenhv_console_read(struct xenhv_call *c, unsigned int count,
			       xen_ulong_t buf)
{
	char chunk[XENHV_CONSOLE_CHUNK];
	size_t n, total = 0;

	if (count > INT_MAX)
		return -E2BIG;
	while (total < count) {
		n = xenhv_compat.ops->console_read(chunk,
				min_t(size_t, count - total, sizeof(chunk)));
		if (!n)
			break;
		if (xenhv_copy_to_guest(c, buf + total, chunk, n))
			return -EFAULT;
		total += n;
		if (xenhv_call_resched(c))
			return -EINTR;
	}
	return (long)total;
}

long xenhv_do_console_io(struct xenhv_call *c, int cmd, unsigned int count,
			 xen_ulong_t buf)
{
	/* Xen's default XSM policy: only an is_console domain may use it. */
	if (!xenhv_compat.console_io)
		return -EPERM;

	switch (cmd) {
	case CONSOLEIO_write:
		return xenhv_console_write(c, count, buf);
	case CONSOLEIO_read:
		return xenhv_console_read(c, count, buf);
	default:
		return -ENOSYS;
	}
}
