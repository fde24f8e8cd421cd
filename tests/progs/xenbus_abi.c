// SPDX-License-Identifier: GPL-2.0
/* Raw /dev/xen/xenbus framing and misuse: partial I/O, bad headers, quotas, close mid-message. */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "tap.h"

static const char *dev = "/dev/xen/xenbus";

struct reply {
	struct xsd_sockmsg h;
	char p[XENSTORE_PAYLOAD_MAX + 1];
};

static int xopen(int flags)
{
	return open(dev, O_RDWR | O_CLOEXEC | flags);
}

static int readn(int fd, void *buf, size_t n)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = read(fd, (char *)buf + done, n - done);
		if (r <= 0)
			return -1;
		done += r;
	}
	return 0;
}

/* The next message that is not a watch event (events are counted). */
static int next_reply(int fd, struct reply *r, int *events)
{
	for (;;) {
		if (readn(fd, &r->h, sizeof(r->h)) || r->h.len > XENSTORE_PAYLOAD_MAX ||
		    readn(fd, r->p, r->h.len))
			return -1;
		r->p[r->h.len] = '\0';
		if (r->h.type != XS_WATCH_EVENT)
			return 0;
		if (events)
			(*events)++;
	}
}

/* The next reply, if one comes within MS milliseconds. */
static int reply_within(int fd, struct reply *r, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, ms) == 1 ? next_reply(fd, r, NULL) : -1;
}

static int send_msg(int fd, uint32_t type, uint32_t req, uint32_t tx,
		    const void *p, uint32_t len)
{
	char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h = { .type = type, .req_id = req, .tx_id = tx, .len = len };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), p, len);
	return write(fd, buf, sizeof(h) + len) == (ssize_t)(sizeof(h) + len) ? 0 : -1;
}

static struct reply r;
static int ask_errno;	/* the errno of a request whose write(2) failed */

/* Request, then its reply; true when the reply has @type and payload @want. */
static int ask(int fd, uint32_t type, uint32_t tx, const void *p, uint32_t len,
	       uint32_t want_type, const char *want)
{
	static uint32_t req = 1000;

	/* Bounded: a request nobody answers fails its check instead of hanging the test. */
	ask_errno = 0;
	if (send_msg(fd, type, ++req, tx, p, len)) {
		ask_errno = errno;
		return 0;
	}
	if (reply_within(fd, &r, 20000))
		return 0;
	return r.h.req_id == req && r.h.type == want_type &&
	       (!want || !strcmp(r.p, want));
}

#define ASK(fd, type, tx, lit, wt, want) ask(fd, type, tx, lit, sizeof(lit), wt, want)

/*
 * Whether the last ask() was refused with E2BIG: 1 as an error reply (xenstored's
 * and xenhv's), 2 as the write's errno (Linux's xenbus device for WATCH).
 */
static int refused_e2big(void)
{
	if (ask_errno)
		return ask_errno == E2BIG ? 2 : 0;
	return r.h.type == XS_ERROR && !strcmp(r.p, "E2BIG");
}

/* A WATCH refused with E2BIG, in either form. */
static int watch_refused(int fd, const char *path, uint32_t len)
{
	return !ask(fd, XS_WATCH, 0, path, len, XS_WATCH, "OK") && refused_e2big();
}

/* Why malformed requests are not sent in the Xen lab (docs/lab.md, abi.md#conf-xs-malformed). */
#define XS_BAD "a Xen domU whose request lacked its path's NUL got no reply, nor any after it"

