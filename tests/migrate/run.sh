#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host-side tests of xenhv-migrate and its xvd name helper on prepared guest roots (TAP).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tool=$top/scripts/xenhv-migrate
helper=$top/scripts/migrate/xvd-name
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

n=0
fails=0
res() {	# res RC DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
has() { grep -qF -- "$1" "$2"; }	# has TEXT FILE
# snap ROOT: every path with its mode and every file's checksum (what undo must give back).
snap() { (cd "$1" && find . -printf '%p %M %s %l\n' | sort && find . -type f -exec sha1sum {} + | sort); }

# A fake chroot for the guest's initramfs generator: logs the command and what the root
# held when it ran, and rewrites every initrd as the real generator would.
cat > "$t/fakechroot" <<'EOF'
#!/bin/bash
root=$1; shift
echo "$*" >> "$root/../gen.log"
[ -e "$root/etc/initramfs-tools/hooks/xenhv-xvd" ] && echo "hook present" >> "$root/../gen.log"
[ -e "$root/etc/dracut.conf.d/90-xenhv.conf" ] && echo "dracut conf present" >> "$root/../gen.log"
[ -n "${FAKE_GEN_FAIL:-}" ] && exit 1
for f in "$root"/boot/initrd.img-* "$root"/boot/initramfs-*.img; do
	[ -e "$f" ] && echo "rebuilt with the xenhv hook" >> "$f"
done
exit 0
EOF
cat > "$t/fakeblkid" <<'EOF'
#!/bin/bash
case "${!#}" in
/dev/xvda1) echo 11111111-aaaa-4aaa-8aaa-111111111111 ;;
/dev/xvdb1) echo 22222222-bbbb-4bbb-8bbb-222222222222 ;;
/dev/xvdc1) echo 33333333-cccc-4ccc-8ccc-333333333333 ;;
*) exit 2 ;;
esac
EOF
chmod +x "$t/fakechroot" "$t/fakeblkid"
export XENHV_MIGRATE_CHROOT=$t/fakechroot XENHV_MIGRATE_BLKID=$t/fakeblkid

# A Debian guest as it runs on Xen: initramfs-tools, names in fstab and grub, hvc0.
debian_root() {
	local r=$1 k=6.1.0-9-amd64
	mkdir -p "$r"/etc/default "$r"/boot/grub "$r"/etc/initramfs-tools/conf.d "$r"/var/lib \
		"$r"/etc/udev/rules.d "$r/lib/modules/$k/kernel/drivers/hv" "$r"/usr/local/bin
	echo 'ID=debian' > "$r/etc/os-release"
	cat > "$r/etc/fstab" <<-'EOF'
	# <file system> <mount point> <type> <options> <dump> <pass>
	/dev/xvda1 / ext4 errors=remount-ro 0 1
	/dev/xvda2 none swap sw 0 0
	# /dev/xvdz1 /old ext4 defaults 0 2
	EOF
	cat > "$r/etc/default/grub" <<-'EOF'
	GRUB_DEFAULT=0
	GRUB_CMDLINE_LINUX_DEFAULT="quiet"
	GRUB_CMDLINE_LINUX="root=/dev/xvda1 console=hvc0 resume=/dev/xvda2"
	EOF
	cat > "$r/boot/grub/grub.cfg" <<-EOF
	menuentry 'Debian GNU/Linux' {
		linux /boot/vmlinuz-$k root=/dev/xvda1 ro console=hvc0 quiet
		initrd /boot/initrd.img-$k
	}
	EOF
	echo 'RESUME=/dev/xvda2' > "$r/etc/initramfs-tools/conf.d/resume"
	cat > "$r/etc/udev/rules.d/70-persistent-net.rules" <<-'EOF'
	# PCI device (xen-netfront)
	SUBSYSTEM=="net", ACTION=="add", DRIVERS=="?*", ATTR{address}=="00:16:3e:12:34:56", NAME="eth0"
	EOF
	printf '#!/bin/sh\ndd if=/dev/xvdb of=/srv/backup.img bs=1M\n' > "$r/usr/local/bin/backup.sh"
	chmod 0750 "$r/usr/local/bin/backup.sh"
	echo fake > "$r/lib/modules/$k/kernel/drivers/hv/hv_vmbus.ko"
	echo kernel > "$r/boot/vmlinuz-$k"
	echo 'initrd of a Xen guest' > "$r/boot/initrd.img-$k"
}

