// SPDX-License-Identifier: GPL-2.0
/* /dev/xen/evtchn's ABI as Linux's evtchn driver has it: ioctls, read/write, poll, misuse. */
#define _GNU_SOURCE
/* Xen's current hypercall numbers, not the compat ones. */
#define __XEN_TOOLS__ 1
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <xen/xen.h>
#include <xen/sys/evtchn.h>
#include <xencall.h>
#include <xen/event_channel.h>

#include "tap.h"

static int domid = 1;
/* An address nothing is mapped at, hidden from the compiler's checks. */
static void *volatile bad_ptr = (void *)8;

static int dev_open(int flags)
{
	return open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | flags);
}

static int bind_unbound(int fd, int remote)
{
	struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = remote };

	return ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
}

static int bind_interdomain(int fd, int remote, int port)
{
	struct ioctl_evtchn_bind_interdomain b = {
		.remote_domain = remote, .remote_port = port,
	};

	return ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
}

static int notify(int fd, int port)
{
	struct ioctl_evtchn_notify n = { .port = port };

	return ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n);
}

static int unbind(int fd, int port)
{
	struct ioctl_evtchn_unbind u = { .port = port };

	return ioctl(fd, IOCTL_EVTCHN_UNBIND, &u);
}

static int unmask(int fd, uint32_t port)
{
	return write(fd, &port, sizeof(port)) == sizeof(port) ? 0 : -1;
}

/* Ports readable within @ms, or 0. */
static int wait_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

static int read_port(int fd, int ms)
{
	uint32_t port;

	if (!(wait_in(fd, ms) & POLLIN))
		return -1;
	return read(fd, &port, sizeof(port)) == sizeof(port) ? (int)port : -2;
}

/* EVTCHNOP_status through libxencall, as lsevtchn asks. */
static int status(xencall_handle *xc, int port, struct evtchn_status *out)
{
	struct evtchn_status *s = xencall_alloc_buffer(xc, sizeof(*s));
	int rc;

	s->dom = DOMID_SELF;
	s->port = port;
	rc = xencall2(xc, __HYPERVISOR_event_channel_op, EVTCHNOP_status,
		      (uint64_t)(uintptr_t)s);
	*out = *s;
	xencall_free_buffer(xc, s);
	return rc;
}

