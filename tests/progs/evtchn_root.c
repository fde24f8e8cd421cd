// SPDX-License-Identifier: GPL-2.0
/* Ports bound to root-partition event connections, round trips through QEMU's hyperv-testdev. */
#define _GNU_SOURCE
#include <poll.h>
#include <stdlib.h>
#include <xenevtchn.h>

#include "evtchn_wait.h"
#include "tap.h"

/* hyperv-testdev's commands (docs/lab.md). */
#define SINT_ROUTE_CREATE	1
#define SINT_ROUTE_DESTROY	2
#define SINT_ROUTE_SET_SINT	3
#define EVT_CONN_CREATE		6
#define EVT_CONN_DESTROY	7

static unsigned int sint, vp;

/* Through tests/kmod/hv_testdev_ctl.ko: an out from userspace faults here. */
static void testdev(unsigned int conn, unsigned int ctl)
{
	FILE *f = fopen("/sys/module/hv_testdev_ctl/parameters/cmd", "w");

	if (!f || fprintf(f, "%u\n", (conn << 24) | (ctl << 16) | (vp << 8) | sint) < 0 ||
	    fclose(f))
		CHECK(0, "hyperv-testdev command %u for connection %u", ctl, conn);
}

int main(int argc, char **argv)
{
	int rounds = argc > 3 ? atoi(argv[3]) : 200;
	unsigned int conn = 5;
	xenevtchn_handle *xce;
	int port, p, i, lost = 0;

	tap_prog = "evtchn_root";
	if (argc < 3)
		return 2;
	sint = atoi(argv[1]);
	vp = atoi(argv[2]);
	xce = xenevtchn_open(NULL, 0);
	CHECK(xce != NULL, "xenevtchn_open");
	if (!xce)
		return 1;

	/* The host side: HvSignalEvent(conn) sets flag conn in VP vp's SINT slot. */
	testdev(conn, EVT_CONN_CREATE);
	tap_line = __LINE__;
	port = xenevtchn_bind_interdomain(xce, 0, conn);
	CHECK(port > 0, "bind_interdomain to domain 0, remote port %u: a root connection (port %d)", conn, port);
	CHECK(next_event(xce, 2000) == port, "binding raised the port once, as Xen's bind does");
	for (i = 0; i < rounds; i++) {
		if (xenevtchn_notify(xce, port) < 0) {
			lost = -errno;
			break;
		}
		if (next_event(xce, 2000) != port) {
			lost++;
			break;
		}
	}
	CHECK(i == rounds && lost == 0,
	      "%d round trips: HvSignalEvent out, the host's event flag back in (lost %d)", rounds, lost);
	CHECK(next_event(xce, 300) == -1, "no event the host did not send");

	CHECK_ERR(xenevtchn_bind_interdomain(xce, 0, conn), EINVAL, "binding the same connection twice: EINVAL");
	CHECK_ERR(xenevtchn_bind_interdomain(xce, 0, 0), EINVAL, "connection 0: EINVAL");
	CHECK_ERR(xenevtchn_bind_interdomain(xce, 0, 2048), EINVAL, "connection 2048 (past the 2048 event flags): EINVAL");

	/* A connection the host does not have: the send says so. */
	p = xenevtchn_bind_interdomain(xce, 0, 9);
	CHECK(p > 0, "binding connection 9, which the host has not created");
	next_event(xce, 2000);
	CHECK(xenevtchn_notify(xce, p) == 0, "notify on it returns 0, as Linux's driver whatever the send says");
	CHECK(next_event(xce, 300) == -1, "... and nothing comes back");
	xenevtchn_unbind(xce, p);

	/* A SINT the host fires with no flag set invents no event. */
	testdev(0, SINT_ROUTE_CREATE);
	testdev(0, SINT_ROUTE_SET_SINT);
	CHECK(next_event(xce, 300) == -1, "an interrupt on the SINT without a flag: no event");
	testdev(0, SINT_ROUTE_DESTROY);

	/* Unbind, rebind: the connection is free again and works. */
	CHECK(xenevtchn_unbind(xce, port) == 0, "unbind the root port");
	port = xenevtchn_bind_interdomain(xce, 0, conn);
	CHECK(port > 0, "the connection can be bound again");
	next_event(xce, 2000);
	CHECK(xenevtchn_notify(xce, port) == 0 && next_event(xce, 2000) == port, "... and round trips");
	testdev(conn, EVT_CONN_DESTROY);
	CHECK(xenevtchn_notify(xce, port) == 0 && next_event(xce, 300) == -1,
	      "after the host destroyed the connection, a notify brings nothing back");
	xenevtchn_close(xce);
	return tap_failed ? 1 : 0;
}
