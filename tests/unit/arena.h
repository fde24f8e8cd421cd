/* SPDX-License-Identifier: GPL-2.0 */
/* Model guest memory for unit tests: an arena at GBASE (GSIZE bytes); any other address faults. */
#ifndef _XENHV_UNIT_ARENA_H
#define _XENHV_UNIT_ARENA_H

#include <string.h>

static unsigned char arena[GSIZE];

static int in_arena(xen_ulong_t a, size_t len)
{
	return a >= GBASE && len <= GSIZE && a - GBASE <= GSIZE - len;
}

static int g_read(void *dst, xen_ulong_t src, size_t len)
{
	if (!in_arena(src, len))
		return -EFAULT;
	memcpy(dst, arena + (src - GBASE), len);
	return 0;
}

static int g_write(xen_ulong_t dst, const void *src, size_t len)
{
	if (!in_arena(dst, len))
		return -EFAULT;
	memcpy(arena + (dst - GBASE), src, len);
	return 0;
}

static void *G(xen_ulong_t a) { return arena + (a - GBASE); }

#endif
