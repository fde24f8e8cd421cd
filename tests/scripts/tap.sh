# SPDX-License-Identifier: GPL-2.0
# The host tests' TAP helper: `ok RC DESCRIPTION` numbers a line and counts failures.
n=0
fails=0
ok() {	# ok RC DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}
