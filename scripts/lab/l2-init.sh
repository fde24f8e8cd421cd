#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the L2 Hyper-V guest: loads xenhv and runs one scenario's guest tests as TAP.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /tmp /dev/shm && mount -t tmpfs tmp /tmp && mount -t tmpfs shm /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
ln -sf /proc/self/fd /dev/fd
hostname l2

scenario=$(sed -n 's/.*lab\.scenario=\([^ ]*\).*/\1/p' /proc/cmdline)
# The Xen userland this boot carries (its tools live in /usr/lib/xen-X.Y/bin).
export LAB_XEN=$(sed -n 's/.*lab\.xen=\([^ ]*\).*/\1/p' /proc/cmdline)
LAB_XEN=${LAB_XEN:-4.17}
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/usr/lib/xen-$LAB_XEN/bin:/progs
# "core": the named subset for the kernels and userlands that do not run everything
# in a plain make check: load, privcmd, event channels, grants, XenStore, unload.
set=$(sed -n 's/.*lab\.set=\([^ ]*\).*/\1/p' /proc/cmdline)
core="10-load 20-xen-version 30-privcmd-abi 46-evtchn 52-grants-vchan 70-xenstore-tools 75-xenstore-abi 90-unload"
export LAB_ONLY=$(sed -n 's/.*lab\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "[lab] l2 up scenario=$scenario set=${set:-all} kernel=$(uname -r) xen=$LAB_XEN cpus=$(nproc) $(dmesg | grep -o 'Hypervisor detected: .*' | head -n1)"

# Xen's tools find their libraries under /usr/lib/xen-X.Y too.
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu

# The scenario's folder: its scripts in order (one that ends the machine, a
# crash, simply never returns), then the kernel-log check.
for t in /tests/"$scenario"/*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	case "$name" in *"$LAB_ONLY"*) ;; *) continue ;; esac
	[ "$name" = verdict ] && continue
	if [ "$set" = core ]; then
		case " $core " in *" $name "*) ;; *) continue ;; esac
	fi
	echo "[lab] test $name"
	T=$name sh "$t"
	rc=$?
	[ $rc -eq 0 ] || echo "[tap] not ok - $name: script exited with $rc"
done
# A kernel log with any of these after xenhv loaded fails the run.
bad=$(dmesg | grep -E 'BUG:|WARNING: CPU|Oops|general protection|UBSAN|KASAN|refcount_t')
if [ -z "$bad" ]; then
	echo "[tap] ok - kernel log of scenario $scenario is clean"
else
	echo "[tap] not ok - kernel log of scenario $scenario is clean"
	echo "$bad" | sed 's/^/# /'
	dmesg | tail -n 60 | sed 's/^/# /'
fi
echo "[lab] l2 done $scenario"
# Let the console drain before the kernel's own power-off line.
sleep 1
poweroff -f
