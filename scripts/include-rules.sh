#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fails on an #include that runs against the layers: shim -> xen-compat -> hypercall | vmbus-client.
#
# Usage: include-rules.sh [TREE]   (default: this clone). Prints one line per broken rule.
# The rules (docs/design.md, "Layers"):
#   - hypercall/ includes nothing of ours outside hypercall/;
#   - vmbus-client/ includes its own files and hypercall/hv.h (the TLFS wrappers it signals with);
#   - xen-compat/ includes only xen-compat/ files, and no <asm/mshyperv.h> (it never touches
#     Hyper-V: it calls the ops table);
#   - nothing below shim/ includes shim/;
#   - no file of the module includes anything under tests/ or bench/.
set -u
tree=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$tree" || exit 2

bad=0
complain() {	# complain FILE LINE WHY
	printf 'include-rules: %s:%s: %s\n' "$1" "$2" "$3"
	bad=1
}

# Sets $to to the top folder a quoted include lands in ("" when outside the tree); no forks,
# as it runs for every include.
target_dir() {	# target_dir FILE INCLUDED
	local IFS=/ part out=()
	to=
	for part in ${1%/*} $2; do
		case $part in
		. | '') ;;
		..) [ ${#out[@]} -gt 0 ] || return
		    unset 'out[${#out[@]}-1]' ;;
		*) out+=("$part") ;;
		esac
	done
	[ ${#out[@]} -gt 1 ] && to=${out[0]}
}

check_file() {	# check_file FILE
	local f=$1 layer=${1%%/*} n=0 line inc to
	local re='^[[:space:]]*#[[:space:]]*include[[:space:]]*([<"])([^>"]+)[>"]'
	while IFS= read -r line; do
		n=$((n + 1))
		[[ $line =~ $re ]] || continue
		inc=${BASH_REMATCH[2]}
		if [ "${BASH_REMATCH[1]}" = '<' ]; then
			if [ "$layer" = xen-compat ] && [ "$inc" = asm/mshyperv.h ]; then
				complain "$f" $n "xen-compat/ must not include <asm/mshyperv.h>: it reaches Hyper-V only through its ops"
			fi
			case $inc in
			tests/* | bench/*)
				complain "$f" $n "module code must not include the test tree (<$inc>)" ;;
			esac
			continue
		fi
		target_dir "$f" "$inc"
		case $to in
		tests | bench)
			complain "$f" $n "module code must not include $to/ (\"$inc\")"
			continue ;;
		esac
		case $layer:$to in
		hypercall:hypercall | vmbus-client:vmbus-client | xen-compat:xen-compat) ;;
		vmbus-client:hypercall)
			[ "$(basename "$inc")" = hv.h ] ||
				complain "$f" $n "vmbus-client/ may include only hypercall/hv.h (\"$inc\")" ;;
		shim:shim | shim:xen-compat | shim:hypercall | shim:vmbus-client | shim:include) ;;
		*:shim)
			complain "$f" $n "$layer/ must not include shim/ (\"$inc\"): nothing below shim includes it" ;;
		*)
			complain "$f" $n "$layer/ must not include $to/ (\"$inc\"): the layers run shim -> xen-compat -> hypercall | vmbus-client" ;;
		esac
	done < "$f"
}

for f in $(find shim xen-compat hypercall vmbus-client include -type f \
		\( -name '*.c' -o -name '*.h' -o -name '*.S' \) 2>/dev/null | sort); do
	check_file "$f"
done
exit $bad