static void test_binds(xencall_handle *xc)
{
	struct evtchn_status st;
	int fd = dev_open(0), fd2 = dev_open(0);
	int a, b, c;

	CHECK(fd >= 0 && fd2 >= 0, "two opens of /dev/xen/evtchn");
	a = bind_unbound(fd, domid);
	CHECK(a > 0, "BIND_UNBOUND_PORT returns a port (%d)", a);
	CHECK(status(xc, a, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
	      st.u.unbound.dom == domid, "EVTCHNOP_status: unbound, for domain %d", domid);
	b = bind_interdomain(fd2, domid, a);
	CHECK(b > 0 && b != a, "BIND_INTERDOMAIN from another file connects (%d)", b);
	CHECK(status(xc, a, &st) == 0 && st.status == EVTCHNSTAT_interdomain &&
	      st.u.interdomain.port == (uint32_t)b, "status: the pair is connected both ways");
	CHECK_ERR(bind_interdomain(fd2, domid, a), EINVAL, "binding a connected port again: EINVAL");
	CHECK_ERR(bind_interdomain(fd2, domid, 4095), EINVAL, "binding a port beyond those in use: EINVAL");
	CHECK_ERR(bind_interdomain(fd2, 77, a), ESRCH, "binding to a domain that does not exist: ESRCH");
	CHECK(read_port(fd2, 2000) == b, "the new interdomain port was raised at bind");
	unmask(fd2, b);

	CHECK_ERR(notify(fd, b), ENOTCONN, "notify on another file's port: ENOTCONN");
	CHECK_ERR(unbind(fd, b), ENOTCONN, "unbind of another file's port: ENOTCONN");
	CHECK_ERR(notify(fd, 0), ENOTCONN, "notify on port 0: ENOTCONN");
	CHECK_ERR(unbind(fd, 5000), EINVAL, "unbind of a port past 4096: EINVAL");
	/* Below 1024: a FIFO kernel (a Xen domU) sets up its ports a page of 1024 at a time. */
	CHECK_ERR(unbind(fd, 1000), ENOTCONN, "unbind of a port nobody bound: ENOTCONN");
	CHECK_ERR(ioctl(fd, _IOC(_IOC_NONE, 'E', 99, 0), NULL), ENOSYS, "unknown ioctl: ENOSYS");
	CHECK_ERR(ioctl(fd, IOCTL_EVTCHN_NOTIFY, bad_ptr), EFAULT, "bad argument pointer: EFAULT");

	/* Coalescing: three sends before the peer reads are one event. */
	CHECK(notify(fd, a) == 0 && notify(fd, a) == 0 && notify(fd, a) == 0, "three notifies succeed");
	CHECK(read_port(fd2, 2000) == b, "the peer gets the event");
	CHECK(read_port(fd2, 200) == -1, "... once: sends before delivery coalesce");
	/* Masked until written back: a send meanwhile waits, then comes once. */
	CHECK(notify(fd, a) == 0, "notify while the peer has not unmasked");
	CHECK(read_port(fd2, 200) == -1, "nothing comes while the port is masked");
	CHECK(unmask(fd2, b) == 0, "write() of the port unmasks it");
	CHECK(read_port(fd2, 2000) == b, "the event sent while masked comes after unmask");
	CHECK(read_port(fd2, 200) == -1, "... exactly once");
	unmask(fd2, b);

	/* The other direction, and an unbound port: sends are dropped. */
	CHECK(notify(fd2, b) == 0 && read_port(fd, 2000) == a, "events flow the other way too");
	unmask(fd, a);
	c = bind_unbound(fd, domid);
	CHECK(c > 0 && notify(fd, c) == 0, "notify on an unbound port succeeds (Xen drops it)");
	CHECK(read_port(fd, 200) == -1, "... and nothing arrives");

	/* Unbind closes: the peer waits unbound again. */
	CHECK(unbind(fd2, b) == 0, "UNBIND");
	CHECK(status(xc, a, &st) == 0 && st.status == EVTCHNSTAT_unbound, "the peer is unbound again");
	CHECK(status(xc, b, &st) == 0 && st.status == EVTCHNSTAT_closed, "the unbound port is closed");
	CHECK_ERR(notify(fd2, b), ENOTCONN, "notify after unbind: ENOTCONN");
	CHECK_ERR(unbind(fd2, b), ENOTCONN, "double unbind: ENOTCONN");

	/* Closing the file closes what it bound. */
	close(fd);
	CHECK(status(xc, a, &st) == 0 && st.status == EVTCHNSTAT_closed &&
	      status(xc, c, &st) == 0 && st.status == EVTCHNSTAT_closed,
	      "closing the file closes its ports");
	close(fd2);
}

static void test_restrict(void)
{
	struct ioctl_evtchn_restrict_domid r = { .domid = 0 };
	struct ioctl_evtchn_bind_virq v = { .virq = VIRQ_TIMER };
	int fd = dev_open(0);

	CHECK_ERR(ioctl(fd, IOCTL_EVTCHN_RESTRICT_DOMID, &r), EINVAL, "restrict to domain 0: EINVAL");
	r.domid = DOMID_FIRST_RESERVED;
	CHECK_ERR(ioctl(fd, IOCTL_EVTCHN_RESTRICT_DOMID, &r), EINVAL, "restrict to a reserved id: EINVAL");
	r.domid = 5;
	CHECK(ioctl(fd, IOCTL_EVTCHN_RESTRICT_DOMID, &r) == 0, "restrict to domain 5");
	CHECK_ERR(ioctl(fd, IOCTL_EVTCHN_RESTRICT_DOMID, &r), EACCES, "restricting twice: EACCES");
	CHECK_ERR(bind_unbound(fd, 5), EACCES, "restricted: BIND_UNBOUND_PORT is EACCES");
	CHECK_ERR(ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &v), EACCES, "restricted: BIND_VIRQ is EACCES");
	CHECK_ERR(bind_interdomain(fd, domid, 1), EACCES, "restricted: another domain is EACCES");
	close(fd);
}

static void test_read_write(void)
{
	int fd = dev_open(O_NONBLOCK), a;
	uint32_t ports[2];
	char byte;

	a = bind_unbound(fd, domid);
	CHECK(read(fd, ports, 0) == 0, "read of 0 bytes returns 0");
	CHECK(read(fd, &byte, 1) == 0, "read of less than a port returns 0");
	CHECK_ERR(read(fd, ports, sizeof(ports)), EAGAIN, "O_NONBLOCK read with nothing pending: EAGAIN");
	CHECK(write(fd, &byte, 1) == 0, "write of less than a port returns 0");
	CHECK_ERR(write(fd, bad_ptr, 4), EFAULT, "write from a bad pointer: EFAULT");
	ports[0] = 4095;
	ports[1] = 99999;
	CHECK(write(fd, ports, sizeof(ports)) == sizeof(ports), "write of ports not ours is accepted and ignored");
	CHECK_ERR(read(fd, ports, sizeof(ports)), EAGAIN, "... and raised nothing");
	CHECK(wait_in(fd, 0) == 0, "poll: not readable");
	(void)a;
	close(fd);
}

