/* SPDX-License-Identifier: GPL-2.0 */
/* vchan rows: a libxenvchan stream with the rings a program asks for, against a socket pair. */
#ifndef XENHV_BENCH_VCHAN_ROWS_H
#define XENHV_BENCH_VCHAN_ROWS_H

#include <libxenvchan.h>

#define VCHAN_BLOCK	65536	/* one measured operation: 64 KiB moved */

/* The stream's byte at offset @off: a pattern no power-of-two ring size repeats. */
static uint8_t vchan_byte(unsigned long long off)
{
	return (uint8_t)(off % 251);
}

/* Sends @total bytes of the pattern over @v, or over @fd when @v is NULL. */
static int vchan_tx(struct libxenvchan *v, int fd, unsigned long long total)
{
	static uint8_t buf[VCHAN_BLOCK];
	unsigned long long sent = 0;
	size_t len, i;
	int r;

	while (sent < total) {
		len = total - sent < sizeof(buf) ? total - sent : sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = vchan_byte(sent + i);
		for (i = 0; i < len; i += r) {
			r = v ? libxenvchan_write(v, buf + i, len - i) : write(fd, buf + i, len - i);
			if (r <= 0)
				return -1;
		}
		sent += len;
	}
	return 0;
}

/* Receives @total bytes and checks each against the pattern. */
static int vchan_rx(struct libxenvchan *v, int fd, unsigned long long total)
{
	static uint8_t buf[VCHAN_BLOCK];
	unsigned long long got = 0;
	size_t len, i;
	int r;

	while (got < total) {
		len = total - got < sizeof(buf) ? total - got : sizeof(buf);
		r = v ? libxenvchan_read(v, buf, len) : read(fd, buf, len);
		if (r <= 0)
			return -1;
		for (i = 0; i < (size_t)r; i++)
			if (buf[i] != vchan_byte(got + i))
				return -1;
		got += r;
	}
	return 0;
}

/*
 * @n blocks of 64 KiB from this process to a forked child: over libxenvchan
 * with @ring bytes each way (libxenvchan_server_init's read_min and
 * write_min; the child is the server), or over a unix socket pair when @ring
 * is 0 (the floor: the same two processes, the same copies and checks). ns
 * per 64 KiB, from the first write to the child's word that it has all.
 */
static double vchan_lib_stream(unsigned long n, size_t ring)
{
	static unsigned int run;
	unsigned long long total = (unsigned long long)n * VCHAN_BLOCK;
	struct libxenvchan *v = NULL;
	int sync[2], sv[2] = { -1, -1 }, st;
	double ns = -1;
	char path[64], c;
	uint64_t t0;
	pid_t pid;

	snprintf(path, sizeof(path), "data/bench-lv%u", ++run);
	if (pipe(sync))
		return -1;
	if (!ring && socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		goto close_sync;
	pid = fork();
	if (pid < 0)
		goto close_sv;
	if (pid == 0) {
		close(sync[0]);
		if (ring) {
			v = libxenvchan_server_init(NULL, bench_domid, path, ring, ring);
			if (v)
				v->blocking = -1;	/* a one-bit field: all ones */
		}
		c = ring && !v ? 'e' : 'r';
		if (write(sync[1], &c, 1) != 1 || c == 'e')
			_exit(1);
		c = vchan_rx(v, sv[1], total) ? 'e' : 'd';
		if (write(sync[1], &c, 1) != 1)
			_exit(1);
		if (v)
			libxenvchan_close(v);
		_exit(0);
	}
	if (read(sync[0], &c, 1) != 1 || c != 'r')
		goto reap;
	if (ring) {
		v = libxenvchan_client_init(NULL, bench_domid, path);
		if (!v)
			goto reap;
		v->blocking = -1;
	}
	t0 = now_ns();
	if (!vchan_tx(v, sv[0], total) && read(sync[0], &c, 1) == 1 && c == 'd')
		ns = (double)(now_ns() - t0) / n;
reap:
	if (ns < 0)
		kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	if (v)
		libxenvchan_close(v);
close_sv:
	if (sv[0] >= 0) {
		close(sv[0]);
		close(sv[1]);
	}
close_sync:
	close(sync[0]);
	close(sync[1]);
	return ns;
}

static double m_vchan_64k(unsigned long n) { return vchan_lib_stream(n, 65536); }
static double m_vchan_1m(unsigned long n) { return vchan_lib_stream(n, 1 << 20); }
static double f_socketpair(unsigned long n) { return vchan_lib_stream(n, 0); }

#define VCHAN_LIB_ROWS \
	{ .what = "libxenvchan stream, 64 KiB rings, per 64 KiB", \
	  .floor = "unix socket pair, same two processes", \
	  .path = m_vchan_64k, .base = f_socketpair, .n = 128, .goal = 2.0, .maps = true }, \
	{ .what = "libxenvchan stream, 1 MiB rings, per 64 KiB", \
	  .floor = "unix socket pair, same two processes", \
	  .path = m_vchan_1m, .base = f_socketpair, .n = 128, .goal = 2.0, .maps = true },

#endif
