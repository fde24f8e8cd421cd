# SPDX-License-Identifier: GPL-2.0
# Debian's python3-pyxs (its own implementation of the wire protocol) against /dev/xen/xenbus.
import errno
import os
import sys

from pyxs import Client, PyXSError
from pyxs.client import Monitor

failed = 0


def check(ok, what):
    global failed
    print("[tap] %s - 80-pyxs: %s" % ("ok" if ok else "not ok", what), flush=True)
    failed += not ok


D = b"/local/domain/1/data/pyxs"
with Client(xen_bus_path="/dev/xen/xenbus") as c:
    check(c.read(b"/local/domain/1/domid") == b"1", "read domid")
    c.write(D + b"/a", b"hello")
    check(c.read(D + b"/a") == b"hello", "write then read")
    c.mkdir(D + b"/dir")
    check(sorted(c.list(D)) == [b"a", b"dir"], "list")
    check(c.exists(D + b"/a") and not c.exists(D + b"/nope"), "exists")
    check(c.get_perms(D + b"/a") == [b"n1"], "get_perms: owned by the guest")
    c.set_perms(D + b"/a", [b"n1", b"r0"])
    check(c.get_perms(D + b"/a") == [b"n1", b"r0"], "set_perms")
    try:
        c.set_perms(D + b"/a", [b"n0"])
        check(False, "giving the node to domain 0 is refused")
    except PyXSError as e:
        check(e.args[0] == errno.EPERM, "giving the node to domain 0 is EPERM, as xenstored (%r)" % (e.args,))
    try:
        c.set_perms(D + b"/a", [b"n2"])
        check(False, "giving the node to domain 2 (none) is refused")
    except PyXSError as e:
        check(e.args[0] == errno.ENOENT, "giving the node to domain 2 (none) is ENOENT, as xenstored (%r)" % (e.args,))
    try:
        c.delete(b"/local/domain/1")
        check(False, "removing the home is refused")
    except PyXSError as e:
        check(e.args[0] == errno.EACCES, "removing the home is EACCES (it is domain 0's)")
    check(c.read(b"/local/domain/1/domid") == b"1", "and domid stays")
    check(c.get_domain_path(1) == b"/local/domain/1", "get_domain_path")
    try:
        c.is_domain_introduced(1)
        check(False, "is_domain_introduced is refused to a domU")
    except PyXSError as e:
        check(e.args[0] == errno.EACCES, "is_domain_introduced is EACCES to a domU, as xenstored")
    try:
        c.write(b"/tool/pyxs", b"x")
        check(False, "writing domain 0's tree is refused")
    except PyXSError as e:
        check(e.args[0] == errno.EACCES, "writing domain 0's tree is EACCES")

    # Transactions: a commit, and a conflict seen as commit() == False.
    c.transaction()
    c.write(D + b"/t", b"1")
    check(c.commit() and c.read(D + b"/t") == b"1", "transaction commits")
    c.transaction()
    c.read(D + b"/t")
    with Client(xen_bus_path="/dev/xen/xenbus") as other:
        other.write(D + b"/t", b"other")
    c.write(D + b"/t", b"mine")
    check(not c.commit(), "a conflicting transaction fails to commit (EAGAIN)")
    check(c.read(D + b"/t") == b"other", "and the other writer's value stands")

    # Watches through pyxs's own Monitor (its monitor() refuses XenBus by policy).
    m = Monitor(c)
    m.watch(D + b"/w", b"tok")
    events = m.wait()
    first = next(events)
    check(first == (D + b"/w", b"tok"), "watch fires once when set")
    with Client(xen_bus_path="/dev/xen/xenbus") as other:
        other.write(D + b"/w/x", b"1")
    check(next(events) == (D + b"/w/x", b"tok"), "watch fires on a change below it")
    m.unwatch(D + b"/w", b"tok")
    c.delete(D)
    check(not c.exists(D), "delete")

sys.exit(1 if failed else 0)