int main(int argc, char **argv)
{
	struct xsd_sockmsg h = { .type = XS_READ, .req_id = 7, .len = sizeof("domid") };
	int fd, fd2, i, n, events = 0, limit = argc > 1 ? atoi(argv[1]) : 1024;
	char msg[64], path[64], big[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX + 8];
	struct pollfd pfd;
	uint32_t tx;

	tap_prog = "xenbus_abi";
	if (argc > 2)
		dev = argv[2];
	fd = xopen(0);
	CHECK(fd >= 0, "%s opens", dev);
	if (fd < 0)
		return 1;

	/* A message written a byte at a time is answered once it is whole. */
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), "domid", sizeof("domid"));
	for (i = 0, n = 0; i < (int)(sizeof(h) + sizeof("domid")); i++)
		n += write(fd, msg + i, 1) == 1;
	CHECK(n == (int)(sizeof(h) + sizeof("domid")), "partial writes are accepted");
	/* And read back three bytes at a time. */
	for (i = 0, n = 0; i < (int)sizeof(r.h) + 1; i += 3)
		n += read(fd, (char *)&r + i, 3);
	CHECK(n >= (int)sizeof(r.h) + 1 && r.h.req_id == 7 && r.h.type == XS_READ &&
	      r.h.len == 1 && ((char *)&r)[sizeof(r.h)] == '1',
	      "partial reads reassemble the reply (req_id echoed)");

	/* Two messages in one write: both answered, in order. */
	memcpy(msg + sizeof(h) + sizeof("domid"), msg, sizeof(h) + sizeof("domid"));
	((struct xsd_sockmsg *)(msg + sizeof(h) + sizeof("domid")))->req_id = 8;
	CHECK_HV("Linux's xenbus device takes the first message of a write and drops the rest",
		 write(fd, msg, 2 * (sizeof(h) + sizeof("domid"))) > 0 &&
		 !reply_within(fd, &r, 5000) && r.h.req_id == 7 &&
		 !reply_within(fd, &r, 5000) && r.h.req_id == 8,
		 "two requests in one write get two replies, in order");

	fd2 = xopen(O_NONBLOCK);
	errno = 0;
	CHECK(fd2 >= 0 && read(fd2, msg, sizeof(msg)) < 0 && errno == EAGAIN,
	      "O_NONBLOCK read with nothing pending is EAGAIN");
	pfd.fd = fd2;
	pfd.events = POLLIN | POLLOUT;
	CHECK_HV("Linux's xenbus device never reports POLLOUT (abi.md#conf-xs-poll)",
		 poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT, "poll: writable, not readable");
	send_msg(fd2, XS_READ, 1, 0, "domid", sizeof("domid"));
	pfd.revents = 0;
	CHECK(poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLIN), "poll: readable after a request");
	close(fd2);

	/* Malformed input. */
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	errno = 0;
	CHECK(write(fd, &h, sizeof(h)) < 0 && errno == E2BIG,
	      "a header announcing 4097 bytes is E2BIG");
	memset(big, 0, sizeof(big));
	h.len = XENSTORE_PAYLOAD_MAX;
	memcpy(big, &h, sizeof(h));
	errno = 0;
	CHECK(write(fd, big, sizeof(big)) < 0 && errno == EINVAL,
	      "more bytes than a message can hold is EINVAL");
	if (tap_hv_run(XS_BAD, "a path without its NUL is an EINVAL error reply"))
		CHECK(ask(fd, XS_READ, 0, "domid", 5, XS_ERROR, "EINVAL"),
		      "a path without its NUL is an EINVAL error reply");
	if (tap_hv_run(XS_BAD, "an unknown type is EINVAL"))
		CHECK(ASK(fd, 1000, 0, "x", XS_ERROR, "EINVAL"), "an unknown type is EINVAL");
	if (tap_hv_run(XS_BAD, "a bad character is EINVAL"))
		CHECK(ASK(fd, XS_READ, 0, "a\x01", XS_ERROR, "EINVAL"), "a bad character is EINVAL");
	CHECK(ASK(fd, XS_DEBUG, 0, "print", XS_ERROR, "EACCES"), "DEBUG/CONTROL is EACCES");
	CHECK(ASK(fd, XS_READ, 0, "domid", XS_READ, "1"), "the connection still works");
	n = snprintf(big, sizeof(big), "data/big") + 1;
	memset(big + n, 'x', 2100);
	CHECK(ask(fd, XS_WRITE, 0, big, n + 2100, XS_ERROR, "ENOSPC"),
	      "a 2100-byte value is over the node quota: ENOSPC");

	/* Transactions belong to their file. */
	CHECK(ASK(fd, XS_TRANSACTION_START, 0, "", XS_TRANSACTION_START, NULL),
	      "TRANSACTION_START");
	tx = (uint32_t)strtoul(r.p, NULL, 10);
	fd2 = xopen(0);
	CHECK(ASK(fd2, XS_READ, tx, "domid", XS_ERROR, "ENOENT"),
	      "another file cannot use the transaction (ENOENT)");
	/* But the quota of 10 is the domain's, as Xen's domU has one connection. */
	for (i = 0; i < 9; i++)
		if (!ASK(fd2, XS_TRANSACTION_START, 0, "", XS_TRANSACTION_START, NULL))
			break;
	CHECK(i == 9, "10 transactions over two files (%d)", i);
	CHECK_HV("xenstored lets one more through than its quota (abi.md#conf-xs-quota-count)",
		 ASK(fd2, XS_TRANSACTION_START, 0, "", XS_ERROR, "ENOSPC"),
		 "the 11th is ENOSPC (%s %s)", r.h.type == XS_ERROR ? "error" : "reply", r.p);

	/* Watch quota: 128 per domain, from all its clients together. */
	for (i = 0; i < 3000; i++) {
		n = snprintf(path, sizeof(path), "data/q%d", i) + 1;
		memcpy(path + n, "t", 2);
		if (!ask(fd, XS_WATCH, 0, path, n + 2, XS_WATCH, "OK"))
			break;
	}
	/* A Xen domU's kernel holds a few watches of its own on the same quota. */
	n = refused_e2big();
	CHECK(i > 100 && i <= 129 && n, "watches up to the quota of 128, then E2BIG (%d set)", i);
	CHECK_HV("Linux's xenbus device fails the write(2) instead (abi.md#conf-xs-watch-quota)",
		 n == 1, "the refusal is an E2BIG error reply");
	CHECK_HV("a Xen domU's kernel holds watches of its own on the domain's quota (abi.md#conf-xs-watch-quota)",
		 i == 128, "the guest's tools get all 128 (%d)", i);
	for (n = 0, i = 0; i < 3000; i++) {
		snprintf(path, sizeof(path), "data/more%d", i);
		memcpy(path + strlen(path) + 1, "t", 2);
		n += watch_refused(fd, path, strlen(path) + 3);
	}
	CHECK(n == 3000, "3000 more watches: every one E2BIG, the store unharmed (%d)", n);
	CHECK(watch_refused(fd2, "data/x\0t", sizeof("data/x\0t")),
	      "the quota is the domain's: another client is refused too");
	/* Closing a file with watches and a transaction frees both. */
	close(fd);
	/* Linux's xenbus device lets a closed file's watches go from a work item. */
	for (i = 0; i < 50 && !ASK(fd2, XS_WATCH, 0, "data/x\0t", XS_WATCH, "OK"); i++)
		usleep(100000);
	CHECK(i < 50, "closing the file freed its watches (%d retries)", i);
	CHECK(ASK(fd2, XS_UNWATCH, 0, "data/x\0t", XS_UNWATCH, "OK"), "UNWATCH");

	/* A client that never reads: events are bounded, the rest dropped. */
	fd = xopen(0);
	CHECK(ASK(fd, XS_WATCH, 0, "data/flood\0t", XS_WATCH, "OK"), "a watch that is never read");
	for (i = 0; i < limit + 500; i++) {
		n = snprintf(path, sizeof(path), "data/flood") + 1;
		n += snprintf(path + n, sizeof(path) - n, "%d", i & 1);
		if (!ask(fd2, XS_WRITE, 0, path, n, XS_WRITE, "OK"))
			break;
	}
	CHECK(i == limit + 500, "%d writes to the watched node", i);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	events = 0;
	while (next_reply(fd, &r, &events) == 0)
		;
	CHECK_HV("xenhv bounds queued watch events; Linux's xenbus device does not",
		 events == limit, "the silent watcher holds exactly %d events, no more (%d)",
		 limit, events);
	close(fd);

	/* Outstanding requests: a writer that never reads is held back. */
	fd = xopen(O_NONBLOCK);
	for (i = 0; i < 100; i++)
		if (send_msg(fd, XS_READ, i, 0, "domid", sizeof("domid")))
			break;
	CHECK_HV("Linux's xenbus device takes every request of a file (abi.md#conf-xs-outstanding)",
		 i == 20 && errno == EAGAIN, "the 21st unread request waits (EAGAIN when non-blocking)");
	fcntl(fd, F_SETFL, 0);
	for (n = 0; n < i && !next_reply(fd, &r, NULL); n++)
		;
	CHECK(n == i && !send_msg(fd, XS_READ, 99, 0, "domid", sizeof("domid")),
	      "once the replies are read, writing goes on (%d of %d)", n, i);
	close(fd);

	/* Close in the middle of a message. */
	fd = xopen(0);
	CHECK(write(fd, &h, sizeof(h) - 3) == (ssize_t)sizeof(h) - 3 && close(fd) == 0,
	      "closing in the middle of a message is fine");
	CHECK(ASK(fd2, XS_READ, 0, "domid", XS_READ, "1"), "and the store carries on");
	close(fd2);
	return tap_failed ? 1 : 0;
}
