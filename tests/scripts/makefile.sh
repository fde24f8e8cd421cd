#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TAP: the user Makefile: dkms-install copies only the module's sources, clean needs only KDIR.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=${1:-/lib/modules/$(uname -r)/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() {	# ok RC DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}

mkdir -p "$tmp/tree" "$tmp/bin" "$tmp/root"
(cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$tmp/tree")
# Stand-ins that record their use: dkms, and dpkg-query (which only the lab's targets need).
printf '#!/bin/sh\necho "dkms $*" >> %s/dkms.log\n' "$tmp" > "$tmp/bin/dkms"
printf '#!/bin/sh\necho used >> %s/dpkg.log\nexit 1\n' "$tmp" > "$tmp/bin/dpkg-query"
chmod +x "$tmp/bin/dkms" "$tmp/bin/dpkg-query"
export PATH="$tmp/bin:$PATH"

make -s -C "$tmp/tree" dkms-install DESTDIR="$tmp/root" KERNELRELEASE=6.1.0-test \
	> "$tmp/dkms-install.log" 2>&1
ok $? "make dkms-install runs (dkms stood in for)"
src=$tmp/root/usr/src/xenhv-0.1
(cd "$src" 2>/dev/null && find . -type f | sed 's|^\./||' | sort) > "$tmp/copied"
(cd "$top" && git ls-files -- Kbuild Makefile dkms.conf compat shim xen-compat hypercall \
	vmbus-client include | sort) > "$tmp/expected"
diff "$tmp/expected" "$tmp/copied" > "$tmp/diff"
ok $? "dkms-install copies exactly the module's sources ($(wc -l < "$tmp/copied") files)"
[ -s "$tmp/diff" ] && sed 's/^/#   /' "$tmp/diff"
grep -q -E '^(tests|scripts|bench|docs)/' "$tmp/copied"
ok $((! $?)) "nothing of tests/, scripts/, bench/ or docs/ goes to /usr/src"
printf 'dkms add -m xenhv -v 0.1\ndkms build -m xenhv -v 0.1 -k 6.1.0-test\ndkms install -m xenhv -v 0.1 -k 6.1.0-test\n' > "$tmp/dkms.want"
grep -v '^dkms status' "$tmp/dkms.log" | diff "$tmp/dkms.want" - > /dev/null
ok $? "then dkms add, build and install for that kernel"
make -s -C "$src" clean-module KDIR="$kdir" > "$tmp/srcclean.log" 2>&1
ok $? "the copied sources' Makefile works without dev.mk (DKMS's clean-module)"

# clean on a tree with build products, given only the kernel build directory.
touch "$tmp/tree/shim/main.o" "$tmp/tree/xenhv.ko" "$tmp/tree/xen-compat/evtchn.o"
mkdir -p "$tmp/tree/tests/unit/bin" && touch "$tmp/tree/tests/unit/bin/unit"
rm -f "$tmp/dpkg.log"
make -s -C "$tmp/tree" clean KDIR="$kdir" > "$tmp/clean.log" 2>&1
ok $? "make clean with only KDIR succeeds"
[ ! -e "$tmp/tree/shim/main.o" ] && [ ! -e "$tmp/tree/xenhv.ko" ] &&
	[ ! -e "$tmp/tree/xen-compat/evtchn.o" ] && [ ! -e "$tmp/tree/tests/unit/bin" ]
ok $? "it removes the module's objects and the test builds"
[ ! -e "$tmp/dpkg.log" ]
ok $? "clean asks nothing of the lab (no dpkg-query)"
[ $fails -eq 0 ] || tail -n 5 "$tmp"/*.log | sed 's/^/#   /'

echo "1..$n"
[ $fails -eq 0 ]
