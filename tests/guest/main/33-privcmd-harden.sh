# SPDX-License-Identifier: GPL-2.0
# privcmd against a hostile caller: long loops die with it, the grant table's frames need root.
. /tests/lib.sh
need_xenhv

run_tap /progs/privcmd_harden kill
run_tap /progs/privcmd_harden uffd
run_tap /progs/privcmd_harden unpriv
