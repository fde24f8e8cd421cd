# SPDX-License-Identifier: GPL-2.0
# Builds (and caches) a Debian guest configured as it runs on Xen, and disk images of a root.
# Sourced by migrate-proof.sh after env.sh, rootfs.sh and images.sh (needs KVER, LAB_KDIR).

MIGRATE_PKGS=systemd-sysv,udev,kmod,busybox,xenstore-utils,e2fsprogs,util-linux,grub-pc-bin
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
	[ -n "$m" ] || { echo "migrate: no Debian mirror in the apt configuration" >&2; return 1; }
	echo "$m"
}

# migrate_xen_guest DIR GEN: a bookworm root set up the way a Xen guest is: root and fstab by
# /dev/xvda1, console=hvc0, a persistent-net rule for its Xen MAC, and an initramfs by GEN:
# initramfs-tools with MODULES=list and Xen's block/net drivers only, or dracut (Debian's
# dracut package) as a Xen guest configures it. The kernel is the lab's (linux-image-amd64).
migrate_xen_guest() {
	local d=$1 gen=$2 m
	rm -rf "$d"
	debootstrap --variant=minbase --include="$MIGRATE_PKGS,$gen" bookworm "$d" "$(migrate_mirror)" \
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
	# GRUB itself speaks on the serial port too, as cloud images set it up.
	cat > "$d/boot/grub/grub.cfg" <<-EOF
	serial --unit=0 --speed=115200
	terminal_input serial console
	terminal_output serial console
	set default=0
	set timeout=1
	menuentry 'Debian GNU/Linux, with Linux $KVER' {
		insmod ext2
		echo 'Loading Linux $KVER ...'
		linux /boot/vmlinuz-$KVER root=/dev/xvda1 ro console=hvc0 quiet
		echo 'Loading initial ramdisk ...'
		initrd /boot/initrd.img-$KVER
	}
	EOF
	cat > "$d/etc/udev/rules.d/70-persistent-net.rules" <<-'EOF'
	# xen-netfront vif
	SUBSYSTEM=="net", ACTION=="add", DRIVERS=="?*", ATTR{address}=="00:16:3e:5a:1b:2c", NAME="eth0"
	EOF
	if [ "$gen" = dracut ]; then
		# A Xen guest's dracut, as host-only on Xen would make it: Xen's frontends and the
		# root file system only (drivers= is that list, without a host to probe in a chroot).
		printf '%s\n' '# Xen guest' 'hostonly="no"' 'drivers="xen-blkfront xen-netfront ext4"' \
			> "$d/etc/dracut.conf.d/10-xen.conf"
		chroot "$d" dracut -f "/boot/initrd.img-$KVER" "$KVER" > "$d.initramfs.log" 2>&1 ||
			{ tail -n 20 "$d.initramfs.log" >&2; return 1; }
	else
		# What a Xen guest's tailored initramfs carries: Xen's frontends, no Hyper-V driver.
		sed -i 's/^MODULES=.*/MODULES=list/' "$d/etc/initramfs-tools/initramfs.conf"
		printf '%s\n' xen-blkfront xen-netfront ext4 >> "$d/etc/initramfs-tools/modules"
		chroot "$d" update-initramfs -c -k "$KVER" > "$d.initramfs.log" 2>&1 ||
			{ tail -n 20 "$d.initramfs.log" >&2; return 1; }
	fi
	rm -rf "$d"/var/cache/apt/archives/*.deb "$d"/var/lib/apt/lists/*
}

# migrate_base GEN: the cached Xen guest root (initramfs by GEN) as a tar file in
# MIGRATE_BASE, keyed by what went into it: kernel, packages, mirror, debootstrap and the
# function that builds it.
migrate_base() {
	local gen=$1 key dir=$XENHV_CACHE/migrate d
	key=$(printf '%s\n' "$KVER" "$MIGRATE_PKGS,$gen" "$(migrate_mirror)" \
		"$(dpkg-query -W -f='${Version}' debootstrap)" "$(declare -f migrate_xen_guest)" |
		sha1sum | cut -c1-16)
	MIGRATE_BASE=$dir/xenguest-$gen-$key.tar
	[ -e "$MIGRATE_BASE" ] && return 0
	mkdir -p "$dir"
	rm -f "$dir/xenguest-$gen-"*.tar "$dir"/xenguest-????????????????.tar
	log "building the Xen guest root with $gen (debootstrap bookworm; cached in $dir)"
	d=$dir/xenguest-$gen.d
	migrate_xen_guest "$d" "$gen" || die "building the Xen guest root failed (see $d.*.log)"
	tar -C "$d" --numeric-owner -cf "$MIGRATE_BASE.tmp" . && mv "$MIGRATE_BASE.tmp" "$MIGRATE_BASE"
	rm -rf "$d"
}

# migrate_disk ROOT IMAGE: an MBR disk image whose one partition (from 1 MiB) is ext4 with
# ROOT's files, made without mounting anything (mkfs.ext4 -d), booting through the guest's
# own GRUB: its modules in /boot/grub/i386-pc and its boot.img and core.img (made by its own
# grub-mkimage, in a chroot) in the MBR and the gap before the partition, as grub-install
# lays them out on a BIOS disk.
migrate_disk() {
	local root=$1 img=$2 mb g=$1/usr/lib/grub/i386-pc
	[ -e "$g/boot.img" ] || { echo "migrate: $g/boot.img missing (grub-pc-bin)" >&2; return 1; }
	mkdir -p "$root/boot/grub/i386-pc"
	cp "$g"/*.mod "$g"/*.lst "$root/boot/grub/i386-pc/"
	chroot "$root" grub-mkimage -O i386-pc -d /usr/lib/grub/i386-pc \
		-p '(hd0,msdos1)/boot/grub' -o /boot/grub/i386-pc/core.img \
		biosdisk part_msdos ext2 || return 1
	mb=$(( $(du -sm "$root" | cut -f1) * 5 / 4 + 128 ))
	rm -f "$img" "$img.part"
	truncate -s "${mb}M" "$img.part"
	mkfs.ext4 -q -F -L xenroot -d "$root" "$img.part"
	truncate -s "$((mb + 1))M" "$img"
	printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$img"
	dd if="$img.part" of="$img" bs=1M seek=1 conv=notrunc,sparse status=none
	rm -f "$img.part"
	# boot.img's code (the partition table after byte 440 stays); it loads sector 1, where
	# core.img's first sector (diskboot) loads the rest: grub-mkimage sized its block list.
	[ "$(stat -c %s "$root/boot/grub/i386-pc/core.img")" -lt $((2047 * 512)) ] || return 1
	dd if="$g/boot.img" of="$img" bs=440 count=1 conv=notrunc status=none
	dd if="$root/boot/grub/i386-pc/core.img" of="$img" bs=512 seek=1 conv=notrunc status=none
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
