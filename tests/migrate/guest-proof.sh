#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the migrated guest on Hyper-V (a systemd unit): root via xvd names, xenhv, Xen tools.
exec > /dev/ttyS0 2>&1
gen=initramfs-tools
[ -x /usr/bin/dracut ] && gen=dracut
ok() { echo "[tap] ok - migrate guest ($gen): $*"; }
not_ok() { echo "[tap] not ok - migrate guest ($gen): $*"; }
check() {	# check DESC CMD...
	d=$1
	shift
	if "$@" > /tmp/proof.out 2>&1; then ok "$d"; else not_ok "$d"; sed 's/^/# /' /tmp/proof.out; fi
}
dev_of() { stat -L -c '%Hr:%Lr' "$1"; }

echo "[proof] up: $(uname -r), cmdline: $(cat /proc/cmdline)"
udevadm settle -t 30
check "the kernel runs on Microsoft Hyper-V" sh -c 'dmesg | grep -q "Hypervisor detected: Microsoft Hyper-V"'
check "it was booted with grub's root=/dev/xvda1" grep -q 'root=/dev/xvda1' /proc/cmdline
check "GRUB loaded it (its BOOT_IMAGE= on the command line)" grep -q 'BOOT_IMAGE=/boot/vmlinuz-' /proc/cmdline
check "/dev/xvda and /dev/xvda1 exist (the xvd rule)" test -b /dev/xvda -a -b /dev/xvda1
check "/ is mounted from the disk /dev/xvda1 names" \
	test "$(dev_of /dev/xvda1)" = "$(mountpoint -d /)"
check "udev names it in the xvd order (XENHV_XVD=xvda)" \
	sh -c 'udevadm info -q property -n /dev/xvda | grep -qx XENHV_XVD=xvda'
check "systemd knows the root device by its fstab name" \
	sh -c '[ "$(systemctl show -P ActiveState dev-xvda1.device)" = active ]'
check "/ is mounted read-write by fstab's /dev/xvda1 line" \
	sh -c 'findmnt -n -o OPTIONS / | grep -q "^rw" && systemctl is-active -q -- -.mount'
check "the serial console is ttyS0 (fix's console=)" grep -q '^ttyS0' /proc/consoles
check "the persistent-net MAC rule is gone" test ! -e /etc/udev/rules.d/70-persistent-net.rules
i=0
while [ ! -d /sys/module/xenhv ] && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
check "hv_vmbus is loaded" test -d /sys/module/hv_vmbus
check "xenhv is loaded (modalias on Hyper-V's VMBus device)" test -d /sys/module/xenhv
check "/dev/xen/xenbus exists" test -c /dev/xen/xenbus
domid=$(xenstore-read domid 2>/tmp/proof.err)
check "xenstore-read domid answers" test -n "$domid"
xenstore-ls "/local/domain/$domid" > /tmp/xsls 2>&1
sed 's/^/# xenstore-ls: /' /tmp/xsls | head -n 20
check "xenstore-ls shows the guest's tree" grep -q "^domid = \"$domid\"" /tmp/xsls
# Loaded from the initramfs, xenhv saw no host name yet; the first XenStore
# client after the host name is set finds it as the domain's name.
check "xenstore-read name is the host name ($(xenstore-read name 2>&1))" \
	test "$(xenstore-read name)" = "$(hostname)"
check "xenstore-write and read back" \
	sh -c 'xenstore-write data/migrated yes && [ "$(xenstore-read data/migrated)" = yes ]'
bad=$(dmesg | grep -E 'BUG:|WARNING: CPU|Oops|general protection')
check "the kernel log is clean" test -z "$bad"
echo "[proof] done"
sleep 1
systemctl poweroff --force --force
