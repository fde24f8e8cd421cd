// SPDX-License-Identifier: GPL-2.0
/* Probe: timer_container_of() (6.16; from_timer() before, gone in 7.x). */
#include <linux/timer.h>

struct xenhv_probe_s {
	struct timer_list t;
};

struct xenhv_probe_s *xenhv_probe(struct timer_list *t);
struct xenhv_probe_s *xenhv_probe(struct timer_list *t)
{
	return timer_container_of((struct xenhv_probe_s *)NULL, t, t);
}
