"""Shared parts of the benches (run.py, recurrent.py) and of their peer
scripts (ae_peers.py, recurrent_peers.py).

Drivers (standard library only): where the peers' Python lives, the thread
limits each framework needs beside OMP_NUM_THREADS, running a child with its
own resource usage (peak RSS, CPU time) and reading the `RESULT {json}` line a
peer prints, and the speed figures. Peers (numpy): reading aec's initial
checkpoint, limiting a framework to T threads, printing the RESULT line.

Every peer runs in a process of its own: Keras picks its backend at import,
and two frameworks' thread pools in one process would fight for the cores.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV_PYTHON = os.path.join(HERE, ".venv", "bin", "python")


def run_checked(command, env=None):
    """|command|'s stdout; exits with its output when it fails."""
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("failed: %s\n%s%s" % (" ".join(command), result.stdout,
                                       result.stderr))
    return result.stdout


def number(text):
    """An integer as aec prints it, with thousands separators."""
    return int(text.replace(",", ""))


def steady(seconds):
    """The epochs after the first (all if only one): the first holds one-off
    work on every side (XLA's and torch.compile's compiling, oneDNN's
    primitive creation, allocator warm-up)."""
    return seconds[1:] if len(seconds) > 1 else seconds


def speeds(count, seconds):
    """samples/s over the steady epochs (their mean, their median, and the
    fastest epoch's)."""
    timed = steady(seconds)
    return {"samples_per_s": count * len(timed) / sum(timed),
            "median_samples_per_s": count / statistics.median(timed),
            "best_samples_per_s": count / min(timed)}


def checked_choices(parser, args, models, peers):
    """The --models and --peers lists of a driver, each name checked, and
    the checks every driver makes of --epochs and --python."""
    names = [m for m in args.models.split(",") if m]
    chosen = [p for p in args.peers.split(",") if p and p != "none"]
    for m in names:
        if m not in models:
            parser.error("unknown model %r" % m)
    for p in chosen:
        if p not in peers:
            parser.error("unknown peer %r" % p)
    if args.epochs < 2:
        parser.error("--epochs must be at least 2")
    if chosen and not os.path.isfile(args.python):
        parser.error("%s is missing: run bash bench/install-peers.sh, or "
                     "give --python or --peers none" % args.python)
    return names, chosen


def peer_env(threads, peer, env):
    """Each framework's own knob for the thread count, beside OMP's (which
    the caller sets in env); TensorFlow's and torch's are set in the peer by
    limit_threads()."""
    env = dict(env, TF_CPP_MIN_LOG_LEVEL="2")
    if "jax" in peer:
        env["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=%s "
                            "intra_op_parallelism_threads=%d" % (
                                "true" if threads > 1 else "false", threads))
    return env


def run_child(command, env, on_line=None):
    """Runs command with stdout piped (stderr into it), calling
    on_line(line, pid) for each line as it appears. Returns (exit status,
    output, peak RSS in MB of that child alone: os.wait4's rusage)."""
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in child.stdout:
        lines.append(line)
        if on_line:
            on_line(line, child.pid)
    child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, "".join(lines), usage.ru_maxrss / 1024.0


def run_peer(command, env):
    """Runs a peer script; its RESULT json with the child's peak RSS added
    (key rss_mb), or None (printing why) when it failed."""
    print("$ " + " ".join(command), flush=True)
    status, output, rss = run_child(command, env)
    found = re.search(r"^RESULT (.*)$", output, re.M)
    if status != 0 or not found:
        sys.stdout.write(output)
        print("%s failed (exit %d); its row is left out" % (
            os.path.basename(command[1]), status), flush=True)
        return None
    result = json.loads(found.group(1))
    result["rss_mb"] = rss
    return result


# --- in the peers -----------------------------------------------------------


def read_checkpoint(path):
    """The tensors of a safetensors file (aec's checkpoint) as float32 numpy
    arrays in the file's order, optimizer slots (NAME/m, NAME/v) left out."""
    import numpy as np
    with open(path, "rb") as f:
        blob = f.read()
    size = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8:8 + size])
    tensors = {}
    for key, entry in header.items():
        if key != "__metadata__" and "/" not in key:
            begin, end = entry["data_offsets"]
            tensors[key] = np.frombuffer(
                blob[8 + size + begin:8 + size + end],
                dtype=np.float32).reshape(entry["shape"]).copy()
    return tensors


def limit_threads(framework, threads):
    """Limits torch or TensorFlow to |threads| (JAX reads XLA_FLAGS from
    peer_env; every OpenMP runtime OMP_NUM_THREADS)."""
    if framework.startswith("torch"):
        import torch
        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
    elif framework == "keras-tf":
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)


class EpochClock:
    """Wall and CPU seconds (time.process_time: every thread of the process)
    of each epoch."""

    def __init__(self):
        self.wall, self.cpu = [], []

    def start(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def stop(self):
        self.wall.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)


def print_result(result):
    print("RESULT " + json.dumps(result), flush=True)
