# SPDX-License-Identifier: GPL-2.0
# Tests of xenhv-migrate's conversion steps for SUSE, old and agent-carrying Xen guests.
# Sourced by tests/migrate/run.sh (uses its res, has, snap, refused, $tool and $t).

# A SLES guest as it runs on Xen: sysconfig INITRD_MODULES, modprobe aliases, xenfs, LVM,
# mdadm, a getty on hvc0 enabled by hand, xe-guest-utilities and xen-guest-agent.
suse_root() {
	local r=$1 k=5.14.21-150400.22-default
	mkdir -p "$r"/etc/sysconfig "$r"/etc/modprobe.d "$r"/boot/grub2 "$r"/etc/lvm/devices \
		"$r/lib/modules/$k/kernel/drivers/hv" "$r/lib/modules/4.12.14-xen/kernel" \
		"$r"/etc/systemd/system/getty.target.wants "$r"/usr/lib/udev/rules.d \
		"$r"/usr/lib/systemd/system "$r"/usr/sbin "$r"/var/lib
	printf 'NAME="SLES"\nID="sles"\nID_LIKE="suse"\n' > "$r/etc/os-release"
	cat > "$r/etc/sysconfig/kernel" <<-'EOF'
	## Path: System/Kernel
	# INITRD_MODULES="xenblk"
	INITRD_MODULES="processor thermal xenblk xennet ext3"
	DOMU_INITRD_MODULES="xennet xenblk xen-vbd xen-vnif"
	MODULES_LOADED_ON_BOOT=""
	EOF
	printf 'alias eth0 xennet\nalias scsi_hostadapter\txenblk  # Xen disks\nalias char-major-10-135 rtc\n' \
		> "$r/etc/modprobe.conf"
	echo 'alias eth1 xen-vnif' > "$r/etc/modprobe.d/50-xen.conf"
	cat > "$r/etc/fstab" <<-'EOF'
	/dev/xvda1 / ext3 acl,user_xattr 1 1
	/dev/xvda2 swap swap defaults 0 0
	xenfs /proc/xen xenfs defaults 0 0
	EOF
	echo 'resume device = /dev/xvda2' > "$r/etc/uswsusp.conf"
	printf 'menuentry "SLES" {\n\tlinux /boot/vmlinuz-%s root=/dev/xvda1 resume=/dev/xvda2 console=xvc0\n}\n' "$k" \
		> "$r/boot/grub2/grub.cfg"
	echo 'IDTYPE=devname IDNAME=/dev/xvdb1 DEVNAME=/dev/xvdb1 PVID=Ob8yHdZc0wDlY6bUy5lGJf3PzfUtw0UW' \
		> "$r/etc/lvm/devices/system.devices"
	cat > "$r/etc/lvm/lvm.conf" <<-'EOF'
	devices {
		# filter = [ "a|/dev/xvdz|" ]
		filter = [ "a|^/dev/xvd.*|",
		           "r|.*|" ]
		global_filter = [ "a|/dev/xvdb|", "r|/dev/xvdc|" ]
	}
	EOF
	cat > "$r/etc/mdadm.conf" <<-'EOF'
	DEVICE /dev/xvdb1 /dev/xvdc1
	ARRAY /dev/md0 metadata=1.2 UUID=3aaa0122:29827cfa:5331ad66:ca767371 devices=/dev/xvdb1,/dev/xvdc1
	ARRAY /dev/md1 devices=/dev/xvdd1,/dev/xvde1
	EOF
	ln -s /usr/lib/systemd/system/serial-getty@.service \
		"$r/etc/systemd/system/getty.target.wants/serial-getty@hvc0.service"
	echo "ACTION==\"add\", SUBSYSTEM==\"cpu\", RUN+=\"/bin/sh -c '[ -e /dev/xen/xenbus ] && [ -e /sys\$devpath/online ] && echo 1 > /sys\$devpath/online'\"" \
		> "$r/usr/lib/udev/rules.d/z10-xen-vcpu-hotplug.rules"
	printf '[Unit]\nDescription=Xen guest agent\nConditionVirtualization=xen\nConditionPathExists=/usr/sbin/xen-guest-agent\n[Service]\nExecStart=/usr/sbin/xen-guest-agent\n' \
		> "$r/usr/lib/systemd/system/xen-guest-agent.service"
	printf '[Unit]\nDescription=Linux Guest Agent\n[Service]\nExecStart=/usr/sbin/xe-daemon\n' \
		> "$r/usr/lib/systemd/system/xe-linux-distribution.service"
	printf '#!/bin/sh\n' > "$r/usr/sbin/xen-guest-agent"
	echo 'hostonly="yes"' > "$r/etc/dracut.conf"
	echo fake > "$r/lib/modules/$k/kernel/drivers/hv/hv_vmbus.ko"
	echo 'CONFIG_XEN=y' > "$r/boot/config-4.12.14-xen"
	echo kernel > "$r/boot/vmlinuz-$k"
	echo 'initrd of a Xen guest' > "$r/boot/initrd-$k"
}

