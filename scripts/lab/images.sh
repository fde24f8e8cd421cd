# SPDX-License-Identifier: GPL-2.0
# Builds (and caches) the lab's kernel, the L1 host image and the L2 guest image.
# Sourced by run.sh after env.sh and rootfs.sh.

LAB_QEMU=/usr/bin/qemu-system-x86_64

# Real Xen programs (Debian, unmodified) that the guest tests drive.
LAB_XEN_PROGS="
	/usr/lib/xen-4.17/bin/xenwatchdogd
	/usr/lib/xen-4.17/bin/lsevtchn
	/usr/lib/xen-4.17/bin/test-xenstore
	/usr/lib/xen-4.17/bin/vchan-socket-proxy
	/usr/bin/xenstore-read /usr/bin/xenstore-write /usr/bin/xenstore-ls
	/usr/bin/xenstore-rm /usr/bin/xenstore-chmod /usr/bin/xenstore-exists
	/usr/bin/xenstore-list /usr/bin/xenstore-watch
"

# The kernel image is fetched with apt-get download and unpacked, never
# installed. L1 always runs the host's kernel (its KVM modules and L2's QEMU
# are Debian 12's); its vmlinuz is also L2's default kernel.
lab_kernel() {
	local kdir=$XENHV_CACHE/kernel-$KVER deb tmp
	if [ ! -e "$kdir/vmlinuz" ]; then
		log "fetching linux-image-$KVER"
		tmp=$(mktemp -d)
		(cd "$tmp" && apt-get download "linux-image-$KVER" >/dev/null 2>&1) ||
			die "apt-get download linux-image-$KVER failed (run apt-get update?)"
		deb=$(ls "$tmp"/*.deb)
		dpkg-deb -x "$deb" "$tmp/root"
		rm -rf "$kdir"
		mkdir -p "$kdir"
		cp "$tmp/root/boot/vmlinuz-$KVER" "$kdir/vmlinuz"
		mv "$tmp/root/lib/modules/$KVER" "$kdir/modules"
		rm -rf "$tmp"
	fi
	LAB_KDIR=$kdir
}

# Cache key of a base image: what went into it, so an upgrade rebuilds it.
lab_key() {
	printf '%s\n' "$KVER" "$@" "$(sha1sum "$LAB_SRC"/scripts/lab/rootfs.sh "$LAB_SRC"/scripts/lab/images.sh | cut -c1-40)" |
		sha1sum | cut -c1-16
}

# L1: busybox, QEMU with its libraries and firmware, KVM modules, L2's kernel.
lab_l1_base() {
	local key out d m
	key=$(lab_key "$(dpkg-query -W -f='${Version}' qemu-system-x86)" "$(dpkg-query -W -f='${Version}' busybox-static)")
	out=$XENHV_CACHE/l1-base-$key.cpio.gz
	if [ ! -e "$out" ]; then
		rm -f "$XENHV_CACHE"/l1-base-*.cpio.gz
		log "building L1 base image"
		d=$XENHV_CACHE/l1-base.d
		rootfs_init "$d"
		rootfs_add_bin "$d" "$LAB_QEMU"
		mkdir -p "$d/qemu" "$d/l2" "$d/modules"
		cp /usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot_dma.bin \
		   /usr/share/qemu/kvmvapic.bin "$d/qemu/"
		for m in virt/lib/irqbypass drivers/crypto/ccp/ccp arch/x86/kvm/kvm arch/x86/kvm/kvm-amd; do
			cp "$LAB_KDIR/modules/kernel/$m.ko" "$d/modules/"
		done
		cp "$LAB_KDIR/vmlinuz" "$d/l2/vmlinuz"
		rootfs_pack "$d" "$out.tmp" && mv "$out.tmp" "$out"
		rm -rf "$d"
	fi
	LAB_L1_BASE=$out
}

# What a packaged install meets on a real system: kmod, udev with Debian's
# modalias rule, jq for JSON, and Debian's xen-utils-wrapper (it picks the Xen
# tools' version from /sys/hypervisor).
lab_l2_system_tools() {
	local d=$1 t
	rootfs_add_bin "$d" /usr/bin/kmod /usr/lib/systemd/systemd-udevd /usr/bin/udevadm /usr/bin/jq
	mkdir -p "$d/usr/sbin" "$d/usr/lib/udev/rules.d" \
		"$d/usr/lib/xen-common/bin" "$d/etc/udev"
	for t in modprobe depmod modinfo lsmod rmmod insmod; do
		ln -sf ../bin/kmod "$d/usr/sbin/$t"
	done
	cp /usr/lib/udev/rules.d/80-drivers.rules "$d/usr/lib/udev/rules.d/"
	cp /usr/lib/xen-common/bin/xen-utils-wrapper "$d/usr/lib/xen-common/bin/"
	ln -sf ../lib/xen-common/bin/xen-utils-wrapper "$d/usr/sbin/xenwatchdogd"
	# Debian's Python with python3-pyxs, an independent xs_wire client.
	rootfs_add_bin "$d" /usr/bin/python3.11
	ln -sf python3.11 "$d/usr/bin/python3"
	mkdir -p "$d/usr/lib/python3/dist-packages"
	tar -C / -cf - --exclude=test --exclude=tests --exclude=idlelib --exclude=tkinter \
		--exclude=turtledemo --exclude=ensurepip --exclude=lib2to3 --exclude=pydoc_data \
		--exclude='config-3.*' usr/lib/python3.11 usr/lib/python3/dist-packages/pyxs |
		tar -C "$d" -xf -
	# The extension modules' own libraries (libssl, libffi, ...).
	rootfs_add_bin "$d" /usr/lib/python3.11/lib-dynload/*.so
}

# L2's userland: busybox, the Xen programs with their libraries, the system
# tools. Kernel-independent: each L2 kernel adds its own part (lab_l2_kpart).
# lab_l2_base XEN: 4.17 is the host's (Debian 12's) Xen.
lab_l2_base() {
	local xen=${1:-4.17} key out d
	[ "$xen" = 4.17 ] || { lab_l2_base_chroot "$xen"; return; }
	key=$(lab_key "$(dpkg-query -W -f='${Version}' xen-utils-4.17 xenstore-utils busybox-static kmod udev jq python3.11 python3-pyxs)")
	out=$XENHV_CACHE/l2-base-$key.cpio.gz
	if [ ! -e "$out" ]; then
		rm -f "$XENHV_CACHE"/l2-base-*.cpio.gz
		log "building L2 base image"
		d=$XENHV_CACHE/l2-base.d
		rootfs_init "$d"
		# shellcheck disable=SC2086
		rootfs_add_bin "$d" $LAB_XEN_PROGS
		# glibc dlopens it for pthread_cancel (xenstore-watch); ldd cannot see that.
		cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$d/lib/x86_64-linux-gnu/"
		lab_l2_system_tools "$d"
		rootfs_pack "$d" "$out.tmp" && mv "$out.tmp" "$out"
		rm -rf "$d"
	fi
	LAB_L2_BASE=$out
}

# lab_l2_progs XEN DIR: the guest test and bench programs built against XEN's
# libraries, in DIR/progs (with any library the base lacks).
lab_l2_progs() {
	local xen=$1 d=$2 p
	[ "$xen" = 4.17 ] || { lab_l2_progs_chroot "$xen" "$d"; return; }
	rm -rf "$d"
	mkdir -p "$d/progs"
	for p in "$LAB_SRC"/tests/progs/bin/* "$LAB_SRC"/bench/bin/*; do
		[ -x "$p" ] && rootfs_add_bin "$d" "$p" && mv "$d/$p" "$d/progs/"
	done
	find "$d" -depth -type d -empty -delete
}
