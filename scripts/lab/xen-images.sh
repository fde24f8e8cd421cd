# SPDX-License-Identifier: GPL-2.0
# Builds (and caches) the Xen lab's hypervisor, dom0 image and domU extras.
# Sourced by xen-run.sh after env.sh, rootfs.sh and images.sh.

XEN_PKG=xen-hypervisor-4.17-amd64
# Xen's toolstack pieces dom0 runs, from Debian's xen-utils-4.17 and xenstore-utils.
XEN_DOM0_PROGS="
	/usr/lib/xen-4.17/bin/xl
	/usr/lib/xen-4.17/bin/xenstored
	/usr/lib/xen-4.17/bin/xenconsoled
	/usr/lib/xen-4.17/bin/xen-init-dom0
	/usr/bin/xenstore-write
	/usr/bin/xenstore-chmod
"
# Linux's own Xen drivers, in the order they load (xenfs needs privcmd's symbols).
XEN_MODULES="drivers/xen/xen-evtchn drivers/xen/xen-privcmd drivers/xen/xen-gntdev
	drivers/xen/xen-gntalloc drivers/xen/xenfs/xenfs"

# The hypervisor: the host's if it is installed, else Debian's package fetched
# with apt-get download and unpacked; gunzipped, since QEMU's multiboot loader
# takes an ELF.
xen_hypervisor() {
	local ver dir tmp
	if [ -e /boot/xen-4.17-amd64.gz ]; then
		ver=$(dpkg-query -W -f='${Version}' "$XEN_PKG" 2>/dev/null || echo host)
	else
		ver=$(apt-cache show "$XEN_PKG" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
		[ -n "$ver" ] || die "apt knows no $XEN_PKG (run apt-get update?)"
	fi
	dir=$XENHV_CACHE/xen-$ver
	if [ ! -e "$dir/xen" ]; then
		log "preparing $XEN_PKG $ver"
		rm -rf "$XENHV_CACHE"/xen-[0-9]*
		mkdir -p "$dir"
		if [ -e /boot/xen-4.17-amd64.gz ]; then
			zcat /boot/xen-4.17-amd64.gz > "$dir/xen.tmp"
		else
			tmp=$(mktemp -d)
			(cd "$tmp" && apt-get download "$XEN_PKG=$ver" >/dev/null 2>&1) ||
				die "apt-get download $XEN_PKG failed"
			dpkg-deb -x "$tmp"/*.deb "$tmp/root"
			zcat "$tmp/root/boot/xen-4.17-amd64.gz" > "$dir/xen.tmp"
			rm -rf "$tmp"
		fi
		mv "$dir/xen.tmp" "$dir/xen"
	fi
	XEN_IMAGE=$dir/xen
}

# xen_add_modules DIR: Linux's Xen driver modules into DIR/modules/xen.
xen_add_modules() {
	local m
	mkdir -p "$1/modules/xen"
	for m in $XEN_MODULES; do
		cp "$LAB_KDIR/modules/kernel/$m.ko" "$1/modules/xen/"
	done
}

# dom0: busybox, the toolstack with its libraries, Linux's Xen drivers and
# the domU's kernel (the same Debian kernel).
xen_dom0_base() {
	local key out d
	key=$(lab_key "$(dpkg-query -W -f='${Version}' xen-utils-4.17 xenstore-utils busybox-static)" \
		"$(sha1sum "$LAB_SRC/scripts/lab/xen-images.sh" | cut -c1-40)")
	out=$XENHV_CACHE/xen-dom0-$key.cpio.gz
	if [ ! -e "$out" ]; then
		rm -f "$XENHV_CACHE"/xen-dom0-*.cpio.gz
		log "building the Xen lab's dom0 image"
		d=$XENHV_CACHE/xen-dom0.d
		rootfs_init "$d"
		# shellcheck disable=SC2086
		rootfs_add_bin "$d" $XEN_DOM0_PROGS
		# xl aborts in pthread_cancel without it (glibc dlopens it; ldd cannot see that).
		cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$d/lib/x86_64-linux-gnu/"
		xen_add_modules "$d"
		mkdir -p "$d/domu"
		cp "$LAB_KDIR/vmlinuz" "$d/domu/vmlinuz"
		rootfs_pack "$d" "$out.tmp" && mv "$out.tmp" "$out"
		rm -rf "$d"
	fi
	XEN_DOM0_BASE=$out
}
