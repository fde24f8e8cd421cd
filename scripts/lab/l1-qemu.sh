# SPDX-License-Identifier: GPL-2.0
# The QEMU that emulates L1 on the host: unstable's, from its cached chroot, by default.
# Sourced after env.sh and suite.sh.

# Before 10.2, QEMU's TCG changed a vCPU's pending-interrupt bits with a
# plain read-modify-write at every VMRUN and #VMEXIT of nested SVM, on the
# vCPU's own thread, while the APIC timer and other vCPUs' IPIs set the
# hard-interrupt bit from theirs. One lost update leaves that vCPU halted
# for good with IF set and its timer's vector in IRR: exactly the L1 wedges
# Debian 12's 7.2 gave (docs/lab.md). QEMU 10.2 made those updates atomic
# ("cpu-common: use atomic access for interrupt_request"); Debian 13's 10.0
# predates it, unstable's has it. Every L1 runs KVM under TCG, so the lab
# takes unstable's QEMU for L1 (L2's QEMU, inside L1, stays Debian 12's).
# It runs on the host through the chroot's own dynamic loader and libraries,
# so the chroot needs no bind mount of the files L1 reads and writes, and
# nothing of the newer suite is installed on the host.
# XENHV_L1_QEMU=host: Debian 12's own QEMU instead (to compare the two).
# Sets L1_QEMU, the command (an array) that runs in place of qemu-system-x86_64.
lab_l1_qemu() {
	local root lib
	if [ "${XENHV_L1_QEMU:-sid}" = host ]; then
		L1_QEMU=(qemu-system-x86_64)
		return 0
	fi
	root=$(suite_chroot sid qemu-system-x86) || return 1
	lib=$root/usr/lib/x86_64-linux-gnu
	# Firmware from the chroot too (-L, searched before the built-in paths,
	# which would name the host's older SeaBIOS).
	L1_QEMU=(env "QEMU_MODULE_DIR=$lib/qemu"
		"$root/lib64/ld-linux-x86-64.so.2" --library-path "$lib"
		"$root/usr/bin/qemu-system-x86_64"
		-L "$root/usr/share/qemu" -L "$root/usr/share/seabios")
	"${L1_QEMU[@]}" -version > /dev/null 2>&1 ||
		{ log "the QEMU in $root does not run"; return 1; }
}