# A Red Hat / SUSE style guest: dracut, BLS entries, grub2, ifcfg HWADDR, inittab, securetty.
redhat_root() {
	local r=$1 k=5.14.0-70.el9.x86_64
	mkdir -p "$r"/etc/default "$r"/boot/grub2 "$r"/boot/loader/entries "$r"/var/lib \
		"$r"/etc/sysconfig/network-scripts "$r/lib/modules/$k" "$r/lib/modules/2.6.32-xen" \
		"$r"/usr/sbin
	echo 'ID="rhel"' > "$r/etc/os-release"
	cat > "$r/etc/fstab" <<-'EOF'
	/dev/xvda1 / xfs defaults 0 0
	/dev/xvdb1 /data xfs defaults 0 0
	EOF
	echo 'cryptdata /dev/xvdc1 none luks' > "$r/etc/crypttab"
	echo 'GRUB_CMDLINE_LINUX="console=hvc0 crashkernel=auto"' > "$r/etc/default/grub"
	printf 'menuentry "RHEL" {\n\tlinux /vmlinuz-%s root=/dev/xvda1 ro console=hvc0\n}\n' "$k" \
		> "$r/boot/grub2/grub.cfg"
	printf 'title RHEL\nlinux /vmlinuz-%s\noptions root=/dev/xvda1 ro console=hvc0\n' "$k" \
		> "$r/boot/loader/entries/abc-$k.conf"
	echo 'hostonly="yes"' > "$r/etc/dracut.conf"
	printf 'DEVICE=eth0\nHWADDR=00:16:3e:aa:bb:cc\nBOOTPROTO=dhcp\n' \
		> "$r/etc/sysconfig/network-scripts/ifcfg-eth0"
	printf 'id:3:initdefault:\nco:2345:respawn:/sbin/agetty hvc0 9600 vt100-nav\n' > "$r/etc/inittab"
	printf 'console\nhvc0\ntty1\n' > "$r/etc/securetty"
	echo 'CONFIG_HYPERV=m' > "$r/boot/config-$k"
	echo 'CONFIG_XEN=y' > "$r/boot/config-2.6.32-xen"
	echo 'initramfs of a Xen guest' > "$r/boot/initramfs-$k.img"
	echo kernel > "$r/boot/vmlinuz-$k"
	echo kernel > "$r/boot/vmlinuz-2.6.32-xen"
	mkdir -p "$r/lib/modules/5.14.0-70.el9.x86_64/build"
	printf '#!/bin/sh\n' > "$r/usr/sbin/xe-daemon"
}

# --- Debian, initramfs-tools, names kept (--root) -------------------------------------------
D=$t/deb/root
debian_root "$D"
snap "$D" > "$t/deb.0"
"$tool" check --root "$D" > "$t/deb.check" 2>&1; rc=$?
res $([ $rc -eq 1 ]; echo $?) "debian: check finds problems (exit 1)"
for want in "$D/etc/fstab:2: names /dev/xvda1" "$D/etc/fstab:3: names /dev/xvda2" \
	"$D/etc/default/grub:3: names /dev/xvda1" "$D/etc/default/grub:3: console=hvc0 only" \
	"$D/boot/grub/grub.cfg:2: names /dev/xvda1" "$D/boot/grub/grub.cfg:2: console=hvc0 only" \
	"$D/etc/initramfs-tools/conf.d/resume:1: names /dev/xvda2" \
	"$D/etc/udev/rules.d/70-persistent-net.rules:2: binds a name to the Xen NIC's MAC 00:16:3e:12:34:56" \
	"$D/etc/initramfs-tools/hooks/xenhv-xvd: missing: the initramfs lacks hv_vmbus" \
	"$D/etc/udev/rules.d/61-xenhv-xvd.rules: missing" \
	"$D/usr/local/bin/backup.sh:2: names /dev/xvdb"; do
	has "$want" "$t/deb.check"
	res $? "debian: check reports '${want#"$D"/}'"
done
! grep -q xvdz "$t/deb.check"
res $? "debian: check ignores commented-out lines"
has "xenhv is not installed" "$t/deb.check"
res $? "debian: check warns that xenhv is not installed"
snap "$D" | cmp -s - "$t/deb.0"
res $? "debian: check changes nothing"

