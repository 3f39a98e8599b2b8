#!/usr/bin/env python3
"""Runs a training command, sends it SIGINT mid-run, and reports.

Usage: interrupt.py DELAY CHECKPOINT COMMAND...

Starts COMMAND, waits for CHECKPOINT to appear (aec train writes the initial
weights right before its first batch, so the signal never lands while the
model is still compiling), sleeps DELAY seconds (and, if need be, until the
command has a third thread: an OpenMP worker), sends SIGINT and waits for
the command to end. Echoes the command's stdout and stderr and ends with a
line "exit N" giving its exit code, for FileCheck. Before the signal it
prints whether every thread of the command but one blocks SIGINT and
SIGTERM (a line "signal masks: N threads, all but the watcher block SIGINT
and SIGTERM", or the threads that do not): aec takes them on one watcher
thread, so that no handler ever runs on a thread inside oneDNN. Exits 1 if the command ended before the signal was
sent (the test would then check nothing).
"""

import os
import signal
import subprocess
import sys
import tempfile
import time


# Bits of SIGINT (2) and SIGTERM (15) in /proc's SigBlk masks.
INTERRUPTS = (1 << (signal.SIGINT - 1)) | (1 << (signal.SIGTERM - 1))


def signal_masks(pid):
    """Describes which of |pid|'s threads block SIGINT and SIGTERM. One may
    not: the watcher, which the kernel shows unblocked while in sigwait()."""
    tasks = os.listdir("/proc/%d/task" % pid)
    open_to_them = []
    for task in sorted(tasks, key=int):
        try:
            with open("/proc/%d/task/%s/status" % (pid, task)) as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except FileNotFoundError:
            continue  # the thread ended meanwhile
        if int(fields["SigBlk"], 16) & INTERRUPTS != INTERRUPTS:
            open_to_them.append(task)
    if len(open_to_them) > 1:
        return "signal masks: threads %s do not block them" % " ".join(
            open_to_them)
    return ("signal masks: %d threads, all but the watcher block SIGINT and "
            "SIGTERM" % len(tasks))


def main():
    delay = float(sys.argv[1])
    checkpoint = sys.argv[2]
    command = sys.argv[3:]
    if os.path.exists(checkpoint):
        print("interrupt.py: %s exists before the run" % checkpoint,
              file=sys.stderr)
        return 1
    with tempfile.TemporaryFile("w+") as out, \
            tempfile.TemporaryFile("w+") as err:
        # lit's workers ignore SIGINT and their children inherit that; a
        # process started ignoring SIGINT keeps ignoring it (aec does too),
        # so the command starts with the default action, as from a terminal.
        child = subprocess.Popen(
            command, stdout=out, stderr=err,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        while not os.path.exists(checkpoint) and child.poll() is None:
            time.sleep(0.01)
        time.sleep(delay)
        # On a loaded machine the first batch (whose kernels start OpenMP's
        # threads) may not have begun yet: wait up to 10 s more for a third
        # thread, so that the masks checked include a worker's.
        waited = 0.0
        while child.poll() is None and waited < 10:
            try:
                if len(os.listdir("/proc/%d/task" % child.pid)) >= 3:
                    break
            except FileNotFoundError:
                break  # it ended: reported below
            time.sleep(0.01)
            waited += 0.01
        sent = child.poll() is None
        masks = signal_masks(child.pid) if sent else ""
        if sent:
            child.send_signal(signal.SIGINT)
        code = child.wait()
        for f in (out, err):
            f.seek(0)
            sys.stdout.write(f.read())
    print(masks)
    print("exit %d" % code)
    if not sent:
        print("interrupt.py: the command ended before SIGINT was sent",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
