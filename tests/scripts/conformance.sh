#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP: the conformance table from made-up logs of both labs: verdicts, notes, exit status.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/scripts/tap.sh"
conf=$top/scripts/lab/conformance.py

# The Hyper-V lab: two scenarios, checks prefixed with the L2 configuration; only
# main@6.1/4.17 counts (vmbus-first's "not ok" must not reach the table).
cat > "$tmp/hv.log" <<'EOF'
[lab] scenario vmbus-first@6.1/4.17 begin (6.1.0-57-amd64)
[lab] test 20-xen-version
[tap] not ok - 6.1/4.17: xen_version: XENVER_version is 0x40011
[lab] scenario vmbus-first@6.1/4.17 end
[lab] scenario main@6.1/4.17 begin (6.1.0-57-amd64)
[lab] test 20-xen-version
[tap] ok - 6.1/4.17: xen_version: XENVER_version is 0x40011 (got 0x40011)
[conf] xen_version:70 rc=-1 errno=22 XENVER_pagesize with an argument is EINVAL
[tap] ok - 6.1/4.17: xen_version: XENVER_pagesize with an argument is EINVAL
[tap] ok - 6.1/4.17: xen_version: XENVER_changeset is not empty
[lab] test 45-vcpu-memory-hvm
[tap] ok - 6.1/4.17: xen_vcpu_mem: HVMOP_flush_tlbs
[lab] test 52-grants-vchan
[tap] ok - 6.1/4.17: gnt_share: another process maps the 4 granted pages
[tap] ok - 6.1/4.17: gnt_share: grant copy of 40 segments in one call[   35.022547] lab: mark 47 430
[tap] ok - 6.1/4.17: kernel log of scenario main is clean
[lab] l2 done main
[lab] scenario main@6.1/4.17 end
[lab] scenario main@6.12/4.17 begin (6.12.95_deb12-amd64)
[tap] not ok - 6.12/4.17: xen_version: XENVER_version is 0x40011
[lab] scenario main@6.12/4.17 end
EOF
# The Xen lab: one boot, a hyperv-only skip that is false there (explained by a
# note), a lab-defect skip covering the mapping part, and the same answers.
xen_log() {	# xen_log CHANGESET_LINE PAGESIZE_ERRNO
	cat <<EOF
[lab] dom0 up type=xen xen=4.17.7
[lab] test 20-xen-version
[tap] ok - xen_version: XENVER_version is 0x40011 (got 0x40011)
[conf] xen_version:70 rc=-1 errno=$2 XENVER_pagesize with an argument is EINVAL
[tap] $([ "$2" = 22 ] && echo ok || echo not ok) - xen_version: XENVER_pagesize with an argument is EINVAL
$1
[lab] test 45-vcpu-memory-hvm
[tap] ok - xen_vcpu_mem: HVMOP_flush_tlbs
[lab] test 52-grants-vchan
[skip] gnt_share: a granted page shared and mapped by another process (xen-lab: the domU corrupts its memory; here not run)
[tap] ok - gnt_share: grant copy of 40 segments in one call
[lab] l2 done main
[lab] domU console end
[tap] ok - kernel log of scenario main is clean
EOF
}
printf 'XENVER_changeset is not empty\tDebian builds from a tarball (abi.md#conf-changeset)\n' > "$tmp/notes"
xen_log '[skip] xen_version: XENVER_changeset is not empty (hyperv-only: Debian'"'"'s Xen has none; here false)' 22 \
	> "$tmp/xen.log"

"$conf" "$tmp/hv.log" "$tmp/xen.log" "$tmp/notes" "$tmp/out.md" > "$tmp/out.tap"
rc=$?
ok $rc "logs that differ only where a note explains: exit 0"
row() { grep -F "\`$1\`" "$tmp/out.md"; }
row 'xen_version: XENVER_version is 0x40011 (got 0x40011)' | grep -q '| same |'
ok $? "an answer both labs gave is 'same' (the configuration prefix stripped)"
row 'xen_version: XENVER_pagesize with an argument is EINVAL' | grep 'call' | grep -q 'rc -1 errno 22 | rc -1 errno 22 | same'
ok $? "a recorded call is set side by side"
row 'xen_version: XENVER_changeset is not empty' | grep -q 'differs: Debian builds from a tarball'
ok $? "a hyperv-only check false in Xen differs, with the note's reason"
row 'gnt_share: another process maps the 4 granted pages' | grep -q 'the Xen lab cannot run it: the domU corrupts its memory'
ok $? "a check in a part the Xen lab cannot run says why"
row 'gnt_share: grant copy of 40 segments in one call' | grep -q '| same |'
ok $? "a kernel line the console spliced onto a result is not part of it"
row 'kernel log of scenario main is clean' | grep -q '| end | check |.*| same |'
ok $? "the kernel-log check is the run's own in both labs"
! grep -q 'not ok' "$tmp/out.md"
ok $? "vmbus-first's and 6.12's results stay out of the table"
grep -q '^Rows: .*unexplained 0' "$tmp/out.md"
ok $? "the summary counts no unexplained row"

# Without the note the hyperv-only difference is unexplained: exit 1, named.
: > "$tmp/none"
"$conf" "$tmp/hv.log" "$tmp/xen.log" "$tmp/none" "$tmp/out2.md" > "$tmp/out2.tap"
[ $? -eq 1 ] && grep -q '^# unexplained: xen_version: XENVER_changeset is not empty' "$tmp/out2.tap"
ok $? "an unexplained difference fails the table and is named"

# A different errno in Xen is a difference, not a match.
xen_log '' 1 > "$tmp/xen3.log"
"$conf" "$tmp/hv.log" "$tmp/xen3.log" "$tmp/notes" "$tmp/out3.md" > "$tmp/out3.tap"
[ $? -eq 1 ] && grep -q 'XENVER_pagesize with an argument is EINVAL: xenhv rc -1 errno 22, Xen rc -1 errno 1' "$tmp/out3.tap"
ok $? "a call answered with another errno is unexplained"

# A boot whose domU died keeps only its finished tests: a row missing from its
# last kept test is a difference, not "the run stopped there".
{
	echo '[lab] dom0 up type=xen xen=4.17.7'
	echo '[lab] test 20-xen-version'
	echo '[tap] ok - xen_version: XENVER_version is 0x40011 (got 0x40011)'
	echo '# lab: boot 1: the domU died in 45-vcpu-memory-hvm (log: x)'
	xen_log '' 22 | sed '/^\[lab\] test 20-xen-version$/,/^\[lab\] test 45/{/^\[lab\] test 45/!d}'
} > "$tmp/xen4.log"
"$conf" "$tmp/hv.log" "$tmp/xen4.log" "$tmp/notes" "$tmp/out4.md" > "$tmp/out4.tap"
[ $? -eq 1 ] && grep -q '^# unexplained: xen_version: XENVER_pagesize with an argument is EINVAL: xenhv ok, Xen not run' "$tmp/out4.tap"
ok $? "a check missing from a died boot's finished test is unexplained"

echo "1..$n"
[ "$fails" -eq 0 ]