"$tool" fix --root "$D" > "$t/deb.fix" 2>&1; rc=$?
res $rc "debian: fix succeeds"
grep -q '^/dev/xvda1 / ext4' "$D/etc/fstab"
res $? "debian: fix keeps /dev/xvda1 in fstab with --root (the xvd rule provides it)"
has "root=/dev/xvda1 ro console=hvc0 console=ttyS0,115200n8 quiet" "$D/boot/grub/grub.cfg"
res $? "debian: grub.cfg keeps hvc0 and gains console=ttyS0"
has 'GRUB_CMDLINE_LINUX="root=/dev/xvda1 console=hvc0 console=ttyS0,115200n8 resume=/dev/xvda2"' "$D/etc/default/grub"
res $? "debian: /etc/default/grub gains console=ttyS0"
[ ! -e "$D/etc/udev/rules.d/70-persistent-net.rules" ]
res $? "debian: the persistent-net MAC rules are moved out"
[ -x "$D/usr/lib/xenhv/xvd-name" ] && [ -f "$D/etc/udev/rules.d/61-xenhv-xvd.rules" ] &&
	grep -q '^XVD_DRIVERS="hv_storvsc"' "$D/etc/xenhv/xvd.conf"
res $? "debian: the xvd rule, its helper and xvd.conf (hv_storvsc) are installed"
[ -x "$D/etc/initramfs-tools/hooks/xenhv-xvd" ]
res $? "debian: the initramfs-tools hook is installed, executable"
grep -qx 'update-initramfs -u -k all' "$t/deb/gen.log" && grep -qx 'hook present' "$t/deb/gen.log"
res $? "debian: update-initramfs -u -k all ran in the guest root after the hook was in place"
has "rebuilt with the xenhv hook" "$D/boot/initrd.img-6.1.0-9-amd64"
res $? "debian: the initrd was rebuilt"
"$tool" check --root "$D" > "$t/deb.check2" 2>&1; rc=$?
res $rc "debian: check after fix says ready (exit 0)"
snap "$D" > "$t/deb.1"
: > "$t/deb/gen.log"
"$tool" fix --root "$D" > "$t/deb.fix2" 2>&1
res $? "debian: a second fix succeeds"
snap "$D" | cmp -s - "$t/deb.1" && [ ! -s "$t/deb/gen.log" ] && has "nothing to do" "$t/deb.fix2"
res $? "debian: a second fix changes nothing and says so"
"$tool" undo --root "$D" > "$t/deb.undo" 2>&1
res $? "debian: undo succeeds"
snap "$D" | cmp -s - "$t/deb.0"
res $? "debian: undo restores every file byte for byte (and removes what fix added)"

# --- Red Hat / SUSE, dracut, UUIDs ----------------------------------------------------------
H=$t/rh/root
redhat_root "$H"
snap "$H" > "$t/rh.0"
"$tool" check --root "$H" --uuids > "$t/rh.check" 2>&1; rc=$?
res $([ $rc -eq 1 ]; echo $?) "redhat: check finds problems (exit 1)"
for want in "$H/etc/fstab:1: names /dev/xvda1, which does not exist on Hyper-V: becomes UUID=11111111" \
	"$H/etc/fstab:2: names /dev/xvdb1" "$H/etc/crypttab:1: names /dev/xvdc1" \
	"$H/boot/loader/entries/abc-5.14.0-70.el9.x86_64.conf:3: names /dev/xvda1" \
	"$H/boot/grub2/grub.cfg:2: console=hvc0 only" "$H/etc/default/grub:1: console=hvc0 only" \
	"$H/etc/sysconfig/network-scripts/ifcfg-eth0:2: HWADDR" "$H/etc/inittab:2: a getty on hvc0" \
	"$H/etc/securetty:2: root may log in on hvc0" "$H/etc/dracut.conf.d/90-xenhv.conf: missing" \
	"warning: kernels 2.6.32-xen have no Hyper-V drivers" \
	"warning: $H/usr/sbin/xe-daemon (a Xen guest agent) exits without /dev/xen/xenbus"; do
	has "$want" "$t/rh.check"
	res $? "redhat: check reports '${want#"$H"/}'"
done
"$tool" fix --root "$H" --uuids > "$t/rh.fix" 2>&1
res $? "redhat: fix succeeds"
grep -qx 'UUID=11111111-aaaa-4aaa-8aaa-111111111111 / xfs defaults 0 0' "$H/etc/fstab" &&
	grep -qx 'UUID=22222222-bbbb-4bbb-8bbb-222222222222 /data xfs defaults 0 0' "$H/etc/fstab"
