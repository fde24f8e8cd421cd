// SPDX-License-Identifier: GPL-2.0
/* Use of each /dev/xen node (privcmd, hypercall, evtchn): the counters and their status files. */
#include "xenhv.h"

#include "../xen-compat/compat.h"

struct xenhv_dev_counters xenhv_dev_counters;

/* status/devices: NODE_WHAT, one file each. */
const char *const xenhv_dev_status_keys[XENHV_DEV_STATUS_NR] = {
	"privcmd_opens", "privcmd_ioctls", "hypercall_opens", "hypercall_mmaps",
	"hypercall_pages", "evtchn_opens", "evtchn_ports",
};

void xenhv_dev_status_fill(s64 *v)
{
	const struct xenhv_dev_counters *c = &xenhv_dev_counters;

	v[0] = atomic64_read(&c->privcmd_opens);
	v[1] = atomic64_read(&c->privcmd_ioctls);
	v[2] = atomic64_read(&c->buf_opens);
	v[3] = atomic64_read(&c->buf_mmaps);
	v[4] = atomic64_read(&c->buf_pages);
	v[5] = atomic64_read(&c->evtchn_opens);
	v[6] = xenhv_evtchn_ports_in_use();
}
