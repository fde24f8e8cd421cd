# SPDX-License-Identifier: GPL-2.0
# The L2 kernel as a parameter: fetch a Debian kernel of any suite, its headers, build xenhv for it.
# Sourced after env.sh; needs scripts/suite.sh.
#
# A kernel is named by a short spec or by its release:
#   6.1        Debian 12's amd64 kernel (the host's linux-headers-amd64; L1 runs it too)
#   rt         Debian 12's PREEMPT_RT kernel (linux-headers-rt-amd64)
#   6.12       Debian 12 backports' amd64 kernel (built for Debian 12: its tools run here)
#   6.12-rt    the same, rt flavour
#   newest     unstable's amd64 kernel (7.x); its tools need unstable's C library, so its
#              headers and compiler live in a cached debootstrap chroot of unstable
#   newest-rt  the same, rt flavour
#   RELEASE    e.g. 6.12.95+deb12-amd64: looked up in the host's suite, backports, trixie, sid
#   debug      the kernel of our own build in XENHV_L2_KERNEL_DIR (scripts/lab/debug-kernel.sh:
#              vmlinuz, release, build/, root/lib/modules/RELEASE), built with the host's tools

# lab_l2_resolve SPEC: sets L2_SUITE ("host" or a suite name) and L2_KVER.
lab_l2_resolve() {
	local spec=$1 flavour s
	case "$spec" in
	6.1|"") L2_SUITE=host; flavour=amd64 ;;
	rt|6.1-rt) L2_SUITE=host; flavour=rt-amd64 ;;
	6.12) L2_SUITE=bookworm-backports; flavour=amd64 ;;
	6.12-rt) L2_SUITE=bookworm-backports; flavour=rt-amd64 ;;
	newest) L2_SUITE=sid; flavour=amd64 ;;
	newest-rt) L2_SUITE=sid; flavour=rt-amd64 ;;
	debug)
		L2_SUITE=debug
		[ -e "${XENHV_L2_KERNEL_DIR:-}/done" ] ||
			die "kernel debug: XENHV_L2_KERNEL_DIR names no finished debug-kernel.sh build"
		L2_KVER=$(cat "$XENHV_L2_KERNEL_DIR/release")
		return 0 ;;
	*)
		flavour=
		L2_KVER=$spec
		if apt-cache show "linux-image-$spec" > /dev/null 2>&1; then
			L2_SUITE=host
			return 0
		fi
		for s in bookworm-backports trixie sid; do
			suite_update "$s" || return 1
			if [ -n "$(suite_version "$s" "linux-image-$spec")" ]; then
				L2_SUITE=$s
				return 0
			fi
		done
		die "no Debian suite here has linux-image-$spec" ;;
	esac
	if [ "$L2_SUITE" = host ]; then
		L2_KVER=$(dpkg-query -W -f='${Depends}' "linux-headers-$flavour" 2>/dev/null |
			grep -o "linux-headers-[0-9][^ ,]*-$flavour" | head -n1)
		L2_KVER=${L2_KVER#linux-headers-}
		[ -n "$L2_KVER" ] || die "linux-headers-$flavour is not installed (scripts/deps.sh)"
	else
		suite_update "$L2_SUITE" || die "apt-get update of $L2_SUITE failed"
		L2_KVER=$(suite_kver "$L2_SUITE" "$flavour")
		[ -n "$L2_KVER" ] || die "$L2_SUITE has no linux-image-$flavour"
	fi
}

# Is this suite's kbuild runnable here (built against Debian 12's C library)?
lab_l2_host_abi() {
	case "$1" in host|bookworm*|debug) return 0 ;; *) return 1 ;; esac
}

