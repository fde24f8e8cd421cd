// SPDX-License-Identifier: GPL-2.0
/* privcmd under attack: endless loops must die with their caller; table frames need privilege. */
#define _GNU_SOURCE
#define __XEN_TOOLS__ 1
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/grant_table.h>
#include <xen/vcpu.h>
#include <xen/sys/privcmd.h>

#include "tap.h"

#define PG	4096
#define U(p)	((uint64_t)(uintptr_t)(p))

static long hc(int f, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	privcmd_hypercall_t h = { .op = op, .arg = { a0, a1, a2, a3 } };

	return ioctl(f, IOCTL_PRIVCMD_HYPERCALL, &h);
}

static double mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* 4 GiB of readable zero pages: never backed, so it costs no memory. */
static void *zeros(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* 2^20 MMUEXT_TLB_FLUSH_LOCAL ops: one 512-op memfd block mapped over and over. */
static void *flush_ops(void)
{
	struct { unsigned int cmd; uint64_t arg1, arg2; } op = { .cmd = 7 }, *blk;
	size_t blk_len = 3 * PG, i, n = 2048;
	int m = memfd_create("ops", 0);
	uint8_t *base;

	if (m < 0 || ftruncate(m, blk_len))
		return NULL;
	blk = mmap(NULL, blk_len, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	for (i = 0; i < blk_len / sizeof(op); i++)
		blk[i] = op;
	base = mmap(NULL, n * blk_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < n; i++)
		if (mmap(base + i * blk_len, blk_len, PROT_READ, MAP_SHARED | MAP_FIXED, m, 0) ==
		    MAP_FAILED)
			return NULL;
	return base;
}

/*
 * A child starts @what, a call that would loop for minutes; SIGKILL after
 * half a second must end it within 5 s (Linux's privcmd checks for a fatal
 * signal between steps).
 */
static void killed(int fd, const char *what, int kind)
{
	void *arg = kind == 1 ? flush_ops() : zeros(1UL << 32);
	double t0, dt = -1;
	int status;
	pid_t pid;

	if (!arg) {
		CHECK(0, "%s: its argument memory", what);
		return;
	}
	pid = fork();
	if (pid == 0) {
		struct privcmd_mmapbatch_v2 b = {
			.num = 1U << 29, .dom = DOMID_SELF, .addr = 0x10000000000UL,
			.arr = arg, .err = (int *)arg,
		};

		if (kind == 0)
			hc(fd, __HYPERVISOR_console_io, CONSOLEIO_write, 0xffffffffU, U(arg), 0);
		else if (kind == 1)
			hc(fd, __HYPERVISOR_mmuext_op, U(arg), 1U << 20, 0, DOMID_SELF);
		else
			ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b);
		_exit(0);
	}
	usleep(500 * 1000);
	t0 = mono();
	kill(pid, SIGKILL);
	while (mono() - t0 < 5) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			dt = mono() - t0;
			break;
		}
		usleep(20 * 1000);
	}
	CHECK(dt >= 0, "%s: a SIGKILLed caller is gone within 5 s (%.2f s)", what, dt);
	CHECK_HV("Xen refuses these calls to a domU at once: nothing is left to stop",
		 dt >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		 "%s: the call was still running when SIGKILL came", what);
}

/* struct gnttab_setup_table of the 64-bit ABI. */
struct setup_table {
	uint16_t dom;
	uint32_t nr_frames;
	int16_t status;
	uint64_t frame_list;
};

/*
 * xenhv's add_to_physmap takes a page of a privcmd mapping; Xen's takes a
 * guest frame number and moves the domU kernel's own page there.
 */
#define XEN_MOVES "on Xen add_to_physmap moves the kernel's own page to that frame number"

/* After giving up root: the grant table's frames are not the caller's to see. */
static void unprivileged(int fd)
{
	struct setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0,
	};
	uint64_t frame = 0;
	void *p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);

	st.frame_list = U(&frame);
	CHECK(hc(fd, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, U(&st), 1, 0) == 0 &&
	      st.status == GNTST_okay && frame, "as root, setup_table gives the table's frame");
	x.gpfn = U(p) / PG;
	if (tap_hv_run(XEN_MOVES, "as root, add_to_physmap(grant_table) shows the table"))
		CHECK(p != MAP_FAILED &&
		      hc(fd, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, U(&x), 0, 0) == 0,
		      "as root, add_to_physmap(grant_table) shows the table");
	CHECK(setgid(65534) == 0 && setuid(65534) == 0, "privileges dropped (uid 65534)");
	frame = 0;
	st.status = 0;
	CHECK_HV("xenhv shows the grant table's frames only to CAP_SYS_ADMIN: one table serves every user of the guest",
		 hc(fd, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, U(&st), 1, 0) == 0 &&
		 st.status == GNTST_permission_denied && !frame,
		 "unprivileged setup_table: GNTST_permission_denied, no frame number");
	if (tap_hv_run(XEN_MOVES, "unprivileged add_to_physmap(grant_table): EPERM"))
		CHECK_ERR(hc(fd, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, U(&x), 0, 0), EPERM,
			  "unprivileged add_to_physmap(grant_table): EPERM");
	CHECK(hc(fd, __HYPERVISOR_grant_table_op, GNTTABOP_query_size, U(&q), 1, 0) == 0 &&
	      q.status == GNTST_okay && q.max_nr_frames == 64,
	      "unprivileged query_size still answers (sizes only)");
}

struct uffd_area {
	int fd;
	uint64_t addr;
	long rc;
};

/* Registers a runstate area whose first write stalls in userfaultfd. */
static void *register_area(void *arg)
{
	struct uffd_area *u = arg;

	u->rc = hc(u->fd, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
		   U(&u->addr), 0);
	return NULL;
}

/*
 * A runstate area in a userfaultfd region nobody serves: the time refresh
 * that writes it must not stall (shared_info's wall clock keeps moving),
 * Xen skips a write it cannot make.
 */
static void userfault(int fd)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct xen_add_to_physmap x = { .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info };
	struct uffd_area u = { .fd = fd };
	volatile struct shared_info *si;
	uint32_t v0, v1;
	pthread_t t;
	int uffd, i;
	void *p;

	si = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	x.gpfn = U(si) / PG;
	CHECK(si != MAP_FAILED && hc(fd, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, U(&x), 0, 0) == 0,
	      "shared_info mapped");
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = U(p);
	reg.range.len = PG;
	CHECK(uffd >= 0 && ioctl(uffd, UFFDIO_API, &api) == 0 &&
	      ioctl(uffd, UFFDIO_REGISTER, &reg) == 0, "a userfaultfd region nobody serves");
	u.addr = U(p);
	pthread_create(&t, NULL, register_area, &u);
	usleep(300 * 1000);
	v0 = si->wc_version;
	/*
	 * Two refreshes (one a second) while the registration stays stalled;
	 * up to 10 s, as the nested lab has stopped an L2 vCPU for seconds. A
	 * refresh that waited for the fault would never come before the close.
	 */
	for (i = 0; i < 100 && (uint32_t)(si->wc_version - v0) < 4; i++)
		usleep(100 * 1000);
	v1 = si->wc_version;
	CHECK(v1 - v0 >= 4, "time refreshes go on while the area's page faults (wall clock version %u -> %u in %.1f s)",
	      v0, v1, i / 10.0);
	/* Closing the userfaultfd lets the stalled registration finish. */
	close(uffd);
	pthread_join(t, NULL);
	CHECK(u.rc == 0, "the registration finishes once the region is served");
	u.addr = 0;
	CHECK(hc(fd, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, U(&u.addr), 0) == 0,
	      "the area is unregistered");
}

int main(int argc, char **argv)
{
	int fd = open("/dev/xen/privcmd", O_RDWR);

	tap_prog = "privcmd_harden";
	CHECK(fd >= 0, "open /dev/xen/privcmd");
	if (argc == 2 && !strcmp(argv[1], "kill")) {
		killed(fd, "console_io write of 4 GiB", 0);
		killed(fd, "mmuext_op of 2^20 TLB flushes", 1);
		/* Linux's privcmd first copies the whole 4 GiB frame array into the kernel. */
		if (tap_hv_run("Linux's privcmd copies the frame array into kernel memory first",
			       "MMAPBATCH_V2 of 2^29 frames: a SIGKILLed caller is gone within 5 s"))
			killed(fd, "MMAPBATCH_V2 of 2^29 frames", 2);
	} else if (argc == 2 && !strcmp(argv[1], "uffd")) {
		if (tap_hv_run(XEN_MOVES, "time refreshes go on while the area's page faults"))
			userfault(fd);
	} else if (argc == 2 && !strcmp(argv[1], "unpriv")) {
		unprivileged(fd);
	} else {
		fprintf(stderr, "usage: privcmd_harden kill|uffd|unpriv\n");
		return 2;
	}
	return tap_failed ? 1 : 0;
}
