// SPDX-License-Identifier: GPL-2.0
/* Lab helper: carries the L2 tests' output to a serial console that may stop transmitting. */
/*
 * Seen in the nested lab: the console stopped mid-line for good while both
 * vCPUs ran on, the tests blocked writing to a full tty, and no kernel report
 * came (the kernel's own console writes poll the UART; a tty's writes wait
 * for its transmit interrupt). One interrupt the nested emulation loses is
 * enough: the 16550's is an ISA edge, and the 8250 driver waits for the next.
 *
 * So the tests write to a pseudo-terminal (a tty still: their programs buffer
 * by line as before), and this relay alone holds the console open:
 * - it takes what the tests write at once, into a buffer of its own, so a
 *   slow or stopped console never holds a test up;
 * - when bytes queued on the tty have not moved for a second, it stops and
 *   restarts output (TCOOFF, TCOON: the driver clears and sets THRI in IER,
 *   which lowers and raises the line, a new edge);
 * - if that does not move them either, it takes the port's interrupt away
 *   (TIOCSSERIAL, irq 0), and the driver polls the UART from a timer from then
 *   on. That restart drops what was queued on the tty, so the relay writes
 *   those bytes again from its own copy.
 * Each step is told in the kernel log, whose lines reach the console anyway.
 *
 * Usage: console_relay LINK, with the console as standard output: LINK is made
 * a symbolic link to the pseudo-terminal for the tests to write to. On SIGTERM,
 * what the tests wrote until then is written out, and it exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/serial.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE (8u << 20)
/* Never overwritten: what was written and may still be queued on the tty. */
#define KEEP (64u << 10)
/* After SIGTERM: done once the tests' side has been quiet this long (ms). */
#define QUIET_MS 300

static char buf[BUF_SIZE];
/* Monotonic byte counts: taken in, written to the tty. */
static unsigned long long in, out;
/* The pseudo-terminal's master side, read here. */
static int pty;
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* The kernel log, not the console: its writes get through a stuck tty. */
static void klog(const char *what, int queued)
{
	char line[200];
	int fd = open("/dev/kmsg", O_WRONLY);
	int n;

	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line),
		     "<4>lab: console output stood still with %d bytes queued: %s\n",
		     queued, what);
	if (write(fd, line, n) != n)
		perror("/dev/kmsg");
	close(fd);
}

/* Reads what the tests wrote, as far as the buffer has room; says whether any came. */
static int take_input(void)
{
	int got = 0;

	while (in - out + KEEP < BUF_SIZE) {
		size_t at = in % BUF_SIZE;
		size_t room = BUF_SIZE - KEEP - (in - out);
		ssize_t n;

		if (room > BUF_SIZE - at)
			room = BUF_SIZE - at;
		n = read(pty, buf + at, room);
		if (n <= 0)
			break;
		in += n;
		got = 1;
	}
	return got;
}

static void give_output(void)
{
	while (out < in) {
		size_t at = out % BUF_SIZE;
		size_t len = in - out;
		ssize_t n;

		if (len > BUF_SIZE - at)
			len = BUF_SIZE - at;
		n = write(1, buf + at, len);
		if (n <= 0)
			return;
		out += n;
	}
}

/* The port without its interrupt: the 8250 driver then polls it. */
static int poll_the_port(void)
{
	struct serial_struct ss;

	if (ioctl(1, TIOCGSERIAL, &ss) < 0)
		return -1;
	ss.irq = 0;
	if (ioctl(1, TIOCSSERIAL, &ss) < 0 || ioctl(1, TIOCGSERIAL, &ss) < 0)
		return -1;
	/* A port the firmware fixed keeps its interrupt without an error. */
	if (ss.irq) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* The tty's own queue now (the kernel's count; 0 if it cannot say). */
static int tty_queued(void)
{
	int queued;

	return ioctl(1, TIOCOUTQ, &queued) < 0 ? 0 : queued;
}

/* One look a second at the tty's queue, a second step if the first did not help. */
static void watch(void)
{
	static int last, kicked, polled;
	int queued = tty_queued();

	if (queued <= 0 || queued != last) {
		last = queued;
		kicked = 0;
		return;
	}
	if (!kicked) {
		kicked = 1;
		if (tcflow(1, TCOOFF) == 0 && tcflow(1, TCOON) == 0)
			klog("output stopped and restarted", queued);
		return;
	}
	if (polled || (unsigned int)queued > KEEP)
		return;
	polled = 1;
	if (poll_the_port() < 0) {
		klog(strerror(errno), queued);
		return;
	}
	/* The restarted port lost its queue: those bytes again. */
	out -= queued;
	last = 0;
	klog("the port is polled from now on, its queue written again", queued);
}

/* The tests' side, output passed as written (no newline turned into CR LF). */
static int open_pty(const char *link)
{
	struct termios t;
	char *name;
	int tests;

	pty = posix_openpt(O_RDWR | O_NOCTTY);
	if (pty < 0 || grantpt(pty) || unlockpt(pty))
		return -1;
	name = ptsname(pty);
	/* Held open here, so that the master never reads EIO between writers. */
	tests = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	if (tests < 0 || tcgetattr(tests, &t))
		return -1;
	t.c_oflag &= ~OPOST;
	t.c_lflag &= ~ECHO;
	if (tcsetattr(tests, TCSANOW, &t))
		return -1;
	unlink(link);
	return symlink(name, link);
}

static long long ms_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long long now, next = 0, until = 0, heard = 0;
	int fl;

	if (argc != 2 || open_pty(argv[1])) {
		perror(argc == 2 ? argv[1] : "usage: console_relay LINK");
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	fcntl(pty, F_SETFL, fcntl(pty, F_GETFL) | O_NONBLOCK);
	fl = fcntl(1, F_GETFL);
	fcntl(1, F_SETFL, fl | O_NONBLOCK);
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = pty, .events = POLLIN },
			{ .fd = out < in ? 1 : -1, .events = POLLOUT },
		};

		poll(p, 2, stop ? 50 : 1000);
		now = ms_now();
		if (take_input())
			heard = now;
		give_output();
		if (now >= next) {
			watch();
			next = now + 1000;
		}
		if (!stop)
			continue;
		/*
		 * Stopped: what is still on its way through the pseudo-terminal
		 * too (until its writers have been quiet a while), then until the
		 * tty's queue is empty; two minutes at most.
		 */
		if (!until)
			until = now + 120000;
		if ((out == in && now - heard >= QUIET_MS && !tty_queued()) || now >= until)
			break;
	}
	fcntl(1, F_SETFL, fl);
	return 0;
}
