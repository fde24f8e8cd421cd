#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the Xen lab's dom0: starts Xen's toolstack, creates one domU, prints its console.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/usr/lib/xen-4.17/bin
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /tmp /dev/pts /dev/shm && mount -t tmpfs tmp /tmp && mount -t tmpfs shm /dev/shm
mount -t devpts devpts /dev/pts
mkdir -p /var/run/xen /var/run/xenstored /var/lib/xen /var/lib/xenstored /var/log/xen /run/lock \
	/etc/xen
# xl's global settings: the defaults.
: > /etc/xen/xl.conf
arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
fail() { echo "[tap] not ok - xen-dom0: $*"; dmesg | tail -n 30 | sed 's/^/# /'; }

echo "[lab] dom0 up type=$(cat /sys/hypervisor/type 2>/dev/null) xen=$(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)$(cat /sys/hypervisor/version/extra)"
for m in xen-evtchn xen-privcmd xen-gntdev xen-gntalloc xenfs; do
	insmod /modules/xen/$m.ko || fail "insmod $m"
done
mount -t xenfs xenfs /proc/xen || fail "mount xenfs"
# The bench scenario loads xenhv with room for 128 transactions and 2000 nodes:
# xenstored gets the same room there (its defaults: 10 and 1000 per domain), so
# both guests' rows do the same work (and the domU gets room for 1024 bound
# ports, as xenhv: libxl's default is 1023). Every other scenario sees Xen's defaults.
quota= evtchns=
if [ "$(arg lab.scenario)" = bench ]; then
	quota="--transaction 128 --entry-nb 4000"
	evtchns="max_event_channels = 4095"
fi
xenstored --pid-file /var/run/xenstored.pid $quota || fail "xenstored starts"
xen-init-dom0 > /tmp/init-dom0.log 2>&1 || { fail "xen-init-dom0"; cat /tmp/init-dom0.log; }
xenconsoled --log=guest --log-dir=/var/log/xen || fail "xenconsoled starts"

# The version Xen gives, as dom0 sees it: what the domU's tests expect.
xl info > /tmp/xl-info 2>&1 || fail "xl info"
xi() { sed -n "s/^$1 *: //p" /tmp/xl-info; }
xenver=$(printf '%#x' $(( ($(xi xen_major) << 16) | $(xi xen_minor) )))
echo "[lab] xl info: xen_version $(xi xen_version) caps $(xi xen_caps)"
type=$(arg lab.xentype)
mem=$(arg lab.domumem)
cat > /tmp/domu.cfg <<CFG
name = "domu"
type = "${type:-pvh}"
memory = ${mem:-1024}
vcpus = 2
uuid = "$(arg lab.uuid)"
kernel = "/domu/vmlinuz"
ramdisk = "/domu/initrd"
extra = "console=hvc0 quiet panic=-1 lab.world=xen lab.scenario=$(arg lab.scenario) lab.only=$(arg lab.only) lab.finished=$(arg lab.finished) lab.uuid=$(arg lab.uuid) lab.xenver=$xenver lab.xenextra=$(xi xen_extra)"
$evtchns
on_poweroff = "destroy"
on_crash = "destroy"
CFG
echo "[lab] xl create (type ${type:-pvh})"
# The domU's console streams to ours as it comes (a hang shows where it hung).
: > /var/log/xen/guest-domu.log
echo "[lab] domU console begin"
tail -f /var/log/xen/guest-domu.log | tr -d '\r' &
tailpid=$!
# Created paused, so that dom0 can first do what a Xen admin does for Xen's own
# test-xenstore: its xenstore-test/ in the domU's home, which libxl gives to
# dom0, made the domU's (xenhv's lab does the same with xenstore_guest_writable).
if xl create -p /tmp/domu.cfg > /tmp/xl.log 2>&1; then
	id=$(xl domid domu)
	xenstore-write "/local/domain/$id/xenstore-test" "" &&
		xenstore-chmod "/local/domain/$id/xenstore-test" "n$id" ||
		fail "xenstore-test/ made the domU's"
	xl unpause domu || fail "xl unpause"
	# The domU powers itself off at its end; the host's timeout covers a hang.
	tmo=$(arg lab.domutmo)
	i=0
	# A domU Xen shut down (suspended, crashed) but nobody destroyed ends the wait too.
	while xl domid domu > /dev/null 2>&1 && [ $i -lt "${tmo:-900}" ]; do
		st=$(xl list domu 2>/dev/null | awk 'NR == 2 { print $5 }')
		case "$st" in *s*|*c*) echo "[lab] domU state $st"; break ;; esac
		sleep 1
		i=$((i + 1))
	done
	if xl domid domu > /dev/null 2>&1; then
		fail "domU ended within ${tmo:-900} s"
		xl list | sed 's/^/# /'
		xl destroy domu
	fi
else
	fail "xl create a ${type:-pvh} domU"
fi
sleep 1
kill $tailpid
echo "[lab] domU console end"
sed 's/^/# xl: /' /tmp/xl.log
dmesg | grep -E 'BUG:|WARNING: CPU|Oops|general protection' | sed 's/^/# dom0 kernel: /'
echo "[lab] dom0 done"
sleep 1
poweroff -f
