# SPDX-License-Identifier: GPL-2.0
# Debian's python3-pyxs against /dev/xen/xenbus (the script beside this one).
. /tests/lib.sh
need_xenhv

run_tap timeout 120 python3 /tests/main/80-pyxs.py
