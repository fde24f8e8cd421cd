// SPDX-License-Identifier: GPL-2.0
/* Command-line Xen calls for the guest scripts, through Debian's libxencall and libxenctrl. */
#include <stdint.h>
#include <stdlib.h>
#include <xencall.h>
#include <xenctrl.h>
#include <xen/sched.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: xenhv_call shutdown REASON | yield COUNT | watchdog ID TIMEOUT | hold SECONDS | hold-buffer SECONDS\n");
	return 2;
}

int main(int argc, char **argv)
{
	xencall_handle *xc;
	xc_interface *xch;
	struct sched_shutdown *sd;
	long r;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "shutdown") && argc == 3) {
		xc = xencall_open(NULL, 0);
		if (!xc)
			return 1;
		sd = xencall_alloc_buffer(xc, sizeof(*sd));
		if (!sd)
			return 1;
		sd->reason = strtoul(argv[2], NULL, 0);
		r = xencall2(xc, __HYPERVISOR_sched_op, SCHEDOP_shutdown,
			     (uint64_t)(uintptr_t)sd);
		printf("%ld %d\n", r, r < 0 ? errno : 0);
		return r < 0;
	}
	if (!strcmp(argv[1], "yield") && argc == 3) {
		unsigned long i, n = strtoul(argv[2], NULL, 0);

		xc = xencall_open(NULL, 0);
		if (!xc)
			return 1;
		for (i = 0, r = 0; i < n && r == 0; i++)
			r = xencall1(xc, __HYPERVISOR_sched_op, SCHEDOP_yield);
		printf("%ld %d\n", r, r < 0 ? errno : 0);
		return r < 0;
	}
	if (!strcmp(argv[1], "watchdog") && argc == 4) {
		xch = xc_interface_open(NULL, NULL, 0);
		if (!xch)
			return 1;
		r = xc_watchdog(xch, strtoul(argv[2], NULL, 0),
				strtoul(argv[3], NULL, 0));
		printf("%ld %d\n", r, r < 0 ? errno : 0);
		xc_interface_close(xch);
		return r < 0;
	}
	if (!strcmp(argv[1], "hold") && argc == 3) {
		/* Keep /dev/xen/privcmd open for a while (unload tests). */
		xc = xencall_open(NULL, 0);
		if (!xc)
			return 1;
		printf("holding\n");
		fflush(stdout);
		sleep(strtoul(argv[2], NULL, 0));
		xencall_close(xc);
		return 0;
	}
	if (!strcmp(argv[1], "hold-buffer") && argc == 3) {
		/* A hypercall buffer mapping that outlives its file. */
		int fd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
		void *p;

		if (fd < 0)
			return 1;
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
		if (p == MAP_FAILED)
			return 1;
		printf("holding\n");
		fflush(stdout);
		sleep(strtoul(argv[2], NULL, 0));
		return 0;
	}
	return usage();
}
