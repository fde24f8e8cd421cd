# SPDX-License-Identifier: GPL-2.0
# Debian's xenstore-utils and Xen's own test-xenstore against /dev/xen/xenbus.
. /tests/lib.sh
need_xenhv

check "/dev/xen/xenbus is a character device, mode 0600" \
	sh -c '[ -c /dev/xen/xenbus ] && [ "$(stat -c %a /dev/xen/xenbus)" = 600 ]'
check_eq "xenstore-read domid (relative to the domain)" 1 "$(xenstore-read domid)"
check_eq "xenstore-read the absolute path" 1 "$(xenstore-read /local/domain/1/domid)"
check_eq "vm names /vm/<the VM's UUID>" "/vm/$(cmdline_arg lab.uuid)" "$(xenstore-read vm)"
hv_only "libxl writes no unique-domain-id; xenhv does (abi.md#conf-xs-nodes)" \
	check_eq "unique-domain-id is the VM's UUID" "$(cmdline_arg lab.uuid)" "$(xenstore-read unique-domain-id)"
hv_only "libxl names the domain from its config; xenhv from the host name (abi.md#conf-xs-nodes)" \
	check_eq "name is the guest's host name" "$(hostname)" "$(xenstore-read name)"
check "xenstore-write data/hello" xenstore-write data/hello "world wide"
check_eq "xenstore-read it back" "world wide" "$(xenstore-read data/hello)"
check "xenstore-exists finds it" xenstore-exists data/hello
check_fails "xenstore-exists of a missing node fails" xenstore-exists data/nope
check_fails "xenstore-read of a missing node fails" xenstore-read data/nope
check_fails "xenstore-write outside the domain is refused" xenstore-write /tool/x 1
check_fails "xenstore-read of domain 0's root is refused" xenstore-read /
check "xenstore-write several" xenstore-write data/l/a 1 data/l/b 2 data/l/c 3
check_eq "xenstore-list lists children in creation order" "a b c" "$(xenstore-list data/l | tr '\n' ' ' | sed 's/ $//')"
xenstore-ls /local/domain/1 > /tmp/ls.out 2>&1
check "xenstore-ls shows the domain's tree" grep -q '^domid = "1"' /tmp/ls.out
check "xenstore-ls shows nested nodes indented" grep -q '^ l = ""' /tmp/ls.out
check "xenstore-chmod data/l n1 r0" xenstore-chmod data/l n1 r0
xenstore-ls -p data > /tmp/lsp.out 2>&1
sed 's/^/# /' /tmp/lsp.out
check "xenstore-ls -p shows the permissions" grep -q '(n1,r0)' /tmp/lsp.out
check "xenstore-rm data/l" xenstore-rm data/l
big=$(head -c 2100 /dev/zero | tr '\0' x)
xenstore-write data/big "$big" > /tmp/big.out 2>&1
check "an over-quota 2100-byte value is refused" test $? -ne 0
check_fails "the removed subtree is gone" xenstore-exists data/l/a

# xenstore-watch prints the initial event and one per change.
xenstore-watch -n 3 data/w > /tmp/watch.out 2>&1 &
wpid=$!
sleep 1
xenstore-write data/w/a 1
xenstore-write data/w/b 2
sleep 1
wait $wpid
check_eq "xenstore-watch saw the initial event and both writes" "data/w data/w/a data/w/b" \
	"$(tr '\n' ' ' < /tmp/watch.out | sed 's/ $//')"

/usr/lib/xen-${LAB_XEN:-4.17}/bin/test-xenstore -i 20 > /tmp/txs.out 2>&1
rc=$?
sed 's/^/# /' /tmp/txs.out
check_eq "Xen's test-xenstore (all 12 tests, 20 iterations each) exits 0" 0 $rc
check_eq "test-xenstore reported 12 tests" 12 "$(grep -c 'avg:' /tmp/txs.out)"
check_fails "test-xenstore reported no failure" grep -q failed /tmp/txs.out
check_fails "test-xenstore left nothing behind" xenstore-exists xenstore-test/1
