# SPDX-License-Identifier: GPL-2.0
# Scenario "xsshutdown": a toolstack-style write of poweroff to control/shutdown powers the guest off.
# The verdict is L1's (verdict.sh in this folder): this boot ends in the power-off.
. /tests/lib.sh
T=xsshutdown

insmod /modules/xenhv.ko || not_ok "xenhv loads"
xenstore-watch -n 2 control/shutdown > /tmp/w.out &
sleep 1
echo "[lab] xsshutdown: xenstore-write control/shutdown poweroff"
xenstore-write control/shutdown poweroff
sleep 20
not_ok "the guest powered off after control/shutdown=poweroff"
