#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# RPM tests: rpmbuild makes the package, it ships what the .deb ships, and installing it into a
# scratch root (rpm --root --nodeps) runs its scriptlets against that root's DKMS, erase too.
# The scratch root is an overlay on the build matrix's Debian 13 chroot, plus a cached layer
# with DKMS installed (keyed by that chroot); nothing under the cache is written by a test.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lab/env.sh"
. "$top/scripts/suite.sh"
n=0
res() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")

work=$XENHV_OUT/rpm
mnt=
cleanup() {
	if [ -n "$mnt" ]; then
		umount "$mnt/proc" 2> /dev/null
		umount "$mnt"
	fi
}
trap cleanup EXIT
rm -rf "$work"
mkdir -p "$work"

rpm=$("$top/scripts/package/mkrpm.sh" "$work" 2> "$work/mkrpm.log")
res $? "rpmbuild makes the noarch xenhv-dkms package"
[ "$(rpm -qp --qf '%{ARCH}' "$rpm" 2> /dev/null)" = noarch ]
res $? "the package is noarch"

# The same files as the .deb, compared name by name.
deb=$("$top/scripts/package/mkdeb.sh" "$work" 2> "$work/mkdeb.log")
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | sort > "$work/deb.list"
rpm -qlp "$rpm" 2> /dev/null | sort > "$work/rpm.list"
diff -u "$work/deb.list" "$work/rpm.list" > "$work/lists.diff"
res $? "rpm -qlp lists exactly the files dpkg-deb -c lists ($(wc -l < "$work/rpm.list") files)"
sed 's/^/# /' "$work/lists.diff" | head -n 20
rpm -qp --configfiles "$rpm" 2> /dev/null | grep -qx /etc/xenhv/xvd.conf
res $? "/etc/xenhv/xvd.conf is a config file, as it is a conffile in the .deb"
rpm -qp --requires "$rpm" 2> /dev/null | grep -q '^dkms'
res $? "the package requires dkms"

# A root with a shell and DKMS for the scriptlets: Debian 13's build chroot, DKMS on top.
base=$(suite_chroot trixie) || { res 1 "a Debian 13 root for the scriptlets"; exit 0; }
layer=$XENHV_CACHE/rpmroot/$(basename "$base")-dkms
if [ ! -f "$layer/.done" ]; then
	rm -rf "$layer"
	mkdir -p "$layer/upper" "$layer/work" "$layer/root"
	mount -t overlay overlay -o "lowerdir=$base,upperdir=$layer/upper,workdir=$layer/work" \
		"$layer/root" && mnt=$layer/root &&
	suite_chroot_run "$layer/root" apt-get -q -y --no-install-recommends install dkms \
		> "$work/dkms-install.log" 2>&1 && touch "$layer/.ok"
	umount "$layer/root"
	mnt=
	[ -f "$layer/.ok" ] && touch "$layer/.done"
fi
root=$work/root
mkdir -p "$work/upper" "$work/work" "$root"
mount -t overlay overlay -o "lowerdir=$layer/upper:$base,upperdir=$work/upper,workdir=$work/work" \
	"$root" && mnt=$root
res $? "a scratch root with DKMS (overlay on the Debian 13 chroot)"
[ -n "$mnt" ] || exit 0
mkdir -p "$root/proc"
mount -t proc proc "$root/proc"

rpm --root "$root" --initdb &&
	rpm --root "$root" -i --nodeps "$rpm" > "$work/install.log" 2>&1
res $? "rpm --root --nodeps installs the package"
[ -f "$root/usr/src/xenhv-$ver/dkms.conf" ] && [ -f "$root/lib/systemd/system/xenhv.service" ] &&
	[ -x "$root/usr/sbin/xenhv" ] && [ -f "$root/usr/share/man/man8/xenhv.8.gz" ]
res $? "sources, systemd unit, status command and man page land in the root"
chroot "$root" dkms status -m xenhv -v "$ver" > "$work/status.log" 2>&1
grep -q "^xenhv/$ver" "$work/status.log"
res $? "%post ran dkms add in the root ($(head -n1 "$work/status.log"))"
# The root has no headers for the running kernel: DKMS's build refuses, %post says what to install.
grep -q "kernel headers for kernel $(uname -r) cannot be found" "$work/install.log" &&
	grep -q "install the kernel-devel package of $(uname -r)" "$work/install.log"
res $? "%post went on to dkms build for the running kernel and names the missing kernel-devel"
rpm --root "$root" -e xenhv-dkms > "$work/erase.log" 2>&1
res $? "rpm --root -e erases the package"
chroot "$root" dkms status -m xenhv > "$work/status-after.log" 2>&1
! grep -q xenhv "$work/status-after.log" && [ ! -e "$root/usr/src/xenhv-$ver/dkms.conf" ] &&
	[ ! -e "$root/var/lib/dkms/xenhv" ]
res $? "%preun ran dkms remove: DKMS no longer knows xenhv, its sources are gone"
