// SPDX-License-Identifier: GPL-2.0
/* Probe: hrtimer_setup() (6.13; hrtimer_init() and ->function before, gone in 7.x). */
#include <linux/hrtimer.h>

static enum hrtimer_restart xenhv_probe_fn(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

void xenhv_probe(struct hrtimer *t);
void xenhv_probe(struct hrtimer *t)
{
	hrtimer_setup(t, xenhv_probe_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
}
