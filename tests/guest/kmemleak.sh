# SPDX-License-Identifier: GPL-2.0
# On a kernel with kmemleak: after the tests, with xenhv unloaded, no leaked object of xenhv's.
. /tests/lib.sh
T=kmemleak
kml=/sys/kernel/debug/kmemleak

# The test modules go first (they hold xenhv), then xenhv: what it leaked at exit counts too.
for m in xenhv_test_api xenhv_test_evtchn xenhv_bench xenhv; do
	[ -d /sys/module/$m ] && rmmod $m
done
check "xenhv is unloaded before the leak scan" test ! -d /sys/module/xenhv
# An object counts as leaked only once it is 5 s old and unreferenced in a scan;
# a second scan catches what the first found too young.
sleep 6
echo scan > $kml
echo scan > $kml
cat $kml > /tmp/kmemleak.txt
n=$(grep -c '^unreferenced object' /tmp/kmemleak.txt)
# A backtrace frame in a module that is gone prints as a bare address in the
# module area; one still loaded prints its name.
ours=$(awk '/^unreferenced object/ { if (o) n++; o = 0 }
	/\[xenhv\]|xenhv_/ { o = 1 }
	/\] 0xffffffff[a-f][0-9a-f]+$/ { o = 1 }
	END { if (o) n++; print n + 0 }' /tmp/kmemleak.txt)
check_eq "kmemleak: no leaked object allocated by xenhv (or another unloaded module)" 0 "$ours"
echo "# kmemleak: $n unreferenced object(s) in all, $ours from xenhv or an unloaded module"
sed 's/^/# /' /tmp/kmemleak.txt | head -n 200