S=$t/suse/root
suse_root "$S"
snap "$S" > "$t/suse.0"
"$tool" check --root "$S" --uuids > "$t/suse.check" 2>&1; rc=$?
res $([ $rc -eq 1 ]; echo $?) "suse: check finds problems (exit 1)"
for want in \
	"$S/etc/sysconfig/kernel:3: INITRD_MODULES loads Xen-only xenblk xennet lacks hv_vmbus hv_storvsc hv_netvsc" \
	"$S/etc/sysconfig/kernel:4: DOMU_INITRD_MODULES loads Xen-only xennet xenblk xen-vbd xen-vnif" \
	"$S/etc/modprobe.conf:1: alias eth0 loads xennet, a Xen frontend: becomes hv_netvsc" \
	"$S/etc/modprobe.conf:2: alias scsi_hostadapter loads xenblk, a Xen frontend: becomes hv_storvsc" \
	"$S/etc/modprobe.d/50-xen.conf:1: alias eth1 loads xen-vnif" \
	"$S/etc/fstab:2: names /dev/xvda2" \
	"$S/etc/fstab:3: mounts xenfs on /proc/xen" \
	"$S/etc/uswsusp.conf:1: names /dev/xvda2" \
	"$S/boot/grub2/grub.cfg:2: names /dev/xvda2" \
	"$S/boot/grub2/grub.cfg:2: console=xvc0 only" \
	"$S/etc/lvm/devices/system.devices:1: the LVM devices file admits /dev/xvdb1" \
	"$S/etc/lvm/lvm.conf:3: an LVM filter accepts xvd devices only" \
	"$S/etc/lvm/lvm.conf:5: an LVM filter accepts xvd devices only" \
	"warning: $S/etc/lvm/lvm.conf:5: an LVM filter rejects xvd devices" \
	"$S/etc/mdadm.conf:1: DEVICE names xvd disks" \
	"$S/etc/mdadm.conf:2: ARRAY lists its members by xvd name" \
	"warning: $S/etc/mdadm.conf:3: ARRAY names xvd members and has no UUID=" \
	"$S/etc/systemd/system/getty.target.wants/serial-getty@hvc0.service: a login is enabled on hvc0 only" \
	"$S/usr/lib/udev/rules.d/z10-xen-vcpu-hotplug.rules:1: onlines every vCPU" \
	"$S/usr/lib/systemd/system/xen-guest-agent.service:3: starts only on Xen" \
	"warning: kernels 4.12.14-xen have no Hyper-V drivers"; do
	has "$want" "$t/suse.check"
	res $? "suse: check reports '${want#"$S"/}'"
done
! grep -qE 'lvm.conf:2|kernel:2|modprobe.conf:3|xe-linux-distribution' "$t/suse.check"
res $? "suse: check leaves comments, other aliases and unconditioned units alone"
"$tool" fix --root "$S" --uuids > "$t/suse.fix" 2>&1
res $? "suse: fix succeeds"
grep -qx 'INITRD_MODULES="processor thermal ext3 hv_vmbus hv_storvsc hv_netvsc"' "$S/etc/sysconfig/kernel" &&
	grep -qx 'DOMU_INITRD_MODULES=""' "$S/etc/sysconfig/kernel" &&
	grep -qx '# INITRD_MODULES="xenblk"' "$S/etc/sysconfig/kernel"
res $? "suse: INITRD_MODULES loses the Xen drivers and gains the Hyper-V ones; DOMU_INITRD_MODULES loses them"
printf 'alias eth0 hv_netvsc\nalias scsi_hostadapter\thv_storvsc  # Xen disks\nalias char-major-10-135 rtc\n' |
	cmp -s - "$S/etc/modprobe.conf" && grep -qx 'alias eth1 hv_netvsc' "$S/etc/modprobe.d/50-xen.conf"
