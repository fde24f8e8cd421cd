# SPDX-License-Identifier: GPL-2.0
# The Xen identity `xenhv-migrate capture` saved seeds XenStore and /sys/hypervisor/uuid.
# lab-only: hyperv xenhv's identity= parameter
. /tests/lib.sh
need_xenhv

U=0b7f5d2e-4c1a-4f3e-9a8b-1c2d3e4f5a6b
smbios=$(cat /sys/class/dmi/id/product_uuid 2>/dev/null | tr 'A-F' 'a-f')
[ -n "$smbios" ] || smbios=00000000-0000-0000-0000-000000000000
# reload [PARAMS]: xenhv again with PARAMS; the kernel log from this load in /tmp/id.dmesg.
# fifo_load: reload with identity=/tmp/bad, a FIFO; fails when the load still
# waits after 20 s (a writer then lets it go, so the test goes on).
fifo_load() {
	local pid i=0
	reload identity=/tmp/bad &
	pid=$!
	while kill -0 $pid 2> /dev/null; do
		i=$((i + 1))
		if [ $i -gt 20 ]; then
			echo x > /tmp/bad &
			wait $pid
			return 1
		fi
		sleep 1
	done
	wait $pid
}

reload() {
	rmmod xenhv 2>/dev/null
	klog_mark
	insmod /modules/xenhv.ko "$@"
	local rc=$?
	klog_since > /tmp/id.dmesg
	return $rc
}

# What capture writes (tests/migrate/capture.sh checks capture itself against a XenStore).
cat > /tmp/identity <<ID
# xenhv identity: captured by xenhv-migrate 2026-12-01 10:00 UTC
uuid $U
name web 01
vm /vm/$U
vm-data/licence/key AB-12%25ok
vm-data/licence/seats 25
data/owner ops team%09line two
data/empty 
ID
check "xenhv loads with identity=/tmp/identity" reload identity=/tmp/identity
check "the load says whose identity it took" grep -q "identity /tmp/identity: Xen VM $U, name web 01, 4 toolstack keys" /tmp/id.dmesg
check_eq "/sys/hypervisor/uuid is the Xen VM's UUID" "$U" "$(cat /sys/hypervisor/uuid)"
check_eq "xenstore-read name is the Xen domain's name" "web 01" "$(xenstore-read name)"
check_eq "xenstore-read vm is /vm/<uuid>" "/vm/$U" "$(xenstore-read vm)"
check_eq "/vm/<uuid>/uuid is readable and holds it" "$U" "$(xenstore-read "/vm/$U/uuid")"
check_eq "vm-data/licence/key is seeded, %-escapes decoded" "AB-12%ok" "$(xenstore-read vm-data/licence/key)"
check_eq "vm-data/licence/seats is seeded" "25" "$(xenstore-read vm-data/licence/seats)"
check_eq "data/owner is seeded with its tab" "$(printf 'ops team\tline two')" "$(xenstore-read -R data/owner)"
check_eq "data/empty is seeded, empty" "" "$(xenstore-read data/empty 2>&1)"
check_eq "xenstore-ls vm-data lists what capture saved" "licence:key:seats" \
	"$(xenstore-ls vm-data | sed 's/ *=.*//; s/^ *//' | tr '\n' ':' | sed 's/:$//')"
check "the guest owns the seeded nodes as on Xen (xenstore-ls -p: n<domid>)" \
	sh -c "xenstore-ls -p data | grep -q '^owner = .*(n$(xenstore-read domid))'"
check "the guest still writes its data/ (xenstore-write data/after)" \
	sh -c 'xenstore-write data/after yes && [ "$(xenstore-read data/after)" = yes ]'
host=$(hostname)
check "the name stays the Xen name after the hostname is set" \
	sh -c 'hostname renamed-host; exec 3<> /dev/xen/xenbus; exec 3>&-; [ "$(xenstore-read name)" = "web 01" ]'
hostname "$host"

