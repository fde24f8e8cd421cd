#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# L1-side verdict of scenario "xsshutdown": the guest powered itself off after the XenStore request.
log=$1
if ! grep -a -q '^\[lab\] xsshutdown: xenstore-write' "$log"; then
	echo "[lab] no verdict xsshutdown"
	exit 0
fi
echo "[lab] verdict xsshutdown"
if grep -a -q 'reboot: Power down' "$log" && ! grep -a -q '^\[tap\] not ok - xsshutdown' "$log"; then
	echo "[tap] ok - xsshutdown: control/shutdown=poweroff powered the guest off, as on Xen"
else
	echo "[tap] not ok - xsshutdown: control/shutdown=poweroff powered the guest off, as on Xen"
fi
