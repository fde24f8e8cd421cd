# SPDX-License-Identifier: GPL-2.0
# /sys/hypervisor and /proc/xen as Xen tools read them; Debian's xen-utils-wrapper.
# lab-only: hyperv loads and unloads xenhv with its parameters
. /tests/lib.sh
need_xenhv

hv=/sys/hypervisor
check_eq "/sys/hypervisor/type is xen" xen "$(cat $hv/type)"
check_eq "/sys/hypervisor/guest_type is HVM" HVM "$(cat $hv/guest_type)"
check_eq "version/major" 4 "$(cat $hv/version/major)"
check_eq "version/minor" 17 "$(cat $hv/version/minor)"
check_eq "version/extra" .0 "$(cat $hv/version/extra)"
check_eq "uuid is the VM's UUID" "$(cmdline_arg lab.uuid)" "$(cat $hv/uuid)"
check_eq "properties/capabilities" "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 " "$(cat $hv/properties/capabilities)"
check_eq "properties/features: submap 0 in 8 hex digits" 00000005 "$(cat $hv/properties/features)"
check_eq "properties/pagesize in hex, as Linux prints it" 1000 "$(cat $hv/properties/pagesize)"
check_eq "properties/virtual_start" ffff800000000000 "$(cat $hv/properties/virtual_start)"
check_eq "properties/buildid is denied to a domU" "<denied>" "$(cat $hv/properties/buildid)"
check "compilation/ has compiler, compiled_by, compile_date" \
	test -s $hv/compilation/compiler -a -s $hv/compilation/compiled_by -a -s $hv/compilation/compile_date

# Debian's /usr/sbin/xenwatchdogd is xen-utils-wrapper: it finds the tools of the version
# /sys/hypervisor reports. Debian 13 ships only 4.20's, so there xenhv is loaded as 4.20.
LAB_XEN=${LAB_XEN:-4.17}
minor=${LAB_XEN#4.}
if [ "$minor" != 17 ]; then
	rmmod xenhv
	check "xenhv loads as Xen $LAB_XEN (xen_minor=$minor)" insmod /modules/xenhv.ko xen_minor=$minor
fi
check "Debian's xen-utils-wrapper runs xenwatchdogd $LAB_XEN" /usr/sbin/xenwatchdogd 30 1
sleep 2
check_eq "the wrapped xenwatchdogd armed its watchdog" 1 "$(watchdogs)"
kill -USR1 "$(pidof xenwatchdogd)"
sleep 1
check_eq "and disarmed it on SIGUSR1" 0 "$(watchdogs)"

check_eq "/proc/xen/capabilities is empty for a domU" "" "$(cat /proc/xen/capabilities)"
check "/proc/xen/privcmd is mode 0400" test "$(stat -c %a /proc/xen/privcmd)" = 400
# libxencall falls back to /proc/xen/privcmd when /dev/xen/privcmd is missing.
mv /dev/xen/privcmd /dev/privcmd.away
run_tap /progs/xen_version "$(printf 0x400%02x "$minor")" .0
mv /dev/privcmd.away /dev/xen/privcmd
/progs/xenhv_call hold 3 > /dev/null &
sleep 1
mv /dev/xen/privcmd /dev/privcmd.away
/progs/xen_info > /dev/null 2>&1
mv /dev/privcmd.away /dev/xen/privcmd
wait

# Both are optional.
check "rmmod" rmmod xenhv
check "/sys/hypervisor is emptied on unload" test ! -e $hv/type
check "/proc/xen is removed on unload" test ! -e /proc/xen
check "xenhv loads with sys_hypervisor=N proc_xen=N" insmod /modules/xenhv.ko sys_hypervisor=N proc_xen=N $XENHV_LAB_ARGS
check "then there is no /sys/hypervisor/type" test ! -e $hv/type
check "and no /proc/xen" test ! -e /proc/xen
check "rmmod" rmmod xenhv
need_xenhv
