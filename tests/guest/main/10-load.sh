# SPDX-License-Identifier: GPL-2.0
# Loading xenhv on Hyper-V: parameter checks, device nodes, double load.
. /tests/lib.sh

check_fails "domid=0 (the root partition) is refused" insmod /modules/xenhv.ko domid=0
check_fails "domid=32752 (reserved) is refused" insmod /modules/xenhv.ko domid=32752
check_fails "a 16-character xen_extra is refused" insmod /modules/xenhv.ko xen_extra=0123456789abcdef
check_fails "xen_major=70000 is refused" insmod /modules/xenhv.ko xen_major=70000
check_fails "xenstore_guest_writable=a/b (not one node name) is refused" \
	insmod /modules/xenhv.ko xenstore_guest_writable=a/b
check_fails "xenstore_guest_writable=a, (an empty name) is refused" \
	insmod /modules/xenhv.ko xenstore_guest_writable=a,
check "a refused load leaves nothing behind" sh -c '[ ! -e /dev/xen/privcmd ] && [ ! -d /sys/module/xenhv ]'
check "each refusal says why in the kernel log" sh -c \
	'dmesg | grep -q "xenhv: domid must be between 1 and 32751" &&
	 dmesg | grep -q "xenhv: xen_extra must be a string of at most 15" &&
	 dmesg | grep -q "xenhv: xenstore_guest_writable must be node names"'

check "xenhv loads" insmod /modules/xenhv.ko $XENHV_LAB_ARGS
check "/dev/xen/privcmd is a character device, mode 0600" \
	sh -c '[ -c /dev/xen/privcmd ] && [ "$(stat -c %a /dev/xen/privcmd)" = 600 ]'
check "/dev/xen/hypercall is a character device, mode 0600" \
	sh -c '[ -c /dev/xen/hypercall ] && [ "$(stat -c %a /dev/xen/hypercall)" = 600 ]'
insmod /modules/xenhv.ko > /tmp/twice.out 2>&1
check "loading twice fails" test $? -ne 0
check "loading twice says the module exists (EEXIST)" grep -q 'File exists' /tmp/twice.out
check_eq "one ready line in the kernel log" 1 "$(dmesg | grep -c 'xenhv: Xen 4.17.0 guest ABI ready as domain 1')"
check "Hyper-V features found and logged" sh -c \
	'dmesg | grep -q "xenhv: Hyper-V: stimer=1 crash=1 ref_tsc=1 vp_runtime=1 tlbflush=1 ipi=1"'
