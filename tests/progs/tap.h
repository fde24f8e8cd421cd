/* SPDX-License-Identifier: GPL-2.0 */
/* TAP lines for guest test programs: "[tap] ok - prog: what" as the lab collects them. */
#ifndef XENHV_TAP_H
#define XENHV_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <unistd.h>

static int tap_failed;
static const char *tap_prog = "test";
static int tap_line;

/* A crash says where it happened: the line of the last check that ran. */
static void tap_on_crash(int sig)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "[tap] not ok - %s: crashed with signal %d after line %d\n",
			 tap_prog, sig, tap_line);

	if (write(1, msg, n) < 0)
		_exit(128 + sig);
	_exit(128 + sig);
}

static void __attribute__((constructor)) tap_init(void)
{
	signal(SIGSEGV, tap_on_crash);
	signal(SIGABRT, tap_on_crash);
}

#define CHECK(cond, ...) do {						\
	int ok_ = !!(cond);						\
	int e_ = errno;							\
	tap_line = __LINE__;						\
	printf("[tap] %s - %s: ", ok_ ? "ok" : "not ok", tap_prog);	\
	printf(__VA_ARGS__);						\
	if (!ok_)							\
		printf(" (line %d, errno %d %s)", __LINE__, e_, strerror(e_)); \
	printf("\n");							\
	fflush(stdout);							\
	if (!ok_)							\
		tap_failed++;						\
} while (0)

/*
 * The "[conf]" line of a call's answer (return R, errno E), for the conformance table
 * that joins the two labs; errno is E again after it.
 */
static inline void __attribute__((format(printf, 4, 5)))
tap_conf(int line, long r, int e, const char *fmt, ...)
{
	va_list ap;

	printf("[conf] %s:%d rc=%ld errno=%d ", tap_prog, line, r, r == -1 ? e : 0);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	errno = e;
}

/* Makes a call into R and prints its "[conf]" line. */
#define TAP_CALL(r, call, ...) \
	(errno = 0, (r) = (call), tap_conf(__LINE__, (r), errno, __VA_ARGS__))

/* A call that must fail with -1 and exactly this errno. */
#define CHECK_ERR(call, err, ...) do {					\
	long r_;							\
	TAP_CALL(r_, call, __VA_ARGS__);				\
	CHECK(r_ == -1 && errno == (err), __VA_ARGS__);			\
} while (0)

/* The Xen lab's domU runs these programs with LAB_WORLD=xen. */
static inline int tap_on_xen(void)
{
	const char *w = getenv("LAB_WORLD");

	return w && !strcmp(w, "xen");
}

/*
 * A check whose expectation holds only through xenhv (a bound or a counter of its own):
 * the call still runs in the Xen domU, but the check is reported skipped, with why.
 */
#define CHECK_HV(why, cond, ...) do {					\
	if (tap_on_xen()) {						\
		int r_ = !!(cond);					\
		printf("[skip] %s: ", tap_prog);			\
		printf(__VA_ARGS__);					\
		printf(" (hyperv-only: %s; here %s)\n", why, r_ ? "true" : "false"); \
		fflush(stdout);						\
	} else {							\
		CHECK(cond, __VA_ARGS__);				\
	}								\
} while (0)

/* CHECK_ERR of a call whose expected errno holds only through xenhv (as CHECK_HV). */
#define CHECK_ERR_HV(why, call, err, ...) do {				\
	long rh_;							\
	TAP_CALL(rh_, call, __VA_ARGS__);				\
	CHECK_HV(why, rh_ == -1 && errno == (err), __VA_ARGS__);	\
} while (0)

/* In the Xen domU: prints a skip of WHAT whose KIND and reason are WHY, and returns 0. */
static inline int tap_skip_on_xen(const char *kind, const char *why, const char *what)
{
	if (!tap_on_xen())
		return 1;
	printf("[skip] %s: %s (%s: %s; here not run)\n", tap_prog, what, kind, why);
	fflush(stdout);
	return 0;
}

/*
 * Whether to make a check that holds only through xenhv and cannot even be
 * tried in a Xen domU (the call would harm that domU, or could not end there).
 */
#define tap_hv_run(why, what) tap_skip_on_xen("hyperv-only", why, what)

/*
 * Whether to make a check that the Xen lab cannot run for a defect of its own (Xen
 * under TCG; docs/lab.md says what was seen). It is no hyperv-only check: a real
 * Xen host would run it.
 */
#define tap_xen_lab_runs(why, what) tap_skip_on_xen("xen-lab", why, what)

/* The Xen lab's PVH domU loses what is written through a mapping of its own grant. */
#define TAP_XEN_NOMAP "the Xen lab's PVH domU under TCG corrupts its memory when it maps its own grant (docs/lab.md)"
#define tap_maps_grants(what) tap_xen_lab_runs(TAP_XEN_NOMAP, what)

#endif
