// SPDX-License-Identifier: GPL-2.0
/* Device-node fuzzer: random well-formed and malformed calls on every Xen node, from many processes. */
/*
 * usage: devfuzz [-s SEED] [-t SECONDS] [-p PROCS] [-m MODULE.ko]
 * Each worker opens, ioctls, reads, writes, mmaps, munmaps, forks and closes
 * on the nodes of /dev/xen and /proc/xen, with ioctl fields from boundary values and
 * from the handles the kernel gave it (ports, grant refs, offsets, mapped
 * addresses). With -m, worker 0 also tries to unload xenhv and loads it
 * again when that worked. The seed makes a run reproducible (per worker,
 * up to scheduling). It fails if a worker dies of a signal, does not end
 * in time (a task stuck in the kernel), or the module cannot be reloaded;
 * the kernel's own reports are the lab's log check.
 */
#define _GNU_SOURCE
#define __XEN_TOOLS__ 1
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/xs_wire.h>
#include <xen/sys/privcmd.h>
#include <xen/sys/evtchn.h>
#include <xen/sys/gntalloc.h>
#include <xen/sys/gntdev.h>

#include "tap.h"
#include "devfuzz.h"

enum { N_PRIVCMD, N_HYPERCALL, N_XENBUS, N_EVTCHN, N_GNTALLOC, N_GNTDEV, N_PXENBUS,
       N_PPRIVCMD, N_NODES };
static const char *const nodes[N_NODES] = {
	"/dev/xen/privcmd", "/dev/xen/hypercall", "/dev/xen/xenbus", "/dev/xen/evtchn",
	"/dev/xen/gntalloc", "/dev/xen/gntdev", "/proc/xen/xenbus", "/proc/xen/privcmd",
};

enum { OP_OPEN, OP_CLOSE, OP_DUP, OP_IOCTL, OP_READ, OP_WRITE, OP_MMAP, OP_MUNMAP,
       OP_TOUCH, OP_POLL, OP_FORK, OP_UNLOAD, OP_COUNT };
static const char *const op_names[OP_COUNT] = {
	"open", "close", "dup", "ioctl", "read", "write", "mmap", "munmap", "touch",
	"poll", "fork", "unload",
};

/* Shared with the parent: operations run (and succeeded) per worker. */
struct tally {
	unsigned long ops[OP_COUNT], okays, unloads, reloads, reload_fail;
	unsigned long rounds, refused, unreleased, late_ms;
};
static struct tally *tallies;
/* Worker 0's quiet rounds: every worker lets go of everything, xenhv must unload. */
static struct quiet { volatile int on, gen, acked[64]; } *quiet;
static unsigned int nprocs;
static const char *modpath;
static sigjmp_buf touch_jmp;
static volatile sig_atomic_t touching;

