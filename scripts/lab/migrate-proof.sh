#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The migration proof: a Debian guest set up as on Xen does not boot on the Hyper-V lab; after
# `xenhv-migrate fix` it boots from its disk through its own GRUB, mounts / by its xvd name,
# loads xenhv, runs Xen tools; a second guest whose initramfs dracut builds does the same.
#
# usage: migrate-proof.sh   (TAP on stdout; needs root: debootstrap and chroot)
# Expects xenhv.ko built for the lab kernel (make lab-modules).
set -eu
LAB_SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$LAB_SRC/scripts/lab/env.sh"
. "$LAB_SRC/scripts/lab/rootfs.sh"
. "$LAB_SRC/scripts/lab/images.sh"
. "$LAB_SRC/scripts/lab/migrate-image.sh"
. "$LAB_SRC/scripts/lab/l1-boot.sh"
. "$LAB_SRC/scripts/lab/resume.sh"

KVER=$(lab_kver)
[ -e "$LAB_SRC/xenhv.ko" ] || die "xenhv.ko is not built (make lab-modules)"
lab_kernel
lab_l1_base

W=$XENHV_OUT/migrate
logf=$W/proof.log
rm -rf "$W"
mkdir -p "$W"
: > "$logf"
tap() { echo "[tap] $*" >> "$logf"; }
hostcheck() {	# hostcheck DESC CMD...: a host-side step of the proof
	local desc=$1
	shift
	if "$@" >> "$W/host.log" 2>&1; then tap "ok - migrate host: $desc"
	else tap "not ok - migrate host: $desc"; tail -n 20 "$W/host.log" | sed 's/^/# /' >> "$logf"; fi
}

# proof_guest GEN: a guest whose initramfs GEN (initramfs-tools or dracut) builds, as it left
# Xen, plus xenhv (as the xenhv-dkms package would install it) and the proof's own unit (lab
# instrumentation, not part of the guest's configuration); checked, fixed and made into
# $W/GEN.img, which boots through the guest's own GRUB. For initramfs-tools also the disk
# before fix, $W/before.img, and what grub would load from it ($W/before).
proof_guest() {
	local gen=$1 root=$W/root-$1 rc f list
	migrate_base "$gen"
	mkdir -p "$root"
	tar -C "$root" -xf "$MIGRATE_BASE"
	mkdir -p "$root/lib/modules/$KVER/updates"
	cp "$LAB_SRC/xenhv.ko" "$root/lib/modules/$KVER/updates/"
	depmod -b "$root" "$KVER"
	install -m 0755 "$LAB_SRC/tests/migrate/guest-proof.sh" "$root/usr/local/sbin/xenhv-proof"
	cat > "$root/etc/systemd/system/xenhv-proof.service" <<-'UNIT'
	[Unit]
	Description=xenhv lab: the migrated guest proves it works
	After=local-fs.target systemd-udev-trigger.service systemd-modules-load.service
	# agetty hangs up every other writer of ttyS0: the proof speaks first.
	Before=getty.target serial-getty@ttyS0.service
	[Service]
	Type=oneshot
	ExecStart=/usr/local/sbin/xenhv-proof
	[Install]
	WantedBy=multi-user.target
	UNIT
	mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
	ln -sf ../xenhv-proof.service "$root/etc/systemd/system/multi-user.target.wants/"

	list=lsinitramfs
	[ "$gen" = dracut ] && list=lsinitrd
	chroot "$root" $list "/boot/initrd.img-$KVER" > "$W/$gen.before.list"
	hostcheck "$gen: the Xen guest's initramfs has no Hyper-V storage driver" \
		bash -c '! grep -q hv_storvsc "$1"' _ "$W/$gen.before.list"
	if [ "$gen" = initramfs-tools ]; then
		migrate_boot_files "$root" "$W/before"
		migrate_disk "$root" "$W/before.img"
	fi

	set +e
	"$tool" check --root "$root" > "$W/$gen.check" 2>&1
	rc=$?
	set -e
	sed "s/^/# $gen check: /" "$W/$gen.check" >> "$logf"
	hostcheck "$gen: xenhv-migrate check finds the problems (exit 1)" test $rc -eq 1
	hostcheck "$gen: check names fstab's /dev/xvda1 with its line" \
		grep -q "$root/etc/fstab:2: names /dev/xvda1" "$W/$gen.check"
	hostcheck "$gen: check names grub.cfg's console=hvc0 with its line" \
		grep -q "$root/boot/grub/grub.cfg:9: console=hvc0 only" "$W/$gen.check"
	# The lab's disk sits on AHCI (QEMU 7.2 has no storvsc): the xvd controller here.
	: > "$W/host.log"
	hostcheck "$gen: xenhv-migrate fix (the lab's controller: ahci)" \
		"$tool" fix --root "$root" --xvd-controller ahci
	sed "s/^/# $gen fix: /" "$W/host.log" >> "$logf"
	hostcheck "$gen: xenhv-migrate check says ready after fix" "$tool" check --root "$root"
	chroot "$root" $list "/boot/initrd.img-$KVER" > "$W/$gen.after.list"
	for f in hv_vmbus.ko hv_storvsc.ko hv_netvsc.ko xenhv.ko ahci.ko 61-xenhv-xvd.rules \
		usr/lib/xenhv/xvd-name etc/xenhv/xvd.conf; do
		# A whole name: libahci.ko is not ahci.ko.
		hostcheck "$gen: the rebuilt initramfs carries $f" \
			grep -q -E "(^|[/ ])$f( |\$)" "$W/$gen.after.list"
	done
	migrate_boot_files "$root" "$W/$gen"
	hostcheck "$gen: grub.cfg's command line after fix keeps root=/dev/xvda1 and adds console=ttyS0" \
		grep -q 'root=/dev/xvda1 .*console=hvc0 console=ttyS0' "$W/$gen/cmdline"
	echo "$KVER" > "$W/$gen/kver"
	migrate_disk "$root" "$W/$gen.img"
	hostcheck "$gen: the fixed disk's MBR carries the guest's GRUB boot.img" \
		cmp -n 440 "$W/$gen.img" "$root/usr/lib/grub/i386-pc/boot.img"
	hostcheck "$gen: the fixed disk carries the guest's GRUB core.img after its MBR" \
		cmp -i 0:512 -n "$(stat -c %s "$root/boot/grub/i386-pc/core.img")" \
		"$root/boot/grub/i386-pc/core.img" "$W/$gen.img"
	rm -rf "$root"
}

