/* SPDX-License-Identifier: GPL-2.0 */
/* ioctls of /dev/xenhv_bench, shared by the bench module and its userspace driver. */
#ifndef _XENHV_BENCH_H
#define _XENHV_BENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* In: loop count; out: nanoseconds the loop took. */
struct xenhv_bench_loop {
	__u64 count;
	__u64 ns;
};

/* Does nothing: the cost of an ioctl on a misc device, the floor. */
#define XENHV_BENCH_NOP		_IO('X', 0)
/* count x HvCallNotifyLongSpinWait straight through hv_do_fast_hypercall8(). */
#define XENHV_BENCH_RAW_YIELD	_IOWR('X', 1, struct xenhv_bench_loop)
/* count x SCHEDOP_yield through xenhv's hypercall page. */
#define XENHV_BENCH_SHIM_YIELD	_IOWR('X', 2, struct xenhv_bench_loop)

/* A loop on Hyper-V event connection conn. */
struct xenhv_bench_signal {
	__u64 count;
	__u64 ns;
	__u32 conn;
	__u32 pad;
};

/* 3 was a loop of HvSignalEvent alone, a one-way floor for a round trip. */
/* count x HvCallFlushVirtualAddressSpace (all processors, all spaces). */
#define XENHV_BENCH_RAW_FLUSH	_IOWR('X', 4, struct xenhv_bench_loop)
/*
 * count x (HvSignalEvent on conn, then sleep until the root partition's
 * event comes back to a kernel handler of a port bound to conn).
 */
#define XENHV_BENCH_ROOT_RTT	_IOWR('X', 5, struct xenhv_bench_signal)

#endif /* _XENHV_BENCH_H */
