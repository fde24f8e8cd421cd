// SPDX-License-Identifier: GPL-2.0
/* One end of a byte stream over a unix socket: sends a known stream, checks the one it gets. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

#include "tap.h"

/*
 * usage: vchan_peer listen|connect PATH SEED BYTES PEER_SEED PEER_BYTES [NAME]
 * Sends BYTES of the stream SEED while reading the peer's PEER_BYTES of
 * stream PEER_SEED, and checks every byte. PEER_BYTES of -1: read until the
 * peer goes away (exit 0 when it does, 1 if it never does in 60 s).
 *
 * VCHAN_PEER_DONE=FILE: create FILE once the stream is in and checked.
 * VCHAN_PEER_HOLD=FILE: keep the socket open (up to 60 s) until FILE exists.
 * The end behind vchan-socket-proxy's client needs the second: the server
 * proxy discards what is still in the ring once the client has closed (its
 * data_loop, on Xen too), so a client that closes right after its last byte
 * can cut the tail of its own stream. The other end's "done" is the reply
 * a real protocol would wait for.
 */

/* xorshift64*: the same bytes at both ends from one seed. */
struct stream {
	uint64_t s;
	uint64_t word;
	int left;
};

static uint8_t next_byte(struct stream *st)
{
	if (!st->left) {
		st->s ^= st->s >> 12;
		st->s ^= st->s << 25;
		st->s ^= st->s >> 27;
		st->word = st->s * 2685821657736338717ULL;
		st->left = 8;
	}
	st->left--;
	return (uint8_t)(st->word >> (8 * st->left));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stream out = { 0 }, in = { 0 };
	struct pollfd lp = { .events = POLLIN };
	long long to_send, to_recv, sent = 0, got = 0, bad_at = -1;
	uint8_t sbuf[65536], rbuf[65536];
	size_t sfill = 0, soff = 0;
	int fd, lfd, i, until_gone;
	double t0, t;
	ssize_t n;

	if (argc < 7)
		return 2;
	tap_prog = argc > 7 ? argv[7] : "vchan_peer";
	strncpy(sa.sun_path, argv[2], sizeof(sa.sun_path) - 1);
	out.s = strtoull(argv[3], NULL, 0) | 1;
	to_send = atoll(argv[4]);
	in.s = strtoull(argv[5], NULL, 0) | 1;
	to_recv = atoll(argv[6]);
	until_gone = to_recv < 0;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (!strcmp(argv[1], "listen")) {
		unlink(sa.sun_path);
		lfd = fd;
		if (bind(lfd, (void *)&sa, sizeof(sa)) || listen(lfd, 1))
			return 3;
		printf("# %s listening\n", tap_prog);
		fflush(stdout);
		/* A proxy that never connects (it failed to set up) fails, not hangs. */
		lp.fd = lfd;
		if (poll(&lp, 1, 60000) != 1) {
			CHECK(0, "the proxy connected to the listening socket within 60 s");
			return 1;
		}
		fd = accept(lfd, NULL, NULL);
	} else {
		for (i = 0; i < 100 && connect(fd, (void *)&sa, sizeof(sa)); i++)
			usleep(100000);
	}
	if (fd < 0)
		return 4;

	t0 = now_s();
	while ((sent < to_send || until_gone || got < to_recv) &&
	       now_s() - t0 < (until_gone ? 60 : 600)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (sent < to_send)
			p.events |= POLLOUT;
		if (poll(&p, 1, 60000) <= 0)
			break;
		if (p.revents & POLLOUT) {
			if (soff == sfill) {
				sfill = to_send - sent < (long long)sizeof(sbuf) ?
					(size_t)(to_send - sent) : sizeof(sbuf);
				for (soff = 0; soff < sfill; soff++)
					sbuf[soff] = next_byte(&out);
				soff = 0;
			}
			n = write(fd, sbuf + soff, sfill - soff);
			if (n > 0) {
				soff += n;
				sent += n;
			}
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(fd, rbuf, sizeof(rbuf));
			if (n <= 0)
				break;
			for (i = 0; i < n; i++)
				if (next_byte(&in) != rbuf[i] && bad_at < 0)
					bad_at = got + i;
			got += n;
		}
	}
	t = now_s() - t0;
	if (until_gone) {
		printf("# %s: %lld bytes in, then the peer went away after %.1f s\n", tap_prog, got, t);
		CHECK(t < 60 && bad_at < 0, "the other side noticed the peer die mid-stream (%lld bytes, byte-exact)", got);
		return tap_failed ? 1 : 0;
	}
	printf("# %s: sent %lld, received %lld in %.2f s (%.1f MB/s each way)\n",
	       tap_prog, sent, got, t, (sent > got ? sent : got) / t / 1e6);
	CHECK(sent == to_send, "sent all %lld bytes", to_send);
	CHECK(got == to_recv && bad_at < 0, "received %lld of %lld bytes, byte-exact (first bad byte %lld)",
	      got, to_recv, bad_at);
	if (getenv("VCHAN_PEER_DONE")) {
		int done = open(getenv("VCHAN_PEER_DONE"), O_WRONLY | O_CREAT, 0600);

		/* Not a check of its own: the holder then waits its 60 s, no more. */
		if (done < 0)
			printf("# %s: cannot create %s\n", tap_prog, getenv("VCHAN_PEER_DONE"));
		else
			close(done);
	}
	if (getenv("VCHAN_PEER_HOLD")) {
		struct stat st;

		t0 = now_s();
		while (stat(getenv("VCHAN_PEER_HOLD"), &st) && now_s() - t0 < 60)
			usleep(100000);
	}
	close(fd);
	return tap_failed ? 1 : 0;
}
