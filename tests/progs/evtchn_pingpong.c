// SPDX-License-Identifier: GPL-2.0
/* Two processes ping-pong over a local interdomain event channel pair with libxenevtchn. */
#define _GNU_SOURCE
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <xenevtchn.h>

#include "evtchn_wait.h"
#include "tap.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Server on CPU 0, client on CPU 1: every ping crosses vCPUs. */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* The client: binds to the server's port, then sends first each round. */
static int client(int domid, int sport, int rounds, int quiet)
{
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	int cport, i, p, lost = 0, wrong = 0;
	double t0;

	if (!xce)
		return 10;
	cport = xenevtchn_bind_interdomain(xce, domid, sport);
	CHECK(cport > 0 && cport != sport, "client binds the server's unbound port (local port %d)", cport);
	if (cport <= 0)
		return 11;
	/* Xen raises the new local port once at bind: notifications may have been lost. */
	p = next_event(xce, 5000);
	CHECK(p == cport, "bind_interdomain raises the new local port once, as Xen does (got %d)", p);
	t0 = now_s();
	for (i = 0; i < rounds; i++) {
		if (xenevtchn_notify(xce, cport) < 0) {
			lost++;
			break;
		}
		p = next_event(xce, 5000);
		if (p == -1)
			lost++;
		else if (p != cport)
			wrong++;
		if (p < 0)
			break;
	}
	if (!quiet)
		printf("# client: %d round trips in %.3f s (%.1f us each)\n", i,
		       now_s() - t0, (now_s() - t0) * 1e6 / (i ? i : 1));
	else
		printf("rtt_us %.3f\n", (now_s() - t0) * 1e6 / (i ? i : 1));
	CHECK(lost == 0 && wrong == 0 && i == rounds,
	      "client: %d round trips, every pong came (lost %d, wrong port %d)", rounds, lost, wrong);
	p = next_event(xce, 300);
	CHECK(p == -1, "client: no event nobody sent (got %d)", p);
	xenevtchn_close(xce);
	return tap_failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 1000;
	int domid = argc > 2 ? atoi(argv[2]) : 1;
	int quiet = argc > 3;
	xenevtchn_handle *srv;
	int sport, i, p, status, lost = 0, wrong = 0;
	pid_t pid;

	tap_prog = "evtchn_pingpong";
	pin(0);
	srv = xenevtchn_open(NULL, 0);
	CHECK(srv != NULL, "xenevtchn_open opens /dev/xen/evtchn");
	if (!srv)
		return 1;
	sport = xenevtchn_bind_unbound_port(srv, domid);
	CHECK(sport > 0, "server allocates an unbound port for domain %d (port %d)", domid, sport);
	if (sport <= 0)
		return 1;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pin(1);
		_exit(client(domid, sport, rounds, quiet));
	}
	for (i = 0; i < rounds; i++) {
		p = next_event(srv, 5000);
		if (p == -1)
			lost++;
		else if (p != sport)
			wrong++;
		if (p < 0 || xenevtchn_notify(srv, sport) < 0)
			break;
	}
	CHECK(lost == 0 && wrong == 0 && i == rounds,
	      "server: %d pings came and were answered (lost %d, wrong port %d)", rounds, lost, wrong);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "client process passed (status %#x)", status);
	p = next_event(srv, 300);
	CHECK(p == -1, "server: no event nobody sent (got %d)", p);
	CHECK(xenevtchn_unbind(srv, sport) == 0, "server unbinds its port");
	xenevtchn_close(srv);
	return tap_failed ? 1 : 0;
}
