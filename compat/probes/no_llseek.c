// SPDX-License-Identifier: GPL-2.0
/* Probe: no_llseek still exists (6.12 removed it: a NULL llseek means the same). */
#include <linux/fs.h>

loff_t (*xenhv_probe)(struct file *, loff_t, int) = no_llseek;
