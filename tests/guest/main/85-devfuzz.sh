# SPDX-License-Identifier: GPL-2.0
# The device-node fuzzer: 4 processes of random and malformed calls on every Xen node, with unloads.
# lab-only: hyperv fuzzes xenhv's device nodes and unloads xenhv
. /tests/lib.sh
need_xenhv

# Time and seed come from the host (XENHV_FUZZ_SECONDS, XENHV_FUZZ_SEED); the seed is printed.
read -r secs seed < /etc/lab-fuzz 2>/dev/null
# The seed is said before the run, and the kernel's warnings and worse go to
# the console while it lasts: a guest that dies in the fuzzer (seen once on
# 7.2, without a word) leaves what to replay and what the kernel said.
seed=${seed:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# devfuzz: seed $seed (XENHV_FUZZ_SEED=$seed replays it)"
read -r level rest < /proc/sys/kernel/printk
echo 5 > /proc/sys/kernel/printk
before=$(dmesg | wc -l)
run_tap /progs/devfuzz -t "${secs:-60}" -p 4 -m /modules/xenhv.ko -s "$seed"
echo "$level" > /proc/sys/kernel/printk
dmesg | tail -n +$((before + 1)) | grep -E "$KREPORT_PAT" > /tmp/fuzz-reports
check "no kernel report while the fuzzer ran" test ! -s /tmp/fuzz-reports
sed 's/^/# /' /tmp/fuzz-reports | head -n 20
# What the fuzzer took, it gave back: xenhv unloads, loads again, and answers.
[ -d /sys/module/xenhv ] || insmod /modules/xenhv.ko
check "xenhv unloads after the fuzzer (no reference left behind)" rmmod xenhv
check "xenhv loads again after the fuzzer" insmod /modules/xenhv.ko
check_eq "XenStore answers after the fuzzer" 1 "$(xenstore-read domid)"
run_tap /progs/xen_version
