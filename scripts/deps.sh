#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages xenhv's build, tests, demo and lab need, when missing.
# usage: deps.sh [debug]   (debug: also what make check-debug's kernel build needs)
set -eu

pkgs=(
	build-essential kmod sparse linux-headers-amd64 clang libclang-rt-14-dev
	qemu-system-x86 busybox-static cpio xz-utils
	libxen-dev xenstore-utils xen-utils-4.17
	perl python3 python3-pyxs dkms udev jq
	linux-headers-cloud-amd64 linux-headers-rt-amd64
	debootstrap fdisk e2fsprogs hyperv-daemons gnuplot-nox
	dwarves rpm zstd
)
# The debug L2 kernel (scripts/lab/debug-kernel.sh): Debian 12's kernel source and its build tools.
[ "${1:-}" = debug ] && pkgs+=(linux-source-6.1 flex bison bc libelf-dev libssl-dev)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get -o DPkg::Lock::Timeout=900 update -q >/dev/null
$sudo apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
