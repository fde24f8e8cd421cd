#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: the whole guest suite, every scenario, with L2 on the debug kernel, and its tally.
#
# The debug kernel (scripts/lab/debug-kernel.sh: KASAN, KFENCE, lockdep, atomic-sleep
# checks, kmemleak, UBSAN) is built once per kernel source version and config fragment;
# that build takes about half an hour on two quiet cores, so plain make check never does it.
# L1 stays on Debian's kernel and runs the tree's own xenhv.ko (the refusal test); the
# modules L2 loads are built for the debug kernel by the lab, as for any L2 kernel that
# is not the host's. The fuzzer runs 120 s here
# (XENHV_FUZZ_SECONDS); timeouts are 4 times the normal lab's (XENHV_LAB_SLOW).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. scripts/lab/env.sh
out=$XENHV_OUT/check-debug
mkdir -p "$out"
t0=$(date +%s)

pass=0
fail=0
result() {	# result RC DESCRIPTION [LOG]
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok - $2"
	else
		fail=$((fail + 1))
		echo "not ok - $2"
		[ -n "${3:-}" ] && tail -n 40 "$3" | sed 's/^/#   /'
	fi
}
step() {	# step NAME DESCRIPTION CMD...
	local name=$1 desc=$2
	shift 2
	"$@" > "$out/$name.log" 2>&1
	result $? "$desc" "$out/$name.log"
}
finish() {
	echo "check-debug: $(($(date +%s) - t0)) s"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

dk=$(scripts/lab/debug-kernel.sh 2> "$out/kernel.log")
result $? "the debug kernel is built (or cached): ${dk:-none}" "$out/kernel.log"
[ -n "$dk" ] && [ -e "$dk/done" ] || finish
echo "# debug kernel $(cat "$dk/release"), built in $(cat "$dk/build-seconds") s"

step build "xenhv.ko for L1 (Debian's kernel) and the guest programs build" make -s lab-modules progs
[ -e xenhv.ko ] || finish
# L2 on the debug kernel ("debug" in scripts/lab/kernels.sh): the lab builds xenhv and
# the test modules for it from this tree, beside the tree's own build.
XENHV_L2_KERNEL=debug XENHV_L2_KERNEL_DIR=$dk XENHV_LAB_SLOW=${XENHV_LAB_SLOW:-4} \
	XENHV_FUZZ_SECONDS=${XENHV_FUZZ_SECONDS:-120} \
	scripts/lab/run.sh --log "$out/lab.log" > "$out/lab.tap"
rc=$?
p=$(grep -c -E '^ok [0-9]+ - ' "$out/lab.tap")
f=$(grep -c -E '^not ok [0-9]+ - ' "$out/lab.tap")
grep -E '^not ok [0-9]+ - ' "$out/lab.tap"
pass=$((pass + p))
fail=$((fail + f))
echo "lab (debug kernel): $p passed, $f failed"
[ $rc -eq 0 ] || [ "$f" -gt 0 ] || result 1 "lab ran (see $out/lab.log)"
# Each kernel report with the first xenhv frame of its stack.
scripts/lab/kreports.sh "$out/lab.log" | sed 's/^/# report: /'
grep -a '# devfuzz: .* operations' "$out/lab.log" | sed 's/^# */# /'
finish
