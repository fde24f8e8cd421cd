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

"$top/scripts/package/stage.sh" "$stage"
mkdir -p "$stage/DEBIAN"
echo /etc/xenhv/xvd.conf > "$stage/DEBIAN/conffiles"
echo "activate-noawait update-initramfs" > "$stage/DEBIAN/triggers"

cat > "$stage/DEBIAN/control" <<CONTROL
Package: xenhv-dkms
Version: $ver
Architecture: all
Maintainer: xenhv developers <xenhv@localhost>
Depends: dkms (>= 2.1), kmod
Recommends: linux-headers-amd64 | linux-headers-generic
Section: kernel
Priority: optional
Description: Xen guest ABI for Linux guests on Hyper-V (DKMS)
 xenhv gives a Linux guest on Hyper-V the Xen guest ABI: Xen hypercalls and
 the /dev/xen nodes Xen's libraries open, so Xen programs keep working after
 a move from Xen to Hyper-V. This package builds the module with DKMS and
 installs its udev rules, a systemd unit that loads it on Hyper-V only, and
 the xenhv status command.
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
		systemctl enable xenhv.service || true
	fi
	udevadm control --reload 2>/dev/null || true
fi
POSTINST
cat > "$stage/DEBIAN/prerm" <<PRERM
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
	systemctl disable xenhv.service || true
fi
dkms remove -m xenhv -v $ver --all || true
PRERM
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm"

mkdir -p "$out"
deb=$out/xenhv-dkms_${ver}_all.deb
dpkg-deb --root-owner-group -Zxz -b "$stage" "$deb" > /dev/null
echo "$deb"