res $? "suse: modprobe aliases load hv_netvsc/hv_storvsc, the rest of each line kept"
grep -qx 'UUID=11111111-aaaa-4aaa-8aaa-111111111111 / ext3 acl,user_xattr 1 1' "$S/etc/fstab" &&
	grep -qx 'xenfs /proc/xen xenfs defaults,nofail 0 0' "$S/etc/fstab"
res $? "suse: fstab by UUID=, the xenfs mount gains nofail"
grep -q '^/dev/xvda2 swap' "$S/etc/fstab" && grep -qx 'resume device = /dev/xvda2' "$S/etc/uswsusp.conf"
res $? "suse: swap and resume names blkid does not know stay (the xvd rule provides them)"
[ ! -e "$S/etc/lvm/devices/system.devices" ] &&
	grep -qF 'filter = [ "a|^/dev/xvd.*|", "a|^/dev/sd.*|",' "$S/etc/lvm/lvm.conf" &&
	grep -qF 'global_filter = [ "a|/dev/xvdb|", "a|/dev/sdb|", "r|/dev/xvdc|" ]' "$S/etc/lvm/lvm.conf"
res $? "suse: the LVM devices file is moved out; each xvd accept filter gains its sd twin"
grep -qx 'DEVICE partitions' "$S/etc/mdadm.conf" &&
	grep -qx 'ARRAY /dev/md0 metadata=1.2 UUID=3aaa0122:29827cfa:5331ad66:ca767371' "$S/etc/mdadm.conf" &&
	grep -qx 'ARRAY /dev/md1 devices=/dev/xvdd1,/dev/xvde1' "$S/etc/mdadm.conf"
res $? "suse: mdadm.conf scans every partition and finds arrays by UUID="
[ "$(readlink "$S/etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service")" = /lib/systemd/system/serial-getty@.service ] &&
	[ -L "$S/etc/systemd/system/getty.target.wants/serial-getty@hvc0.service" ]
res $? "suse: a serial getty on ttyS0 is enabled beside hvc0's"
[ "$(readlink "$S/etc/udev/rules.d/z10-xen-vcpu-hotplug.rules")" = /dev/null ]
res $? "suse: the vCPU-onlining rule is masked (/etc/udev/rules.d/... -> /dev/null)"
printf '%s\n' '# xenhv-migrate: on Hyper-V xenhv provides XenStore; the agent runs there too.' '[Unit]' \
	'ConditionVirtualization=' 'ConditionPathExists=/usr/sbin/xen-guest-agent' |
	cmp -s - "$S/etc/systemd/system/xen-guest-agent.service.d/50-xenhv.conf"
res $? "suse: xen-guest-agent gets a drop-in without ConditionVirtualization=xen, its other conditions kept"
grep -qx 'dracut -f --regenerate-all' "$t/suse/gen.log"
res $? "suse: dracut -f --regenerate-all ran"
"$tool" check --root "$S" --uuids > "$t/suse.check2" 2>&1
res $? "suse: check after fix says ready (exit 0)"
snap "$S" > "$t/suse.1"
"$tool" fix --root "$S" --uuids > "$t/suse.fix2" 2>&1 && snap "$S" | cmp -s - "$t/suse.1"
res $? "suse: a second fix (an already fixed guest) changes nothing"
"$tool" undo --root "$S" > "$t/suse.undo" 2>&1 && snap "$S" | cmp -s - "$t/suse.0"
res $? "suse: undo restores every file byte for byte (links and drop-ins removed, moved files back)"

# Odd syntax: unquoted and single-quoted values, a continued line, an unterminated quote;
# the vCPU rule in /etc itself; tabs in a filter.
O=$t/odd/root
suse_root "$O"
cat > "$O/etc/sysconfig/kernel" <<-'EOF'
INITRD_MODULES=xenblk
DOMU_INITRD_MODULES='xennet  ext4'
INITRD_MODULES="processor \
	xenblk"
INITRD_MODULES="thermal xenblk
EOF
mkdir -p "$O/etc/udev/rules.d"
mv "$O/usr/lib/udev/rules.d/z10-xen-vcpu-hotplug.rules" "$O/etc/udev/rules.d/z10_xen-vcpu-hotplug.rules"
snap "$O" > "$t/odd.0"
"$tool" check --root "$O" > "$t/odd.check" 2>&1
has "$O/etc/sysconfig/kernel:1: INITRD_MODULES loads Xen-only xenblk" "$t/odd.check" &&
	has "$O/etc/sysconfig/kernel:2: DOMU_INITRD_MODULES loads Xen-only xennet" "$t/odd.check" &&
	has "warning: $O/etc/sysconfig/kernel:3: INITRD_MODULES continues over several lines" "$t/odd.check" &&
	! has "kernel:5:" "$t/odd.check"
