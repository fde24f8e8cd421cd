#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Sourced: Debian suites' kernel headers without touching the host's apt state (lists, chroots).
#
# Every suite gets its own sources list and lists directory under $XENHV_CACHE/apt/SUITE, with
# the mirror URI this machine's apt configuration already names (read at run time, never
# written into the tree). Headers are fetched with `apt-get download` and unpacked with
# `dpkg-deb -x` under $XENHV_CACHE/kernels/VERSION; suites whose build tools need a newer C
# library than the host's get a small debootstrapped chroot under $XENHV_CACHE/chroot.

: "${XENHV_CACHE:=$HOME/.cache/xenhv-lab}"
matrix_apt_keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# The Debian mirror URI of the host's main suite (deb822 .sources first, then sources.list).
matrix_mirror() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(awk '
			/^[ \t]*$/ { if (u != "" && s ~ /(^| )[a-z]+( |$)/ && u !~ /security/) { print u; exit }
				     u = ""; s = ""; next }
			/^URIs:/ { u = $2 }
			/^Suites:/ { $1 = ""; s = $0 }
			END { if (u != "" && u !~ /security/) print u }' "$f" | head -n1)
		[ -n "$uri" ] && { echo "${uri%/}"; return 0; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {
				if ($i !~ /security/) { print $i; exit } } }' "$f")
		[ -n "$uri" ] && { echo "${uri%/}"; return 0; }
	done
	echo "matrix: no Debian mirror URI in the apt configuration" >&2
	return 1
}

# apt-get/apt-cache against SUITE's own lists: matrix_apt SUITE apt-get ARGS...
matrix_apt() {
	local suite=$1 tool=$2 d=$XENHV_CACHE/apt/$1
	shift 2
	"$tool" -q -o Dir::Etc::sourcelist="$d/sources.list" -o Dir::Etc::sourceparts=/nonexistent \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" \
		-o Dir::Cache::archives="$d/archives" -o Dir::State::status=/dev/null \
		-o APT::Get::List-Cleanup=0 -o Debug::NoLocking=1 "$@"
}

# Fresh package lists for SUITE, at most once every 12 hours.
matrix_update() {
	local suite=$1 d=$XENHV_CACHE/apt/$1 uri
	uri=$(matrix_mirror) || return 1
	mkdir -p "$d/lists/partial" "$d/cache" "$d/archives/partial"
	echo "deb [signed-by=$matrix_apt_keyring] $uri $suite main" > "$d/sources.list.new"
	if cmp -s "$d/sources.list.new" "$d/sources.list" &&
	   [ -n "$(find "$d/lists" -maxdepth 1 -name '*InRelease' -mmin -720)" ]; then
		rm -f "$d/sources.list.new"
		return 0
	fi
	mv "$d/sources.list.new" "$d/sources.list"
	matrix_apt "$suite" apt-get update > "$d/update.log" 2>&1 ||
		{ cat "$d/update.log" >&2; return 1; }
}

# The kernel release SUITE's linux-headers-FLAVOUR names (e.g. 6.12.95+deb12-amd64), or nothing.
matrix_kver() {
	local suite=$1 flavour=$2
	matrix_apt "$suite" apt-cache show --no-all-versions "linux-headers-$flavour" 2>/dev/null |
		sed -n 's/^Depends:.*linux-headers-\([0-9][^ ,]*-'"$flavour"'\)\( \|,\|$\).*/\1/p' |
		head -n1
}

# The linux-* packages a headers package needs to build modules (common, kbuild, compiler).
matrix_closure() {
	local suite=$1 todo=$2 seen="" p deps
	while [ -n "$todo" ]; do
		set -- $todo
		p=$1
		shift
		todo="$*"
		case " $seen " in *" $p "*) continue ;; esac
		seen="$seen $p"
		deps=$(matrix_apt "$suite" apt-cache show --no-all-versions "$p" 2>/dev/null |
		       sed -n 's/^Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/[ |].*//' |
		       grep -E '^linux-(headers|kbuild|compiler)-')
		todo="$todo $deps"
	done
	echo $seen
}

