# SPDX-License-Identifier: GPL-2.0
# The packaged module (DKMS-built, from the .deb): modprobe, udev autoload on Hyper-V, udev modes.
# lab-only: hyperv xenhv's package, DKMS module and udev rule
. /tests/lib.sh

# The package is built for Debian's kernel; on a kernel of the lab's own (the
# debug kernel) there is nothing packaged to test, and nothing is counted.
if grep -q '^own ' /etc/lab-l2-kernel 2>/dev/null; then
	echo "# 95-package: not run on $(uname -r), the package is built for Debian's kernel"
	exit 0
fi
kver=$(uname -r)
check "the DKMS-installed module is in the image" test -f /lib/modules/$kver/updates/dkms/xenhv.ko
[ -d /sys/module/xenhv ] && rmmod xenhv
check "depmod (kmod)" /usr/sbin/depmod -a
check "modprobe xenhv loads the packaged module" /usr/sbin/modprobe xenhv
check "/sys/module/xenhv is the DKMS build" sh -c \
	'[ "$(cat /sys/module/xenhv/srcversion)" = "$(/usr/sbin/modinfo -F srcversion /lib/modules/$(uname -r)/updates/dkms/xenhv.ko)" ]'
check "modprobe -r xenhv" /usr/sbin/modprobe -r xenhv
check_fails "modprobe xenhv domid=0 is refused" /usr/sbin/modprobe xenhv domid=0
check_fails "modprobe xenhv domid=abc (not a number) is refused" /usr/sbin/modprobe xenhv domid=abc
check "a refused modprobe leaves nothing half-loaded" sh -c '[ ! -d /sys/module/xenhv ] && [ ! -e /dev/xen/privcmd ]'

# udev, as at boot: the ACPI VMBus device's modalias loads xenhv, rules set the modes.
check "the guest has Hyper-V's ACPI VMBus device (acpi:VMBUS:)" sh -c 'cat /sys/bus/acpi/devices/*/modalias | grep -q ^acpi:VMBUS:'
mkdir -p /run/udev
check "systemd-udevd starts" /usr/lib/systemd/systemd-udevd --daemon
check "udevadm trigger (coldplug) and settle" sh -c 'udevadm trigger --action=add && udevadm settle -t 30'
check "udev loaded xenhv through its modalias" test -d /sys/module/xenhv
udevadm settle -t 30
check "udev's rule matched /dev/xen/privcmd" sh -c 'udevadm info -q property -n /dev/xen/privcmd | grep -qx XENHV=1'
check "udev's rule matched /dev/xen/hypercall" sh -c 'udevadm info -q property -n /dev/xen/hypercall | grep -qx XENHV=1'
chmod 0666 /dev/xen/privcmd /dev/xen/hypercall
chown 1:1 /dev/xen/privcmd
udevadm trigger --action=change --subsystem-match=misc && udevadm settle -t 30
check_eq "udev restores /dev/xen/privcmd to root:root 0600" "0:0 600" "$(stat -c '%u:%g %a' /dev/xen/privcmd)"
check_eq "udev restores /dev/xen/hypercall to root:root 0600" "0:0 600" "$(stat -c '%u:%g %a' /dev/xen/hypercall)"
udevadm control --exit
check "the packaged status command runs" /usr/sbin/xenhv
