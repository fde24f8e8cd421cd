# SPDX-License-Identifier: GPL-2.0
# xenhv-kvp: what Xen's guest agents write reaches Hyper-V's KVP guest pool; host items come back.
# lab-only: hyperv Hyper-V's KVP pool
. /tests/lib.sh
need_xenhv

P=/var/lib/hyperv
K="python3 /tests/main/82-kvp.py"
mkdir -p $P
rm -f $P/.kvp_pool_*
# item POOL KEY: the value of KEY in pool POOL's file (empty if none).
item() { $K dump $P/.kvp_pool_$1 | awk -v k="$2=" 'index($0, k) == 1 { print substr($0, length(k) + 1) }'; }
# wait_for DESC CMD...: CMD succeeds within 10 s.
wait_for() {
	local d=$1 i=0
	shift
	while ! "$@" > /dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
	check "$d" "$@"
}

# Another writer's item (cloud-init's reporter writes pool 1 too): it must survive.
$K set $P/.kvp_pool_1 'CLOUD_INIT|boot|0' '{"msg":"other writer"}'
# What xe-guest-utilities' xe-daemon and XCP-ng's xen-guest-agent publish, through libxenstore.
long=$(head -c 1500 /dev/zero | tr '\0' x)
for kv in "data/os_distro=debian" "data/os_name=Debian GNU/Linux 12 (bookworm)" \
	"data/os_uname=$(uname -r)" "data/meminfo_free=123456" "data/meminfo_total=1015808" \
	"attr/PVAddons/MajorVersion=9" "attr/PVAddons/MinorVersion=4" "attr/PVAddons/MicroVersion=0" \
	"attr/PVAddons/BuildVersion=7" "attr/PVAddons/Installed=1" "attr/vif/0/ipv4/0=10.0.2.15" \
	"control/feature-suspend=1" "data/long=$long"; do
	xenstore-write "${kv%%=*}" "${kv#*=}"
done
python3 /usr/sbin/xenhv-kvp --interval 0.3 > /tmp/kvp.log 2>&1 &
kvp=$!
wait_for "xenhv-kvp fills the guest pool (pool 1)" sh -c "$K dump $P/.kvp_pool_1 | grep -q '^control/feature-suspend=1$'"
for kv in "data/os_distro=debian" "data/os_name=Debian GNU/Linux 12 (bookworm)" \
	"data/os_uname=$(uname -r)" "data/meminfo_free=123456" "data/meminfo_total=1015808" \
	"attr/PVAddons/MajorVersion=9" "attr/PVAddons/MinorVersion=4" "attr/PVAddons/MicroVersion=0" \
	"attr/PVAddons/BuildVersion=7" "attr/PVAddons/Installed=1" "attr/vif/0/ipv4/0=10.0.2.15" \
	"control/feature-suspend=1" "control/feature-poweroff=1"; do
	check_eq "guest pool item ${kv%%=*}" "${kv#*=}" "$(item 1 "${kv%%=*}")"
done
check_eq "a 1500-byte value is split as cloud-init does: KEY|0 holds 1024 bytes" 1024 "$(item 1 'data/long|0' | tr -d '\n' | wc -c)"
check_eq "... and KEY|1 the other 476" 476 "$(item 1 'data/long|1' | tr -d '\n' | wc -c)"
check_eq "the unsplit key is not there" "" "$(item 1 data/long)"
check_eq "another writer's item is kept" '{"msg":"other writer"}' "$(item 1 'CLOUD_INIT|boot|0')"
check "records are 512 + 2048 bytes, the file a whole number of them" \
	sh -c "[ \$(( \$($K dump $P/.kvp_pool_1 | sed -n 's/^size //p') % 2560 )) -eq 0 ]"
check "directories (attr/PVAddons) are no items of their own" sh -c "! $K dump $P/.kvp_pool_1 | grep -q '^attr/PVAddons='"

xenstore-write data/meminfo_free 654321
wait_for "a XenStore change reaches the pool (watch)" sh -c "[ \"\$($K dump $P/.kvp_pool_1 | sed -n 's/^data\/meminfo_free=//p')\" = 654321 ]"
xenstore-rm attr/vif/0/ipv4/0
wait_for "a removed XenStore node leaves the pool" sh -c "! $K dump $P/.kvp_pool_1 | grep -q '^attr/vif/0/ipv4/0='"

# The lock: while the host's side holds pool 1, the daemon waits, then writes whole records.
$K hold $P/.kvp_pool_1 20 > /tmp/hold.out &
holder=$!
while ! grep -q held /tmp/hold.out; do sleep 0.1; done
xenstore-write data/os_distro debian-locked
sleep 2
peeked=$($K peek $P/.kvp_pool_1 | sed -n 's|^data/os_distro=||p')
check "the holder still held the lock when the pool was read" kill -0 $holder
check_eq "while another process holds the pool's fcntl lock it is not rewritten (read without a lock)" debian \
	"$peeked"