# Unpacks linux-headers-KVER and what it needs under $XENHV_CACHE/kernels/KVER_VERSION/root
# (once per package version); prints the headers directory, made to work where it was unpacked.
matrix_extract() {
	local suite=$1 kver=$2 ver dir tmp p f

	ver=$(matrix_apt "$suite" apt-cache show --no-all-versions "linux-headers-$kver" |
	      sed -n 's/^Version: //p' | head -n1)
	[ -n "$ver" ] || { echo "matrix: no linux-headers-$kver in $suite" >&2; return 1; }
	dir=$XENHV_CACHE/kernels/${kver}_$ver
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		tmp=$dir.tmp
		rm -rf "$tmp"
		mkdir -p "$tmp/debs" "$tmp/root"
		(cd "$tmp/debs" && matrix_apt "$suite" apt-get download \
			$(matrix_closure "$suite" "linux-headers-$kver")) > "$tmp/download.log" 2>&1 ||
			{ cat "$tmp/download.log" >&2; return 1; }
		for p in "$tmp"/debs/*.deb; do
			dpkg-deb -x "$p" "$tmp/root" || return 1
		done
		# Debian's headers include their common part by absolute path.
		for f in "$tmp"/root/usr/src/linux-headers-*/Makefile; do
			sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$f"
		done
		ls "$tmp"/debs > "$tmp/packages"
		rm -rf "$tmp/debs"
		mv "$tmp" "$dir"
		touch "$dir/.done"
	fi
	echo "$dir/root/usr/src/linux-headers-$kver"
}

# What a build chroot holds besides debootstrap's minbase: make, sparse, pahole and what the
# linux-headers packages pull in themselves (their gcc, linux-kbuild).
matrix_chroot_pkgs="make sparse dwarves libelf1 ca-certificates"

# A chroot of SUITE with the toolchain and the headers of KVERS... installed from SUITE's
# own archive (EXTRA: another suite whose packages it may take, e.g. experimental on sid).
# Keyed by suite and package list; headers are added to it as new versions appear.
# Prints the chroot directory.
matrix_chroot() {
	local suite=$1 extra=$2 key dir uri k missing=
	shift 2
	key=$(echo "$suite $extra $matrix_chroot_pkgs" | sha256sum | cut -c1-12)
	dir=$XENHV_CACHE/chroot/$suite-$key
	uri=$(matrix_mirror) || return 1
	if [ ! -f "$dir/.done" ]; then
		matrix_unmounted "$dir" && rm -rf "$dir" || return 1
		if [ ! -f "$dir.tmp/.debootstrapped" ]; then
			matrix_unmounted "$dir.tmp" && rm -rf "$dir.tmp" || return 1
			mkdir -p "$dir.tmp"
			debootstrap --variant=minbase --keyring="$matrix_apt_keyring" "$suite" \
				"$dir.tmp" "$uri" > "$dir.tmp.log" 2>&1 ||
				{ tail -n 20 "$dir.tmp.log" >&2; return 1; }
			touch "$dir.tmp/.debootstrapped"
		fi
		# The host's own view of stale Release files (a mirror snapshot), as it is.
		apt-config dump | grep -E '^Acquire::Check-(Valid-Until|Date) ' \
			> "$dir.tmp/etc/apt/apt.conf.d/99xenhv-host"
		{
			echo "deb [signed-by=$matrix_apt_keyring] $uri $suite main"
			[ -n "$extra" ] && echo "deb [signed-by=$matrix_apt_keyring] $uri $extra main"
		} > "$dir.tmp/etc/apt/sources.list"
		cp "$matrix_apt_keyring" "$dir.tmp$matrix_apt_keyring"
		matrix_chroot_run "$dir.tmp" apt-get -q update > "$dir.tmp.log" 2>&1 &&
		matrix_chroot_run "$dir.tmp" apt-get -q -y --no-install-recommends install \
			$matrix_chroot_pkgs >> "$dir.tmp.log" 2>&1 ||
			{ tail -n 20 "$dir.tmp.log" >&2; return 1; }
		mv "$dir.tmp" "$dir"
		rm -f "$dir.tmp.log"
		touch "$dir/.done"
	fi
	for k in "$@"; do
		[ -d "$dir/usr/src/linux-headers-$k" ] || missing="$missing linux-headers-$k"
	done
	if [ -n "$missing" ]; then
		apt-config dump | grep -E '^Acquire::Check-(Valid-Until|Date) ' \
			> "$dir/etc/apt/apt.conf.d/99xenhv-host"
		matrix_chroot_run "$dir" apt-get -q update > "$dir/.install.log" 2>&1
		matrix_chroot_run "$dir" apt-get -q -y --no-install-recommends install \
			$missing >> "$dir/.install.log" 2>&1 ||
			{ tail -n 20 "$dir/.install.log" >&2; return 1; }
	fi
	echo "$dir"
}

# True when nothing is mounted at or below DIR (so removing it cannot reach the host).
matrix_unmounted() {
	! awk -v d="$1" '$2 == d || index($2, d "/") == 1 { found = 1 } END { exit !found }' \
		/proc/self/mounts
}

# Runs CMD... inside chroot DIR with /proc mounted for the command's lifetime (debootstrap
# made the few /dev nodes a build needs; the host's /dev is never bound in).
matrix_chroot_run() {
	local dir=$1 rc
	shift
	mkdir -p "$dir/proc"
	mount -t proc proc "$dir/proc" || return 1
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		chroot "$dir" "$@"
	rc=$?
	umount "$dir/proc"
	return $rc
}
