# SPDX-License-Identifier: GPL-2.0
# Builds (and caches) a Debian guest configured as it runs on Xen, and disk images of a root.
# Sourced by migrate-proof.sh after env.sh, rootfs.sh and images.sh (needs KVER, LAB_KDIR).

MIGRATE_PKGS=systemd-sysv,udev,kmod,initramfs-tools,busybox,xenstore-utils,e2fsprogs,util-linux
# Module trees a small server guest does without (keeps the image and its build small).
MIGRATE_SKIP_MODULES="drivers/gpu drivers/media drivers/infiniband drivers/iio drivers/usb
	drivers/net/wireless drivers/net/ethernet drivers/bluetooth sound net/wireless
	net/mac80211 net/bluetooth"

# The Debian mirror apt uses here (debootstrap fetches from it).
migrate_mirror() {
	local m
	m=$(sed -n 's/^URIs: *\([^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	[ -n "$m" ] || m=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)
	echo "${m:-http://deb.debian.org/debian}"
}

# migrate_xen_guest DIR: a bookworm root set up the way a Xen guest is: root and fstab by
# /dev/xvda1, console=hvc0, a MODULES=list initramfs with Xen's block/net drivers only, a
# persistent-net rule for its Xen MAC. The kernel is the lab's (Debian's linux-image-amd64).
migrate_xen_guest() {
	local d=$1 m
	rm -rf "$d"
	debootstrap --variant=minbase --include="$MIGRATE_PKGS" bookworm "$d" "$(migrate_mirror)" \
		> "$d.debootstrap.log" 2>&1 || { tail -n 20 "$d.debootstrap.log" >&2; return 1; }
	cp "$LAB_KDIR/vmlinuz" "$d/boot/vmlinuz-$KVER"
	cp "/usr/src/linux-headers-$KVER/.config" "$d/boot/config-$KVER"
	mkdir -p "$d/lib/modules"
	cp -a "$LAB_KDIR/modules" "$d/lib/modules/$KVER"
	for m in $MIGRATE_SKIP_MODULES; do rm -rf "$d/lib/modules/$KVER/kernel/$m"; done
	depmod -b "$d" "$KVER"

	echo xenguest > "$d/etc/hostname"
	cat > "$d/etc/fstab" <<-'EOF'
	# /etc/fstab of a Xen guest
	/dev/xvda1 / ext4 errors=remount-ro 0 1
	EOF
	cat > "$d/etc/default/grub" <<-'EOF'
	GRUB_DEFAULT=0
	GRUB_TIMEOUT=1
	GRUB_CMDLINE_LINUX_DEFAULT="quiet"
	GRUB_CMDLINE_LINUX="console=hvc0"
	EOF
	mkdir -p "$d/boot/grub"
	cat > "$d/boot/grub/grub.cfg" <<-EOF
	set default=0
	set timeout=1
	menuentry 'Debian GNU/Linux, with Linux $KVER' {
		insmod ext2
		linux /boot/vmlinuz-$KVER root=/dev/xvda1 ro console=hvc0 quiet
		initrd /boot/initrd.img-$KVER
	}
	EOF
	cat > "$d/etc/udev/rules.d/70-persistent-net.rules" <<-'EOF'
	# xen-netfront vif
	SUBSYSTEM=="net", ACTION=="add", DRIVERS=="?*", ATTR{address}=="00:16:3e:5a:1b:2c", NAME="eth0"
	EOF
	# What a Xen guest's tailored initramfs carries: Xen's frontends, no Hyper-V driver.
	sed -i 's/^MODULES=.*/MODULES=list/' "$d/etc/initramfs-tools/initramfs.conf"
	printf '%s\n' xen-blkfront xen-netfront ext4 >> "$d/etc/initramfs-tools/modules"
	chroot "$d" update-initramfs -c -k "$KVER" > "$d.initramfs.log" 2>&1 ||
		{ tail -n 20 "$d.initramfs.log" >&2; return 1; }
	rm -rf "$d"/var/cache/apt/archives/*.deb "$d"/var/lib/apt/lists/*
}

# migrate_base: the cached Xen guest root as a tar file (keyed by what went into it).
migrate_base() {
	local key dir=$XENHV_CACHE/migrate d
	key=$(printf '%s\n' "$KVER" "$MIGRATE_PKGS" "$(migrate_mirror)" \
		"$(dpkg-query -W -f='${Version}' debootstrap)" \
		"$(sha1sum "$LAB_SRC/scripts/lab/migrate-image.sh" | cut -c1-40)" | sha1sum | cut -c1-16)
	MIGRATE_BASE=$dir/xenguest-$key.tar
	[ -e "$MIGRATE_BASE" ] && return 0
	mkdir -p "$dir"
	rm -f "$dir"/xenguest-*.tar
	log "building the Xen guest root (debootstrap bookworm; cached in $dir)"
	d=$dir/xenguest.d
	migrate_xen_guest "$d" || die "building the Xen guest root failed (see $d.*.log)"
	tar -C "$d" --numeric-owner -cf "$MIGRATE_BASE.tmp" . && mv "$MIGRATE_BASE.tmp" "$MIGRATE_BASE"
	rm -rf "$d"
}

# migrate_disk ROOT IMAGE: an MBR disk image whose one partition (from 1 MiB) is ext4 with
# ROOT's files, made without mounting anything (mkfs.ext4 -d).
migrate_disk() {
	local root=$1 img=$2 mb
	mb=$(( $(du -sm "$root" | cut -f1) * 5 / 4 + 128 ))
	rm -f "$img" "$img.part"
	truncate -s "${mb}M" "$img.part"
	mkfs.ext4 -q -F -L xenroot -d "$root" "$img.part"
	truncate -s "$((mb + 1))M" "$img"
	printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$img"
	dd if="$img.part" of="$img" bs=1M seek=1 conv=notrunc,sparse status=none
	rm -f "$img.part"
}

# migrate_boot_files ROOT OUTDIR: what grub would load: the default menuentry's kernel,
# initrd and command line (grub.cfg's first menuentry), copied out of ROOT.
migrate_boot_files() {
	local root=$1 out=$2 cfg=$1/boot/grub/grub.cfg k i
	mkdir -p "$out"
	k=$(awk '/^[[:space:]]*menuentry/ { m = 1 } m && $1 == "linux" { print $2; exit }' "$cfg")
	i=$(awk '/^[[:space:]]*menuentry/ { m = 1 } m && $1 == "initrd" { print $2; exit }' "$cfg")
	awk '/^[[:space:]]*menuentry/ { m = 1 } m && $1 == "linux" { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }' \
		"$cfg" > "$out/cmdline"
	cp "$root/$k" "$out/vmlinuz"
	cp "$root/$i" "$out/initrd"
}
