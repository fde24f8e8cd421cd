# SPDX-License-Identifier: GPL-2.0
# Hyper-V's side of the KVP pool files for 82-kvp.sh: dump, set, delete, hold the lock.
import fcntl
import os
import sys
import time

KEY, VAL = 512, 2048


def records(path, lock=True):
    with open(path, "rb") as f:
        if lock:
            fcntl.lockf(f, fcntl.LOCK_SH)
        data = f.read()
    out = []
    for i in range(len(data) // (KEY + VAL)):
        r = data[i * (KEY + VAL):(i + 1) * (KEY + VAL)]
        out.append((r[:KEY].split(b"\0", 1)[0], r[KEY:].split(b"\0", 1)[0]))
    return out, len(data)


def rewrite(path, change):
    # As hv_kvp_daemon stores what the host sends: whole-file write lock, rewrite, truncate.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.lockf(fd, fcntl.LOCK_EX)
    data = os.read(fd, 1 << 24)
    recs = [(data[i:i + KEY].split(b"\0", 1)[0], data[i + KEY:i + KEY + VAL].split(b"\0", 1)[0])
            for i in range(0, len(data) - len(data) % (KEY + VAL), KEY + VAL)]
    recs = change(recs)
    out = b"".join(k.ljust(KEY, b"\0") + v.ljust(VAL, b"\0") for k, v in recs)
    os.lseek(fd, 0, 0)
    os.write(fd, out)
    os.ftruncate(fd, len(out))
    os.close(fd)


cmd, path = sys.argv[1], sys.argv[2]
if cmd in ("dump", "peek"):		# key=value per record, then "size N"; peek takes no lock
    recs, size = records(path, cmd == "dump")
    for k, v in recs:
        sys.stdout.buffer.write(k + b"=" + v + b"\n")
    print("size %d" % size)
elif cmd == "set":			# set POOL KEY VALUE
    k, v = sys.argv[3].encode(), sys.argv[4].encode()
    rewrite(path, lambda r: [x for x in r if x[0] != k] + [(k, v)])
elif cmd == "delete":
    k = sys.argv[3].encode()
    rewrite(path, lambda r: [x for x in r if x[0] != k])
elif cmd == "hold":			# hold POOL SECONDS: the write lock, as the daemon takes it
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.lockf(fd, fcntl.LOCK_EX)
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
elif cmd == "garbage":			# a record cut short at the end of the file
    with open(path, "ab") as f:
        f.write(b"torn".ljust(700, b"\0"))
