#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# L1-side verdict of scenario "watchdog": expiry reached Hyper-V's crash MSRs with Xen's reason.
log=$1
# Judge only a boot that reached the trigger; an earlier death is no verdict.
if ! grep -a -q '^\[lab\] watchdog: killing xenwatchdogd' "$log"; then
	echo "[lab] no verdict watchdog"
	exit 0
fi
echo "[lab] verdict watchdog"
line=$(grep -a -o 'HV crash parameters: ([^)]*)' "$log" | head -n1)
echo "# $line"
set -- $(echo "$line" | sed 's/.*(\(.*\))/\1/')
if [ "$1" = 0x58454e4856 ] && [ "$2" = 0x4 ] && [ "$3" = 0x1 ] && [ "$4" = 0x4 ]; then
	echo "[tap] ok - watchdog: expiry notified Hyper-V: P1=SHUTDOWN_watchdog, P2=id 1, P3=4 s"
else
	echo "[tap] not ok - watchdog: expiry notified Hyper-V: P1=SHUTDOWN_watchdog, P2=id 1, P3=4 s"
fi
if grep -a -q '^\[tap\] ok - watchdog: xenwatchdogd' "$log"; then :; else
	echo "[tap] not ok - watchdog: the guest lived while xenwatchdogd ran"
fi
