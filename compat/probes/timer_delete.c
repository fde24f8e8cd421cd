// SPDX-License-Identifier: GPL-2.0
/* Probe: timer_delete() and timer_delete_sync() (6.2; del_timer*() before, gone in 7.x). */
#include <linux/timer.h>

void xenhv_probe(struct timer_list *t);
void xenhv_probe(struct timer_list *t)
{
	timer_delete(t);
	timer_delete_sync(t);
}
