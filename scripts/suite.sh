# SPDX-License-Identifier: GPL-2.0
# Packages of other Debian suites (bullseye .. experimental) without touching the host's apt state.
#
# Sourced. Needs XENHV_CACHE. The mirror is the one this machine's apt config
# already names for Debian (read at run time, never written into the tree);
# each suite gets its own sources list, lists dir and package cache under
# $XENHV_CACHE/apt/SUITE, so the host's apt never sees a newer suite. Kernel
# headers whose tools run here are unpacked with dpkg-deb under
# $XENHV_CACHE/kernels; a suite that needs a newer C library and compiler gets
# one debootstrapped chroot under $XENHV_CACHE/chroot, shared by the build
# matrix, the lab and the package tests, packages added to it as they are needed.

suite_keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# The Debian archive URI of the host's apt config (deb822 .sources first, then
# one-line lists), never the security archive's.
suite_uri() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(awk '
			/^[ \t]*$/ { if (u != "" && u !~ /security/) { print u; exit }
				     u = ""; next }
			/^URIs:/ { u = $2 }
			END { if (u != "" && u !~ /security/) print u }' "$f" | head -n1)
		[ -n "$uri" ] && { echo "${uri%/}"; return 0; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {
				if ($i !~ /security/) { print $i; exit } } }' "$f")
		[ -n "$uri" ] && { echo "${uri%/}"; return 0; }
	done
	echo "suite: no Debian URI in the apt config" >&2
	return 1
}

# suite_apt SUITE apt-get|apt-cache ARGS...: the tool against SUITE's own lists.
suite_apt() {
	local d=$XENHV_CACHE/apt/$1 tool=$2
	shift 2
	"$tool" -q -o Dir::Etc::sourcelist="$d/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" \
		-o Dir::State::status="$d/status" -o APT::Get::List-Cleanup=0 \
		-o DPkg::Lock::Timeout=900 "$@"
}

# suite_update SUITE: fetch SUITE's package lists once every 12 hours at most.
suite_update() {
	local suite=$1 d=$XENHV_CACHE/apt/$1 uri
	uri=$(suite_uri) || return 1
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	: > "$d/status"
	echo "deb [signed-by=$suite_keyring] $uri $suite main" > "$d/sources.list.new"
	if cmp -s "$d/sources.list.new" "$d/sources.list" &&
	   [ -n "$(find "$d/lists" -maxdepth 1 -name '*Packages*' -mmin -720 2>/dev/null)" ]; then
		rm -f "$d/sources.list.new"
		return 0
	fi
	mv "$d/sources.list.new" "$d/sources.list"
	suite_apt "$suite" apt-get update > "$d/update.log" 2>&1 ||
		{ cat "$d/update.log" >&2; return 1; }
}

# suite_version SUITE PACKAGE: the candidate version of PACKAGE in SUITE.
suite_version() {
	suite_apt "$1" apt-cache policy "$2" 2>/dev/null | awk '/Candidate:/ { print $2 }' | grep -v none
}

# suite_depends SUITE PACKAGE: PACKAGE's Depends in SUITE, one name a line.
suite_depends() {
	suite_apt "$1" apt-cache show --no-all-versions "$2" 2>/dev/null | sed -n 's/^Depends: //p' |
		head -n1 | tr ',' '\n' | sed 's/^ *//; s/[ (].*//; s/|.*//'
}

# suite_extract SUITE DIR PACKAGE...: download PACKAGEs from SUITE and dpkg-deb -x them into DIR.
suite_extract() {
	local suite=$1 dir=$2 tmp p
	shift 2
	tmp=$(mktemp -d)
	for p in "$@"; do
		(cd "$tmp" && suite_apt "$suite" apt-get download "$p" > /dev/null 2>&1) ||
			{ echo "suite: apt-get download $p from $suite failed" >&2; rm -rf "$tmp"; return 1; }
	done
	mkdir -p "$dir"
	for p in "$tmp"/*.deb; do
		dpkg-deb -x "$p" "$dir" || { rm -rf "$tmp"; return 1; }
	done
	ls "$tmp" > "$dir/.packages"
	rm -rf "$tmp"
}

# suite_kver SUITE FLAVOUR: the kernel release SUITE's linux-headers-FLAVOUR names
# (e.g. 6.12.95+deb12-amd64), or nothing.
suite_kver() {
	suite_depends "$1" "linux-headers-$2" | grep -x "linux-headers-[0-9].*-$2" |
		sed 's/^linux-headers-//' | head -n1
}

# suite_closure SUITE PACKAGE...: the linux-* packages PACKAGEs need to build
# modules (headers, common headers, kbuild, compiler), PACKAGEs included.
suite_closure() {
	local suite=$1 seen="" p
	shift
	while [ $# -gt 0 ]; do
		p=$1
		shift
		case " $seen " in *" $p "*) continue ;; esac
		seen="$seen $p"
		# shellcheck disable=SC2046
		set -- "$@" $(suite_depends "$suite" "$p" | grep -E '^linux-(headers|kbuild|compiler)-')
	done
	echo $seen
}

# suite_headers SUITE KVER: linux-headers-KVER and what it needs unpacked under
# $XENHV_CACHE/kernels/KVER_VERSION (once per package version); prints the
# Kbuild directory, made to work where it was unpacked. For suites whose
# kbuild tools run on this host.
suite_headers() {
	local suite=$1 kver=$2 ver dir f
	ver=$(suite_version "$suite" "linux-headers-$kver")
	[ -n "$ver" ] || { echo "suite: no linux-headers-$kver in $suite" >&2; return 1; }
	dir=$XENHV_CACHE/kernels/${kver}_$ver
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir" "$dir.tmp"
		# shellcheck disable=SC2046
		suite_extract "$suite" "$dir.tmp/root" \
			$(suite_closure "$suite" "linux-headers-$kver") || return 1
		# Debian's flavour Makefile includes the common tree by its absolute path.
		for f in "$dir".tmp/root/usr/src/linux-headers-*/Makefile; do
			sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$f"
		done
		mv "$dir.tmp" "$dir"
		touch "$dir/.done"
	fi
	echo "$dir/root/usr/src/linux-headers-$kver"
}