res $? "odd syntax: unquoted and single-quoted values found, a continued line left to a person, an unterminated one untouched"
"$tool" fix --root "$O" > "$t/odd.fix" 2>&1
printf '%s\n' 'INITRD_MODULES="hv_vmbus hv_storvsc hv_netvsc"' "DOMU_INITRD_MODULES='ext4'" \
	'INITRD_MODULES="processor \' 'xenblk"' 'INITRD_MODULES="thermal xenblk' | cmp -s - "$O/etc/sysconfig/kernel"
res $? "odd syntax: fix rewrites the plain lines in their own quoting and leaves the rest byte for byte"
[ ! -e "$O/etc/udev/rules.d/z10_xen-vcpu-hotplug.rules" ]
res $? "odd syntax: the vCPU rule in /etc/udev/rules.d is moved out"
"$tool" undo --root "$O" > /dev/null 2>&1 && snap "$O" | cmp -s - "$t/odd.0"
res $? "odd syntax: undo restores byte for byte"

# Unreadable: a non-root user checking a root whose sysconfig/kernel it may not read.
U=$t/unread/root
mkdir -p "$t/unread" && chmod 0755 "$t" "$t/unread"
suse_root "$U"
chmod 0600 "$U/etc/sysconfig/kernel" "$U/etc/modprobe.d/50-xen.conf"
setpriv --reuid=65534 --regid=65534 --clear-groups env XENHV_MIGRATE_DATA="$top/scripts/migrate" \
	"$tool" check --root "$U" > "$t/unread.check" 2>&1; rc=$?
[ $rc -eq 1 ] && has "error: $U/etc/sysconfig/kernel is not readable" "$t/unread.check" &&
	has "warning: $U/etc/modprobe.d/50-xen.conf is not readable" "$t/unread.check"
res $? "unreadable: check says which files it could not read (exit 1), no crash"
[ $rc -eq 1 ] || sed 's/^/# /' "$t/unread.check"

# Xen-PV-only kernels: refused with the package to install, by distribution.
K=$t/kxen/root
suse_root "$K"
rm -rf "$K/lib/modules/5.14.21-150400.22-default"
refused "suse with kernel-xen only: fix refuses naming kernel-default, unchanged" "$K" \
	"install SUSE's kernel-default" "$tool" fix --root "$K"
has "4.12.14-xen is a Xen paravirtual-only flavour" "$t/refused.out"
res $? "suse with kernel-xen only: the message says the flavour runs only as a Xen PV guest"
E=$t/el5/root
mkdir -p "$E/etc" "$E/lib/modules/2.6.18-419.el5xen/kernel" "$E/boot/grub"
echo 'CentOS release 5.11 (Final)' > "$E/etc/redhat-release"
refused "el5 with kernel-xen only (no os-release): fix refuses naming the kernel package" "$E" \
	"install the standard kernel package (yum install kernel" "$tool" fix --root "$E"

# Microsoft's command line: offered by check, added only with --hyperv-cmdline.
A=$t/adv/root
debian_root "$A"
"$tool" check --root "$A" > "$t/adv.check" 2>&1
has "advice: $A/etc/default/grub:3: Microsoft advises earlyprintk=ttyS0 rootdelay=300" "$t/adv.check"
res $? "advice: check offers Microsoft's earlyprintk and rootdelay for Hyper-V/Azure"
"$tool" fix --root "$A" > /dev/null 2>&1 && ! grep -q earlyprintk "$A/etc/default/grub" &&
	"$tool" check --root "$A" > /dev/null 2>&1
res $? "advice: a plain fix does not force it and check still says ready"
"$tool" undo --root "$A" > /dev/null 2>&1
"$tool" fix --root "$A" --hyperv-cmdline > /dev/null 2>&1 &&
	grep -qx 'GRUB_CMDLINE_LINUX="earlyprintk=ttyS0 rootdelay=300 root=/dev/xvda1 console=hvc0 console=ttyS0,115200n8 resume=/dev/xvda2"' \
		"$A/etc/default/grub"
res $? "advice: fix --hyperv-cmdline adds it to /etc/default/grub"
