#!/usr/bin/python3
"""A QEMU whose first boot stalls in the dom0 kernel (mkdom0 boot --qemu).

Runs the real qemu-system-x86_64 with the arguments it is given plus a QMP
socket of its own.  A watcher pauses the VM (QMP stop) a moment after the
serial console first shows "Linux version", so the console goes silent
before init as under a TCG stall (CI saw one: 300 s quiet after
"clocksource: Switched to clocksource xen"), and lets it run again (QMP cont)
once the check has reset it (the RESET event).  Every later boot runs
untouched.  The fault is injected, the boots are real.
"""
import json
import os
import shutil
import socket
import sys
import tempfile
import time


def serial_path(args):
    for i, a in enumerate(args[:-1]):
        if a == "-serial" and args[i + 1].startswith("file:"):
            return args[i + 1][len("file:"):]
    sys.exit("qemu-stall.py: no -serial file:PATH among the arguments")


def watch(sock_path, console):
    deadline = time.time() + 60
    while not os.path.exists(sock_path):
        if time.time() > deadline:
            return
        time.sleep(0.1)
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)
    f = s.makefile("rw")
    f.readline()  # the greeting

    def cmd(name):
        f.write(json.dumps({"execute": name}) + "\n")
        f.flush()
        while True:
            line = f.readline()
            if not line or '"return"' in line or '"error"' in line:
                return line

    cmd("qmp_capabilities")
    while True:
        try:
            with open(console, "rb") as c:
                if b"Linux version" in c.read():
                    break
        except FileNotFoundError:
            pass
        time.sleep(0.2)
    time.sleep(2)  # well into the kernel's boot, long before init
    cmd("stop")
    while True:
        line = f.readline()
        if not line:
            return  # QEMU ended
        if json.loads(line).get("event") == "RESET":
            cmd("cont")
            return


def main():
    args = sys.argv[1:]
    console = serial_path(args)
    sock = os.path.join(tempfile.mkdtemp(prefix="qemu-stall."), "qmp.sock")
    if os.fork() == 0:
        os.setsid()
        try:
            watch(sock, console)
        finally:
            shutil.rmtree(os.path.dirname(sock), ignore_errors=True)
            os._exit(0)
    os.execvp("qemu-system-x86_64",
              ["qemu-system-x86_64"] + args + ["-qmp", "unix:%s,server=on,wait=off" % sock])


main()
