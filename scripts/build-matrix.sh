#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds xenhv and its test and bench modules against every Debian kernel (5.10 .. 7.x rc), TAP out.
#
# Usage: build-matrix.sh [--full] [--only PATTERN]
# Kernels: Debian 11 (5.10), 12 (6.1, the host's), 12 backports (6.12), 13 (6.12), unstable
# (7.x) and experimental (its rc, when there is one); flavours amd64, cloud-amd64, rt-amd64.
# Plain: every suite's amd64 kernel with W=1 and sparse (C=2), and Debian 12's other flavours
# with W=1. --full (XENHV_FULL=1): every flavour of every suite, sparse on each, and
# experimental's release candidate.
# Debian 13 and unstable need a newer C library and compiler: they build in a chroot.
# Headers come from Debian's packages (scripts/suite.sh): unpacked with dpkg-deb -x for
# suites whose tools run on this host, installed into the suite's cached chroot (the one
# the lab uses too) for suites that need a newer C library and compiler. Any warning or
# error fails a build; on a kernel with CONFIG_X86_KERNEL_IBT, objtool must be quiet and
# every hypercall page stub must start with ENDBR64.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lab/env.sh"
. "$top/scripts/suite.sh"

full=${XENHV_FULL:-0}
only=
while [ $# -gt 0 ]; do
	case $1 in
	--full) full=1 ;;
	--only) only=$2; shift ;;
	*) echo "usage: $0 [--full] [--only PATTERN]" >&2; exit 2 ;;
	esac
	shift
done

# suite and where its tools run: installed (the host's own headers), host (headers unpacked
# here) or chroot (a chroot of that suite; experimental shares unstable's)
suites="bullseye:host bookworm:installed bookworm-backports:host trixie:chroot sid:chroot"
[ "$full" = 1 ] && suites="$suites experimental:chroot"
flavours="amd64 cloud-amd64 rt-amd64"
work=$XENHV_OUT/matrix
mkdir -p "$work"

