#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of L1 for the migration proof: boots the Xen guest's disk on Hyper-V before and after fix.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /tmp && mount -t tmpfs tmp /tmp
# QEMU keeps snapshot=on overlays there: L2 never writes the images.
mkdir -p /var/tmp && mount -t tmpfs vartmp /var/tmp
tap() { echo "[tap] $*"; }
echo "[lab] l1 up (migration proof)"
# A heartbeat on the second serial port: the host stops an L1 that has gone quiet.
( while :; do cut -d' ' -f1 /proc/uptime > /dev/ttyS1; sleep 60; done ) &
# The parts an earlier L1 saw to their end before it died (lab.done=before,dracut): the
# host kept their results (scripts/lab/resume.sh), this L1 runs the others.
done_parts=$(sed -n 's/.*lab\.done=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
todo() {
	case " $done_parts " in *" $1 "*) return 1 ;; esac
	echo "[lab] scenario $1 begin"
}

# The disks (virtio here): vda is the guest before fix, vdb after (initramfs-tools), vdc the
# dracut guest after fix.
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk \
	 irqbypass ccp kvm kvm-amd; do
	insmod /modules/$m.ko || echo "[lab] insmod $m failed"
done
[ -e /dev/kvm ] || tap "not ok - migrate: KVM available in L1"

# -avx, -avx2: without XSAVE (which -xsave drops for a clean boot) aesni_intel's AVX path
# still ran here and oopsed when systemd's udev loaded it.
HV=hv-relaxed,hv-vapic,hv-spinlocks=0x1fff,hv-vpindex,hv-runtime,hv-time,hv-synic
HV=$HV,hv-stimer,hv-frequencies,hv-reset,hv-tlbflush,hv-ipi,hv-crash

# boot DISK NAME TIMEOUT EXTRA: boot L2 from DISK (on AHCI: the lab has no storvsc) with
# the kernel, initrd and command line grub would use (/proof/NAME, taken from the image's
# grub.cfg), plus EXTRA. Stops as soon as the console shows an end: the proof's own end
# line, initramfs-tools giving up on the root device, or a kernel panic.
# With EXTRA "grub", SeaBIOS boots the disk's MBR: the guest's own GRUB loads what its
# grub.cfg says, nothing is stood in for.
boot() {
	disk=$1 name=$2 tmo=$3 extra=$4
	log=/tmp/l2-$name.log
	if [ "$extra" = grub ]; then
		echo "[lab] booting L2 from its disk ($name) through its own GRUB (SeaBIOS, MBR)"
		set -- -boot c
	else
		echo "[lab] booting L2 from its disk ($name): $(cat /proof/$name/cmdline) $extra"
		set -- -kernel /proof/$name/vmlinuz -initrd /proof/$name/initrd \
			-append "$(cat /proof/$name/cmdline) $extra"
	fi
	qemu-system-x86_64 -accel kvm -cpu EPYC,-xsave,-avx,-avx2,kvm=off,$HV -smp 2 -m 1024 \
		-nodefaults -no-user-config -L /qemu -bios /qemu/bios-256k.bin \
		-display none -serial stdio -monitor none -no-reboot \
		-device vmbus-bridge -uuid 5c1d8a4e-3b6f-4e2a-9d7c-0a1b2c3d4e5f \
		-device ahci,id=ahci -drive file=$disk,if=none,id=disk,format=raw,snapshot=on \
		-device ide-hd,drive=disk,bus=ahci.0 "$@" \
		< /dev/null > "$log" 2>&1 &
	pid=$!
	# By the clock: under TCG each poll takes longer than its 2 s sleep.
	start=$(date +%s)
	t=0
	while kill -0 $pid 2>/dev/null && [ $t -lt "$tmo" ]; do
		sleep 2
		t=$(($(date +%s) - start))
		grep -a -q -E '^\[proof\] done|does not exist\.  Dropping|Kernel panic|rdsosreport' \
			"$log" && break
	done
	sleep 2
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	echo "[lab] L2 ($name) stopped after ${t}s"
	tr -d '\r' < "$log" > "$log.txt"
}

# Before fix: grub's command line names console=hvc0 only; console=ttyS0 is added so the
# failure can be seen, panic=-1 makes initramfs-tools reboot instead of waiting on a shell.
# retry_silent NAME MARKER ARGS...: nested SVM under TCG now and then kills an L2 without a
# word; an attempt whose console never shows MARKER boots once more (shown as comments).
retry_silent() {
	name=$1 marker=$2
	shift 2
	grep -a -q -E "$marker" /tmp/l2-$name.log.txt && return 0
	sed 's/^/# discarded attempt: /' /tmp/l2-$name.log.txt | tail -n 30
	echo "[lab] L2 ($name) gave no verdict, booting it once more"
	boot "$@"
}

if todo before; then
	boot /dev/vda before 300 "console=ttyS0 panic=-1"
	retry_silent before 'ALERT!|^\[proof\]' /dev/vda before 300 "console=ttyS0 panic=-1"
	sed 's/^/# before: /' /tmp/l2-before.log.txt | grep -a -v -E '^# before: *$' | tail -n 25
	if grep -a -q 'ALERT!  /dev/xvda1 does not exist' /tmp/l2-before.log.txt &&
	   ! grep -a -q '^\[proof\]' /tmp/l2-before.log.txt; then
		tap "ok - migrate: before fix the Xen guest does not boot on Hyper-V (ALERT! /dev/xvda1 does not exist)"
	else
		tap "not ok - migrate: before fix the Xen guest does not boot on Hyper-V (ALERT! /dev/xvda1 does not exist)"
	fi
	echo "[lab] scenario before end"
fi

# After fix: each disk boots by itself, GRUB reads grub.cfg as fix rewrote it (console=ttyS0
# is its own now).
for gd in initramfs-tools:/dev/vdb dracut:/dev/vdc; do
	name=${gd%%:*} disk=${gd#*:}
	todo $name || continue
	boot $disk $name 900 grub
	retry_silent $name '^\[proof\] done|ALERT!|rdsosreport' $disk $name 900 grub
	grep -a -E '^\[(tap|proof)\]' /tmp/l2-$name.log.txt
	grep -a -v -E '^\[(tap|proof)\]' /tmp/l2-$name.log.txt | grep -a . | tail -n 40 |
		sed "s/^/# $name: /"
	if grep -a -q "Loading Linux $(cat /proof/$name/kver)" /tmp/l2-$name.log.txt; then
		tap "ok - migrate: $name: after fix SeaBIOS boots the disk's MBR and the guest's GRUB loads its kernel"
	else
		tap "not ok - migrate: $name: after fix SeaBIOS boots the disk's MBR and the guest's GRUB loads its kernel"
	fi
	if grep -a -q '^\[proof\] done' /tmp/l2-$name.log.txt; then
		tap "ok - migrate: $name: after fix the guest boots on Hyper-V from its disk and runs its proof"
	else
		tap "not ok - migrate: $name: after fix the guest boots on Hyper-V from its disk and runs its proof"
	fi
	echo "[lab] scenario $name end"
done
echo "[lab] l1 done"
poweroff -f
