# SPDX-License-Identifier: GPL-2.0
# Debian's xenwatchdogd arms and pets SCHEDOP_watchdog through libxenctrl.
. /tests/lib.sh
need_xenhv

on_xen || before=$(calls 29)
check "xenwatchdogd starts (30 s timeout, pet every second)" xenwatchdogd 30 1
sleep 3
hv_only "xenhv's status counters" check_eq "xenwatchdogd armed watchdog 1" 1 "$(watchdogs)"
hv_only "xenhv's status counters" check "xenwatchdogd pets the watchdog" test "$(calls 29)" -ge $((before + 3))
kill -USR1 "$(pidof xenwatchdogd)"
sleep 1
hv_only "xenhv's status counters" check_eq "SIGUSR1: xenwatchdogd disarms the watchdog" 0 "$(watchdogs)"
check_fails "SIGUSR1: xenwatchdogd exited" pidof xenwatchdogd

check "xenwatchdogd starts again" xenwatchdogd 30 1
sleep 2
kill -TERM "$(pidof xenwatchdogd)"
sleep 1
check_fails "SIGTERM: xenwatchdogd exited" pidof xenwatchdogd
hv_only "xenhv's status counters" check_eq "SIGTERM: the watchdog stays armed (re-armed to 300 s), as on Xen" 1 "$(watchdogs)"
hv_only "unloads xenhv" check_fails "xenhv cannot unload while a watchdog is armed" rmmod xenhv
check_eq "xc_watchdog(1, 0) disarms it" "0 0" "$(/progs/xenhv_call watchdog 1 0)"
hv_only "xenhv's status counters" check_eq "no watchdog armed" 0 "$(watchdogs)"