static void on_fault(int sig)
{
	if (touching)
		siglongjmp(touch_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_alarm(int sig)
{
	(void)sig;	/* only there to interrupt a blocking call (EINTR) */
}

/* Every 20 ms a signal, without SA_RESTART: a blocking call returns EINTR. */
static void start_alarm(void)
{
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void tally_op(struct tally *t, unsigned int op, long rc)
{
	__atomic_add_fetch(&t->ops[op], 1, __ATOMIC_RELAXED);
	if (rc >= 0)
		__atomic_add_fetch(&t->okays, 1, __ATOMIC_RELAXED);
}

static int pick_fd(struct fz *f, int *kind)
{
	unsigned int i = below(f, NFD);

	if (f->fd[i] < 0) {
		if (below(f, 4))
			return -1;
		*kind = -1;
		/* a number that is no file of ours (and never stdin, stdout, stderr) */
		return below(f, 2) ? -1 : 100 + (int)below(f, 900);
	}
	*kind = f->kind[i];
	return f->fd[i];
}

static long do_open(struct fz *f)
{
	unsigned int i = below(f, NFD), n = below(f, N_NODES);
	int flags = (int[]){ O_RDWR, O_RDWR | O_NONBLOCK, O_RDONLY, O_WRONLY,
			     O_RDWR | O_CLOEXEC }[below(f, 5)];
	int fd = open(nodes[n], flags);

	if (fd < 0)
		return -1;
	if (f->fd[i] >= 0)
		close(f->fd[i]);
	f->fd[i] = fd;
	f->kind[i] = n;
	return 0;
}

static long do_close(struct fz *f)
{
	unsigned int i = below(f, NFD);
	int fd = f->fd[i];

	f->fd[i] = -1;
	return close(fd);
}

static long do_dup(struct fz *f)
{
	unsigned int i = below(f, NFD), j = below(f, NFD);
	int fd;

	if (f->fd[i] < 0 || i == j)
		return -1;
	fd = dup(f->fd[i]);
	if (fd < 0)
		return -1;
	if (f->fd[j] >= 0)
		close(f->fd[j]);
	f->fd[j] = fd;
	f->kind[j] = f->kind[i];
	return 0;
}

/* A hypercall that cannot end the machine: sched_op never shuts down or arms a watchdog. */
static void hypercall(struct fz *f, uint64_t *op, uint64_t *a, int depth)
{
	static const uint64_t ops[] = { __HYPERVISOR_xen_version, __HYPERVISOR_event_channel_op,
		__HYPERVISOR_grant_table_op, __HYPERVISOR_vcpu_op, __HYPERVISOR_memory_op,
		__HYPERVISOR_hvm_op, __HYPERVISOR_mmuext_op, __HYPERVISOR_console_io,
		__HYPERVISOR_set_timer_op, __HYPERVISOR_domctl, __HYPERVISOR_sysctl,
		__HYPERVISOR_platform_op, __HYPERVISOR_dm_op, __HYPERVISOR_xenpmu_op,
		__HYPERVISOR_multicall, FZ_SCHED_OP };
	unsigned int i;

	*op = below(f, 8) ? ops[below(f, sizeof(ops) / sizeof(ops[0]))] : val(f) % 72;
	/* a random number that is sched_op gets sched_op's safe commands below */
	if (*op == __HYPERVISOR_multicall && depth > 1)
		*op = __HYPERVISOR_xen_version;
	a[0] = below(f, 3) ? below(f, 24) : val(f);
	a[1] = (uintptr_t)arg_buf(f, 64);
	for (i = 2; i < 5; i++)
		a[i] = below(f, 2) ? val(f) : (uintptr_t)ptr(f, 64);
	switch (*op) {
	case FZ_SCHED_OP: {
		/* yield, block, poll, shutdown_code, pin_override, and numbers past the end */
		static const uint64_t cmds[] = { SCHEDOP_yield, SCHEDOP_block, SCHEDOP_poll,
			SCHEDOP_shutdown_code, 7, 8, 0xffffffff };
		struct sched_poll *sp = (void *)(f->scratch + 3 * PAGE);
		uint32_t *ports = (void *)(f->scratch + 3 * PAGE + 64);

		a[0] = cmds[below(f, sizeof(cmds) / sizeof(cmds[0]))];
		if (a[0] == SCHEDOP_poll) {
			for (i = 0; i < 8; i++)
				ports[i] = (uint32_t)val(f);
			set_xen_guest_handle(sp->ports, below(f, 4) ? ports : ptr(f, 32));
			sp->nr_ports = below(f, 3) ? below(f, 9) : (unsigned int)val(f);
			sp->timeout = below(f, 3) ? 1 : val(f);
			a[1] = (uintptr_t)sp;
		}
		break;
	}
	case __HYPERVISOR_console_io:
		/* letters only: what a guest writes lands in the kernel log */
		a[1] = below(f, 4) ? below(f, 300) : val(f);
		a[2] = (uintptr_t)(below(f, 8) ? f->text + below(f, PAGE) : ptr(f, 8));
		break;
	case __HYPERVISOR_multicall: {
		multicall_entry_t *m = (void *)(f->scratch + PAGE * depth);
		unsigned int n = below(f, 4) ? 1 + below(f, 6) : (unsigned int)val(f);

		for (i = 0; i < 6 && i < n; i++) {
			uint64_t sub[5];

			hypercall(f, &m[i].op, sub, depth + 1);
			memcpy(m[i].args, sub, sizeof(sub));
			m[i].args[5] = val(f);
		}
		a[0] = (uintptr_t)(below(f, 8) ? (void *)m : ptr(f, 64));
		a[1] = n;
		break;
	}
	}
}

/* Replies and events on a XenStore file: harvest transaction ids. */
static void xs_harvest(struct fz *f, const unsigned char *buf, ssize_t n)
{
	while (n >= (ssize_t)sizeof(struct xsd_sockmsg)) {
		struct xsd_sockmsg h;

		memcpy(&h, buf, sizeof(h));
		if (h.len > XENSTORE_PAYLOAD_MAX || n < (ssize_t)(sizeof(h) + h.len))
			return;
		if (h.type == XS_TRANSACTION_START && h.len)
			pool_add(f, txid, ntxid, strtoul((const char *)buf + sizeof(h), NULL, 10));
		buf += sizeof(h) + h.len;
		n -= sizeof(h) + h.len;
	}
}

/* A XenStore request; writes only ever touch the fuzz/ subtree (never control/shutdown). */
static size_t xs_msg(struct fz *f, unsigned char *buf)
{
	static const char *const any[] = { "fuzz", "fuzz/a", "fuzz/a/b", "", "/", "//",
		"fuzz//a", "fuzz/a.b", "@releaseDomain", "@introduceDomain", "/local/domain/0",
		"/local/domain/1", "/local/domain/1/name", "control/shutdown", "domid", "/tool" };
	static const char *const mine[] = { "fuzz", "fuzz/a", "fuzz/a/b", "fuzz/c", "fuzz/d/e",
		"/local/domain/1/fuzz/f", "fuzz/a.b", "fuzz/", "fuzz//x", "fuzz/\xff" };
	static const uint32_t types[] = { XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS,
		XS_WATCH, XS_UNWATCH, XS_TRANSACTION_START, XS_TRANSACTION_END, XS_INTRODUCE,
		XS_RELEASE, XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS,
		XS_WATCH_EVENT, XS_ERROR, XS_IS_DOMAIN_INTRODUCED, XS_RESUME, XS_SET_TARGET,
		XS_RESET_WATCHES, XS_DIRECTORY_PART, XS_TYPE_COUNT, 0xffff, 0xffffffff };
	struct xsd_sockmsg h;
	char *p = (char *)buf + sizeof(h);
	size_t len = 0;
	int writes;

	h.type = types[below(f, sizeof(types) / sizeof(types[0]))];
	h.req_id = (uint32_t)rnd(f);
	h.tx_id = below(f, 2) ? 0 : below(f, 3) ? (uint32_t)pool_pick(f, txid, ntxid) : (uint32_t)val(f);
	writes = h.type == XS_WRITE || h.type == XS_MKDIR || h.type == XS_RM ||
		 h.type == XS_SET_PERMS;
	if (below(f, 16) == 0) {
		len = below(f, 200);
		fill(f, p, len);
		if (writes)
			memset(p, 0, len);	/* random bytes never name a real path */
	} else if (h.type == XS_TRANSACTION_END) {
		len = (size_t)sprintf(p, "%s", (const char *[]){ "T", "F", "", "X" }[below(f, 4)]) + 1;
	} else if (h.type == XS_CONTROL) {
		len = (size_t)sprintf(p, "%s", (const char *[]){ "quota", "log", "x", "" }[below(f, 4)]) + 1;
	} else {
		const char *path = writes ? mine[below(f, 10)] : any[below(f, 16)];

		len = (size_t)sprintf(p, "%s", path) + 1;
		if (below(f, 16) == 0) {	/* a name longer than Xen allows */
			memset(p + len - 1, 'a', 3000);
			len += 3000;
			p[len - 1] = 0;
		}
		if (h.type == XS_WRITE)
			len += (size_t)sprintf(p + len, "v%llu", (unsigned long long)val(f));
		else if (h.type == XS_WATCH)
			len += (size_t)sprintf(p + len, "t%u", below(f, 4)) + 1;
		else if (h.type == XS_SET_PERMS)
			len += (size_t)sprintf(p + len, "%c%u", "nrwbx"[below(f, 5)],
					       (unsigned int)(val(f) & 0xffff)) + 1;
		else if (h.type == XS_DIRECTORY_PART)
			len += (size_t)sprintf(p + len, "%u", below(f, 8)) + 1;
	}
	h.len = (uint32_t)len;
	if (below(f, 16) == 0)	/* a header that lies about the payload */
		h.len = (uint32_t)(below(f, 2) ? len + 1 + below(f, 64) : val(f));
	memcpy(buf, &h, sizeof(h));
	return sizeof(h) + len - (below(f, 16) ? 0 : below(f, (unsigned int)len + 1));
}

#include "devfuzz_ops.h"

#include "devfuzz_quiet.h"

static void worker(int id, uint64_t seed, time_t end)
{
	struct tally *t = &tallies[id];
	struct fz f = { .rng = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)id * 2 + 1 };
	time_t next_quiet = time(NULL) + 15;
	unsigned int i;

	for (i = 0; i < NFD; i++)
		f.fd[i] = -1;
	f.scratch = mmap(NULL, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f.text = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f.freed = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f.scratch == MAP_FAILED || f.text == MAP_FAILED || f.freed == MAP_FAILED)
		_exit(2);
	mprotect(f.scratch + 4 * PAGE, PAGE, PROT_NONE);
	mprotect(f.text + PAGE, PAGE, PROT_NONE);
	munmap(f.freed, PAGE);
	for (i = 0; i < PAGE; i++)
		f.text[i] = (unsigned char)('a' + i % 26);
	mprotect(f.text, PAGE, PROT_READ);	/* a console read into it is EFAULT */
	start_alarm();
	signal(SIGPIPE, SIG_IGN);
	while (time(NULL) < end) {
		unsigned int op = below(&f, 100);
		long rc;

		if (id == 0 && modpath && time(NULL) >= next_quiet) {
			quiet_round(&f, t);
			next_quiet = time(NULL) + 15;
		}
		if (id != 0)
			be_quiet(&f, id, end);
		/* weights: ioctl and the XenStore traffic most, unload and fork rarely */
		op = op < 8 ? OP_OPEN : op < 12 ? OP_CLOSE : op < 14 ? OP_DUP : op < 54 ? OP_IOCTL :
		     op < 62 ? OP_READ : op < 74 ? OP_WRITE : op < 82 ? OP_MMAP : op < 86 ? OP_MUNMAP :
		     op < 92 ? OP_TOUCH : op < 96 ? OP_POLL : op < 98 ? OP_FORK : OP_UNLOAD;
		if (op == OP_UNLOAD && (id != 0 || !modpath))
			op = OP_POLL;
		rc = run_op(&f, op, t, end);
		tally_op(t, op, rc);
	}
	/* the forked children end by the deadline too; one that died fails the worker */
	reap_children();
	_exit(0);
}

/* A worker still there after the deadline: show where it sits in the kernel. */
static void show_stuck(pid_t pid)
{
	char path[64], buf[2048];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	fd = open(path, O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	printf("# worker %d is stuck; kernel stack:\n%s\n", pid, buf);
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 16;
	unsigned int secs = 60, procs = 4, i, j, died = 0, stuck = 0;
	unsigned long total = 0, okays = 0, per[OP_COUNT] = { 0 }, unloads = 0, reloads = 0;
	unsigned long reload_fail = 0, rounds = 0, refused = 0, unreleased = 0;
	pid_t pids[64];
	time_t end;
	int c;

	tap_prog = "devfuzz";
	while ((c = getopt(argc, argv, "s:t:p:m:")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': secs = (unsigned int)atoi(optarg); break;
		case 'p': procs = (unsigned int)atoi(optarg); break;
		case 'm': modpath = optarg; break;
		default:
			fprintf(stderr, "usage: devfuzz [-s seed] [-t secs] [-p procs] [-m xenhv.ko]\n");
			return 2;
		}
	}
	if (procs < 1 || procs > 64)
		procs = 4;
	printf("# devfuzz: seed %llu, %u s, %u processes (rerun: devfuzz -s %llu -t %u -p %u%s%s)\n",
	       (unsigned long long)seed, secs, procs, (unsigned long long)seed, secs, procs,
	       modpath ? " -m " : "", modpath ? modpath : "");
	fflush(stdout);
	nprocs = procs;
	tallies = mmap(NULL, sizeof(*tallies) * procs, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	quiet = mmap(NULL, sizeof(*quiet), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tallies == MAP_FAILED || quiet == MAP_FAILED)
		return 2;
	signal(SIGSEGV, on_fault);
	signal(SIGBUS, on_fault);
	end = time(NULL) + secs;
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			worker((int)i, seed, end);
	}
	for (i = 0; i < procs; i++) {
		int st = 0;
		pid_t r = 0;

		/* Each worker ends by itself at the deadline; 20 s more is a stuck task. */
		for (j = 0; j < 200 && (r = waitpid(pids[i], &st, WNOHANG)) == 0; j++) {
			if (time(NULL) < end)
				j = 0;
			usleep(100000);
		}
		if (r == 0) {
			show_stuck(pids[i]);
			kill(pids[i], SIGKILL);
			for (j = 0; j < 100 && waitpid(pids[i], &st, WNOHANG) == 0; j++)
				usleep(100000);
			stuck++;
			continue;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			printf("# worker %u ended with %s %d\n", i, WIFSIGNALED(st) ? "signal" : "status",
			       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			died++;
		}
	}
	for (i = 0; i < procs; i++) {
		for (j = 0; j < OP_COUNT; j++) {
			per[j] += tallies[i].ops[j];
			total += tallies[i].ops[j];
		}
		okays += tallies[i].okays;
		unloads += tallies[i].unloads;
		reloads += tallies[i].reloads;
		reload_fail += tallies[i].reload_fail;
		rounds += tallies[i].rounds;
		refused += tallies[i].refused;
		unreleased += tallies[i].unreleased;
	}
	printf("# devfuzz: %lu operations (%lu succeeded) in %u s:", total, okays, secs);
	for (j = 0; j < OP_COUNT; j++)
		printf(" %s %lu", op_names[j], per[j]);
	printf("; unloaded %lu, reloaded %lu, quiet rounds %lu\n", unloads, reloads, rounds);
	CHECK(total > 0 && okays > 0, "seed %llu: %lu operations ran, %lu of them succeeded",
	      (unsigned long long)seed, total, okays);
	CHECK(died == 0, "no worker died of a signal or an error (%u did)", died);
	CHECK(stuck == 0, "every worker ended within 20 s of the deadline (%u stuck)", stuck);
	if (modpath) {
		CHECK(reload_fail == 0, "xenhv loads again after each unload that worked (%lu failed)",
		      reload_fail);
		CHECK(rounds > 0 && unreleased == 0,
		      "in each of %lu quiet rounds every worker let go of everything", rounds);
		CHECK(refused == 0, "with nothing held, xenhv unloads every time (%lu of %lu refused)",
		      refused, rounds);
	}
	return tap_failed ? 1 : 0;
}
