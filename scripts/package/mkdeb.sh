#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds xenhv-dkms_VERSION_all.deb: DKMS sources, udev rules, systemd unit, status tool, man page.
# usage: mkdeb.sh OUTDIR   (prints the .deb's path)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: mkdeb.sh OUTDIR}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

src=$stage/usr/src/xenhv-$ver
mkdir -p "$src" "$stage/DEBIAN" "$stage/lib/udev/rules.d" "$stage/lib/systemd/system" \
	"$stage/usr/sbin" "$stage/usr/share/man/man8" "$stage/usr/share/doc/xenhv-dkms"
# The kernel sources only, as git has them (no build products).
(cd "$top" && git ls-files -z -- Kbuild Makefile dkms.conf shim xen-compat hypercall \
	vmbus-client include | xargs -0 cp --parents -t "$src")
cp "$top/scripts/package/60-xenhv.rules" "$stage/lib/udev/rules.d/"
cp "$top/scripts/package/xenhv.service" "$top/scripts/package/xenhv-kvp.service" \
	"$stage/lib/systemd/system/"
install -m 0755 "$top/scripts/xenhv" "$stage/usr/sbin/xenhv"
gzip -9n < "$top/docs/xenhv.8" > "$stage/usr/share/man/man8/xenhv.8.gz"
cp "$top/README.md" "$stage/usr/share/doc/xenhv-dkms/"
# xenhv-migrate, its templates, and the xvd name rule active (with its initramfs hook).
m=$top/scripts/migrate
mkdir -p "$stage/usr/share/xenhv/migrate" "$stage/usr/lib/xenhv" "$stage/etc/xenhv" \
	"$stage/usr/share/initramfs-tools/hooks"
install -m 0755 "$top/scripts/xenhv-migrate" "$stage/usr/sbin/xenhv-migrate"
install -m 0755 "$top/scripts/xenhv-kvp" "$stage/usr/sbin/xenhv-kvp"
install -m 0644 "$m/61-xenhv-xvd.rules" "$m/xvd.conf" "$m/steps.sh" "$m/capture.sh" "$stage/usr/share/xenhv/migrate/"
install -m 0755 "$m/xvd-name" "$m/initramfs-hook" "$stage/usr/share/xenhv/migrate/"
install -m 0644 "$m/61-xenhv-xvd.rules" "$stage/lib/udev/rules.d/"
install -m 0755 "$m/xvd-name" "$stage/usr/lib/xenhv/xvd-name"
install -m 0755 "$m/initramfs-hook" "$stage/usr/share/initramfs-tools/hooks/xenhv-xvd"
install -m 0644 "$m/xvd.conf" "$stage/etc/xenhv/xvd.conf"
echo /etc/xenhv/xvd.conf > "$stage/DEBIAN/conffiles"
echo "activate-noawait update-initramfs" > "$stage/DEBIAN/triggers"
gzip -9n < "$top/docs/xenhv-migrate.8" > "$stage/usr/share/man/man8/xenhv-migrate.8.gz"

cat > "$stage/DEBIAN/control" <<CONTROL
Package: xenhv-dkms
Version: $ver
Architecture: all
Maintainer: xenhv developers <xenhv@localhost>
Depends: dkms (>= 2.1), kmod
Recommends: linux-headers-amd64 | linux-headers-generic, python3, python3-pyxs
Suggests: hyperv-daemons
Section: kernel
Priority: optional
Description: Xen guest ABI for Linux guests on Hyper-V (DKMS)
 xenhv gives a Linux guest on Hyper-V the Xen guest ABI: Xen hypercalls and
 the /dev/xen nodes Xen's libraries open, so Xen programs keep working after
 a move from Xen to Hyper-V. This package builds the module with DKMS and
 installs its udev rules, a systemd unit that loads it on Hyper-V only,
 the xenhv status command, xenhv-migrate, and xenhv-kvp (a daemon that
 publishes what Xen guest agents write in XenStore as Hyper-V KVP items).
CONTROL

cat > "$stage/DEBIAN/postinst" <<POSTINST
#!/bin/sh
set -e
if [ "\$1" = configure ]; then
	dkms status -m xenhv -v $ver | grep -q xenhv || dkms add -m xenhv -v $ver
	# Build for the running kernel; DKMS's autoinstall covers later kernels.
	if dkms build -m xenhv -v $ver && dkms install -m xenhv -v $ver; then :; else
		echo "xenhv: the DKMS build failed; install the headers of \$(uname -r)" >&2
	fi
	if [ -d /run/systemd/system ]; then
		systemctl daemon-reload || true
		systemctl enable xenhv.service xenhv-kvp.service || true
	fi
	udevadm control --reload 2>/dev/null || true
fi
POSTINST
cat > "$stage/DEBIAN/prerm" <<PRERM
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
	systemctl disable xenhv.service xenhv-kvp.service || true
fi
dkms remove -m xenhv -v $ver --all || true
PRERM
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm"

mkdir -p "$out"
deb=$out/xenhv-dkms_${ver}_all.deb
dpkg-deb --root-owner-group -Zxz -b "$stage" "$deb" > /dev/null
echo "$deb"
