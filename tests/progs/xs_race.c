// SPDX-License-Identifier: GPL-2.0
/* Several processes increment one XenStore counter in transactions (libxenstore). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>
#include <xenstore.h>

#include "tap.h"

#define PATH "data/race/counter"

/* One worker: @n increments, each a read-modify-write transaction, retried on EAGAIN. */
static int worker(int n, int result_fd)
{
	struct xs_handle *h = xs_open(0);
	unsigned int len, conflicts = 0, errors = 0;
	xs_transaction_t t;
	char *v, buf[32];
	int i;

	if (!h)
		return 1;
	for (i = 0; i < n; i++) {
		for (;;) {
			t = xs_transaction_start(h);
			if (t == XBT_NULL) {
				errors++;
				break;
			}
			v = xs_read(h, t, PATH, &len);
			snprintf(buf, sizeof(buf), "%ld", (v ? strtol(v, NULL, 10) : 0) + 1);
			free(v);
			if (!xs_write(h, t, PATH, buf, strlen(buf))) {
				xs_transaction_end(h, t, true);
				errors++;
				break;
			}
			if (xs_transaction_end(h, t, false))
				break;
			if (errno != EAGAIN) {
				errors++;
				break;
			}
			conflicts++;
		}
	}
	xs_close(h);
	snprintf(buf, sizeof(buf), "%u %u\n", conflicts, errors);
	return write(result_fd, buf, strlen(buf)) > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	int procs = argc > 1 ? atoi(argv[1]) : 4, n = argc > 2 ? atoi(argv[2]) : 200;
	unsigned int conflicts = 0, errors = 0, c, e;
	struct xs_handle *h;
	int fds[2], i, status, ok = 1;
	char *v, buf[64];
	unsigned int len;
	FILE *f;

	tap_prog = "xs_race";
	h = xs_open(0);
	CHECK(h, "libxenstore connects");
	if (!h || pipe(fds))
		return 1;
	xs_rm(h, XBT_NULL, "data/race");
	CHECK(xs_write(h, XBT_NULL, PATH, "0", 1), "counter starts at 0");
	for (i = 0; i < procs; i++) {
		if (fork() == 0) {
			close(fds[0]);
			_exit(worker(n, fds[1]));
		}
	}
	close(fds[1]);
	for (i = 0; i < procs; i++)
		ok &= wait(&status) > 0 && WIFEXITED(status) && !WEXITSTATUS(status);
	f = fdopen(fds[0], "r");
	while (f && fgets(buf, sizeof(buf), f)) {
		if (sscanf(buf, "%u %u", &c, &e) == 2) {
			conflicts += c;
			errors += e;
		}
	}
	CHECK(ok && errors == 0, "%d processes x %d transactions ran without errors", procs, n);
	v = xs_read(h, XBT_NULL, PATH, &len);
	CHECK(v && atoi(v) == procs * n,
	      "the counter is exactly %d: every commit counted once (got %s)", procs * n, v ? v : "-");
	CHECK(conflicts > 0, "transactions really conflicted (%u EAGAINs, each retried)", conflicts);
	printf("# %u conflicts for %d commits\n", conflicts, procs * n);
	free(v);
	xs_rm(h, XBT_NULL, "data/race");
	xs_close(h);
	return tap_failed ? 1 : 0;
}
