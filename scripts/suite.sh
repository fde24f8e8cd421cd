# SPDX-License-Identifier: GPL-2.0
# Packages of other Debian suites (backports, trixie, sid) without touching the host's apt state.
#
# Sourced. Needs XENHV_CACHE. The mirror is the one this machine's apt config
# already names for Debian (read at run time, never written into the tree);
# each suite gets its own sources list, lists dir and package cache under
# $XENHV_CACHE/apt/SUITE, so the host's apt never sees a newer suite.

# The first Debian archive URI of the host's apt config (deb822 or one-line).
suite_uri() {
	local uri
	uri=$(awk '
		/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }
		' /etc/apt/sources.list.d/*.sources 2>/dev/null)
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ {
		for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:/) { print $i; exit } }' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)
	[ -n "$uri" ] || { echo "suite: no Debian URI in the apt config" >&2; return 1; }
	echo "${uri%/}"
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

# suite_update SUITE: fetch SUITE's package lists once a day at most.
suite_update() {
	local suite=$1 d=$XENHV_CACHE/apt/$1 uri
	uri=$(suite_uri) || return 1
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	: > "$d/status"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" \
		> "$d/sources.list.new"
	if cmp -s "$d/sources.list.new" "$d/sources.list" &&
	   [ -n "$(find "$d/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
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
	suite_apt "$1" apt-cache show "$2" 2>/dev/null | sed -n 's/^Depends: //p' | head -n1 |
		tr ',' '\n' | sed 's/^ *//; s/[ (].*//; s/|.*//'
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
	rm -rf "$tmp"
}

# suite_kernel_meta SUITE FLAVOUR: the kernel release that linux-image-FLAVOUR names in SUITE.
suite_kernel_meta() {
	suite_depends "$1" "linux-image-$2" | grep -o "^linux-image-[0-9].*-$2\$" |
		sed 's/^linux-image-//; s/-unsigned$//' | head -n1
}

# suite_chroot SUITE PACKAGE...: a cached minbase debootstrap of SUITE with
# PACKAGEs installed in it (installing there is fine: it is not the host);
# prints its path. Keyed by the suite, the packages and the code that makes it,
# so a change of any builds a new one and a warm machine reuses it.
suite_chroot() {
	local suite=$1 key root uri
	shift
	key=$(printf '%s\n' "$suite" "$@" "$(declare -f suite_chroot suite_chroot_run)" |
		sha1sum | cut -c1-12)
	root=$XENHV_CACHE/chroot-$suite-$key
	if [ ! -e "$root/.done" ]; then
		uri=$(suite_uri) || return 1
		rm -rf "$root" "$XENHV_CACHE"/chroot-"$suite"-*
		echo "suite: debootstrap $suite into $root (once)" >&2
		nice -n 10 debootstrap --variant=minbase "$suite" "$root" "$uri" \
			> "$root.log" 2>&1 || { tail -n 20 "$root.log" >&2; return 1; }
		if [ $# -gt 0 ]; then
			suite_chroot_run "$root" env DEBIAN_FRONTEND=noninteractive \
				nice -n 10 apt-get -q -y -o DPkg::Lock::Timeout=900 \
				--no-install-recommends install "$@" >> "$root.log" 2>&1 ||
				{ tail -n 20 "$root.log" >&2; return 1; }
		fi
		suite_chroot_run "$root" apt-get clean
		touch "$root/.done"
	fi
	echo "$root"
}

# suite_chroot_add ROOT PACKAGE...: install what ROOT lacks of PACKAGEs (a kernel's
# headers, added to one chroot per suite as they are needed).
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
	  suite_chroot_run "$root" env DEBIAN_FRONTEND=noninteractive nice -n 10 apt-get -q -y \
		-o DPkg::Lock::Timeout=900 --no-install-recommends install $missing &&
	  suite_chroot_run "$root" apt-get clean; } >> "$root.log" 2>&1 ||
		{ tail -n 20 "$root.log" >&2; return 1; }
}

# suite_chroot_run ROOT CMD...: CMD inside the chroot, with /proc and /dev for it.
suite_chroot_run() {
	local root=$1 rc
	shift
	mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
	mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"
	chroot "$root" "$@"
	rc=$?
	umount "$root/dev" 2>/dev/null
	umount "$root/proc" 2>/dev/null
	return $rc
}
