#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots the nested Hyper-V lab once and runs the chosen L2 boots (kernel, Xen userland, scenarios) in it.
#
# usage: run.sh [--only PATTERN] [--scenarios "main crash ..."] [--log FILE]
#               [--l2 "KERNEL XEN SET SCENARIOS"]...
#   PATTERN picks guest tests whose file name contains it (quick iteration).
#   Without --l2: one L2 configuration, the kernel XENHV_L2_KERNEL (default 6.1, see
#   scripts/lab/kernels.sh), the Xen userland XENHV_L2_XEN (4.17), every test, the
#   scenarios given. Each --l2 adds one: KERNEL, XEN (4.17 | 4.20), SET (all | core:
#   l2-init.sh's named subset) and a comma-separated scenario list; every scenario is its own L2 boot.
# A scenario is a folder tests/guest/NAME/: its guest scripts (run in order), scenario.conf
# (timeout, place in the default run, Hyper-V enlightenments) and an optional verdict.sh
# that L1 runs on the L2 console log. Adding a scenario is adding a folder.
# Expects a built tree: xenhv.ko, tests/kmod/*.ko, bench/*.ko, tests/progs/bin/*.
# XENHV_L2_KERNEL_DIR: the kernel of our own build that the kernel name "debug" boots
#   (scripts/lab/debug-kernel.sh's directory); xenhv is built for it like for any L2 kernel.
# XENHV_LAB_SLOW: multiply every timeout by this (a debug kernel is slower).
# XENHV_FUZZ_SECONDS, XENHV_FUZZ_SEED: the device-node fuzzer's time and seed.
set -eu
LAB_SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$LAB_SRC/scripts/lab/env.sh"
. "$LAB_SRC/scripts/suite.sh"
. "$LAB_SRC/scripts/lab/rootfs.sh"
. "$LAB_SRC/scripts/lab/images.sh"
. "$LAB_SRC/scripts/lab/kernels.sh"
. "$LAB_SRC/scripts/lab/userland.sh"
. "$LAB_SRC/scripts/lab/resume.sh"
. "$LAB_SRC/scripts/lab/l1-boot.sh"

# conf NAME KEY: one setting of scenario NAME's scenario.conf (empty when unset).
conf() {
	sed -n "s/^$2=//p" "$LAB_SRC/tests/guest/$1/scenario.conf" 2>/dev/null | tail -n1
}

