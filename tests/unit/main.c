// SPDX-License-Identifier: GPL-2.0
/* Runs every unit test of xen-compat/ and prints the TAP plan and totals. */
#include <stdbool.h>

#include "unit.h"

int n_tests, n_failed;
bool xenhv_unit_atomic;
int uport_atomic_fails;

int main(void)
{
	test_compat();
	test_xenstore();
	test_xs_quota();
	test_xen_abi();
	test_evtchn();
	test_time();
	test_gnttab();
	test_atomic();
	printf("1..%d\n", n_tests);
	printf("unit: %d passed, %d failed\n", n_tests - n_failed, n_failed);
	return n_failed ? 1 : 0;
}
