# SPDX-License-Identifier: GPL-2.0
# Helpers that fill an initramfs tree with busybox and dynamically linked programs.

# rootfs_init DIR: an empty tree with busybox as /bin/sh and its applets.
rootfs_init() {
	local d=$1
	rm -rf "$d"
	mkdir -p "$d"/{bin,sbin,dev,proc,sys,tmp,run,etc,lib64,usr/lib/x86_64-linux-gnu,lib/x86_64-linux-gnu}
	cp /bin/busybox "$d/bin/busybox"
	ln -s busybox "$d/bin/sh"
}

# rootfs_add_bin DIR FILE...: copy each program to the same path inside DIR,
# with every shared library ldd names (and the dynamic loader).
rootfs_add_bin() {
	local d=$1 f lib
	shift
	for f in "$@"; do
		[ -e "$f" ] || { echo "rootfs: missing $f" >&2; return 1; }
		mkdir -p "$d/$(dirname "$f")"
		cp -L "$f" "$d/$f"
		for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			[ -e "$d/$lib" ] && continue
			mkdir -p "$d/$(dirname "$lib")"
			cp -L "$lib" "$d/$lib"
		done
	done
}

# rootfs_pack DIR OUT: a gzip'd newc cpio of DIR (the kernel accepts a
# concatenation of these, which lets a cached base and a per-run part stack).
rootfs_pack() {
	(cd "$1" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$2"
}
