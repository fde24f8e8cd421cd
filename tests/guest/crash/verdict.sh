#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# L1-side verdict of scenario "crash": Hyper-V (QEMU) saw the guest crash MSRs with Xen's reason.
log=$1
# Judge only a boot that reached the trigger; an earlier death is no verdict.
if ! grep -a -q '^\[lab\] crash: SCHEDOP_shutdown' "$log"; then
	echo "[lab] no verdict crash"
	exit 0
fi
echo "[lab] verdict crash"
line=$(grep -a -o 'HV crash parameters: ([^)]*)' "$log" | head -n1)
echo "# $line"
set -- $(echo "$line" | sed 's/.*(\(.*\))/\1/')
if [ "$1" = 0x58454e4856 ] && [ "$2" = 0x3 ]; then
	echo "[tap] ok - crash: Hyper-V got the crash notification, P0=XENHV tag, P1=SHUTDOWN_crash"
else
	echo "[tap] not ok - crash: Hyper-V got the crash notification, P0=XENHV tag, P1=SHUTDOWN_crash"
fi
if grep -a -q 'xenhv: Xen shutdown reason 3 reported to Hyper-V as a guest crash' "$log"; then
	echo "[tap] ok - crash: the guest logged why it reported a crash"
else
	echo "[tap] not ok - crash: the guest logged why it reported a crash"
fi