wait $holder
wait_for "after the lock is released the change is written" sh -c "[ \"\$($K dump $P/.kvp_pool_1 | sed -n 's/^data\/os_distro=//p')\" = debian-locked ]"

# Host to guest: items the host pushes (pool 0) and the host's own (pool 3), as hv_kvp_daemon
# stores them, appear under vm-data/kvp/; a watch there fires.
xenstore-watch -n 2 vm-data/kvp/external/OwnerTeam > /tmp/watch.out 2>&1 &
watcher=$!
sleep 0.5
$K set $P/.kvp_pool_0 OwnerTeam ops
$K set $P/.kvp_pool_0 'Cost Centre.1' 4711
$K set $P/.kvp_pool_3 HostName hyperv-host-01
$K set $P/.kvp_pool_3 VirtualMachineName web01
wait_for "a host-pushed item appears in XenStore (vm-data/kvp/external/OwnerTeam)" \
	sh -c '[ "$(xenstore-read vm-data/kvp/external/OwnerTeam)" = ops ]'
# Each item on its own: the daemon may read a pool between two of the host's writes.
wait_for "a key with a space and a dot is written @XX (4711)" \
	sh -c '[ "$(xenstore-read vm-data/kvp/external/Cost@20Centre@2E1)" = 4711 ]'
wait_for "the host's own items appear (vm-data/kvp/host/HostName)" \
	sh -c '[ "$(xenstore-read vm-data/kvp/host/HostName)" = hyperv-host-01 ]'
wait_for "vm-data/kvp/host/VirtualMachineName is web01" \
	sh -c '[ "$(xenstore-read vm-data/kvp/host/VirtualMachineName)" = web01 ]'
i=0
while kill -0 $watcher 2>/dev/null && [ $i -lt 25 ]; do sleep 0.2; i=$((i + 1)); done
kill $watcher 2>/dev/null
check "a XenStore watch on the host item fires (xenstore-watch saw two events)" \
	test "$(grep -c 'vm-data/kvp/external/OwnerTeam' /tmp/watch.out)" -ge 2
sed 's/^/# watch: /' /tmp/watch.out
$K delete $P/.kvp_pool_0 OwnerTeam
wait_for "an item the host deletes leaves XenStore" sh -c '! xenstore-read vm-data/kvp/external/OwnerTeam'
check "the guest's XenStore items are readable by the guest, as vm-data/ was" xenstore-ls vm-data/kvp

# Misuse: a torn record at the end of a pool is ignored, the daemon keeps going.
$K garbage $P/.kvp_pool_0
$K set $P/.kvp_pool_0 After torn
wait_for "a pool with a torn last record: whole records still read" \
	sh -c '[ "$(xenstore-read vm-data/kvp/external/After)" = torn ]'
check "xenhv-kvp is still running" kill -0 $kvp
kill $kvp
wait $kvp 2>/dev/null
check "xenhv-kvp stops on SIGTERM" sh -c "! kill -0 $kvp 2>/dev/null"
sed 's/^/# xenhv-kvp: /' /tmp/kvp.log | tail -n 8
check_fails "--interval 0 is refused" python3 /usr/sbin/xenhv-kvp --interval 0
python3 /usr/sbin/xenhv-kvp --once --xenbus /dev/nonexistent > /tmp/kvp.err 2>&1
rc=$?
check "without XenStore it exits 1 saying why" sh -c "[ $rc -eq 1 ] && grep -q 'xenhv-kvp: stopped' /tmp/kvp.err"

# Debian's hv_kvp_daemon beside it: QEMU offers no KVP channel, so it can read the pools
# xenhv-kvp wrote but not serve a host. What only a real Hyper-V host shows: the host
# reading pool 1 through KVP_OP_ENUMERATE and pushing pool 0 through KVP_OP_SET.
if [ -x /usr/sbin/hv_kvp_daemon ]; then
	syslogd -n -O /tmp/messages & slog=$!
	sleep 0.3
	timeout 10 /usr/sbin/hv_kvp_daemon -n > /tmp/hvkvp.out 2>&1
	sleep 0.5
	kill $slog 2>/dev/null
	sed 's/^/# hv_kvp_daemon: /' /tmp/messages /tmp/hvkvp.out 2>/dev/null | tail -n 5
	check "hv_kvp_daemon accepts xenhv-kvp's pool files (gets past its pool set-up)" \
		sh -c '! grep -q "Failed to initialize the pools" /tmp/messages'
	check "hv_kvp_daemon stops only at the missing KVP channel (/dev/vmbus/hv_kvp)" \
		grep -q "open /dev/vmbus/hv_kvp failed" /tmp/messages
else
	not_ok "Debian's hv_kvp_daemon is in the lab image (hyperv-daemons)"
fi