# The default run: every scenario with a place (default=N > 0), in that order.
default_scenarios() {
	local f n
	for f in "$LAB_SRC"/tests/guest/*/scenario.conf; do
		n=$(basename "$(dirname "$f")")
		echo "$(conf "$n" default) $n"
	done | awk '$1 > 0' | sort -n | awk '{ printf "%s%s", s, $2; s = " " }'
}

only=
scenarios=$(default_scenarios)
logf=$XENHV_OUT/lab.log
plan=()
while [ $# -gt 0 ]; do
	case "$1" in
	--only) only=$2; shift 2 ;;
	--scenarios) scenarios=$2; shift 2 ;;
	--log) logf=$2; shift 2 ;;
	--l2) plan+=("$2"); shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done

[ ${#plan[@]} -gt 0 ] ||
	plan=("${XENHV_L2_KERNEL:-6.1} ${XENHV_L2_XEN:-4.17} all $(echo $scenarios | tr ' ' ,)")
for entry in "${plan[@]}"; do
	# shellcheck disable=SC2086
	set -- $entry
	[ $# -eq 4 ] || die "--l2 wants \"KERNEL XEN SET SCENARIOS\", not \"$entry\""
	for s in $(echo "$4" | tr , ' '); do
		[ -f "$LAB_SRC/tests/guest/$s/scenario.conf" ] ||
			die "no scenario $s (tests/guest/$s/scenario.conf)"
	done
done
KVER=$(lab_kver)
[ -e "$LAB_SRC/xenhv.ko" ] || die "xenhv.ko is not built (make modules)"
slow=${XENHV_LAB_SLOW:-1}
lab_kernel
lab_l1_base

# Per-run L1 part: its init, the checks, and for each L2 configuration its pieces
# (L1 concatenates them into one initrd per boot: Linux unpacks stacked cpios).
l1=$XENHV_OUT/l1-run.d
rm -rf "$l1"
mkdir -p "$l1/lab" "$l1/l2"
cp "$LAB_SRC/scripts/lab/l1-init.sh" "$l1/init"
chmod +x "$l1/init"
cp "$LAB_SRC/xenhv.ko" "$l1/lab/"

# What every L2 shares: its init, the guest tests, the status command.
d=$XENHV_OUT/l2-common.d
rm -rf "$d"
mkdir -p "$d/tests" "$d/progs"
cp "$LAB_SRC/scripts/lab/l2-init.sh" "$d/init"
chmod +x "$d/init"
cp -r "$LAB_SRC"/tests/guest/. "$d/tests/"
cp "$LAB_SRC/scripts/xenhv" "$d/progs/xenhv"
mkdir -p "$d/etc"
echo "${XENHV_FUZZ_SECONDS:-60} ${XENHV_FUZZ_SEED:-}" > "$d/etc/lab-fuzz"
# make bench's row filter (bench/progs/bench.c), for a quick look at a few rows.
echo "${BENCH_ROWS:-}" > "$d/etc/lab-bench-rows"
mkdir -p "$d/usr/sbin"
cp "$LAB_SRC/scripts/xenhv-kvp" "$d/usr/sbin/xenhv-kvp"
# Debian's hv_kvp_daemon (hyperv-daemons), to run beside xenhv-kvp.
[ -x /usr/sbin/hv_kvp_daemon ] && rootfs_add_bin "$d" /usr/sbin/hv_kvp_daemon
rootfs_pack "$d" "$l1/l2/common.cpio.gz"

: > "$l1/lab/scenarios"
# A configuration that cannot be made (xenhv does not build for its kernel, a
# suite cannot be fetched) fails here and the others still boot.
pre=$XENHV_OUT/lab.pre
: > "$pre"
tmo_total=0
for entry in "${plan[@]}"; do
	# shellcheck disable=SC2086
	set -- $entry
	[ $# -eq 4 ] || die "--l2 wants \"KERNEL XEN SET SCENARIOS\", not \"$entry\""
	kspec=$1 xen=$2 set=$3
	# The name each boot's results carry: kernel/Xen, and the set when not all.
	label=$kspec/$xen
	[ "$set" = all ] || label=$label/$set
	if ! (lab_l2_resolve "$kspec" && echo "$L2_KVER" > "$XENHV_OUT/l2-kver"); then
		echo "[tap] not ok - $label: Debian has the kernel $kspec" >> "$pre"
		continue
	fi
	L2_KVER=$(cat "$XENHV_OUT/l2-kver")
	ktag=$(echo "$L2_KVER" | tr -c 'a-zA-Z0-9.\n-' _)
	if [ ! -e "$l1/l2/k-$ktag.cpio.gz" ] &&
	   ! (lab_l2_resolve "$kspec" && lab_l2_kernel && lab_l2_headers &&
	      lab_l2_kpart "$XENHV_OUT/l2-k-$ktag.d" &&
	      rootfs_pack "$XENHV_OUT/l2-k-$ktag.d" "$l1/l2/k-$ktag.cpio.gz" &&
	      cp "$L2_KDIR/vmlinuz" "$l1/l2/vmlinuz-$ktag"); then
		rm -f "$l1/l2/k-$ktag.cpio.gz"
		echo "[tap] not ok - $label: xenhv and its L2 image are made for $L2_KVER" >> "$pre"
		continue
	fi
	if [ ! -e "$l1/l2/u-$xen.cpio.gz" ] &&
	   ! (lab_l2_base "$xen" && cp "$LAB_L2_BASE" "$l1/l2/u-$xen.cpio.gz" &&
	      lab_l2_progs "$xen" "$XENHV_OUT/l2-p-$xen.d" &&
	      rootfs_pack "$XENHV_OUT/l2-p-$xen.d" "$l1/l2/p-$xen.cpio.gz"); then
		rm -f "$l1/l2/u-$xen.cpio.gz"
		echo "[tap] not ok - $label: the Xen $xen userland is made for L2" >> "$pre"
		continue
	fi
	# Each line of lab/scenarios: name, kernel tag, Xen, set, label, L2 timeout,
	# enlightenments ("-": the full set); lab/verdict-NAME.sh judges a scenario
	# whose L2 cannot print its own verdict.
	for s in $(echo "$4" | tr , ' '); do
		# A set of its own may have a limit of its own (timeout_core=).
		t=$(conf "$s" "timeout_$set")
		t=$((${t:-$(conf "$s" timeout)} * slow))
		echo "$s $ktag $xen $set $label $t $(conf "$s" hyperv | grep . || echo -)" \
			>> "$l1/lab/scenarios"
		tmo_total=$((tmo_total + t))
		if [ -f "$LAB_SRC/tests/guest/$s/verdict.sh" ]; then
			cp "$LAB_SRC/tests/guest/$s/verdict.sh" "$l1/lab/verdict-$s.sh"
			chmod +x "$l1/lab/verdict-$s.sh"
		fi
	done
done
[ -s "$l1/lab/scenarios" ] || { cat "$pre"; die "no L2 configuration could be made"; }
rootfs_pack "$l1" "$XENHV_OUT/l1-run.cpio.gz"
cat "$LAB_L1_BASE" "$XENHV_OUT/l1-run.cpio.gz" > "$XENHV_OUT/l1.cpio.gz"
# The boot ids the verdicts are checked against.
boots=$(awk '{ print $1 "@" $5 }' "$l1/lab/scenarios")
all_boots=$boots

nohv=1
[ -n "$only" ] && nohv=0

# The lab's time, all boots together (XENHV_LAB_BUDGET seconds): no boot runs
# past it by more than 10 minutes, and none starts after it, so deaths and
# hangs cannot carry make check past CI's limit.
budget=$((${XENHV_LAB_BUDGET:-3000} * slow))

boot() {	# boot LOG
	local limit
	log "booting L1 (TCG) -> L2 (KVM + Hyper-V enlightenments):" $boots
	# Every L2 boot's own limit, and L1's boot and KVM start on top.
	limit=$((lab_start + budget + 600 - $(date +%s)))
	[ "$limit" -le $((tmo_total + 300)) ] || limit=$((tmo_total + 300))
	l1_boot "$1" "$limit" "$XENHV_OUT/l1.cpio.gz" "lab.nohv=$nohv lab.only=$only lab.slow=$slow"
}

# An L1 that died before the end of every scenario: nested SVM under TCG does
# that now and then (seen: L1 panics in KVM's thread). A scenario is a result
# once L1 saw it to its end (L1 retries a dead L2 itself, and a hang is a
# result); the next boot runs only the scenarios L1 did not see to their end,
# and the others keep their results, "not ok" included.
set +e
: > "$logf.kept"
lab_start=$(date +%s)
boot "$logf"
last=$logf
for retry in 1 2 3 4 5; do
	left=$(lab_left "$logf" "$l1/lab/scenarios")
	[ -n "$left" ] || break
	if [ $(($(date +%s) - lab_start)) -ge "$budget" ]; then
		log "the lab's $budget s are spent: not booting" $(echo "$left" | awk '{ print $1 "@" $5 }') "again"
		echo "# lab: its $budget s spent, not booted again:" $(echo "$left" | awk '{ print $1 "@" $5 }')
		break
	fi
	cp "$last" "$logf.silent$retry"
	lab_keep "$last" "$nohv" >> "$logf.kept"
	# L1's refusal checks ran once; later boots skip them.
	grep -q -F 'l1: no /dev/xen/privcmd after refusal' "$logf.kept" && nohv=0
	echo "$left" > "$l1/lab/scenarios"
	boots=$(awk '{ print $1 "@" $5 }' "$l1/lab/scenarios")
	tmo_total=$(awk '{ t += $6 } END { print t }' "$l1/lab/scenarios")
	# A cpio stacked last replaces the scenario list of the run's own.
	rm -rf "$XENHV_OUT/l1-retry.d"
	mkdir -p "$XENHV_OUT/l1-retry.d/lab"
	cp "$l1/lab/scenarios" "$XENHV_OUT/l1-retry.d/lab/"
	rootfs_pack "$XENHV_OUT/l1-retry.d" "$XENHV_OUT/l1-retry.cpio.gz"
	cat "$LAB_L1_BASE" "$XENHV_OUT/l1-run.cpio.gz" "$XENHV_OUT/l1-retry.cpio.gz" \
		> "$XENHV_OUT/l1.cpio.gz"
	log "L1 died or gave up before the end of" $boots "(nested emulation); booting those again (log kept: $logf.silent$retry)"
	echo "# lab: L1 died or gave up before the end of" $boots "and booted them again (log: $logf.silent$retry)"
	last=$logf.boot
	boot "$last"
	cat "$logf.kept" "$last" > "$logf"
done
for b in $all_boots; do
	grep -a -q -F -x "[lab] judged $b" "$logf" ||
		echo "[tap] not ok - lab: L2 boot $b gave a verdict" >> "$logf"
done
cat "$pre" >> "$logf"
set -e
exec "$LAB_SRC/scripts/lab/report.sh" "$logf"