# A build interrupted inside a chroot leaves nothing mounted behind.
mounted=
cleanup() {
	[ -n "$mounted" ] && umount "$mounted" 2> /dev/null
	[ -n "$mounted" ] && umount "${mounted%/build}/proc" 2> /dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

n=0
tap() {	# tap RC DESCRIPTION [LOG]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && [ -f "$3" ] && tail -n 25 "$3" | sed 's/^/#   /'
	fi
}

# Our sources only, copied fresh: a build never sees another kernel's objects.
copy_tree() {	# copy_tree DIR
	rm -rf "$1"
	mkdir -p "$1"
	(cd "$top" && git ls-files -co --exclude-standard -z -- Kbuild Makefile compat shim \
		xen-compat hypercall vmbus-client include tests/kmod bench |
		xargs -0 cp --parents -t "$1")
}

# The three module builds, in the tree at SRC, against KDIR; RUN prefixes each make (chroot).
build_modules() {	# build_modules SRC KDIR EXTRA-MAKE-ARGS RUN...
	local src=$1 kdir=$2 extra=$3
	shift 3
	# shellcheck disable=SC2086
	"$@" make -C "$kdir" M="$src" W=1 $extra -j2 modules &&
	"$@" make -C "$kdir" M="$src/tests/kmod" KBUILD_EXTRA_SYMBOLS="$src/Module.symvers" \
		W=1 $extra modules &&
	"$@" make -C "$kdir" M="$src/bench" KBUILD_EXTRA_SYMBOLS="$src/Module.symvers" \
		W=1 $extra modules
}

# Any line of the compiler, sparse, objtool or modpost that warns. BTF needs a vmlinux that
# some header packages lack: that note is about the build host, not our code.
complaints() {	# complaints LOG
	grep -v -e 'Skipping BTF generation' "$1" | grep -i -E 'warning|error' || true
}

# The compiler a Debian header package names, if this machine has it; else the default gcc.
cc_for() {	# cc_for HEADERS-DIR ROOT
	local cc
	cc=$(sed -n 's/^CC = .*(CROSS_COMPILE)\(gcc-[0-9]*\).*/\1/p' "$1/.kernelvariables" \
		2>/dev/null)
	if [ -n "$cc" ] && [ -z "$2" ] && ! command -v "$cc" > /dev/null; then
		echo "CC=gcc"
	fi
}

# ENDBR64 at the first instruction of each of the page's 128 stubs (32 bytes apart), and
# none of them in .ibt_endbr_seal, the list of ENDBRs the kernel turns into NOPs at load.
check_endbr() {	# check_endbr KO
	local ko=$1 page sealed
	page=$(nm "$ko" | awk '$3 == "xenhv_hypercall_page" && $2 == "T" { print $1 }')
	[ -n "$page" ] || { echo "# no xenhv_hypercall_page in $ko"; return 1; }
	sealed=$(readelf -r -W "$ko" | awk -v page=$((16#$page)) '
		/^Relocation section/ { in_seal = ($3 == "\x27.rela.ibt_endbr_seal\x27") }
		in_seal && $5 == ".text" {
			a = 0; s = $7
			for (i = 1; i <= length(s); i++)
				a = a * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			if (a >= page && a < page + 4096) n++
		}
		END { print n + 0 }')
	echo "# stubs listed for sealing: $sealed"
	[ "$sealed" = 0 ] || return 1
	objdump -d --section=.text "$ko" 2>/dev/null | awk '
		function hex(s,   i, v) {
			v = 0
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		/^[0-9a-f]+ <xenhv_hypercall_page>:/ { inpage = 1; start = -1; next }
		/^[0-9a-f]+ <.*>:/ { inpage = 0 }
		inpage && /^ *[0-9a-f]+:/ {
			addr = hex(substr($1, 1, length($1) - 1))
			if (start < 0) start = addr
			off = addr - start
			if (off % 32 == 0 && off < 4096) {
				seen++
				if ($0 ~ /endbr64/) good++
				else printf "# stub %d at +%#x: %s\n", off / 32, off, $0
			}
		}
		END { printf "# %d of %d stubs start with endbr64\n", good, seen
		      exit !(seen == 128 && good == 128) }'
}

for entry in $suites; do
	suite=${entry%%:*}
	how=${entry#*:}
	[ "$how" = installed ] || suite_update "$suite" || {
		tap 1 "apt lists for $suite"
		continue
	}
	kvers=
	for fl in $flavours; do
		if [ "$how" = installed ]; then
			k=$(dpkg-query -W -f='${Depends}' "linux-headers-$fl" 2>/dev/null |
			    grep -o "linux-headers-[0-9][^ ,]*-$fl" | head -n1)
			k=${k#linux-headers-}
		else
			k=$(suite_kver "$suite" "$fl")
		fi
		# A suite without a flavour (or experimental without an rc) is not a failure.
		[ -n "$k" ] && kvers="$kvers $k"
	done
	kept=
	for k in $kvers; do
		case $k in *$only*) ;; *) continue ;; esac
		# Plain: each suite's amd64 kernel, and every flavour of the host's suite (Debian
		# 12's rt, which the lab boots, and its cloud kernel); --full: every flavour.
		case $full:$only:$suite:$k in
		0::bookworm:*) ;;
		0::*:*-rt-amd64 | 0::*:*-cloud-amd64)
			echo "# $suite $k: built by --full (make check-full)"
			continue ;;
		esac
		kept="$kept $k"
	done
	kvers=$kept
	[ -n "$kvers" ] || continue
	# experimental has a kernel only while an rc is there: skip when it is unstable's own.
	if [ "$suite" = experimental ] &&
	   [ "$(suite_kver experimental amd64)" = "$(suite_kver sid amd64)" ]; then
		echo "# experimental carries no release candidate now"
		continue
	fi
	root=
	# shellcheck disable=SC2086
	case $suite:$how in
	experimental:chroot) root=$(suite_chroot sid $(printf ' linux-headers-%s' $kvers)) ;;
	*:chroot) root=$(suite_chroot "$suite" $(printf ' linux-headers-%s' $kvers)) ;;
	esac
	if [[ $how == chroot* ]] && [ -z "$root" ]; then
		tap 1 "a build chroot for $suite"
		continue
	fi
	for k in $kvers; do
		case $k in
		*-cloud-amd64) fl=cloud-amd64 ;;
		*-rt-amd64) fl=rt-amd64 ;;
		*) fl=amd64 ;;
		esac
		case $how in
		installed) kdir=/lib/modules/$k/build ;;
		host) kdir=$(suite_headers "$suite" "$k") || { tap 1 "headers of $k"; continue; } ;;
		*) kdir=/usr/src/linux-headers-$k ;;
		esac
		# The host's own amd64 kernel with sparse is what `make lint` checks already.
		if [ "$how" = installed ] && [ "$fl" = amd64 ] && [ "$full" != 1 ] &&
		   [ -z "$only" ]; then
			echo "# $suite $k with W=1 and sparse: make lint builds exactly that"
			continue
		fi
		sparse=
		what="W=1"
		if [ "$fl" = amd64 ] || [ "$full" = 1 ]; then
			sparse=C=2
			what="W=1 and sparse"
		fi
		dir=$work/$k
		copy_tree "$dir/src"
		log=$dir/build.log
		start=$(date +%s)
		if [ -z "$root" ]; then
			extra="$sparse $(cc_for "$kdir" "")"
			build_modules "$dir/src" "$kdir" "$extra" nice -n 10 > "$log" 2>&1
			rc=$?
		else
			mkdir -p "$root/build"
			if mount --bind "$dir/src" "$root/build"; then
				mounted=$root/build
				build_modules /build "$kdir" "$sparse" suite_chroot_run "$root" \
					nice -n 10 > "$log" 2>&1
				rc=$?
				umount "$root/build"
				mounted=
			else
				rc=1
			fi
		fi
		secs=$(($(date +%s) - start))
		# Debian's 7.x headers lack scripts/checker-valid.sh: Kbuild then skips sparse with
		# a note, and this row says so instead of claiming it.
		if [ -n "$sparse" ] && grep -q 'sparse is not available' "$log"; then
			what="W=1 (sparse could not run: these headers lack scripts/checker-valid.sh)"
		fi
		bad=$(complaints "$log")
		[ -z "$bad" ] && [ $rc -eq 0 ] && [ -f "$dir/src/xenhv.ko" ]
		tap $? "$suite $k: xenhv, tests/kmod, bench build with $what, nothing reported (${secs}s)" \
			"$log"
		[ -n "$bad" ] && echo "$bad" | head -n 20 | sed 's/^/#   /'
		# Indirect branch tracking: only kernels built with it check the ENDBRs.
		if grep -q '^CONFIG_X86_KERNEL_IBT=y' "${root}$kdir/.config" 2>/dev/null &&
		   [ -f "$dir/src/xenhv.ko" ]; then
			check_endbr "$dir/src/xenhv.ko" > "$dir/endbr.log" 2>&1
			tap $? "$suite $k (IBT): every Xen hypercall stub starts with ENDBR64" \
				"$dir/endbr.log"
		fi
	done
done
echo "1..$n"
