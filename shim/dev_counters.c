// SPDX-License-Identifier: GPL-2.0
/* Use of each /dev/xen node (privcmd, hypercall, evtchn), for the status tool. */
#include "xenhv.h"

#include <linux/seq_file.h>

#include "../xen-compat/compat.h"

struct xenhv_dev_counters xenhv_dev_counters;

void xenhv_dev_counters_show(struct seq_file *m)
{
	const struct xenhv_dev_counters *c = &xenhv_dev_counters;

	seq_printf(m, "privcmd opens %lld ioctls %lld\nhypercall opens %lld mmaps %lld pages %lld\nevtchn opens %lld ports %u\n",
		   atomic64_read(&c->privcmd_opens),
		   atomic64_read(&c->privcmd_ioctls),
		   atomic64_read(&c->buf_opens), atomic64_read(&c->buf_mmaps),
		   atomic64_read(&c->buf_pages),
		   atomic64_read(&c->evtchn_opens),
		   xenhv_evtchn_ports_in_use());
}
