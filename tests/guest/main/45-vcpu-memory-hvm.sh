# SPDX-License-Identifier: GPL-2.0
# vcpu_op, memory_op, hvm_op, mmuext_op; the flushes are proven to reach Hyper-V.
. /tests/lib.sh
need_xenhv

hv_calls() { status hv_calls "$1"; }
on_xen || { space=$(hv_calls flush_space); list=$(hv_calls flush_list); }
pages=$(awk '/^MemTotal:/ { print $2 / 4 }' /proc/meminfo)
run_tap /progs/xen_vcpu_mem "$pages"
hv_only "counts Hyper-V flush hypercalls" check_eq "HVMOP_flush_tlbs and MMUEXT_TLB_FLUSH_ALL each made one HvCallFlushVirtualAddressSpace" \
	$((space + 2)) "$(hv_calls flush_space)"
hv_only "counts Hyper-V flush hypercalls" check_eq "MMUEXT_INVLPG_ALL made one HvCallFlushVirtualAddressList" $((list + 1)) "$(hv_calls flush_list)"
