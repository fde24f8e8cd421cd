/* SPDX-License-Identifier: GPL-2.0 */
/* devfuzz's quiet rounds: every worker lets go of everything, and xenhv must then unload. */
#ifndef XENHV_DEVFUZZ_QUIET_H
#define XENHV_DEVFUZZ_QUIET_H

/*
 * Any Xen mapping still in this process after the table's were unmapped (a
 * split piece, or a mapping that landed in another's hole and outlived its
 * slot) goes too, and is counted.
 */
static void unmap_strays(void)
{
	unsigned long a, b, n = 0;
	char line[512];
	sigset_t alrm, old;
	FILE *m;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, &old);
	for (;;) {
		int found = 0;

		m = fopen("/proc/self/maps", "r");
		while (m && fgets(line, sizeof(line), m)) {
			if ((strstr(line, "/dev/xen/") || strstr(line, "/proc/xen/")) &&
			    sscanf(line, "%lx-%lx", &a, &b) == 2) {
				found = 1;
				break;
			}
		}
		if (m)
			fclose(m);
		if (!found || munmap((void *)a, b - a) != 0)
			break;
		n++;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (n) {
		printf("# devfuzz: pid %d had %lu Xen mapping(s) outside its table\n", getpid(), n);
		fflush(stdout);
	}
}

static void release_all(struct fz *f)
{
	unsigned int i;

	for (i = 0; i < NFD; i++) {
		if (f->fd[i] >= 0)
			close(f->fd[i]);
		f->fd[i] = -1;
	}
	for (i = 0; i < NMAP; i++) {
		if (f->map[i].addr)
			munmap(f->map[i].addr, f->map[i].len);
		f->map[i].addr = NULL;
	}
	reap_children();
	unmap_strays();
}

/* Who still holds a Xen node (an open file or a mapping), for a refused unload. */
static void show_holders(void)
{
	char cmd[] = "cat /sys/module/xenhv/refcnt; for p in /proc/[0-9]*; do "
		"ls -l $p/fd 2>/dev/null | grep -e /dev/xen -e /proc/xen | sed \"s|^|$p |\"; "
		"grep -e /dev/xen -e /proc/xen $p/maps 2>/dev/null | sed \"s|^|$p |\"; done";
	sigset_t alrm, old;
	char line[256];
	FILE *p;

	/* the 20 ms timer would cut the pipe's reads short (EINTR) */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, &old);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p))
		printf("#   holder: %s", line);
	if (p)
		pclose(p);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* A worker other than 0, asked to be quiet: let go, say so, wait for the all-clear. */
static void be_quiet(struct fz *f, int id, time_t end)
{
	int gen = quiet->gen;

	if (!quiet->on || quiet->acked[id] == gen)
		return;
	release_all(f);
	__atomic_store_n(&quiet->acked[id], gen, __ATOMIC_SEQ_CST);
	while (quiet->on && quiet->gen == gen && time(NULL) < end + 5)
		usleep(2000);
}

/*
 * delete_module, tried for up to 3 s: a reference may outlive the last close
 * for a moment (work still queued); how long it took is reported.
 */
static int unload_settled(struct tally *t)
{
	struct timespec a, b;
	long ms;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < 300; i++) {
		if (syscall(SYS_delete_module, "xenhv", O_NONBLOCK) == 0)
			break;
		if (errno != EAGAIN && errno != EBUSY && errno != EINTR)
			return -1;
		usleep(10000);
	}
	if (i == 300)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	if (i > 0) {
		printf("# devfuzz: xenhv was still held %ld ms after every file and mapping was gone\n",
		       ms);
		t->late_ms = ms > (long)t->late_ms ? (unsigned long)ms : t->late_ms;
	}
	return 0;
}

/*
 * Worker 0: with every file and mapping of every worker closed, nothing holds
 * xenhv, so delete_module must work (a refusal is a reference leaked by
 * something the fuzzer did); then xenhv is loaded again and the fuzzing goes on.
 */
static void quiet_round(struct fz *f, struct tally *t)
{
	time_t limit = time(NULL) + 10;
	unsigned int i, late;

	quiet->gen++;
	__atomic_store_n(&quiet->on, 1, __ATOMIC_SEQ_CST);
	release_all(f);
	do {
		for (i = 1, late = 0; i < nprocs; i++)
			late += quiet->acked[i] != quiet->gen;
		if (late)
			usleep(2000);
	} while (late && time(NULL) < limit);
	t->rounds++;
	if (late) {
		printf("# devfuzz: %u worker(s) did not let go within 10 s\n", late);
		t->unreleased++;
	} else if (unload_settled(t) != 0) {
		printf("# devfuzz: with nothing held, delete_module(xenhv) failed for 3 s: %s\n",
		       strerror(errno));
		show_holders();
		t->refused++;
	} else {
		t->unloads++;
		reload(t);
	}
	fflush(stdout);
	__atomic_store_n(&quiet->on, 0, __ATOMIC_SEQ_CST);
}

#endif