tool=$LAB_SRC/scripts/xenhv-migrate
proof_guest initramfs-tools
proof_guest dracut

# L1: its init, the virtio disk modules, the boot files grub would load from each disk.
d=$W/l1-run.d
mkdir -p "$d/proof" "$d/modules"
cp "$LAB_SRC/scripts/lab/migrate-l1-init.sh" "$d/init"
chmod +x "$d/init"
cp -r "$W/before" "$W/initramfs-tools" "$W/dracut" "$d/proof/"
for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev \
	 drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci drivers/block/virtio_blk; do
	cp "$LAB_KDIR/modules/kernel/$m.ko" "$d/modules/"
done
rootfs_pack "$d" "$W/l1-run.cpio.gz"
cat "$LAB_L1_BASE" "$W/l1-run.cpio.gz" > "$W/l1.cpio.gz"
rm -rf "$d"

# boot LOG DONE: one L1 boot that runs the parts not in DONE (a comma list).
boot() {
	log "booting L1 (TCG) -> L2 (KVM + Hyper-V) from the guest's disk, before and after fix"
	# Room for each GRUB boot and its one retry (900 s each) besides the before disk.
	l1_boot "$1" 4200 "$W/l1.cpio.gz" "lab.done=$2" \
		-drive file="$W/before.img",if=virtio,format=raw \
		-drive file="$W/initramfs-tools.img",if=virtio,format=raw \
		-drive file="$W/dracut.img",if=virtio,format=raw >> "$logf"
}
# An L1 that died before its end (nested SVM under TCG, as in run.sh) boots again, twice at
# most, for the parts (scenarios) it had not seen to their end: the results of those it had
# are kept. None starts after the proof's XENHV_MIGRATE_BUDGET seconds (default 2400).
set +e
start=$(date +%s)
done=
: > "$W/kept.log"
for try in 1 2 3; do
	boot "$W/l1.log" "$done"
	grep -a -q '^\[lab\] l1 done' "$W/l1.log" && break
	[ $try -lt 3 ] || break
	sed 's/^/# discarded L1 boot: /' "$W/l1.log" | tail -n 40 >> "$logf"
	lab_keep "$W/l1.log" 0 >> "$W/kept.log"
	done=$(lab_ended "$W/kept.log" | paste -s -d,)
	if [ $(($(date +%s) - start)) -ge "${XENHV_MIGRATE_BUDGET:-2400}" ]; then
		echo "# lab: the proof's time is spent, its L1 not booted again" >> "$logf"
		: > "$W/l1.log"	# what counts of it is kept
		break
	fi
	echo "# lab: L1 died without a verdict, booting it again for what it had not finished" >> "$logf"
done
cat "$W/kept.log" "$W/l1.log" >> "$logf"
for p in before initramfs-tools dracut; do
	grep -a -q -x "\[lab\] scenario $p end" "$logf" ||
		echo "[tap] not ok - migrate: L1 saw the $p part to its end" >> "$logf"
done
set -e
exec "$LAB_SRC/scripts/lab/report.sh" "$logf"
