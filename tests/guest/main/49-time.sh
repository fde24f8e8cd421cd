# SPDX-License-Identifier: GPL-2.0
# Xen time: pvclock from the reference TSC page on every vCPU, wall clock, runstate and
# vcpu_info areas; then the same with the reference TSC page refused (ref_tsc=N).
# lab-only: hyperv xenhv's time status, and its shared_info page put in a privcmd mapping (Xen's add_to_physmap would move the domU kernel's own)
. /tests/lib.sh
need_xenhv

tm() { status time "$1"; }
insmod /modules/hv_time_probe.ko
for f in /sys/module/xenhv/status/time/*; do echo "# ${f##*/} $(cat "$f")"; done
# The page is valid only when Hyper-V says so (sequence != 0): in this lab when L1
# trusts its TSC (tsc=reliable) so its KVM keeps a master clock; else the fallback.
src=reftsc
[ "$(tm tsc_sequence)" = 0 ] && src=tsc
check_eq "pvclock source follows the reference TSC page's validity (sequence $(tm tsc_sequence))" \
	"$src" "$(tm source)"
check "time is refreshed about once a second" sh -c \
	'a=$(cat /sys/module/xenhv/status/time/updates); sleep 2.2
	 b=$(cat /sys/module/xenhv/status/time/updates); [ $((b - a)) -ge 2 ]'
run_tap /progs/xen_time "$src"
check_eq "the runstate area was written by the refresh" 1 "$([ "$(tm runstate_writes)" -gt 0 ] && echo 1)"
check_eq "vCPU 0's vcpu_info moved" 1 "$(tm vcpu_info_moved)"
# Event channels keep working with vCPU 0's vcpu_info in its new page.
run_tap /progs/evtchn_pingpong 200 "$(cat /sys/module/xenhv/parameters/domid)"

# The no-reference-TSC path, on the same Hyper-V: the module parameter forces it.
rmmod xenhv
insmod /modules/xenhv.ko ref_tsc=0
check "the log names the pvclock fallback" sh -c \
	'dmesg | grep -q "xenhv: fallback: ref_tsc=N, Xen pvclock from the TSC frequency"'
check_eq "pvclock comes from the TSC frequency" tsc "$(tm source)"
run_tap /progs/xen_time tsc
rmmod xenhv
insmod /modules/xenhv.ko $XENHV_LAB_ARGS
rmmod hv_time_probe
