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
	 ./usr/share/xenhv/migrate/initramfs-hook ./usr/share/man/man8/xenhv-migrate.8.gz; do
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
(cd "$top" && git ls-files -z -- Kbuild Makefile compat shim xen-compat hypercall vmbus-client include |
	xargs -0 cp --parents -t "$tmp")
make -C "$tmp" KDIR="$fake" modules > "$work/nohyperv.log" 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q 'no Hyper-V guest support' "$work/nohyperv.log"
res $? "the build refuses a kernel without CONFIG_HYPERV, saying why"

# DKMS refuses it too (BUILD_EXCLUSIVE_CONFIG), and another architecture (BUILD_EXCLUSIVE_ARCH),
# with its exit code 77 and its message, before any compiler runs.
grep -v '^CONFIG_HYPERV=' "$fake/.config" > "$work/config"
rm "$fake/.config"
cp "$work/config" "$fake/.config"
# shellcheck disable=SC2086
dkms build $dk -m xenhv -v 0.1 -k "$kver-nohyperv" --kernelsourcedir "$fake" \
	> "$work/dkms-nohyperv.log" 2>&1
rc=$?
[ $rc -eq 77 ] && grep -q 'BUILD_EXCLUSIVE directive which does not match' "$work/dkms-nohyperv.log" &&
	! grep -q 'CC \[M\]' "$work/dkms-nohyperv.log"
res $? "dkms build refuses a kernel without CONFIG_HYPERV (exit 77, BUILD_EXCLUSIVE)"
# shellcheck disable=SC2086
dkms build $dk -m xenhv -v 0.1 -k "$kver" -a aarch64 > "$work/dkms-arm.log" 2>&1
rc=$?
[ $rc -eq 77 ] && grep -q 'BUILD_EXCLUSIVE directive which does not match' "$work/dkms-arm.log"
res $? "dkms build refuses a non-x86_64 architecture (exit 77, BUILD_EXCLUSIVE)"
rm -rf "$tmp" "$fake"

# No headers for the kernel asked for: the package names to install, not make's ENOENT.
make -C "$top" KERNELRELEASE=does-not-exist modules > "$work/noheaders.log" 2>&1
rc=$?
[ $rc -ne 0 ] && grep -q 'apt-get install linux-headers-does-not-exist' "$work/noheaders.log" &&
	grep -q 'zypper install kernel-default-devel' "$work/noheaders.log" &&
	grep -q 'dnf install kernel-devel-does-not-exist' "$work/noheaders.log" &&
	! grep -q 'No such file or directory' "$work/noheaders.log"
res $? "make without the kernel's headers names the package to install (Debian, SUSE, Red Hat)"

# Secure Boot: DKMS signs what it builds with its MOK (/var/lib/dkms/mok.key, made on first
# use); the installed module's signature names that certificate, so enrolling mok.pub with
# mokutil is all a Secure Boot guest needs.
mok=/var/lib/dkms/mok.pub
if grep -q '^CONFIG_MODULE_SIG=y' "/lib/modules/$kver/build/.config" && [ -f "$mok" ]; then
	serial=$(openssl x509 -in "$mok" -inform DER -noout -serial 2>/dev/null ||
		 openssl x509 -in "$mok" -noout -serial)
	serial=$(echo "${serial#serial=}" | tr -d ':' | tr 'a-f' 'A-F' | sed 's/^0*//')
	key=$(modinfo -F sig_key "$ko" | tr -d ':' | tr 'a-f' 'A-F' | sed 's/^0*//')
	[ -n "$key" ] && [ "$key" = "$serial" ] && [ -n "$(modinfo -F signer "$ko")" ] &&
		[ -n "$(modinfo -F sig_hashalgo "$ko")" ]
	res $? "DKMS signed xenhv.ko with its MOK ($(modinfo -F signer "$ko"), $(modinfo -F sig_hashalgo "$ko"))"
else
	echo "# DKMS signing: $kver has no CONFIG_MODULE_SIG or DKMS made no $mok (not counted)"
fi
[ $n -gt 0 ]
