/* SPDX-License-Identifier: GPL-2.0 */
/* Event channel benchmark rows: /dev/xen/evtchn against eventfd, root round trips against a kernel round trip. */
#ifndef XENHV_BENCH_EVTCHN_ROWS_H
#define XENHV_BENCH_EVTCHN_ROWS_H

#include <poll.h>
#include <sys/eventfd.h>
#include <xenevtchn.h>

/* The lab guest's domain id (xenhv's domid parameter). */
static int bench_domid = 1;
/* hyperv-testdev's event connection for the root rows, and where it answers. */
#define BENCH_ROOT_CONN	6
static unsigned int bench_sint, bench_vp;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void unpin(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CPU_SET(1, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* One event: wait for it, then unmask (what libxenevtchn users do). */
static int evtchn_wait(xenevtchn_handle *xce)
{
	int p = xenevtchn_pending(xce);

	return p < 0 ? p : xenevtchn_unmask(xce, p);
}

/*
 * Two processes, vCPU 0 and vCPU 1. @pingpong: each side answers the other
 * (round-trip ns); otherwise the child sends as fast as it can until told to
 * stop and the parent counts @n deliveries (ns per delivered event; sends in
 * between coalesce, as they do on Xen).
 */
static double evtchn_two_procs(unsigned long n, bool pingpong)
{
	xenevtchn_handle *srv = xenevtchn_open(NULL, 0);
	int sport, status, stop[2];
	unsigned long i;
	uint64_t t0;
	pid_t pid;
	char c;

	if (!srv || pipe(stop))
		return -1;
	sport = xenevtchn_bind_unbound_port(srv, bench_domid);
	pid = fork();
	if (pid == 0) {
		xenevtchn_handle *cli = xenevtchn_open(NULL, 0);
		int cport = xenevtchn_bind_interdomain(cli, bench_domid, sport);

		pin(1);
		fcntl(stop[0], F_SETFL, O_NONBLOCK);
		evtchn_wait(cli);	/* the event bind raises */
		for (i = 0; pingpong ? i < n : read(stop[0], &c, 1) != 1; i++) {
			xenevtchn_notify(cli, cport);
			if (pingpong)
				evtchn_wait(cli);
		}
		_exit(0);
	}
	pin(0);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (evtchn_wait(srv) < 0)
			break;
		if (pingpong)
			xenevtchn_notify(srv, sport);
	}
	t0 = now_ns() - t0;
	c = write(stop[1], "x", 1);
	waitpid(pid, &status, 0);
	unpin();
	close(stop[0]);
	close(stop[1]);
	xenevtchn_close(srv);
	return i == n ? (double)t0 / n : -1;
}

/* The floor: the same two processes with an eventfd each way. */
static double eventfd_two_procs(unsigned long n, bool pingpong)
{
	int to_srv = eventfd(0, 0), to_cli = eventfd(0, 0), stop[2], status;
	uint64_t v = 1, t0;
	unsigned long i;
	pid_t pid;
	char c;

	if (to_srv < 0 || to_cli < 0 || pipe(stop))
		return -1;
	pid = fork();
	if (pid == 0) {
		pin(1);
		fcntl(stop[0], F_SETFL, O_NONBLOCK);
		for (i = 0; pingpong ? i < n : read(stop[0], &c, 1) != 1; i++) {
			v = 1;
			if (write(to_srv, &v, sizeof(v)) != sizeof(v))
				_exit(1);
			if (pingpong && read(to_cli, &v, sizeof(v)) != sizeof(v))
				_exit(1);
		}
		_exit(0);
	}
	pin(0);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		/* A read takes every write so far, as an event takes coalesced sends. */
		if (read(to_srv, &v, sizeof(v)) != sizeof(v))
			break;
		v = 1;
		if (pingpong && write(to_cli, &v, sizeof(v)) != sizeof(v))
			break;
	}
	t0 = now_ns() - t0;
	c = write(stop[1], "x", 1);
	waitpid(pid, &status, 0);
	unpin();
	close(stop[0]);
	close(stop[1]);
	close(to_srv);
	close(to_cli);
	return i == n ? (double)t0 / n : -1;
}

static double m_evtchn_rtt(unsigned long n) { return evtchn_two_procs(n, true); }
static double m_eventfd_rtt(unsigned long n) { return eventfd_two_procs(n, true); }
static double m_evtchn_oneway(unsigned long n) { return evtchn_two_procs(n, false); }
static double m_eventfd_oneway(unsigned long n) { return eventfd_two_procs(n, false); }

static void testdev(unsigned int conn, unsigned int ctl)
{
	FILE *f = fopen("/sys/module/hv_testdev_ctl/parameters/cmd", "w");

	if (f) {
		fprintf(f, "%u\n", (conn << 24) | (ctl << 16) | (bench_vp << 8) | bench_sint);
		fclose(f);
	}
}

/* Round trips to the root partition: HvSignalEvent out, event flag back. */
static double m_root_rtt(unsigned long n)
{
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	unsigned long i;
	uint64_t t0;
	int port;

	testdev(BENCH_ROOT_CONN, 6);	/* EVT_CONN_CREATE */
	port = xenevtchn_bind_interdomain(xce, 0, BENCH_ROOT_CONN);
	evtchn_wait(xce);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (xenevtchn_notify(xce, port) < 0 || evtchn_wait(xce) < 0)
			break;
	}
	t0 = now_ns() - t0;
	xenevtchn_close(xce);
	testdev(BENCH_ROOT_CONN, 7);	/* EVT_CONN_DESTROY */
	return i == n ? (double)t0 / n : -1;
}

/*
 * The floor: the same round trip from a kernel loop, one ioctl (raw
 * HvSignalEvent out, the event back to a kernel handler, a wake-up).
 */
static double m_root_krtt(unsigned long n)
{
	struct xenhv_bench_signal s = { .count = n, .conn = BENCH_ROOT_CONN };
	double ns;

	testdev(BENCH_ROOT_CONN, 6);
	ns = ioctl(benchdev, XENHV_BENCH_ROOT_RTT, &s) ? -1 : (double)s.ns / n;
	testdev(BENCH_ROOT_CONN, 7);
	return ns;
}

static void bench_evtchn_setup(void)
{
	FILE *f = fopen("/sys/module/xenhv/parameters/domid", "r");

	if (f) {
		if (fscanf(f, "%d", &bench_domid) != 1)
			bench_domid = 1;
		fclose(f);
	}
	f = fopen("/sys/module/xenhv/parameters/sint", "r");
	if (f) {
		if (fscanf(f, "%u", &bench_sint) != 1)
			bench_sint = 5;
		fclose(f);
	}
	/* A Xen domU without xenhv: its own id from XenStore's domid node. */
	if (!f) {
		struct xs_handle *xs = xs_open(0);
		unsigned int len;
		char *v = xs ? xs_read(xs, XBT_NULL, "domid", &len) : NULL;

		if (v)
			bench_domid = atoi(v);
		free(v);
		if (xs)
			xs_close(xs);
	}
	if (getenv("BENCH_VP"))
		bench_vp = atoi(getenv("BENCH_VP"));
}

#endif
