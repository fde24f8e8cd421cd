# SPDX-License-Identifier: GPL-2.0
# Unloading is refused while anything is in use, then clean; reloading works.
. /tests/lib.sh
need_xenhv

/progs/xenhv_call hold 4 > /tmp/hold.out &
sleep 1
check_fails "rmmod is refused while /dev/xen/privcmd is open" rmmod xenhv
wait
/progs/xenhv_call hold-buffer 4 > /tmp/hold.out &
sleep 1
check_fails "rmmod is refused while a hypercall buffer is mapped" rmmod xenhv
wait
exec 3<> /dev/xen/xenbus
check_fails "rmmod is refused while /dev/xen/xenbus is open" rmmod xenhv
exec 3>&-
exec 3<> /proc/xen/xenbus
check_fails "rmmod is refused while /proc/xen/xenbus is open" rmmod xenhv
exec 3>&-
check "rmmod succeeds once nothing is in use" rmmod xenhv
check "the device nodes are gone" sh -c '[ ! -e /dev/xen/privcmd ] && [ ! -e /dev/xen/hypercall ]'
check "the unload is logged" sh -c 'dmesg | grep -q "xenhv: unloaded"'
check "xenhv loads again" insmod /modules/xenhv.ko domid=7 xen_minor=18 xen_extra=.2-test
run_tap /progs/xen_version 0x40012 .2-test
# Without the lab's remedy the home is domain 0's alone, as on Xen.
/usr/lib/xen-${LAB_XEN:-4.17}/bin/test-xenstore -t 'read 1' > /tmp/txs-plain.out 2>&1
sed 's/^/# /' /tmp/txs-plain.out
check "without xenstore_guest_writable, test-xenstore fails as on a Xen domU (EACCES)" \
	grep -q 'read 1 *: *failed (ret = 13' /tmp/txs-plain.out
check_fails "and it created nothing in the home" xenstore-exists xenstore-test
check "rmmod again" rmmod xenhv