/* Each delivery is one ring entry; unmasking without reading fills the ring. */
static void test_overflow(void)
{
	int fd = dev_open(O_NONBLOCK), fd2 = dev_open(0), a, b, i;
	uint32_t port;

	a = bind_unbound(fd, domid);
	b = bind_interdomain(fd2, domid, a);
	read_port(fd2, 2000);	/* the bind's own event */
	for (i = 0; i < 70; i++) {
		unmask(fd2, b);
		notify(fd, a);
		/* Let the delivery land before the next unmask. */
		wait_in(fd2, 100);
		usleep(1000);
	}
	CHECK(wait_in(fd2, 100) & POLLERR, "poll reports EPOLLERR after the ring (64 ports) overflowed");
	CHECK_ERR(read(fd2, &port, sizeof(port)), EFBIG, "read after overflow: EFBIG");
	CHECK(ioctl(fd2, IOCTL_EVTCHN_RESET) == 0, "RESET clears the ring and the error");
	CHECK(wait_in(fd2, 0) == 0, "after RESET: nothing readable, no error");
	unmask(fd2, b);
	notify(fd, a);
	CHECK(read_port(fd2, 2000) == b, "events flow again after RESET");
	close(fd);
	close(fd2);
}

struct reader {
	int fd;
	int port;
};

static void *blocked_reader(void *arg)
{
	struct reader *r = arg;
	uint32_t port;

	r->port = read(r->fd, &port, sizeof(port)) == sizeof(port) ? (int)port : -1;
	return NULL;
}

/* RESET while another thread sleeps in read: it stays asleep until an event. */
static void test_reset_while_blocked(void)
{
	int fd = dev_open(0), fd2 = dev_open(0), a, b;
	struct reader r = { .fd = fd2, .port = -9 };
	pthread_t t;

	a = bind_unbound(fd, domid);
	b = bind_interdomain(fd2, domid, a);
	read_port(fd2, 2000);
	unmask(fd2, b);
	pthread_create(&t, NULL, blocked_reader, &r);
	usleep(200000);
	CHECK(ioctl(fd2, IOCTL_EVTCHN_RESET) == 0, "RESET while a reader is blocked");
	usleep(200000);
	CHECK(r.port == -9, "the blocked reader is still waiting after RESET");
	notify(fd, a);
	pthread_join(t, NULL);
	CHECK(r.port == b, "an event after RESET wakes it with the right port (%d)", r.port);
	close(fd);
	close(fd2);
}

/*
 * Binds the first per-vCPU VIRQ on vCPU 0 that nobody holds; -1 if none. Under
 * xenhv that is VIRQ_TIMER; in a Xen domU the kernel binds VIRQ_TIMER and
 * VIRQ_DEBUG on every vCPU itself, so a tool meets EEXIST for those.
 */
static int bind_free_virq(int fd, unsigned int *virq)
{
	static const unsigned int virqs[] = { VIRQ_TIMER, VIRQ_DEBUG, VIRQ_XENOPROF, VIRQ_XENPMU };
	struct ioctl_evtchn_bind_virq v;
	unsigned int i;
	int p;

	for (i = 0; i < sizeof(virqs) / sizeof(virqs[0]); i++) {
		v.virq = virqs[i];
		p = ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &v);
		if (p >= 0) {
			*virq = virqs[i];
			return p;
		}
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

static void test_virq(void)
{
	struct ioctl_evtchn_bind_virq v;
	int fd = dev_open(0), p;
	unsigned int virq = 0;

	p = bind_free_virq(fd, &virq);
	CHECK(p > 0, "BIND_VIRQ of a per-vCPU VIRQ nobody holds, on vCPU 0 (VIRQ %u)", virq);
	CHECK_HV("a Xen domU's own kernel holds VIRQ_TIMER", virq == VIRQ_TIMER,
		 "VIRQ_TIMER is free for the guest's tools");
	v.virq = virq;
	CHECK_ERR(ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &v), EEXIST, "the same VIRQ twice: EEXIST");
	v.virq = 24;
	CHECK_ERR(ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &v), EINVAL, "VIRQ 24 (past NR_VIRQS): EINVAL");
	CHECK(notify(fd, p) == 0, "notify on a VIRQ port: 0, Linux's driver ignores the send's EINVAL");
	close(fd);
	fd = dev_open(0);
	v.virq = virq;
	CHECK(ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &v) > 0, "after close the VIRQ can be bound again");
	close(fd);
}

/* Holds a few ports for lsevtchn to list, until stdin closes. */
static int hold(void)
{
	int fd = dev_open(0), a, b, t;
	unsigned int virq = 0;
	char c;

	a = bind_unbound(fd, domid);
	b = bind_interdomain(fd, domid, a);
	t = bind_free_virq(fd, &virq);
	printf("%d %d %d %u\n", a, b, t, virq);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	xencall_handle *xc;

	tap_prog = "evtchn_abi";
	if (getenv("DOMID"))
		domid = atoi(getenv("DOMID"));
	if (argc > 1 && !strcmp(argv[1], "hold"))
		return hold();
	xc = xencall_open(NULL, 0);
	CHECK(xc != NULL, "xencall_open");
	if (!xc)
		return 1;
	test_binds(xc);
	test_restrict();
	test_read_write();
	test_overflow();
	test_reset_while_blocked();
	test_virq();
	xencall_close(xc);
	return tap_failed ? 1 : 0;
}
