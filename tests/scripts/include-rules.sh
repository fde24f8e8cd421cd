#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP: the include-rule check passes on this tree and fails on each kind of wrong-way include.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/scripts/include-rules.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/scripts/tap.sh"

fresh() {	# a copy of the module's folders
	rm -rf "$tmp/tree"
	mkdir -p "$tmp/tree"
	(cd "$top" && git ls-files -z -- shim xen-compat hypercall vmbus-client include |
		xargs -0 cp --parents -t "$tmp/tree")
}

# bad FILE LINE WHAT: the check must fail on the tree with LINE added to FILE, naming FILE.
bad() {
	fresh
	printf '%s\n' "$2" >> "$tmp/tree/$1"
	"$check" "$tmp/tree" > "$tmp/out" 2>&1
	local rc=$?
	[ $rc -ne 0 ] && grep -q "^include-rules: $1:" "$tmp/out"
	ok $? "include rules reject $3"
}

fresh
"$check" "$tmp/tree" > "$tmp/out" 2>&1
ok $? "include rules accept this tree"
[ -s "$tmp/out" ] && sed 's/^/#   /' "$tmp/out"

bad hypercall/hvcall.c '#include "../shim/xenhv.h"' "hypercall/ including shim/"
bad vmbus-client/synic.c '#include "../shim/xenhv.h"' "vmbus-client/ including shim/"
bad xen-compat/evtchn.c '#include "../shim/xenhv.h"' "xen-compat/ including shim/"
bad hypercall/hv.h '#include "../xen-compat/compat.h"' "hypercall/ including xen-compat/"
bad hypercall/ipi.c '#include "../vmbus-client/vmbus.h"' "hypercall/ including vmbus-client/"
bad vmbus-client/event_conn.c '#include "../xen-compat/compat.h"' "vmbus-client/ including xen-compat/"
bad xen-compat/compat.h '#include "../hypercall/hv.h"' "xen-compat/ including hypercall/"
bad xen-compat/gnttab.c '#include <asm/mshyperv.h>' "xen-compat/ including <asm/mshyperv.h>"
bad xen-compat/port.h '#include "../tests/unit/uport.h"' "production code including tests/"
bad shim/main.c '#include "../bench/xenhv_bench.h"' "production code including bench/"

echo "1..$n"
[ $fails -eq 0 ]
