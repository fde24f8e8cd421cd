#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds xenhv-dkms-VERSION-1.noarch.rpm from scripts/package/xenhv.spec with rpmbuild.
# usage: mkrpm.sh OUTDIR   (prints the .rpm's path)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: mkrpm.sh OUTDIR}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$top/scripts/package/stage.sh" "$tmp/stage"
# Every file but the conffile, which the spec lists itself as %config.
(cd "$tmp/stage" && find . -type f -o -type l) | sed 's|^\.||' | grep -vx /etc/xenhv/xvd.conf |
	sort > "$tmp/filelist"
mkdir -p "$out"
rpmbuild -bb --quiet --define "_topdir $tmp/rpm" --define "stage $tmp/stage" \
	--define "filelist $tmp/filelist" --define "xenhv_version $ver" \
	--define "_rpmdir $tmp/out" --define "_build_id_links none" \
	--define "__os_install_post %{nil}" \
	"$top/scripts/package/xenhv.spec" >&2
rpm=$out/xenhv-dkms-$ver-1.noarch.rpm
mv "$tmp/out/noarch/xenhv-dkms-$ver-1.noarch.rpm" "$rpm"
echo "$rpm"