res $? "redhat: fstab names devices by UUID="
grep -qx 'cryptdata UUID=33333333-cccc-4ccc-8ccc-333333333333 none luks' "$H/etc/crypttab"
res $? "redhat: crypttab names its device by UUID="
grep -qx 'options root=UUID=11111111-aaaa-4aaa-8aaa-111111111111 ro console=hvc0 console=ttyS0,115200n8' \
	"$H/boot/loader/entries/abc-5.14.0-70.el9.x86_64.conf"
res $? "redhat: the BLS entry gets root=UUID= and console=ttyS0"
has 'root=UUID=11111111-aaaa-4aaa-8aaa-111111111111 ro console=hvc0 console=ttyS0,115200n8' "$H/boot/grub2/grub.cfg"
res $? "redhat: grub2.cfg gets root=UUID= and console=ttyS0"
grep -qx '# xenhv-migrate: HWADDR=00:16:3e:aa:bb:cc' "$H/etc/sysconfig/network-scripts/ifcfg-eth0"
res $? "redhat: ifcfg's HWADDR is commented out"
grep -q '^S0:2345:respawn:/sbin/agetty -L 115200 ttyS0' "$H/etc/inittab" && grep -qx ttyS0 "$H/etc/securetty"
res $? "redhat: inittab gets a ttyS0 getty, securetty lists ttyS0"
grep -q 'add_drivers+=" hv_vmbus hv_storvsc hv_netvsc hv_utils sd_mod hv_storvsc "' "$H/etc/dracut.conf.d/90-xenhv.conf" &&
	has '/etc/udev/rules.d/61-xenhv-xvd.rules /usr/lib/xenhv/xvd-name' "$H/etc/dracut.conf.d/90-xenhv.conf"
res $? "redhat: dracut gets the Hyper-V drivers and the xvd rule"
grep -qx 'dracut -f --regenerate-all' "$t/rh/gen.log" && grep -qx 'dracut conf present' "$t/rh/gen.log"
res $? "redhat: dracut -f --regenerate-all ran after its configuration was in place"
snap "$H" > "$t/rh.1"
"$tool" fix --root "$H" --uuids > "$t/rh.fix2" 2>&1 && snap "$H" | cmp -s - "$t/rh.1"
res $? "redhat: a second fix changes nothing"
# Already migrated, and a new /dev/xvd line since: refuse, change nothing.
echo '/dev/xvdb1 /srv xfs defaults 0 0' >> "$H/etc/fstab"
snap "$H" > "$t/rh.2"
"$tool" fix --root "$H" --uuids > "$t/rh.fix3" 2>&1; rc=$?
[ $rc -eq 2 ] && has "already migrated" "$t/rh.fix3" && snap "$H" | cmp -s - "$t/rh.2"
res $? "redhat: fix on a guest already migrated and changed since refuses, changing nothing"
sed -i '$d' "$H/etc/fstab"
"$tool" undo --root "$H" > "$t/rh.undo" 2>&1 && snap "$H" | cmp -s - "$t/rh.0"
res $? "redhat: undo restores every file byte for byte"

# --- misuse ---------------------------------------------------------------------------------
# refused DESC ROOT TEXT CMD...: CMD exits 2, says TEXT, and ROOT is unchanged.
refused() {
	local desc=$1 r=$2 text=$3 rc
	shift 3
	snap "$r" > "$t/refused.0"
	"$@" > "$t/refused.out" 2>&1
	rc=$?
	[ $rc -eq 2 ] && has "$text" "$t/refused.out" && snap "$r" | cmp -s - "$t/refused.0"
	res $? "$desc"
	[ $rc -eq 2 ] || sed 's/^/# /' "$t/refused.out"
}
mkdir -p "$t/notlinux/etc"
echo hello > "$t/notlinux/README"
refused "misuse: a root that is not Linux is refused clearly, unchanged" "$t/notlinux" \
	"does not look like a Linux root" "$tool" fix --root "$t/notlinux"
refused "misuse: a missing root directory is refused clearly" "$t/notlinux" \
	"no such directory" "$tool" check --root "$t/nowhere"

RO=$t/ro/root
debian_root "$RO"
refused "misuse: a read-only root is refused clearly, unchanged" "$RO" "is read-only; nothing changed" \
	unshare -m bash -c 'mount --bind -o ro "$1" "$1" && exec "$2" fix --root "$1"' _ "$RO" "$tool"

NG=$t/nogrub/root
debian_root "$NG"
rm -rf "$NG/boot/grub" "$NG/etc/default/grub"
refused "misuse: a missing grub configuration makes fix refuse, unchanged" "$NG" \
	"no grub configuration found" "$tool" fix --root "$NG"
