#!/usr/bin/env python3
"""Ctrl-C for an mpirun job: starts COMMAND..., waits until OUT/metrics.csv
holds a finished epoch, sends SIGINT to mpirun (as Ctrl-C in its terminal
does; mpirun passes SIGTERM on to every process), and prints what the job
printed and its exit status. Fails when the job is still running 60 s
later.

  interrupt.py OUT COMMAND...
"""

import os
import signal
import subprocess
import sys
import time


def main():
    out, command = sys.argv[1], sys.argv[2:]
    job = subprocess.Popen(command, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    metrics = os.path.join(out, "metrics.csv")
    deadline = time.time() + 120
    while time.time() < deadline and job.poll() is None:
        if os.path.exists(metrics):
            with open(metrics) as f:
                if len(f.read().splitlines()) >= 2:
                    break
        time.sleep(0.05)
    else:
        job.kill()
        print("interrupt.py: the job ended or wrote no epoch in time")
        return 1
    job.send_signal(signal.SIGINT)
    try:
        text, _ = job.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        job.kill()
        print("interrupt.py: the job still ran 60 s after SIGINT")
        return 1
    # Progress bars redraw with carriage returns; one line per redraw.
    print(text.replace("\r", "\n"))
    print("exit status %d" % job.returncode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
