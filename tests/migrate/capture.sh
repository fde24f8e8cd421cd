# SPDX-License-Identifier: GPL-2.0
# Tests of xenhv-migrate capture against a XenStore and sysfs as a Xen guest sees them.
# Sourced by tests/migrate/run.sh (uses its res, has, refused, $tool and $t).

# A fake XenStore: one directory per node under $FAKE_XS, its value in the file .v; paths
# not starting with / are relative to the guest's home, /local/domain/7.
X=$t/xs
mkdir -p "$X/bin"
cat > "$X/bin/xenstore-read" <<'SH'
#!/bin/bash
[ "$1" = -R ] && shift
p=$1; [ "${p#/}" = "$p" ] && p=/local/domain/7/$p
[ -f "$FAKE_XS$p/.v" ] || { echo "could not read path $1" >&2; exit 1; }
cat "$FAKE_XS$p/.v"; echo
SH
cat > "$X/bin/xenstore-list" <<'SH'
#!/bin/bash
p=$1; [ "${p#/}" = "$p" ] && p=/local/domain/7/$p
[ -d "$FAKE_XS$p" ] || exit 1
ls "$FAKE_XS$p"
SH
chmod +x "$X/bin"/*
node() { mkdir -p "$X/tree/$1"; printf '%s' "$2" > "$X/tree/$1/.v"; }	# node PATH VALUE
H=/local/domain/7
node $H/domid 7
node $H/name 'web 01'
node $H/vm /vm/0b7f5d2e-4c1a-4f3e-9a8b-1c2d3e4f5a6b
node $H/vm-data ''
node $H/vm-data/licence/key 'AB-12%ok'
node $H/vm-data/licence/seats 25
node $H/data ''
node $H/data/owner "$(printf 'ops team\tline two')"
node $H/data/empty ''
mkdir -p "$t/fsys/hypervisor"
echo xen > "$t/fsys/hypervisor/type"
echo 0b7f5d2e-4c1a-4f3e-9a8b-1c2d3e4f5a6b > "$t/fsys/hypervisor/uuid"
C=$t/cap/root
debian_root "$C"
cap() { env PATH="$X/bin:$PATH" FAKE_XS="$X/tree" XENHV_MIGRATE_SYSFS="$t/fsys" "$tool" capture "$@"; }
cap --root "$C" > "$t/cap.out" 2>&1
res $? "capture: succeeds on a Xen guest"
printf '%s\n' 'uuid 0b7f5d2e-4c1a-4f3e-9a8b-1c2d3e4f5a6b' 'name web 01' \
	'vm /vm/0b7f5d2e-4c1a-4f3e-9a8b-1c2d3e4f5a6b' 'vm-data/licence/key AB-12%25ok' \
	'vm-data/licence/seats 25' 'data/empty ' 'data/owner ops team%09line two' |
	cmp -s - <(grep -v '^#' "$C/etc/xenhv/identity")
res $? "capture: the file holds the UUID, name, vm and every vm-data/ and data/ key, %-escaped"

grep -qx 'options xenhv identity=/etc/xenhv/identity' "$C/etc/modprobe.d/xenhv-identity.conf" &&
	has "and 4 toolstack key(s)" "$t/cap.out"
res $? "capture: modprobe.d passes the file to xenhv; it says how many keys it saved"
echo hvm > "$t/fsys/hypervisor/type"
refused "capture: off Xen it refuses, writing nothing" "$C" "capture runs in the guest on Xen" \
	cap --root "$C" -o "$C/etc/xenhv/other"
echo xen > "$t/fsys/hypervisor/type"
echo not-a-uuid > "$t/fsys/hypervisor/uuid"
refused "capture: a bad /sys/hypervisor/uuid is refused, nothing written" "$C" "is not a UUID" \
	cap --root "$C" -o "$C/etc/xenhv/other"
