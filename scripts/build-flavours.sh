#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds xenhv with W=1 for every kernel flavour Debian ships here (amd64, cloud-amd64, rt-amd64).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
n=0
for flavour in amd64 cloud-amd64 rt-amd64; do
	n=$((n + 1))
	kver=$(dpkg-query -W -f='${Depends}' "linux-headers-$flavour" 2>/dev/null |
	       grep -o "linux-headers-[0-9][^ ,]*-$flavour" | head -n1)
	kver=${kver#linux-headers-}
	if [ -z "$kver" ] || [ ! -d "/lib/modules/$kver/build" ]; then
		echo "not ok $n - builds for $flavour (linux-headers-$flavour is not installed)"
		continue
	fi
	tmp=$(mktemp -d)
	(cd "$top" && git ls-files -z -- Kbuild Makefile compat shim xen-compat hypercall vmbus-client include |
		xargs -0 cp --parents -t "$tmp")
	if make -C "$tmp" KERNELRELEASE="$kver" W=1 modules > "$tmp/build.log" 2>&1 &&
	   [ -f "$tmp/xenhv.ko" ] &&
	   ! grep -v 'Skipping BTF' "$tmp/build.log" | grep -q -i -E 'warning|error'; then
		echo "ok $n - builds cleanly with W=1 for $kver"
	else
		echo "not ok $n - builds cleanly with W=1 for $kver"
		tail -n 20 "$tmp/build.log" | sed 's/^/#   /'
	fi
	rm -rf "$tmp"
done
