# SPDX-License-Identifier: GPL-2.0
# xenhv's kernel API from an event handler's context: interrupts off, a spinlock held.
# lab-only: hyperv xenhv's in-kernel API module, from atomic context
. /tests/lib.sh
need_xenhv

klog_mark
check "the atomic-context test module loads (all its checks pass)" \
	insmod /modules/xenhv_test_atomic.ko domid="$(cat /sys/module/xenhv/parameters/domid)"
klog_since | sed -n 's/.*xenhv_test_atomic: \(not ok\|ok\) - \(.*\)/\1 \2/p' | while read -r res rest; do
	case "$res" in
	ok) ok "$rest" ;;
	*) not_ok "${rest#ok }" ;;
	esac
done
check_eq "the module ran all its checks" 24 "$(klog_since | grep -c 'xenhv_test_atomic: \(not \)\?ok - ')"
if klog_since | grep -q 'BUG:\|WARNING: CPU\|sleeping function'; then
	not_ok "the kernel log stays clean (no sleep or IPI in atomic context)"
	klog_since | grep -A3 'BUG:\|WARNING: CPU\|sleeping function' | head -n 20 | sed 's/^/# /'
else
	ok "the kernel log stays clean (no sleep or IPI in atomic context)"
fi
rmmod xenhv_test_atomic 2> /dev/null
true
