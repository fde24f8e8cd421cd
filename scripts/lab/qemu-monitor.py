#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Runs HMP commands on a QEMU monitor's unix socket and prints what each answers.

usage: qemu-monitor.py SOCKET COMMAND...   (the lab: a wedged L1's vCPU and APIC state)
"""
import socket
import sys
import time


def read_until_prompt(sock, limit):
    """What the monitor prints up to its next "(qemu) " prompt, or until LIMIT seconds."""
    data = b""
    end = time.monotonic() + limit
    while not data.endswith(b"(qemu) ") and time.monotonic() < end:
        sock.settimeout(max(0.1, end - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(sys.argv[1])
    except OSError as e:
        print(f"qemu-monitor: {sys.argv[1]}: {e}", file=sys.stderr)
        return 1
    read_until_prompt(sock, 5)
    for cmd in sys.argv[2:]:
        sock.sendall(cmd.encode() + b"\n")
        out = read_until_prompt(sock, 10)
        # HMP echoes the command line as its line editor redraws it (escape
        # sequences) and ends with the next prompt: neither is the answer.
        lines = [l for l in out.replace("\r", "").split("\n")
                 if l.strip() and not l.startswith("(qemu)") and "\x1b[" not in l]
        print(f"## {cmd}")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
