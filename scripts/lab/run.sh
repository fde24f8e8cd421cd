#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots the nested Hyper-V lab once and runs the chosen guest scenarios in it.
#
# usage: run.sh [--only PATTERN] [--scenarios "main crash ..."] [--log FILE]
#   PATTERN picks guest tests whose file name contains it (quick iteration).
# A scenario is a folder tests/guest/NAME/: its guest scripts (run in order), scenario.conf
# (timeout, place in the default run, Hyper-V enlightenments) and an optional verdict.sh
# that L1 runs on the L2 console log. Adding a scenario is adding a folder.
# Expects a built tree: xenhv.ko, tests/kmod/*.ko, bench/*.ko, tests/progs/bin/*.
set -eu
LAB_SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$LAB_SRC/scripts/lab/env.sh"
. "$LAB_SRC/scripts/lab/rootfs.sh"
. "$LAB_SRC/scripts/lab/images.sh"

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
while [ $# -gt 0 ]; do
	case "$1" in
	--only) only=$2; shift 2 ;;
	--scenarios) scenarios=$2; shift 2 ;;
	--log) logf=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done

for s in $scenarios; do
	[ -f "$LAB_SRC/tests/guest/$s/scenario.conf" ] || die "no scenario $s (tests/guest/$s/scenario.conf)"
done
KVER=$(lab_kver)
[ -e "$LAB_SRC/xenhv.ko" ] || die "xenhv.ko is not built (make modules)"
lab_kernel
lab_l1_base
lab_l2_base

# Per-run L2 part: xenhv, the test modules and programs, the guest tests.
d=$XENHV_OUT/l2-run.d
rm -rf "$d"
mkdir -p "$d/modules" "$d/tests" "$d/progs"
cp "$LAB_SRC/scripts/lab/l2-init.sh" "$d/init"
chmod +x "$d/init"
cp "$LAB_SRC/xenhv.ko" "$LAB_SRC"/tests/kmod/*.ko "$LAB_SRC"/bench/*.ko "$d/modules/" 2>/dev/null || true
cp -r "$LAB_SRC"/tests/guest/. "$d/tests/"
cp "$LAB_SRC/scripts/xenhv" "$d/progs/xenhv"
mkdir -p "$d/usr/sbin"
cp "$LAB_SRC/scripts/xenhv-kvp" "$d/usr/sbin/xenhv-kvp"
# Debian's hv_kvp_daemon (hyperv-daemons), to run beside xenhv-kvp.
[ -x /usr/sbin/hv_kvp_daemon ] && rootfs_add_bin "$d" /usr/sbin/hv_kvp_daemon
# The package as scripts/package/test.sh installed it into its scratch root.
pkg=$XENHV_OUT/pkgroot
if [ -f "$pkg/lib/modules/$KVER/updates/dkms/xenhv.ko" ]; then
	mkdir -p "$d/lib/modules/$KVER/updates/dkms" "$d/lib/udev/rules.d" "$d/usr/sbin"
	cp "$pkg/lib/modules/$KVER/updates/dkms/xenhv.ko" "$d/lib/modules/$KVER/updates/dkms/"
	cp "$pkg/lib/udev/rules.d/60-xenhv.rules" "$d/lib/udev/rules.d/"
	cp "$pkg/usr/sbin/xenhv" "$d/usr/sbin/xenhv"
fi
for p in "$LAB_SRC"/tests/progs/bin/* "$LAB_SRC"/bench/bin/*; do
	[ -x "$p" ] && rootfs_add_bin "$d" "$p" && mv "$d/$p" "$d/progs/"
done
rootfs_pack "$d" "$XENHV_OUT/l2-run.cpio.gz"

# Per-run L1 part: its init, the stacked L2 initrd, the scenario list and checks.
d=$XENHV_OUT/l1-run.d
rm -rf "$d"
mkdir -p "$d/lab" "$d/l2"
cp "$LAB_SRC/scripts/lab/l1-init.sh" "$d/init"
chmod +x "$d/init"
cp "$LAB_SRC/xenhv.ko" "$d/lab/"
cat "$LAB_L2_BASE" "$XENHV_OUT/l2-run.cpio.gz" > "$d/l2/initrd"
# Each line of lab/scenarios: name, L2 timeout, enlightenments ("-": the full set);
# lab/verdict-NAME.sh judges a scenario whose L2 cannot print its own verdict.
for s in $scenarios; do
	echo "$s $(conf "$s" timeout) $(conf "$s" hyperv | grep . || echo -)"
	if [ -f "$LAB_SRC/tests/guest/$s/verdict.sh" ]; then
		cp "$LAB_SRC/tests/guest/$s/verdict.sh" "$d/lab/verdict-$s.sh"
		chmod +x "$d/lab/verdict-$s.sh"
	fi
done > "$d/lab/scenarios"
rootfs_pack "$d" "$XENHV_OUT/l1-run.cpio.gz"
cat "$LAB_L1_BASE" "$XENHV_OUT/l1-run.cpio.gz" > "$XENHV_OUT/l1.cpio.gz"

nohv=1
[ -n "$only" ] && nohv=0

boot() {
	log "booting L1 (TCG) -> L2 (KVM + Hyper-V enlightenments): $scenarios"
	# tsc=reliable: L1's KVM keeps a master clock, so L2's reference TSC page is valid.
	# A whole lab takes about three minutes; three wedged boots still fit CI's limit.
	timeout 1200 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 3072 \
		-nodefaults -no-user-config -display none -serial stdio -monitor none \
		-no-reboot -kernel "$LAB_KDIR/vmlinuz" -initrd "$XENHV_OUT/l1.cpio.gz" \
		-append "console=ttyS0 quiet panic=-1 tsc=reliable lab.nohv=$nohv lab.only=$only" \
		< /dev/null 2>&1 | tr -d '\r' | tee "$logf" |
		grep --line-buffered -E '^\[(tap|lab)\]|^# ' >&2
}

# A boot that gave no verdict for some scenario: L1 or an L2 vanished before
# its end marker (or, in the crash scenarios, its crash report). Nested SVM
# under TCG does that now and then (seen: L1 panics in KVM, L2 reset), and
# L1's and L2's consoles share one stream, so a panic line cannot tell whose
# it was. A boot that died for a reason in xenhv dies again on the retry; a
# test that ran and printed "not ok" is never retried.
silent_death() {
	local s
	grep -a -q '^\[tap\] not ok' "$logf" && return 1
	for s in $scenarios; do
		grep -a -q -E "^\[lab\] (l2 done|verdict) $s([^a-z0-9_-]|\$)" "$logf" || return 0
	done
	return 1
}

set +e
boot
for retry in 1 2; do
	silent_death || break
	cp "$logf" "$logf.silent$retry"
	log "the lab died without a verdict (nested emulation); booting again (log kept: $logf.silent$retry)"
	echo "# lab: a boot died without a verdict, rebooted (log: $logf.silent$retry)"
	boot
done
for s in $scenarios; do
	grep -a -q -E "^\[lab\] (l2 done|verdict) $s([^a-z0-9_-]|\$)" "$logf" ||
		echo "[tap] not ok - lab: scenario $s gave a verdict" >> "$logf"
done
set -e
exec "$LAB_SRC/scripts/lab/report.sh" "$logf"
