#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the kernel's checkpatch.pl (fetched once from Debian's linux-source) on xenhv's own files.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lab/env.sh"

cp_dir=$XENHV_CACHE/checkpatch
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	src=$(apt-cache depends linux-source 2>/dev/null | grep -o 'linux-source-[0-9.]*' | head -n1)
	[ -n "$src" ] || src=linux-source-6.1
	log "fetching checkpatch.pl from $src"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download "$src" >/dev/null 2>&1) || die "apt-get download $src failed"
	dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" --wildcards '*.tar.xz'
	mkdir -p "$cp_dir"
	tar -xJf "$tmp"/usr/src/*.tar.xz -C "$cp_dir" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	rm -rf "$tmp"
fi

cd "$top"
files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' '*.S' | grep -v '^tests/progs/\|^tests/unit/\|^bench/progs/')
# ENOSYS is ignored on purpose: Xen's ABI answers -ENOSYS for a hypercall or
# sub-op it does not have, which is checkpatch's "invalid syscall nr" meaning
# for hypercalls (Linux's own drivers/xen returns it the same way).
# shellcheck disable=SC2086
"$cp_dir/scripts/checkpatch.pl" --no-tree --strict --quiet --terse \
	--ignore FILE_PATH_CHANGES,ENOSYS -f $files
