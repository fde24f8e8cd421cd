/* SPDX-License-Identifier: GPL-2.0 */
/* Waiting for the next event of a libxenevtchn handle, as the guest test programs do. */
#ifndef XENHV_EVTCHN_WAIT_H
#define XENHV_EVTCHN_WAIT_H

#include <poll.h>
#include <xenevtchn.h>

/* The next event within @ms, unmasked again; -1 if none came, -2 on error. */
static inline int next_event(xenevtchn_handle *xce, int ms)
{
	struct pollfd pfd = { .fd = xenevtchn_fd(xce), .events = POLLIN };
	int port;

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	port = xenevtchn_pending(xce);
	if (port < 0)
		return -2;
	if (xenevtchn_unmask(xce, port) < 0)
		return -2;
	return port;
}

#endif
