#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boots the Hyper-V lab guest, loads xenhv, and shows Xen's own tools at work in it.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lab/env.sh"
log=$XENHV_OUT/demo.log
echo "Booting the nested Hyper-V lab (L1: TCG, L2: KVM with Hyper-V enlightenments)..."
"$top/scripts/lab/run.sh" --scenarios demo --log "$log" > /dev/null 2>&1
rc=$?
grep -a '^\[demo\]' "$log" | sed 's/^\[demo\] \{0,1\}//'
[ $rc -eq 0 ] && echo "demo: all steps worked" || echo "demo: a step failed (full log: $log)"
exit $rc
