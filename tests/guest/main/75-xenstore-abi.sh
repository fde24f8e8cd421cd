# SPDX-License-Identifier: GPL-2.0
# /dev/xen/xenbus framing and misuse; /proc/xen/xenbus; concurrent transactions.
. /tests/lib.sh
need_xenhv

run_tap /progs/xenbus_abi "$(xenstore_events)"
run_tap /progs/xenbus_abi "$(xenstore_events)" /proc/xen/xenbus
# libxenstore falls back to /proc/xen/xenbus when /dev/xen/xenbus is missing.
mv /dev/xen/xenbus /dev/xenbus.away
check_eq "libxenstore through /proc/xen/xenbus" 1 "$(xenstore-read domid)"
mv /dev/xenbus.away /dev/xen/xenbus
if xen_lab_runs "xs_race: four writers racing on one node" \
	"the Xen lab's PVH domU under TCG dies in it, a vCPU's triple fault (docs/lab.md)"; then
	run_tap /progs/xs_race 4 150
	check "the store is consistent after the race" xenstore-write data/after-race ok
fi
# (A subshell: in the Xen domU there is no xenhv status to add up.)
xs_left() { echo $(($(status xenstore transactions) + $(status xenstore watches))); }
hv_only "xenhv's status counters" check_eq "closed files left no transaction or watch behind" 0 \
	"$(on_xen || xs_left)"
