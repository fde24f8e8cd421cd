# SPDX-License-Identifier: GPL-2.0
# Scenario "watchdog": xenwatchdogd keeps the guest alive; once killed, expiry crashes it.
# The crash verdict is L1's (verdict.sh in this folder).
. /tests/lib.sh
T=watchdog

insmod /modules/xenhv.ko || not_ok "xenhv loads"
xenwatchdogd 4 1 || not_ok "xenwatchdogd starts"
sleep 10
check_eq "xenwatchdogd's pets keep the guest alive past twice its timeout" 1 "$(watchdogs)"
echo "[lab] watchdog: killing xenwatchdogd; the 4 s watchdog must expire"
kill -KILL "$(pidof xenwatchdogd)"
sleep 20
not_ok "the expired watchdog stopped the guest"