# Misuse: each refused with one log line naming the file (and line); the SMBIOS identity stays.
# refused DESC TEXT FILE-CONTENT...: xenhv loads, logs TEXT, keeps the SMBIOS UUID.
refused_id() {
	local desc=$1 text=$2
	check "$desc: xenhv still loads" reload identity=/tmp/bad
	check "$desc: refused with '$text'" \
		sh -c 'grep -F -- "$1" /tmp/id.dmesg | grep -q "keeping the SMBIOS identity"' _ "$text"
	check_eq "$desc: /sys/hypervisor/uuid stays the SMBIOS UUID" "$smbios" "$(cat /sys/hypervisor/uuid)"
}
printf 'uuid %s\nname x\nvm-data/a\n' "$U" > /tmp/bad
refused_id "a line without a value" "/tmp/bad:3: no value after the key"
printf 'uuid 0b7f5d2e-4c1a-4f3e-9a8b-1c2d3e4f5a6\n' > /tmp/bad
refused_id "a bad UUID" "/tmp/bad:1: not a UUID"
printf 'uuid %s\nvm /vm/11111111-2222-3333-4444-555555555555\n' "$U" > /tmp/bad
refused_id "vm not matching the UUID" "/tmp/bad: vm is not /vm/<uuid> for the file's uuid"
printf 'uuid %s\ndata/x a%%zz\n' "$U" > /tmp/bad
refused_id "a broken %-escape" "/tmp/bad:2: a % not followed by two hex digits"
printf 'uuid %s\ndata/a.b 1\n' "$U" > /tmp/bad
refused_id "a key with a character XenStore refuses" "/tmp/bad:2: the key is no valid XenStore path"
printf 'uuid %s\n/local/domain/0/x 1\n' "$U" > /tmp/bad
refused_id "a key outside vm-data/ and data/" "/tmp/bad:2: unknown key"
printf 'name only\n' > /tmp/bad
refused_id "no uuid" "/tmp/bad: no uuid line"
printf 'uuid %s' "$U" > /tmp/bad
refused_id "a last line without its newline" "/tmp/bad:1: the last line does not end with a newline"
{ echo "uuid $U"; head -c 70000 /dev/zero | tr '\0' 'a' | sed 's/^/data\/big /'; echo; } > /tmp/bad
refused_id "a file over 64 KiB" "/tmp/bad: larger than 64 KiB"
{ echo "uuid $U"; printf 'data/v %s\n' "$(head -c 2049 /dev/zero | tr '\0' v)"; } > /tmp/bad
refused_id "a value over 2048 bytes" "/tmp/bad:2: the value is longer than 2048 bytes"
{ echo "uuid $U"; i=0; while [ $i -lt 257 ]; do echo "data/k$i $i"; i=$((i + 1)); done; } > /tmp/bad
refused_id "more than 256 keys" "more than 256 keys"
rm -f /tmp/bad
check "a missing file: xenhv still loads" reload identity=/tmp/bad
check "a missing file: refused, saying it cannot be read" grep -q "identity /tmp/bad: cannot be read (-2); keeping the SMBIOS identity" /tmp/id.dmesg
# Not a regular file: refused at once, never read (a FIFO would block the load).
check "a directory: xenhv still loads" reload identity=/tmp
check "a directory: refused, saying it cannot be read" grep -q "identity /tmp: cannot be read (-22); keeping the SMBIOS identity" /tmp/id.dmesg
mkfifo /tmp/bad
check "a FIFO: xenhv still loads, without waiting for a writer" fifo_load
check "a FIFO: refused, saying it cannot be read" grep -q "identity /tmp/bad: cannot be read (-22); keeping the SMBIOS identity" /tmp/id.dmesg
rm -f /tmp/bad
# Exactly 64 KiB is within the limit: the uuid line, then comment lines.
{ echo "uuid $U"; i=0; while [ $i -lt 1023 ]; do printf '#%062d\n' 0; i=$((i + 1)); done
  printf '#%020d\n' 0; } > /tmp/bad
check_eq "a file of exactly 64 KiB is read whole" 65536 "$(wc -c < /tmp/bad)"
check "a file of exactly 64 KiB: xenhv loads with it" reload identity=/tmp/bad
check "a file of exactly 64 KiB: its identity is taken" grep -q "identity /tmp/bad: Xen VM $U, 0 toolstack keys" /tmp/id.dmesg
rm -f /tmp/bad
check "without identity= the SMBIOS identity stays" reload
check_eq "without identity=: /sys/hypervisor/uuid is the SMBIOS UUID" "$smbios" "$(cat /sys/hypervisor/uuid)"
check "without identity=: no vm-data/licence" sh -c '! xenstore-read vm-data/licence/key'

# Loaded from a dracut initramfs, whose systemd set the placeholder host name
# "localhost": name waits for the guest's own, which the first XenStore client
# after it is set finds.
host=$(hostname)
hostname localhost
check "xenhv loads while the host name is an initramfs's localhost" reload
check_eq "name is localhost while it stands" localhost "$(xenstore-read name)"
hostname "$host"
check_eq "the first client after the host name is set finds it as name" "$host" "$(xenstore-read name)"
