// SPDX-License-Identifier: GPL-2.0
/* Probe: hv_result() and hv_result_success() (5.12). */
#include <asm/mshyperv.h>

bool xenhv_probe(u64 status);
bool xenhv_probe(u64 status)
{
	return hv_result_success(status) && !hv_result(status);
}
