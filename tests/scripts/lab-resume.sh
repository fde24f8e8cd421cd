#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP: after an L1 that died, which scenarios boot again and which lines stay counted.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/scripts/tap.sh"
. "$top/scripts/lab/resume.sh"

cat > "$tmp/scenarios" <<'X'
main 6.1.0-44-amd64 4.17 all 6.1/4.17 900 -
crash 6.1.0-44-amd64 4.17 all 6.1/4.17 120 -
main 6.12.9-amd64 4.17 core 6.12/4.17/core 600 -
fallback 6.1.0-44-amd64 4.17 all 6.1/4.17 600 hv-relaxed
X
# L1's checks, main judged with a failure, crash without a verdict after L1's
# own retry, then a death in the middle of 6.12's main.
cat > "$tmp/dead.log" <<'X'
[lab] l1 up 2 cpus
[tap] ok - l1: xenhv refuses a guest without Hyper-V with ENODEV
[tap] ok - l1: no /dev/xen/privcmd after refusal
[lab] scenario main@6.1/4.17 begin (6.1.0-44-amd64)
[tap] ok - 6.1/4.17: 10-load: loads
[tap] not ok - 6.1/4.17: 46-evtchn: unbind
[lab] scenario main@6.1/4.17 qemu exited
[lab] judged main@6.1/4.17
[lab] scenario main@6.1/4.17 end
[lab] scenario crash@6.1/4.17 begin (6.1.0-44-amd64)
[lab] scenario crash@6.1/4.17 qemu exited
[lab] no verdict crash@6.1/4.17
[lab] scenario crash@6.1/4.17 end
[lab] scenario main@6.12/4.17/core begin (6.12.9-amd64)
[tap] ok - 6.12/4.17/core: 10-load: loads
Kernel panic - not syncing: stack guard page was hit
X

left=$(lab_left "$tmp/dead.log" "$tmp/scenarios")
ok $? "lab_left runs"
[ "$(echo "$left" | awk '{ print $1 "@" $5 }' | tr '\n' ' ')" = \
  "main@6.12/4.17/core fallback@6.1/4.17 " ]
ok $? "only the scenario cut short and the ones never begun boot again, in order"
echo "$left" | grep -q -F 'fallback 6.1.0-44-amd64 4.17 all 6.1/4.17 600 hv-relaxed'
ok $? "a scenario's line boots again whole (timeout, enlightenments)"

lab_keep "$tmp/dead.log" 1 > "$tmp/kept"
grep -q -F '[tap] not ok - 6.1/4.17: 46-evtchn: unbind' "$tmp/kept"
ok $? "a failure of a scenario seen to its end stays counted"
grep -q -F '[lab] no verdict crash@6.1/4.17' "$tmp/kept"
ok $? "a scenario without a verdict after L1's own retry stays a result"
! grep -q '6.12/4.17/core: 10-load' "$tmp/kept"
ok $? "the lines of the scenario cut short are dropped"
[ "$(grep -c -F 'l1: ' "$tmp/kept")" -eq 2 ]
ok $? "L1's own checks are kept once"
! grep -q 'panic' "$tmp/kept"
ok $? "the death itself is not kept"
lab_keep "$tmp/dead.log" 0 > "$tmp/kept0"
! grep -q -F 'l1: ' "$tmp/kept0"
ok $? "a boot that skipped L1's checks keeps none"

# L1 that died during its own checks: they are not kept, so they run again.
head -n 2 "$tmp/dead.log" > "$tmp/early.log"
lab_keep "$tmp/early.log" 1 > "$tmp/kept-early"
[ ! -s "$tmp/kept-early" ]
ok $? "L1's checks cut short are not kept"
[ "$(lab_left "$tmp/early.log" "$tmp/scenarios" | wc -l)" -eq 4 ]
ok $? "an L1 that died before any scenario boots them all again"

echo "1..$n"
exit $((fails > 0))