# lab_l2_kernel: vmlinuz and modules of L2_KVER in $XENHV_CACHE/kernel-L2_KVER,
# modules decompressed (busybox insmod reads neither .ko.xz nor .ko.zst).
lab_l2_kernel() {
	local kdir=$XENHV_CACHE/kernel-$L2_KVER tmp p pkgs m v
	L2_KDIR=$kdir
	if [ "$L2_SUITE" = debug ]; then
		# Our own build, as debug-kernel.sh installed it (linked anew: the
		# directory changes with the build's key, the release may not).
		rm -rf "$kdir"
		mkdir -p "$kdir"
		ln -s "$XENHV_L2_KERNEL_DIR/vmlinuz" "$kdir/vmlinuz"
		ln -s "$XENHV_L2_KERNEL_DIR/root/lib/modules/$L2_KVER" "$kdir/modules"
		return 0
	fi
	[ -e "$kdir/vmlinuz" ] && [ -e "$kdir/modules/modules.order" ] && return 0
	log "fetching linux-image-$L2_KVER ($L2_SUITE)"
	tmp=$(mktemp -d)
	if [ "$L2_SUITE" = host ]; then
		(cd "$tmp" && apt-get download "linux-image-$L2_KVER" > /dev/null 2>&1) ||
			die "apt-get download linux-image-$L2_KVER failed (run apt-get update?)"
		for p in "$tmp"/*.deb; do dpkg-deb -x "$p" "$tmp/root"; done
	else
		# Since 7.x Debian splits the image into linux-binary-* (vmlinuz),
		# linux-modules-* and linux-base-* (modules.order, modules.builtin).
		pkgs="linux-image-$L2_KVER"
		for p in $(suite_depends "$L2_SUITE" "linux-image-$L2_KVER"); do
			case "$p" in
			linux-binary-"$L2_KVER" | linux-modules-"$L2_KVER" | linux-base-"$L2_KVER")
				pkgs="$pkgs $p" ;;
			esac
		done
		# shellcheck disable=SC2086
		suite_extract "$L2_SUITE" "$tmp/root" $pkgs || die "cannot fetch $pkgs"
	fi
	# Newer packages ship merged-/usr paths, the vmlinuz beside the modules.
	m=$tmp/root/lib/modules/$L2_KVER
	[ -d "$m" ] || m=$tmp/root/usr/lib/modules/$L2_KVER
	v=$tmp/root/boot/vmlinuz-$L2_KVER
	[ -e "$v" ] || v=$m/vmlinuz
	[ -e "$v" ] && [ -d "$m" ] || die "linux-image-$L2_KVER: no vmlinuz or modules"
	find "$m" -name '*.ko.xz' -exec xz -d {} +
	find "$m" -name '*.ko.zst' -exec zstd -q -d --rm {} +
	rm -rf "$kdir"
	mkdir -p "$kdir"
	cp "$v" "$kdir/vmlinuz"
	mv "$m" "$kdir/modules"
	rm -rf "$tmp"
}

# lab_l2_headers: sets L2_BUILD, the Kbuild directory of L2_KVER, and
# L2_CHROOT (empty when the build runs on the host). The host's own headers
# are used as installed; a Debian 12-built suite's are extracted with dpkg-deb
# under the cache; a newer suite's are installed in its cached chroot (the
# build matrix's too), built in /lab there.
lab_l2_headers() {
	L2_CHROOT=
	if [ "$L2_SUITE" = host ]; then
		L2_BUILD=/lib/modules/$L2_KVER/build
		[ -e "$L2_BUILD/Makefile" ] || die "linux-headers-$L2_KVER is not installed"
	elif [ "$L2_SUITE" = debug ]; then
		L2_BUILD=$XENHV_L2_KERNEL_DIR/build
	elif lab_l2_host_abi "$L2_SUITE"; then
		L2_BUILD=$(suite_headers "$L2_SUITE" "$L2_KVER") ||
			die "cannot fetch the headers of $L2_KVER"
	else
		L2_CHROOT=$(suite_chroot "$L2_SUITE" "linux-headers-$L2_KVER") ||
			die "no chroot of $L2_SUITE with linux-headers-$L2_KVER"
		L2_BUILD=/usr/src/linux-headers-$L2_KVER
	fi
}

# The files a module build needs: tracked and new (not ignored) ones, as they are now.
lab_src_files() {
	git -C "$LAB_SRC" ls-files -z --cached --others --exclude-standard -- \
		Kbuild Makefile compat shim xen-compat hypercall vmbus-client include tests/kmod bench/Kbuild \
		bench/xenhv_bench.c bench/xenhv_bench.h
}

# lab_l2_modules OUT: xenhv.ko, the test and bench modules for L2_KVER, in OUT.
# The host's default kernel uses the tree's own build (make lab-modules).
lab_l2_modules() {
	local out=$1 b bdir mk key
	mkdir -p "$out"
	if [ "$L2_KVER" = "$KVER" ]; then
		cp "$LAB_SRC/xenhv.ko" "$LAB_SRC"/tests/kmod/*.ko "$LAB_SRC"/bench/*.ko "$out/" 2>/dev/null
		return 0
	fi
	if [ -n "$L2_CHROOT" ]; then
		bdir=/lab/$L2_KVER
		b=$L2_CHROOT$bdir
	else
		bdir=$XENHV_OUT/build-$L2_KVER
		b=$bdir
	fi
	# The same sources for the same kernel build the same modules: reuse them.
	key=$(cd "$LAB_SRC" && lab_src_files | xargs -0 sha1sum | sha1sum | cut -c1-40)
	if [ "$(cat "$b.key" 2>/dev/null)" = "$key" ] && [ -f "$b/xenhv.ko" ]; then
		cp "$b/xenhv.ko" "$b"/tests/kmod/*.ko "$b"/bench/*.ko "$out/"
		return 0
	fi
	rm -rf "$b" "$b.key"
	mkdir -p "$b"
	lab_src_files | (cd "$LAB_SRC" && xargs -0 cp --parents -t "$b")
	mk="make -s -C $L2_BUILD M=$bdir modules &&
	    make -s -C $L2_BUILD M=$bdir/tests/kmod KBUILD_EXTRA_SYMBOLS=$bdir/Module.symvers modules &&
	    make -s -C $L2_BUILD M=$bdir/bench KBUILD_EXTRA_SYMBOLS=$bdir/Module.symvers modules"
	log "building xenhv for $L2_KVER${L2_CHROOT:+ (in a $L2_SUITE chroot)}"
	if [ -n "$L2_CHROOT" ]; then
		suite_chroot_run "$L2_CHROOT" nice -n 10 sh -c "$mk" > "$b.log" 2>&1
	else
		nice -n 10 sh -c "$mk" > "$b.log" 2>&1
	fi || { tail -n 30 "$b.log" >&2; die "xenhv does not build for $L2_KVER"; }
	echo "$key" > "$b.key"
	cp "$b/xenhv.ko" "$b"/tests/kmod/*.ko "$b"/bench/*.ko "$out/"
}

# lab_l2_kpart DIR: the part of L2's initrd that belongs to L2_KVER: our
# modules built for it, its Hyper-V driver modules, its modules.order and
# modules.builtin (kmod), and the DKMS-installed package module when there is one.
lab_l2_kpart() {
	local d=$1 pkg=$XENHV_OUT/pkgroot
	rm -rf "$d"
	mkdir -p "$d/modules" "$d/lib/modules/$L2_KVER"
	lab_l2_modules "$d/modules"
	cp "$L2_KDIR"/modules/kernel/drivers/hv/*.ko "$d/modules/"
	cp "$L2_KDIR"/modules/modules.order "$L2_KDIR"/modules/modules.builtin* \
		"$d/lib/modules/$L2_KVER/"
	lab_l2_dkms
	if [ -f "$pkg/lib/modules/$L2_KVER/updates/dkms/xenhv.ko" ]; then
		mkdir -p "$d/lib/modules/$L2_KVER/updates/dkms" "$d/lib/udev/rules.d" "$d/usr/sbin"
		cp "$pkg/lib/modules/$L2_KVER/updates/dkms/xenhv.ko" "$d/lib/modules/$L2_KVER/updates/dkms/"
		cp "$pkg/lib/udev/rules.d/60-xenhv.rules" "$d/lib/udev/rules.d/"
		cp "$pkg/usr/sbin/xenhv" "$d/usr/sbin/xenhv"
	fi
}

# lab_l2_dkms: the package's DKMS build for L2_KVER from the sources that
# scripts/package/test.sh installed into its scratch root (it built the host
# kernel's there). Headers that run here are handed to the host's dkms with
# --kernelsourcedir; a chroot kernel's build runs the chroot suite's own dkms
# on a copy of those sources. The module DKMS built goes where dkms install
# puts it (dkms install itself would run depmod on a /lib/modules/L2_KVER
# that neither has).
lab_l2_dkms() {
	local root=$XENHV_OUT/pkgroot dk ko c
	[ -d "$root/usr/src/xenhv-0.1" ] || return 0
	[ -f "$root/lib/modules/$L2_KVER/updates/dkms/xenhv.ko" ] && return 0
	if [ -n "$L2_CHROOT" ]; then
		c=$L2_CHROOT/lab/dkms
		rm -rf "$c"
		mkdir -p "$c/src" "$c/tree"
		cp -a "$root/usr/src/xenhv-0.1" "$c/src/"
		dk="--dkmstree /lab/dkms/tree --sourcetree /lab/dkms/src -m xenhv -v 0.1"
		ko=$c/tree/xenhv/0.1/$L2_KVER/x86_64/module/xenhv.ko
		# shellcheck disable=SC2086
		suite_chroot_add "$L2_CHROOT" dkms > "$XENHV_OUT/dkms-$L2_KVER.log" 2>&1 &&
		suite_chroot_run "$L2_CHROOT" dkms add $dk >> "$XENHV_OUT/dkms-$L2_KVER.log" 2>&1 &&
		suite_chroot_run "$L2_CHROOT" nice -n 10 dkms build $dk -k "$L2_KVER" \
			--kernelsourcedir "$L2_BUILD" >> "$XENHV_OUT/dkms-$L2_KVER.log" 2>&1
	else
		dk="--dkmstree $root/var/lib/dkms --sourcetree $root/usr/src"
		ko=$root/var/lib/dkms/xenhv/0.1/$L2_KVER/x86_64/module/xenhv.ko
		# shellcheck disable=SC2086
		nice -n 10 dkms build $dk -m xenhv -v 0.1 -k "$L2_KVER" --kernelsourcedir "$L2_BUILD" \
			> "$XENHV_OUT/dkms-$L2_KVER.log" 2>&1
	fi
	# A newer DKMS compresses what it builds as the kernel's own modules are.
	[ -f "$ko.xz" ] && xz -d -k -f "$ko.xz"
	[ -f "$ko.zst" ] && zstd -q -d -f "$ko.zst" -o "$ko"
	if [ -f "$ko" ]; then
		mkdir -p "$root/lib/modules/$L2_KVER/updates/dkms"
		cp "$ko" "$root/lib/modules/$L2_KVER/updates/dkms/"
	else
		log "dkms build for $L2_KVER failed (see $XENHV_OUT/dkms-$L2_KVER.log)"
	fi
}
