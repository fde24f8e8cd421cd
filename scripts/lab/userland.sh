# SPDX-License-Identifier: GPL-2.0
# L2 userlands other than the host's: Debian 13's Xen 4.20 tools and libraries from a cached chroot.
# Sourced by run.sh after images.sh and suite.sh.

# The suite that carries each Xen userland, and what its chroot holds: the Xen
# tools and libraries, what the tests' programs build with, and the system
# tools the L2 image carries (kmod, udev, jq, Python with python3-pyxs).
lab_xen_suite() {
	case "$1" in
	4.20) echo trixie ;;
	*) die "no Debian suite here carries Xen $1's userland (4.17: the host's, 4.20: trixie)" ;;
	esac
}
lab_xen_chroot() {
	local xen=$1
	suite_chroot "$(lab_xen_suite "$xen")" gcc libxen-dev "xen-utils-$xen" \
		xenstore-utils xen-utils-common python3-pyxs kmod udev jq
}

# rootfs_add_root_bin ROOT DIR FILE...: as rootfs_add_bin, for programs of the
# tree ROOT (FILE is a path inside it), with the libraries ROOT's ldd names.
rootfs_add_root_bin() {
	local root=$1 d=$2 f lib
	shift 2
	for f in "$@"; do
		[ -e "$root$f" ] || { echo "rootfs: missing $root$f" >&2; return 1; }
		mkdir -p "$d/$(dirname "$f")"
		cp -L "$root$f" "$d/$f"
		for lib in $(suite_chroot_run "$root" ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			[ -e "$d/$lib" ] && continue
			mkdir -p "$d/$(dirname "$lib")"
			cp -L "$root$lib" "$d/$lib"
		done
	done
}

# lab_l2_base_chroot XEN: the L2 userland image of Xen XEN's suite (LAB_L2_BASE).
lab_l2_base_chroot() {
	local xen=$1 root key out d py t
	root=$(lab_xen_chroot "$xen") || die "no chroot for Xen $xen"
	key=$(lab_key "$xen" "$(sha1sum < "$root/var/lib/dpkg/status")" \
		"$(dpkg-query -W -f='${Version}' busybox-static)" "$(sha1sum < "$LAB_SRC/scripts/lab/userland.sh")")
	out=$XENHV_CACHE/l2-base-$xen-$key.cpio.gz
	LAB_L2_BASE=$out
	[ -e "$out" ] && return 0
	rm -f "$XENHV_CACHE"/l2-base-"$xen"-*.cpio.gz
	log "building L2 base image with Xen $xen ($(lab_xen_suite "$xen"))"
	d=$XENHV_CACHE/l2-base-$xen.d
	rootfs_init "$d"
	# shellcheck disable=SC2046
	rootfs_add_root_bin "$root" "$d" $(echo "$LAB_XEN_PROGS" | sed "s/4\.17/$xen/g") \
		/usr/bin/kmod /usr/lib/systemd/systemd-udevd /usr/bin/udevadm /usr/bin/jq
	# glibc dlopens it for pthread_cancel (xenstore-watch); ldd cannot see that.
	cp -L "$root/lib/x86_64-linux-gnu/libgcc_s.so.1" "$d/lib/x86_64-linux-gnu/"
	mkdir -p "$d/usr/sbin" "$d/usr/lib/udev/rules.d" "$d/usr/lib/xen-common/bin" "$d/etc/udev"
	for t in modprobe depmod modinfo lsmod rmmod insmod; do
		ln -sf ../bin/kmod "$d/usr/sbin/$t"
	done
	cp "$root/usr/lib/udev/rules.d/80-drivers.rules" "$d/usr/lib/udev/rules.d/"
	cp "$root/usr/lib/xen-common/bin/xen-utils-wrapper" "$d/usr/lib/xen-common/bin/"
	ln -sf ../lib/xen-common/bin/xen-utils-wrapper "$d/usr/sbin/xenwatchdogd"
	py=$(basename "$(readlink -f "$root/usr/bin/python3")")
	rootfs_add_root_bin "$root" "$d" "/usr/bin/$py"
	ln -sf "$py" "$d/usr/bin/python3"
	mkdir -p "$d/usr/lib/python3/dist-packages"
	tar -C "$root" -cf - --exclude=test --exclude=tests --exclude=idlelib --exclude=tkinter \
		--exclude=turtledemo --exclude=ensurepip --exclude=lib2to3 --exclude=pydoc_data \
		--exclude='config-3.*' "usr/lib/$py" usr/lib/python3/dist-packages/pyxs |
		tar -C "$d" -xf -
	# shellcheck disable=SC2046
	rootfs_add_root_bin "$root" "$d" $(cd "$root" && ls "usr/lib/$py"/lib-dynload/*.so | sed 's|^|/|')
	rootfs_pack "$d" "$out.tmp" && mv "$out.tmp" "$out"
	rm -rf "$d"
}

# lab_l2_progs_chroot XEN DIR: the tests' and benchmarks' programs built inside
# XEN's chroot against its libraries, in DIR/progs.
lab_l2_progs_chroot() {
	local xen=$1 d=$2 root b p
	root=$(lab_xen_chroot "$xen") || die "no chroot for Xen $xen"
	b=$root/lab/progs
	rm -rf "$b" "$d"
	mkdir -p "$b" "$d/progs"
	git -C "$LAB_SRC" ls-files -z --cached --others --exclude-standard -- \
		Makefile dev.mk dkms.conf include tests/progs bench/progs bench/xenhv_bench.h |
		(cd "$LAB_SRC" && xargs -0 cp --parents -t "$b")
	log "building the guest test programs against Xen $xen's libraries"
	suite_chroot_run "$root" nice -n 10 make -s -C /lab/progs progs > "$b.log" 2>&1 ||
		{ tail -n 30 "$b.log" >&2; die "the guest programs do not build against Xen $xen"; }
	for p in "$b"/tests/progs/bin/* "$b"/bench/bin/*; do
		[ -x "$p" ] || continue
		rootfs_add_root_bin "$root" "$d" "${p#"$root"}"
		mv "$d/${p#"$root"}" "$d/progs/"
	done
	find "$d" -depth -type d -empty -delete
}
