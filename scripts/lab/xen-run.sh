#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots the Xen lab once: Xen 4.17 under TCG, a Debian dom0 with Xen's toolstack, one
# domU that boots the Hyper-V lab's guest image with Linux's own Xen drivers instead of xenhv.
#
# usage: xen-run.sh [--only PATTERN] [--scenario main|bench] [--type pvh|pv|hvm] [--log FILE]
# Expects the same built tree as run.sh (tests/progs/bin/*, bench/bin/*).
set -eu
LAB_SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$LAB_SRC/scripts/lab/env.sh"
. "$LAB_SRC/scripts/lab/rootfs.sh"
. "$LAB_SRC/scripts/lab/images.sh"
. "$LAB_SRC/scripts/lab/xen-images.sh"

only=
scenario=main
type=${XENHV_XEN_TYPE:-pvh}
cpu=${XENHV_XEN_CPU:-qemu64,+svm,+npt}
logf=$XENHV_OUT/xen-lab.log
while [ $# -gt 0 ]; do
	case "$1" in
	--only) only=$2; shift 2 ;;
	--scenario) scenario=$2; shift 2 ;;
	--type) type=$2; shift 2 ;;
	--log) logf=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done

KVER=$(lab_kver)
lab_kernel
lab_l2_base
xen_hypervisor
xen_dom0_base
lab_l2_run "$XENHV_OUT/xen-l2-run.cpio.gz"

# The domU's extra layer: Linux's Xen drivers, which the guest init loads in this world.
d=$XENHV_OUT/xen-domu.d
rm -rf "$d"
mkdir -p "$d"
xen_add_modules "$d"
rootfs_pack "$d" "$XENHV_OUT/xen-domu.cpio.gz"

# dom0's per-run part: its init and the domU's stacked initrd.
d=$XENHV_OUT/xen-dom0-run.d
rm -rf "$d"
mkdir -p "$d/domu"
cp "$LAB_SRC/scripts/lab/xen-dom0-init.sh" "$d/init"
chmod +x "$d/init"
cat "$LAB_L2_BASE" "$XENHV_OUT/xen-l2-run.cpio.gz" "$XENHV_OUT/xen-domu.cpio.gz" > "$d/domu/initrd"
rootfs_pack "$d" "$XENHV_OUT/xen-dom0-run.cpio.gz"
cat "$XEN_DOM0_BASE" "$XENHV_OUT/xen-dom0-run.cpio.gz" > "$XENHV_OUT/xen-dom0.cpio.gz"

# Under a loaded host TCG crawls: XENHV_XEN_TIMEOUT stretches the domU's limit.
tmo=${XENHV_XEN_TIMEOUT:-900}
# The domU's handle, as the Hyper-V lab gives its VM (l1-init.sh).
uuid=5c1d8a4e-3b6f-4e2a-9d7c-0a1b2c3d4e5f
[ "$scenario" = bench ] && tmo=$((tmo + 600))
log "booting Xen 4.17 (TCG, -cpu $cpu) -> dom0 -> $type domU: $scenario"
boot() {
	# Multiboot: Xen is the kernel, dom0's kernel (with its command line) and
	# initramfs are its modules, separated by commas (so lab.only's commas travel
	# as "+"). One boot; dom0 powers the machine off.
	timeout $((tmo + 120)) qemu-system-x86_64 -accel "${XENHV_XEN_ACCEL:-tcg}" -cpu "$cpu" -smp 2 -m 2560 \
		-nodefaults -no-user-config -display none -serial stdio -monitor none -no-reboot \
		-kernel "$XEN_IMAGE" \
		-append "console=com1 dom0_mem=768M,max:768M dom0_max_vcpus=1 noreboot" \
		-initrd "$LAB_KDIR/vmlinuz console=hvc0 quiet lab.xentype=$type lab.scenario=$scenario lab.only=$(echo "$only" | tr , +) lab.finished=$1 lab.domutmo=$tmo lab.uuid=$uuid,$XENHV_OUT/xen-dom0.cpio.gz" \
		< /dev/null 2>&1 | stdbuf -oL tr -d '\r' | tee "$logf.try" |
		grep --line-buffered -E '^\[(tap|lab|skip)\]|^# |^\[domu\] \[lab\] test ' >&2
}

set +e
# Xen under TCG kills the domU now and then: a vCPU's triple fault, or the guest
# kernel faulting in its own exception entry, in any test and at any time
# (docs/lab.md). A boot whose domU died keeps the tests it finished, and the next
# boot (eight at most, none after XENHV_XEN_BUDGET s) runs the rest, the test it
# died in first; three deaths in one test are that test's failure. Each boot's domU
# is domain 1 again, as the tests expect.
budget=${XENHV_XEN_BUDGET:-1500}
t0=$(date +%s)
finished=
died_in=
: > "$logf"
deaths=0
for attempt in 1 2 3 4 5 6 7 8; do
	if [ $attempt -gt 1 ] && [ $(($(date +%s) - t0)) -gt "$budget" ]; then
		echo "# lab: no boot after ${budget} s (XENHV_XEN_BUDGET)" >> "$logf"
		break
	fi
	boot "$(echo $finished | tr ' ' +)"
	t=$logf.try
	if grep -a -q "^\[lab\] l2 done $scenario" "$t"; then
		cat "$t" >> "$logf"
		break
	fi
	if ! grep -a -q '^\[lab\] test ' "$t"; then
		cp "$t" "$logf.silent$attempt"
		echo "# lab: boot $attempt: the domU died before its first test (log: $logf.silent$attempt)" >> "$logf"
		log "the Xen lab's domU died before its tests (emulation); booting again"
		continue
	fi
	last=$(sed -n 's/^\[lab\] test \([^ ]*\)$/\1/p' "$t" | tail -n 1)
	n=$(grep -a -n "^\[lab\] test $last\$" "$t" | tail -n 1 | cut -d: -f1)
	head -n $((n - 1)) "$t" >> "$logf"
	# Its tests, and the hyperv-only test files it reported skipped.
	finished="$finished $(head -n $((n - 1)) "$t" | sed -n -e 's/^\[lab\] test \([^ ]*\)$/\1/p' \
		-e 's/^\[skip\] \([^: ]*\): hyperv-only: .*/\1/p' | tr '\n' ' ')"
	cp "$t" "$logf.died$attempt"
	[ "$last" = "$died_in" ] && deaths=$((deaths + 1)) || deaths=1
	if [ $deaths -ge 3 ]; then
		echo "[tap] not ok - $last: a Xen domU ran it to its end (three died in it)" >> "$logf"
		finished="$finished $last"
	fi
	died_in=$last
	echo "# lab: boot $attempt: the domU died in $last (log: $logf.died$attempt)" >> "$logf"
	log "the Xen lab's domU died in $last; booting again for the rest"
done
set -e
grep -a -q '^\[lab\] dom0 done' "$logf" ||
	echo "[tap] not ok - xen lab: dom0 ran to its end" >> "$logf"
grep -a -q "^\[lab\] l2 done $scenario" "$logf" ||
	echo "[tap] not ok - xen lab: the $type domU ran scenario $scenario to its end" >> "$logf"
exec "$LAB_SRC/scripts/lab/report.sh" --world xen "$logf"
