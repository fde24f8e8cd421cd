#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds (once, cached) the debug L2 kernel from Debian's linux-source-6.1 and prints its directory.
#
# The result, $XENHV_CACHE/debug-kernel-<key>/ with key = source version + fragment hash:
#   build/   the built source tree (Kbuild's -C for xenhv, tests/kmod and bench)
#   vmlinuz  the L2 kernel; root/lib/modules/<release>/ its modules; release, build-seconds
# It takes about half an hour on two quiet cores (far longer under load), so make check never
# builds it: make check-debug does.
set -eu
LAB_SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$LAB_SRC/scripts/lab/env.sh"

pkg=linux-source-6.1
frag=$LAB_SRC/scripts/lab/debug-kernel.config
ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	die "$pkg is not installed (scripts/deps.sh installs it)"
tarball=/usr/src/$pkg.tar.xz
[ -f "$tarball" ] || die "$tarball is missing (reinstall $pkg)"
key=$(printf '%s\n' "$pkg $ver" "$(sha1sum < "$frag")" | sha1sum | cut -c1-12)
dir=$XENHV_CACHE/debug-kernel-$key
if [ -e "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

log "building the debug L2 kernel ($pkg $ver, key $key) with nice -n 19; this takes long"
tmp=$dir.tmp
# An interrupted build of this key (its config checked, the marker below) goes on
# where it stopped: make rebuilds only what is missing.
if [ -f "$tmp/config-ok" ] && [ -f "$tmp/build/.config" ]; then
	log "resuming the interrupted build in $tmp"
	cd "$tmp/build"
	start=$(date +%s)
	spent=$(cat "$tmp/seconds-before" 2>/dev/null || echo 0)
else
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tar -C "$tmp" -xf "$tarball"
	mv "$tmp/$pkg" "$tmp/build"
	cd "$tmp/build"
	start=$(date +%s)
	spent=0
	make -s defconfig
	scripts/kconfig/merge_config.sh -m .config "$frag" > "$tmp/merge.log"
	make -s olddefconfig
	# Every option the fragment asks for must have survived Kconfig's dependencies.
	bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) opt=${line%%=*}; want=$line ;;
		"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}; want= ;;
		*) continue ;;
		esac
		got=$(grep -E "^$opt=" .config || true)
		if [ "$got" != "$want" ]; then
			log "debug kernel: $opt wanted '${want:-unset}', Kconfig gave '${got:-unset}'"
			bad=1
		fi
	done < "$frag"
	[ $bad -eq 0 ] || die "the debug kernel's fragment does not apply to $pkg $ver"
	touch "$tmp/config-ok"
fi
# Time spent so far survives an interruption (the build's own seconds only).
trap 'echo $((spent + $(date +%s) - start)) > "$tmp/seconds-before"' EXIT
nice -n 19 make -j"$(nproc)" -s bzImage modules
nice -n 19 make -s modules_install INSTALL_MOD_PATH="$tmp/root" INSTALL_MOD_STRIP=1
make -s kernelrelease > "$tmp/release"
cp arch/x86/boot/bzImage "$tmp/vmlinuz"
echo $((spent + $(date +%s) - start)) > "$tmp/build-seconds"
trap - EXIT
cd /
# Older keys' builds go (each is a few GB); then this one takes its place.
for old in "$XENHV_CACHE"/debug-kernel-*; do
	[ "$old" = "$tmp" ] || rm -rf "$old"
done
mv "$tmp" "$dir"
touch "$dir/done"
log "debug kernel built in $(cat "$dir/build-seconds") s: $dir"
echo "$dir"
