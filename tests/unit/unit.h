/* SPDX-License-Identifier: GPL-2.0 */
/* The unit tests' TAP assertion, shared by every test file. */
#ifndef _XENHV_UNIT_H
#define _XENHV_UNIT_H

#include <stdio.h>

extern int n_tests, n_failed;

#define T(cond, ...) do {						\
	int ok_ = !!(cond);						\
	n_tests++;							\
	printf("%s %d - ", ok_ ? "ok" : "not ok", n_tests);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!ok_) {							\
		n_failed++;						\
		printf("#   failed at %s:%d\n", __FILE__, __LINE__);	\
	}								\
} while (0)

void test_compat(void);
void test_xenstore(void);
void test_xs_quota(void);
void test_xen_abi(void);
void test_evtchn(void);
void test_time(void);
void test_gnttab(void);

#endif
