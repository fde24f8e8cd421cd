# SPDX-License-Identifier: GPL-2.0
# Scenario "crash": SCHEDOP_shutdown(SHUTDOWN_crash) must reach Hyper-V's crash MSRs.
# The verdict is L1's (verdict.sh in this folder): this boot ends in the crash.
. /tests/lib.sh
T=crash

insmod /modules/xenhv.ko || not_ok "xenhv loads"
echo "[lab] crash: SCHEDOP_shutdown(SHUTDOWN_crash) through libxencall"
# The line above on the console first: the relay carries it (l2-init.sh).
sleep 1
/progs/xenhv_call shutdown 3
sleep 10
not_ok "the guest stopped after SHUTDOWN_crash"
