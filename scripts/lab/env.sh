# SPDX-License-Identifier: GPL-2.0
# Shared settings of the nested Hyper-V lab; sourced by the other lab scripts.

# Downloads and prebuilt images live outside the clone so a second run reuses them.
XENHV_CACHE=${XENHV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xenhv-lab}
XENHV_OUT=${XENHV_OUT:-$XENHV_CACHE/run}
mkdir -p "$XENHV_CACHE" "$XENHV_OUT"

# The lab kernel is the one linux-headers-amd64 points at, so the module we
# build with Kbuild and the kernel that loads it always match.
lab_kver() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	      grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -n1)
	[ -n "$dep" ] || { echo "lab: linux-headers-amd64 is not installed" >&2; return 1; }
	echo "${dep#linux-headers-}"
}

log() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }
