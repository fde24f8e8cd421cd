# SPDX-License-Identifier: GPL-2.0
# xenhv's hypercall page and C API, used by another kernel module.
# lab-only: hyperv xenhv's in-kernel API module
. /tests/lib.sh
need_xenhv

klog_mark
check "the API test module loads (all its checks pass)" insmod /modules/xenhv_test_api.ko
klog_since | sed -n 's/.*xenhv_test_api: \(not ok\|ok\) - \(.*\)/\1 \2/p' | while read -r res rest; do
	case "$res" in
	ok) ok "$rest" ;;
	*) not_ok "${rest#ok }" ;;
	esac
done
check_eq "the API test module ran all 12 checks" 12 "$(klog_since | grep -c 'xenhv_test_api: \(not \)\?ok - ')"
klog_since > /tmp/api.klog
check "kernel console_io text reaches the log" grep -q "(d1) hello from xenhv_test_api" /tmp/api.klog
check_fails "xenhv cannot unload while a module uses its API" rmmod xenhv
check "the API test module unloads" rmmod xenhv_test_api