# What every chroot holds besides debootstrap's minbase: the module build's
# tools (make, sparse, pahole; the headers packages bring their own gcc).
suite_chroot_pkgs="make libc6-dev sparse dwarves libelf1 ca-certificates"

# The suites a chroot of SUITE takes packages from: unstable's also sees
# experimental (its release candidates; apt still prefers unstable's own).
suite_chroot_sources() {
	echo "$1"
	[ "$1" = sid ] && echo experimental
}

# suite_chroot SUITE [PACKAGE...]: the cached chroot of SUITE, with PACKAGEs
# added (installing there is fine: it is not the host); prints its path. Keyed
# by the suite and the code that makes it, so a change of either builds a new
# one and a warm machine reuses it.
suite_chroot() {
	local suite=$1 key dir uri s
	shift
	key=$(printf '%s\n' "$suite" "$suite_chroot_pkgs" \
		"$(declare -f suite_chroot suite_chroot_sources suite_chroot_run)" |
		sha1sum | cut -c1-12)
	dir=$XENHV_CACHE/chroot/$suite-$key
	if [ ! -f "$dir/.done" ]; then
		uri=$(suite_uri) || return 1
		for s in "$dir" "$dir.tmp"; do
			suite_unmounted "$s" && rm -rf "$s" || return 1
		done
		mkdir -p "$dir.tmp"
		echo "suite: debootstrap $suite into $dir (once)" >&2
		nice -n 10 debootstrap --variant=minbase --keyring="$suite_keyring" "$suite" \
			"$dir.tmp" "$uri" > "$dir.tmp.log" 2>&1 ||
			{ tail -n 20 "$dir.tmp.log" >&2; return 1; }
		for s in $(suite_chroot_sources "$suite"); do
			echo "deb [signed-by=$suite_keyring] $uri $s main"
		done > "$dir.tmp/etc/apt/sources.list"
		cp "$suite_keyring" "$dir.tmp$suite_keyring"
		# shellcheck disable=SC2086
		suite_chroot_add "$dir.tmp" $suite_chroot_pkgs >&2 || return 1
		mv "$dir.tmp" "$dir"
		mv "$dir.tmp.log" "$dir.log"
		touch "$dir/.done"
	fi
	suite_chroot_add "$dir" "$@" >&2 || return 1
	echo "$dir"
}

# suite_chroot_add ROOT PACKAGE...: install what ROOT lacks of PACKAGEs (a
# kernel's headers, the Xen userland), logged in ROOT.log.
suite_chroot_add() {
	local root=$1 p missing=
	shift
	for p in "$@"; do
		suite_chroot_run "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	echo "suite: installing$missing in $root" >&2
	# The host's own view of stale Release files (a mirror snapshot), as it is.
	apt-config dump | grep -E '^Acquire::Check-(Valid-Until|Date) ' \
		> "$root/etc/apt/apt.conf.d/99xenhv-host"
	# shellcheck disable=SC2086
	{ suite_chroot_run "$root" apt-get -q update &&
	  suite_chroot_run "$root" nice -n 10 apt-get -q -y -o DPkg::Lock::Timeout=900 \
		--no-install-recommends install $missing &&
	  suite_chroot_run "$root" apt-get clean; } >> "$root.log" 2>&1 ||
		{ tail -n 20 "$root.log" >&2; return 1; }
}

# True when nothing is mounted at or below DIR (so removing it cannot reach the host).
suite_unmounted() {
	! awk -v d="$1" '$2 == d || index($2, d "/") == 1 { found = 1 } END { exit !found }' \
		/proc/self/mounts
}

# suite_chroot_run ROOT CMD...: CMD inside the chroot with /proc mounted for its
# lifetime (debootstrap made the few /dev nodes a build needs; the host's /dev
# is never bound in, so removing a chroot can never reach it).
suite_chroot_run() {
	local root=$1 rc mounted=
	shift
	mkdir -p "$root/proc"
	if ! mountpoint -q "$root/proc"; then
		mount -t proc proc "$root/proc" || return 1
		mounted=1
	fi
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		chroot "$root" "$@"
	rc=$?
	[ -z "$mounted" ] || umount "$root/proc"
	return $rc
}
