#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The include rules between layers, the 600-line limit, kernel-doc of the exported API, then
# every module of ours built with sparse (C=2) and W=1; any broken rule, warning or error fails.
set -u
kdir=${1:?usage: lint.sh KDIR}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

rc=0
"$top/scripts/include-rules.sh" "$top" || rc=1
# One job per file: no kernel source of ours (nor unit test) over 600 lines.
while read -r n f; do
	[ "$f" = total ] && continue
	[ "$n" -le 600 ] || { echo "lint: $f has $n lines (more than 600)"; rc=1; }
done < <(cd "$top" && git ls-files -co --exclude-standard -- shim xen-compat hypercall \
		vmbus-client include tests/kmod tests/unit bench | grep -E '\.(c|h|S)$' | grep -v '\.mod\.c$' |
	 grep -v '^bench/progs/' | xargs wc -l)
# The exported API's kernel-doc parses without a warning (-v: every check).
kd=$("$kdir/scripts/kernel-doc" -v -none "$top"/include/xenhv/*.h 2>&1 | grep -v ': info: ')
if [ -n "$kd" ]; then
	printf '%s\nlint: kernel-doc warnings in include/xenhv/\n' "$kd"
	rc=1
fi
make -s -C "$kdir" M="$top" C=2 W=1 modules > "$out" 2>&1 || rc=1
for m in tests/kmod bench; do
	make -s -C "$kdir" M="$top/$m" KBUILD_EXTRA_SYMBOLS="$top/Module.symvers" \
		C=2 W=1 modules >> "$out" 2>&1 || rc=1
done
# BTF is skipped for lack of a vmlinux: a note about the build host, not our code.
if grep -v 'Skipping BTF generation' "$out" | grep -q -i -E 'warning|error'; then
	rc=1
fi
grep -v 'Skipping BTF generation' "$out"
exit $rc
