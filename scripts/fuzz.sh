#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the XenStore wire fuzzer (libFuzzer + ASan + UBSan) and runs it for a bounded time.
# usage: fuzz.sh [SECONDS]   (prints one TAP line)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lab/env.sh"
secs=${1:-60}
dir=$XENHV_OUT/fuzz
mkdir -p "$dir/corpus"
bin=$dir/fuzz_xenstore
if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$top/tests/unit" -o "$bin" "$top/tests/unit/fuzz_xenstore.c" "$top"/xen-compat/xenstore/*.c \
	> "$dir/build.log" 2>&1; then
	echo "not ok 1 - the XenStore wire fuzzer builds"
	sed 's/^/#   /' "$dir/build.log"
	exit 0
fi
# Seeds: a few well-formed requests (client byte, header, payload).
seed() {	# seed NAME TYPE TXID PAYLOAD-as-printf
	local p
	p=$(printf "$4" | wc -c)
	{ printf '\000'; printf "$(printf '\\%03o\\000\\000\\000\\001\\000\\000\\000\\%03o\\000\\000\\000\\%03o\\000\\000\\000' "$2" "$3" "$p")"; printf "$4"; } \
		> "$dir/corpus/$1"
}
seed write 11 0 'data/a\000v'
seed read 2 0 'data/a\000'
seed txn 6 0 '\000'
seed watch 4 0 'data\000tok\000'
seed perms 12 0 'data/a\000n1\000r0\000'
seed dirpart 20 0 'data\0000\000'
if "$bin" -max_total_time="$secs" -rss_limit_mb=1024 -max_len=8192 \
	"$dir/corpus" > "$dir/run.log" 2>&1; then
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$dir/run.log")
	echo "ok 1 - the XenStore wire parser survived ${secs}s of libFuzzer (${runs:-?} inputs) under ASan/UBSan"
else
	echo "not ok 1 - the XenStore wire parser survived ${secs}s of libFuzzer under ASan/UBSan"
	grep -E 'ERROR|SUMMARY|runtime error' "$dir/run.log" | head -n 20 | sed 's/^/#   /'
fi
