#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turns a lab log's TAP lines into a numbered TAP summary and "N passed, N failed".
# Exits 1 on any failure, or when the lab did not run to its end. "[skip] T: reason" lines
# (tests whose expectation holds only in the other lab) are listed and counted apart.
set -u
end='^\[lab\] l1 done'
if [ "${1:-}" = --world ]; then
	[ "$2" = xen ] && end='^\[lab\] dom0 done'
	shift 2
fi
logf=${1:?usage: report.sh [--world hyperv|xen] LAB_LOG}

pass=0
fail=0
skip=0
n=0
while IFS= read -r line; do
	case "$line" in
	"[tap] ok - "*)
		n=$((n + 1)); pass=$((pass + 1))
		echo "ok $n - ${line#\[tap\] ok - }" ;;
	"[tap] not ok - "*)
		n=$((n + 1)); fail=$((fail + 1))
		echo "not ok $n - ${line#\[tap\] not ok - }" ;;
	"[skip] "*)
		skip=$((skip + 1))
		echo "# skip - ${line#\[skip\] }" ;;
	esac
done < <(grep -a -E '^\[tap\] (not )?ok - |^\[skip\] ' "$logf")

# A lab that never reached its end (hang, L1 crash) is a failure of its own.
if ! grep -a -q "$end" "$logf"; then
	n=$((n + 1)); fail=$((fail + 1))
	echo "not ok $n - lab ran to its end (see $logf)"
	tail -n 40 "$logf" | sed 's/^/# /'
fi
echo "1..$n"
echo "lab: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
