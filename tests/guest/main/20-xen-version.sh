# SPDX-License-Identifier: GPL-2.0
# xen_version through Debian's libxencall and libxenctrl; the handle is the VM's UUID.
. /tests/lib.sh
need_xenhv

uuid=$(cmdline_arg lab.uuid)
hv_only "a PVH domU has no SMBIOS" \
	check_eq "SMBIOS carries the VM UUID Hyper-V was given" "$uuid" "$(cat /sys/class/dmi/id/product_uuid)"
run_tap /progs/xen_version "$(lab_xen_version)" "$(lab_xen_extra)" "$uuid"
