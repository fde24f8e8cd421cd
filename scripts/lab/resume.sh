# SPDX-License-Identifier: GPL-2.0
# What a lab boot that died leaves behind: the scenarios it saw to their end, and their lines.

# lab_ended LOG: the boot ids whose scenario L1 saw to its end in LOG (with a
# verdict, or without one after L1's own second attempt or a hang).
lab_ended() {
	sed -n 's/^\[lab\] scenario \([^ ]*\) end$/\1/p' "$1"
}

# lab_keep LOG NOHV: what a boot that died leaves to the final log: L1's own checks
# (when they ran to their end) and each scenario section that L1 saw to its
# end. The section a death cut short is dropped whole; it boots again.
# L1's checks (NOHV=1: they ran) count once they are all out, which the
# first scenario's start shows.
lab_keep() {
	awk -v pre="$2" '
	/^\[lab\] scenario [^ ]* begin/ { if (pre) printf "%s", l1buf; pre = 0
		insec = 1; buf = "" }
	!insec && pre && /^\[tap\]/ { l1buf = l1buf $0 "\n" }
	insec { buf = buf $0 "\n" }
	/^\[lab\] scenario [^ ]* end$/ { printf "%s", buf; insec = 0 }
	' "$1"
}

# lab_left LOG SCENARIOS: the lines of L1's scenario list (name, kernel tag, Xen,
# set, label, ...) whose boot LOG did not see to its end, in their order.
lab_left() {
	# FILENAME, not NR == FNR: an empty first list must leave every line.
	lab_ended "$1" | awk 'FILENAME == "-" { done[$1] = 1; next }
		!done[$1 "@" $5]' - "$2"
}
