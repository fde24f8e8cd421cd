# SPDX-License-Identifier: GPL-2.0
# Event channels from a kernel module: IPIs, VIRQ_TIMER and bind_vcpu land on their vCPU.
# lab-only: hyperv xenhv's event channel test module and its Hyper-V counters
. /tests/lib.sh
need_xenhv

hv() { status hv_calls "$1"; }
ipi0=$(hv send_ipi)
st0=$(hv stimer_fired)

klog_mark
check "the event channel test module loads (all its checks pass)" insmod /modules/xenhv_test_evtchn.ko
klog_since | sed -n 's/.*xenhv_test_evtchn: \(not ok\|ok\) - \(.*\)/\1 \2/p' | while read -r res rest; do
	case "$res" in
	ok) ok "$rest" ;;
	*) not_ok "${rest#ok }" ;;
	esac
done
klog_since | grep 'xenhv_test_evtchn: #' | sed 's/.*xenhv_test_evtchn: /# /'
check_eq "the module ran all its checks" 29 "$(klog_since | grep -c 'xenhv_test_evtchn: \(not \)\?ok - ')"
rmmod xenhv_test_evtchn 2> /dev/null
check "the IPIs went by HvCallSendSyntheticClusterIpi (200 or more)" test $(( $(hv send_ipi) - ipi0 )) -ge 200
check "the timers fired as Hyper-V synthetic timer messages" test $(( $(hv stimer_fired) - st0 )) -ge 26
check_eq "no synthetic timer message for a timer that is not ours" 0 "$(hv stimer_stray)"
