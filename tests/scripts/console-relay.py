#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# TAP: the lab's console relay (tests/progs/console_relay) loses no byte, also when stopped mid-burst.
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
relay = os.path.join(top, "tests/progs/bin/console_relay")
n = 0


def ok(cond, desc):
    global n
    n += 1
    print("%s %d - console-relay: %s" % ("ok" if cond else "not ok", n, desc))


def drain(master, proc, limit):
    """What the console side got until the relay ended (or LIMIT seconds)."""
    got = b""
    end = time.time() + limit
    while time.time() < end:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                got += os.read(master, 65536)
            except OSError:
                break
        elif proc.poll() is not None:
            break
    return got


def run(lines, tmp):
    """A relay on a pty standing for the console; LINES written, then SIGTERM at once."""
    master, console = pty.openpty()
    link = os.path.join(tmp, "console-%d" % lines)
    proc = subprocess.Popen([relay, link], stdout=console)
    for _ in range(50):
        if os.path.islink(link):
            break
        time.sleep(0.1)
    w = os.open(link, os.O_WRONLY)
    tty = os.isatty(w)
    data = "".join("line %d of %d\n" % (i, lines) for i in range(lines)).encode()
    got, off = b"", 0
    while off < len(data):
        off += os.write(w, data[off:off + 4096])
        r, _, _ = select.select([master], [], [], 0)
        if r:
            got += os.read(master, 1024)   # a console slower than its writers
    t = time.time()
    proc.send_signal(signal.SIGTERM)
    got += drain(master, proc, 10)
    took = time.time() - t
    rc = proc.wait(timeout=10)
    for fd in (w, master, console):
        os.close(fd)
    # The console's own pty turns each newline into CR LF; the relay adds nothing.
    return tty, got == data.replace(b"\n", b"\r\n"), len(data), rc, took


with tempfile.TemporaryDirectory() as tmp:
    if not os.access(relay, os.X_OK):
        ok(False, "%s is built (make progs)" % relay)
        sys.exit(1)
    r = subprocess.run([relay], capture_output=True)
    ok(r.returncode == 1 and b"usage" in r.stderr, "without its link it says how it is used and fails")
    for lines in (10, 60000):
        tty, same, size, rc, took = run(lines, tmp)
        ok(tty, "the tests' side is a tty (%d lines)" % lines)
        ok(same, "SIGTERM right after %d bytes: every byte reaches the console, in order, unchanged" % size)
        ok(rc == 0 and took < 5, "then it exits at once, status 0 (status %s after %.2f s)" % (rc, took))