"$tool" fix --root "$NG" --no-bootloader > "$t/ng2.out" 2>&1 && [ -e "$NG/etc/udev/rules.d/61-xenhv-xvd.rules" ]
res $? "misuse: --no-bootloader fixes the rest without grub"

XO=$t/xenonly/root
debian_root "$XO"
rm -rf "$XO/lib/modules/6.1.0-9-amd64" "$XO/boot/vmlinuz-6.1.0-9-amd64"
mkdir -p "$XO/lib/modules/2.6.18-xen-amd64/kernel" "$XO/lib/modules/6.1.0-9-amd64/build"
refused "misuse: only Xen-only kernels: fix refuses with a clear message, unchanged" "$XO" \
	"only Xen-only kernels are installed (2.6.18-xen-amd64)" "$tool" fix --root "$XO"

GF=$t/genfail/root
debian_root "$GF"
refused "a failing initramfs rebuild rolls every change back" "$GF" "rolled back" \
	env FAKE_GEN_FAIL=1 "$tool" fix --root "$GF"
refused "undo on a guest never fixed says there is nothing to undo" "$GF" "nothing to undo" \
	"$tool" undo --root "$GF"

# --- the xvd name helper on a fake sysfs ----------------------------------------------------
S=$t/sys
# fakedisk NAME HCTL DRIVER: a disk whose controller is bound to DRIVER.
fakedisk() {
	local ctl=$S/devices/ctl-$1 dev
	dev=$ctl/host/target/$2
	mkdir -p "$dev/block/$1" "$S/bus/drv/$3" "$S/class/block"
	ln -s "../../bus/drv/$3" "$ctl/driver"
	ln -s "$dev" "$dev/block/$1/device"
	ln -s "../../devices/ctl-$1/host/target/$2/block/$1" "$S/class/block/$1"
	mkdir -p "$dev/block/$1/${1}1" && touch "$dev/block/$1/${1}1/partition"
	ln -s "../../devices/ctl-$1/host/target/$2/block/$1/${1}1" "$S/class/block/${1}1"
}
fakedisk sdb 1:0:0:1 hv_storvsc
fakedisk sda 0:0:0:0 hv_storvsc
fakedisk sdc 1:0:0:0 hv_storvsc
fakedisk vda 2:0:0:0 virtio_blk
echo 'XVD_DRIVERS="hv_storvsc"' > "$t/xvd.conf"
xvd() { XENHV_SYSFS=$S XENHV_XVD_CONF=$t/xvd.conf sh "$helper" "$1"; }
[ "$(xvd sda)" = XENHV_XVD=xvda ] && [ "$(xvd sdc)" = XENHV_XVD=xvdb ] && [ "$(xvd sdb)" = XENHV_XVD=xvdc ]
res $? "xvd-name: Hyper-V disks are named in SCSI address order (xvda, xvdb, xvdc)"
[ -z "$(xvd vda)" ] && [ -z "$(xvd sda1)" ]
res $? "xvd-name: disks on other controllers, and partitions, get no name of their own"
echo 'XVD_DRIVERS="virtio_blk hv_storvsc"' > "$t/xvd.conf"
[ "$(xvd vda)" = XENHV_XVD=xvdd ]
res $? "xvd-name: XVD_DRIVERS adds a controller"
printf 'XVD_DRIVERS="hv_storvsc"\nXVD_MAP="1:0:0:1=xvda 0:0:0:0=xvdf"\n' > "$t/xvd.conf"
[ "$(xvd sdb)" = XENHV_XVD=xvda ] && [ "$(xvd sda)" = XENHV_XVD=xvdf ] && [ -z "$(xvd sdc)" ]
res $? "xvd-name: XVD_MAP pins names and names only the disks it lists"
echo 'XVD_DRIVERS="hv_storvsc"' > "$t/xvd.conf"
for i in $(seq 3 26); do fakedisk "sd$i" "1:0:$i:0" hv_storvsc; done
[ "$(xvd sd25)" = XENHV_XVD=xvdz ] && [ "$(xvd sd26)" = XENHV_XVD=xvdaa ]
res $? "xvd-name: the 27th disk is xvdaa, as Xen names it"

# --- SUSE, old and agent-carrying guests ----------------------------------------------------
. "$top/tests/migrate/steps.sh"
. "$top/tests/migrate/capture.sh"

echo "1..$n"
echo "migrate: $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
