# SPDX-License-Identifier: GPL-2.0
# Scenario "fallback": Hyper-V without hv-time, hv-runtime, hv-tlbflush, hv-stimer and hv-ipi.
# xenhv still works, through the plain Linux mechanisms, and says which.
. /tests/lib.sh

check "xenhv loads on the reduced Hyper-V" insmod /modules/xenhv.ko $XENHV_LAB_ARGS
check "Hyper-V reports the missing features" sh -c \
	'dmesg | grep -q "xenhv: Hyper-V: stimer=0 crash=1 ref_tsc=0 vp_runtime=0 tlbflush=0 ipi=0"'
check "the log names the running-time fallback" sh -c \
	'dmesg | grep -q "xenhv: fallback: no HV_X64_MSR_VP_RUNTIME, vCPU running time from the kernel"'
check "the log names the TLB flush fallback" sh -c \
	'dmesg | grep -q "xenhv: fallback: no Hyper-V flush hypercalls recommended"'
check "the log names the timer fallback" sh -c \
	'dmesg | grep -q "xenhv: fallback: no Hyper-V synthetic timers, Xen vCPU timers use hrtimers"'
check "the log names the IPI fallback" sh -c \
	'dmesg | grep -q "xenhv: fallback: no Hyper-V IPI hypercall recommended"'
check "the log names the system time fallback" sh -c \
	'dmesg | grep -q "xenhv: fallback: no Hyper-V reference counter, Xen system time is CLOCK_MONOTONIC"'
check "the log names the pvclock fallback" sh -c \
	'dmesg | grep -q "xenhv: fallback: no Hyper-V reference TSC page, Xen pvclock from the TSC frequency"'
/progs/xenhv > /tmp/st.txt
check "the status command lists the fallbacks" sh -c \
	'grep -q "vcpu running time: kernel CPU accounting" /tmp/st.txt && grep -q "tlb flush: Linux flush" /tmp/st.txt &&
	 grep -q "timers: hrtimer" /tmp/st.txt && grep -q "ipi: Linux IPIs" /tmp/st.txt &&
	 grep -q "pvclock: TSC frequency" /tmp/st.txt && grep -q "system time: CLOCK_MONOTONIC" /tmp/st.txt'
check_eq "JSON lists all six" 6 "$(/progs/xenhv --json | jq '.fallbacks | length')"

# Time without hv-time: pvclock from the TSC frequency, system time CLOCK_MONOTONIC.
check_eq "pvclock source: the TSC frequency" tsc \
	"$(status time source)"
run_tap /progs/xen_time notime

# Event channels on the plain mechanisms: hrtimers and the APIC driver.
hv() { status hv_calls "$1"; }
run_tap /progs/evtchn_timer
check "VIRQ_TIMER came from hrtimers" test "$(hv hrtimer_fired)" -ge 40
check_eq "and no synthetic timer was touched" "0 0" "$(hv stimer_armed) $(hv stimer_fired)"
run_tap /progs/evtchn_pingpong 500 "$(cat /sys/module/xenhv/parameters/domid)"
check "cross-vCPU events went through the APIC driver" test "$(hv apic_ipi)" -ge 500
check_eq "and never through the IPI hypercall" 0 "$(hv send_ipi)"
pages=$(awk '/^MemTotal:/ { print $2 / 4 }' /proc/meminfo)
run_tap /progs/xen_vcpu_mem "$pages"
check_eq "no Hyper-V flush hypercall was made" "0 0" \
	"$(status hv_calls flush_space) $(status hv_calls flush_list)"
run_tap /progs/xen_version 0x40011 .0
/usr/lib/xen-${LAB_XEN:-4.17}/bin/test-xenstore > /dev/null 2>&1
check_eq "test-xenstore passes here too" 0 $?
