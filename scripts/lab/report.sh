#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turns a lab log's TAP lines into a numbered TAP summary and "N passed, N failed".
# Exits 1 on any failure, or when the lab did not run to its end.
set -u
logf=${1:?usage: report.sh LAB_LOG}

pass=0
fail=0
n=0
while IFS= read -r line; do
	case "$line" in
	"[tap] ok - "*)
		n=$((n + 1)); pass=$((pass + 1))
		echo "ok $n - ${line#\[tap\] ok - }" ;;
	"[tap] not ok - "*)
		n=$((n + 1)); fail=$((fail + 1))
		echo "not ok $n - ${line#\[tap\] not ok - }" ;;
	esac
done < <(grep -a -E '^\[tap\] (not )?ok - ' "$logf")

# A lab that never reached its end (hang, L1 crash) is a failure of its own.
if ! grep -a -q '^\[lab\] l1 done' "$logf"; then
	n=$((n + 1)); fail=$((fail + 1))
	echo "not ok $n - lab ran to its end (see $logf)"
	tail -n 40 "$logf" | sed 's/^/# /'
fi
echo "1..$n"
echo "lab: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
