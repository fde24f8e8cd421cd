#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile XenStore clients against the userspace build: refused early, at a small peak RSS (TAP).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
if ! make -s -C "$top" tests/unit/bin/xs_memory > /dev/null 2>&1; then
	echo "not ok 1 - the XenStore memory driver builds"
	exit 0
fi
n=0
for s in one-node many-nodes many-txns; do
	n=$((n + 1))
	"$top/tests/unit/bin/xs_memory" "$s" --tap "$n" || echo "not ok $n - xs_memory $s exited with $?"
done
