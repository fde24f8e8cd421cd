#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Package tests: build the .deb, install it into a scratch root with DKMS for the lab kernel,
# check modprobe finds the module there; check the build refuses a kernel without Hyper-V.
# Leaves the scratch root in $XENHV_OUT/pkgroot for the lab (modprobe, udev in L2).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lab/env.sh"
kver=$(lab_kver)
n=0
res() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

work=$XENHV_OUT/pkg
root=$XENHV_OUT/pkgroot
rm -rf "$work" "$root"
mkdir -p "$work"

deb=$("$top/scripts/package/mkdeb.sh" "$work" 2> "$work/mkdeb.log")
res $? "mkdeb builds the xenhv-dkms package"
dpkg-deb -c "$deb" > "$work/contents" 2>&1
for f in ./usr/src/xenhv-0.1/dkms.conf ./usr/src/xenhv-0.1/Kbuild ./lib/udev/rules.d/60-xenhv.rules \
	 ./lib/systemd/system/xenhv.service ./usr/sbin/xenhv ./usr/share/man/man8/xenhv.8.gz \
	 ./usr/sbin/xenhv-migrate ./lib/udev/rules.d/61-xenhv-xvd.rules ./usr/lib/xenhv/xvd-name \
	 ./usr/share/initramfs-tools/hooks/xenhv-xvd ./etc/xenhv/xvd.conf \
	 ./usr/share/xenhv/migrate/initramfs-hook ./usr/share/xenhv/migrate/steps.sh ./usr/share/xenhv/migrate/capture.sh \
	 ./usr/share/man/man8/xenhv-migrate.8.gz ./usr/sbin/xenhv-kvp ./lib/systemd/system/xenhv-kvp.service; do
	grep -q " $f\$" "$work/contents"
	res $? "the package carries $f"
done
! grep -q -E '\.(o|ko|cmd)$' "$work/contents"
res $? "the package carries no build products"
dpkg-deb -f "$deb" Depends | grep -q dkms
res $? "the package depends on dkms"

# xenhv-migrate as packaged: it finds its templates and checks a guest root with them.
g=$work/guest
mkdir -p "$g/etc/initramfs-tools" "$g/lib/modules/$kver/kernel/drivers/hv"
echo ID=debian > "$g/etc/os-release"
touch "$g/lib/modules/$kver/kernel/drivers/hv/hv_vmbus.ko"
dpkg-deb -x "$deb" "$work/unpacked"
XENHV_MIGRATE_DATA=$work/unpacked/usr/share/xenhv/migrate \
	"$work/unpacked/usr/sbin/xenhv-migrate" check --root "$g" > "$work/migrate.log" 2>&1
[ $? -eq 1 ] && grep -q "$g/etc/udev/rules.d/61-xenhv-xvd.rules: missing" "$work/migrate.log"
res $? "the packaged xenhv-migrate checks a guest root"
dpkg-deb -I "$deb" conffiles 2>/dev/null | grep -qx /etc/xenhv/xvd.conf
res $? "/etc/xenhv/xvd.conf is a conffile"

# Install into a scratch root: unpack, then DKMS with its trees there.
dpkg-deb -x "$deb" "$root"
mkdir -p "$root/var/lib/dkms" "$root/lib/modules/$kver"
dk="--dkmstree $root/var/lib/dkms --sourcetree $root/usr/src"
# shellcheck disable=SC2086
{ dkms add $dk -m xenhv -v 0.1 &&
  dkms build $dk -m xenhv -v 0.1 -k "$kver" &&
  dkms install $dk --installtree "$root/lib/modules" -m xenhv -v 0.1 -k "$kver"; } \
	> "$work/dkms.log" 2>&1
res $? "dkms add, build and install for $kver into the scratch root"
ko=$root/lib/modules/$kver/updates/dkms/xenhv.ko
[ -f "$ko" ]
res $? "xenhv.ko lands in lib/modules/$kver/updates/dkms"
depmod -b "$root" "$kver" > "$work/depmod.log" 2>&1
modprobe -d "$root" -S "$kver" --show-depends xenhv 2> "$work/modprobe.log" | grep -q "updates/dkms/xenhv.ko"
res $? "modprobe finds xenhv in the scratch root"
grep -q 'acpi\*:VMBus:\* xenhv' "$root/lib/modules/$kver/modules.alias"
res $? "depmod's modalias table loads xenhv for Hyper-V's ACPI VMBus device"
modinfo -F version "$ko" | grep -qx 0.1
res $? "the installed module reports version 0.1"

# A kernel without Hyper-V guest support: the build must refuse and say why.
fake=$work/nohyperv
rm -rf "$fake"
cp -as "$(readlink -f "/lib/modules/$kver/build")" "$fake"
grep -v '^CONFIG_HYPERV=' "$fake/include/config/auto.conf" > "$work/auto.conf"
rm "$fake/include/config/auto.conf"
cp "$work/auto.conf" "$fake/include/config/auto.conf"
tmp=$(mktemp -d)
(cd "$top" && git ls-files -z -- Kbuild Makefile shim xen-compat hypercall include |
	xargs -0 cp --parents -t "$tmp")
make -C "$tmp" KDIR="$fake" modules > "$work/nohyperv.log" 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q 'no Hyper-V guest support' "$work/nohyperv.log"
res $? "the build refuses a kernel without CONFIG_HYPERV, saying why"
rm -rf "$tmp" "$fake"
[ $n -gt 0 ]
