#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lays out every file the xenhv-dkms packages install (.deb and .rpm alike) under a directory.
# usage: stage.sh DIR
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
stage=${1:?usage: stage.sh DIR}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")

src=$stage/usr/src/xenhv-$ver
mkdir -p "$src" "$stage/lib/udev/rules.d" "$stage/lib/systemd/system" \
	"$stage/usr/sbin" "$stage/usr/share/man/man8" "$stage/usr/share/doc/xenhv-dkms"
# The kernel sources only, as git has them (no build products).
(cd "$top" && git ls-files -z -- Kbuild Makefile dkms.conf compat shim xen-compat hypercall \
	vmbus-client include | xargs -0 cp --parents -t "$src")
cp "$top/scripts/package/60-xenhv.rules" "$stage/lib/udev/rules.d/"
cp "$top/scripts/package/xenhv.service" "$stage/lib/systemd/system/"
install -m 0755 "$top/scripts/xenhv" "$stage/usr/sbin/xenhv"
gzip -9n < "$top/docs/xenhv.8" > "$stage/usr/share/man/man8/xenhv.8.gz"
cp "$top/README.md" "$stage/usr/share/doc/xenhv-dkms/"
# xenhv-migrate, its templates, and the xvd name rule active (with its initramfs hook).
m=$top/scripts/migrate
mkdir -p "$stage/usr/share/xenhv/migrate" "$stage/usr/lib/xenhv" "$stage/etc/xenhv" \
	"$stage/usr/share/initramfs-tools/hooks"
install -m 0755 "$top/scripts/xenhv-migrate" "$stage/usr/sbin/xenhv-migrate"
install -m 0644 "$m/61-xenhv-xvd.rules" "$m/xvd.conf" "$stage/usr/share/xenhv/migrate/"
install -m 0755 "$m/xvd-name" "$m/initramfs-hook" "$stage/usr/share/xenhv/migrate/"
install -m 0644 "$m/61-xenhv-xvd.rules" "$stage/lib/udev/rules.d/"
install -m 0755 "$m/xvd-name" "$stage/usr/lib/xenhv/xvd-name"
install -m 0755 "$m/initramfs-hook" "$stage/usr/share/initramfs-tools/hooks/xenhv-xvd"
install -m 0644 "$m/xvd.conf" "$stage/etc/xenhv/xvd.conf"
gzip -9n < "$top/docs/xenhv-migrate.8" > "$stage/usr/share/man/man8/xenhv-migrate.8.gz"
