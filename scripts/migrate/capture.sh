# SPDX-License-Identifier: GPL-2.0
# xenhv-migrate capture: saves the guest's Xen identity for xenhv to seed on Hyper-V (sourced).
#
# The file, one "KEY VALUE" line each (VALUE %XX-escaped for %, control bytes and bytes
# above 0x7e, so one line holds any XenStore value):
#   uuid <the VM's UUID, /sys/hypervisor/uuid>     name <the domain's name>
#   vm /vm/<uuid>                                  vm-data/... and data/... <value>
# xenhv reads it at load (module parameter identity=, set in /etc/modprobe.d/xenhv-identity.conf).

XS_SYSFS=${XENHV_MIGRATE_SYSFS:-/sys}

# escape: stdin's bytes, the last (xenstore-read's newline) dropped, %XX-escaped.
escape() {
	od -An -v -tu1 | awk '
	BEGIN { for (i = 32; i < 127; i++) ch[i] = sprintf("%c", i) }
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		for (i = 0; i < n - 1; i++)
			printf "%s", (b[i] >= 32 && b[i] < 127 && b[i] != 37) ? ch[b[i]] : sprintf("%%%02X", b[i])
	}'
}

# capture_tree DIR: every node under DIR (relative to the domain's home) with its value.
capture_tree() {
	local c v
	for c in $(xenstore-list "$1" 2>/dev/null); do
		# Directories without a value of their own come back with their children.
		if xenstore-read -R "$1/$c" > "$stage/val" 2>/dev/null; then
			v=$(escape < "$stage/val")
			if [ -n "$v" ] || [ -z "$(xenstore-list "$1/$c" 2>/dev/null)" ]; then
				echo "$1/$c $v"
			fi
		fi
		capture_tree "$1/$c"
	done
}

capture_identity() {
	local out=$1 uuid name vm n
	[ "$(cat "$XS_SYSFS/hypervisor/type" 2>/dev/null)" = xen ] ||
		die "capture runs in the guest on Xen: $XS_SYSFS/hypervisor/type is not xen"
	uuid=$(cat "$XS_SYSFS/hypervisor/uuid" 2>/dev/null) ||
		die "$XS_SYSFS/hypervisor/uuid cannot be read (is xenfs/sys-hypervisor there?)"
	[[ "$uuid" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] ||
		die "$XS_SYSFS/hypervisor/uuid is not a UUID: '$uuid'"
	command -v xenstore-read > /dev/null ||
		die "xenstore-read is missing (Debian: xenstore-utils)"
	xenstore-read domid > /dev/null 2>&1 || die "XenStore does not answer (xenstore-read domid)"
	name=$(xenstore-read name 2>/dev/null) || name=
	vm=$(xenstore-read vm 2>/dev/null) || vm=
	{
		echo "# xenhv identity: captured by xenhv-migrate $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "uuid $uuid"
		[ -z "$name" ] || printf 'name %s\n' "$(printf '%s\n' "$name" | escape)"
		# xenhv keeps /vm/<uuid>, the form xl and xapi write; another one is not carried.
		if [ "$vm" = "/vm/$uuid" ]; then echo "vm $vm"
		elif [ -n "$vm" ]; then echo "# vm was $vm (xenhv makes it /vm/$uuid)"; fi
		capture_tree vm-data
		capture_tree data
	} > "$stage/identity"
	n=$(grep -cE '^(vm-data|data)/' "$stage/identity" || true)
	mkdir -p "$(dirname "$out")" "$P/etc/modprobe.d"
	cat "$stage/identity" > "$out"
	# The path travels as xenhv's module parameter; the initramfs hook copies both.
	printf '# xenhv-migrate capture: the Xen identity xenhv seeds at load\noptions xenhv identity=%s\n' \
		"${out#"$P"}" > "$P/etc/modprobe.d/xenhv-identity.conf"
	say "saved VM $uuid${name:+ ($name)} and $n toolstack key(s) to $out; $(shown etc/modprobe.d/xenhv-identity.conf) passes it to xenhv"
}
