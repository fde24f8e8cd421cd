# SPDX-License-Identifier: GPL-2.0
# Grant tables through gntalloc/gntdev (libxengnttab), and Debian's vchan-socket-proxy end to end.
. /tests/lib.sh
need_xenhv

domid=$(own_domid)
gnt() { status grants "$1"; }

check "/dev/xen/gntalloc and /dev/xen/gntdev are character devices" \
	test -c /dev/xen/gntalloc -a -c /dev/xen/gntdev
run_tap /progs/gnt_share "$domid"
run_tap /progs/gnt_abi "$domid"
# Unload while a grant is mapped (its files already closed): refused.
if maps_grants "rmmod while a grant mapping lives"; then
	mkfifo /tmp/gnt-hold.in
	/progs/gnt_abi hold < /tmp/gnt-hold.in > /tmp/gnt-hold.out 2>&1 &
	exec 9> /tmp/gnt-hold.in
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -s /tmp/gnt-hold.out ] && break; sleep 0.2; done
	hv_only "unloads xenhv" check_fails "rmmod xenhv is refused while a grant mapping lives" rmmod xenhv
	exec 9>&-
	wait
fi
# Revokes the mapper held up retry once a second.
sleep 2
hv_only "xenhv's status counters" check_eq "every grant the tests made is revoked again" 0 "$(gnt in_use)"
hv_only "xenhv's status counters" check_eq "and gntalloc holds no page" 0 "$(gnt gntalloc_pages)"

# vchan: server and client proxies, each with a stream peer on its socket.
# Their rendezvous lives under data/, which a Xen domU may write (its home
# itself belongs to domain 0, so a node right under it is EACCES).
# 4 MB wraps the proxy's 1 and 2 KiB rings thousands of times; its speed is
# make bench's to measure (an rt kernel's threaded events take minutes for more).
if maps_grants "vchan-socket-proxy streams (libxenvchan maps its peer's rings)"; then
	SZ=4000000
	vchan_pair() {	# NAME: start the peers' proxies on xenstore node data/NAME
		vchan-socket-proxy -m server "$domid" "data/$1" /tmp/srv-$1.sock > /tmp/sp-$1.out 2>&1 &
		sproxy=$!
		vchan-socket-proxy -m client "$domid" "data/$1" /tmp/cli-$1.sock > /tmp/cp-$1.out 2>&1 &
		cproxy=$!
	}
	# The client's end holds its socket open until the server's end has all of
	# its stream: the server proxy drops what is left in the ring once the client
	# has gone (vchan_peer.c says more).
	rm -f /tmp/t1.srv-done
	VCHAN_PEER_DONE=/tmp/t1.srv-done /progs/vchan_peer listen /tmp/srv-t1.sock 11 $SZ 22 $SZ \
		vchan-server-end > /tmp/peer-s.out 2>&1 &
	speer=$!
	vchan_pair t1
	VCHAN_PEER_HOLD=/tmp/t1.srv-done /progs/vchan_peer connect /tmp/cli-t1.sock 22 $SZ 11 $SZ \
		vchan-client-end > /tmp/peer-c.out 2>&1
	wait $speer
	grep -h '^\[tap\]\|^#' /tmp/peer-s.out /tmp/peer-c.out
	check_eq "4 MB each way through vchan-socket-proxy (4 byte-exact checks)" 4 \
		"$(cat /tmp/peer-s.out /tmp/peer-c.out | grep -c '^\[tap\] ok')"
	xenstore-ls "/local/domain/$domid/data" 2>&1 | grep -A3 '^t1' | sed 's/^/# xenstore: /'
	sed 's/^/# server proxy: /' /tmp/sp-t1.out | tail -n 3
	sed 's/^/# client proxy: /' /tmp/cp-t1.out | tail -n 3
	kill $sproxy $cproxy 2> /dev/null
	wait $sproxy $cproxy 2> /dev/null

	# A peer that dies mid-stream: the client proxy is killed; the server side notices.
	/progs/vchan_peer listen /tmp/srv-t2.sock 33 0 44 -1 vchan-server-end > /tmp/peer-s2.out 2>&1 &
	speer=$!
	vchan_pair t2
	/progs/vchan_peer connect /tmp/cli-t2.sock 44 2000000000 33 0 vchan-client-end > /dev/null 2>&1 &
	cpeer=$!
	sleep 3
	kill -9 $cproxy
	wait $speer
	cat /tmp/peer-s2.out | grep '^\[tap\]\|^#'
	kill $cpeer $sproxy 2> /dev/null
	wait 2> /dev/null
	sleep 2
	sed 's/^/# server proxy: /' /tmp/sp-t2.out | tail -n 3
fi
hv_only "xenhv's status counters" check_eq "after the vchans closed, no grant is left" 0 "$(gnt in_use)"
