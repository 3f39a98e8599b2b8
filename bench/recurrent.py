#!/usr/bin/env python3
"""Benchmarks aec's recurrent training against PyTorch, Keras 3 (TensorFlow
with XLA, and JAX) and plain JAX, in one run, on the same data and samples.

Two models, each trained for E epochs by aec (once per backend) and by every
peer, with the same batch, loss, optimizer, initializers, shuffling each
epoch, number of samples and threads:

  speed  bench/lstm_speed600.aenet: LSTM(64) many-to-one over T = 600
         readings of 6 IMU channels + dense(1), MSE on the final speed / 100
         km/h, Adam lr 1e-3, batch 32. Data: bench/make_speed600_csv.py's
         drives in data/speed600/ (written here when missing).
  char   examples/char_lstm.aenet: LSTM(128) over windows of 40 one-hot
         characters (V = 70) of /usr/share/dict/american-english +
         dense(70, softmax), categorical cross-entropy, RMSprop lr 1e-2,
         batch 128 (the example's split: the first 95 % of the windows train).

Every run uses the first N training samples (--limit: aec train --limit N,
the peers the same N). The peers (bench/recurrent_peers.py) run in the venv
of bench/install-peers.sh, one process each, and start from aec's initial
weights for --seed (Keras's initializers, written by aec train --epochs 0).

Prints each run's output, then a Markdown table per model: framework, samples
per epoch, training samples/s (epochs 2..E: the first holds compiling and
one-off work on every side), that of the best epoch, the training loss of
epoch E (the mean over its batches) and of every epoch, and aec's speed over
the strongest peer's. Standard library only; the peers need the venv.

  python3 bench/recurrent.py                      # both models, ~7 minutes
  python3 bench/recurrent.py --models char --backend onednn --peers torch
"""

import argparse
import os
import re
import subprocess
import sys

import peerlib

from peerlib import HERE, ROOT, VENV_PYTHON
SPEED_DATA = os.path.join(ROOT, "data", "speed600")
WORDS = "/usr/share/dict/american-english"

# name: (label, model file, the peers' --data, default limit, what the .aenet
# file must say for the peers to be its twins)
MODELS = {
    "speed": dict(label="LSTM(64) regressor, T=600, F=6, batch 32",
                  file=os.path.join(HERE, "lstm_speed600.aenet"),
                  data=SPEED_DATA, limit=1024, batch=32,
                  expect=[r"input imu: f32\[600, 6\]", r"\blstm\(64\)",
                          r"\bdense\(1\)", r"mse\(kmh\)",
                          r"as kmh scale 1/100", r"adam\(lr = 1e-3\)",
                          r"batch\s+32\b", r"shuffle\s+true"]),
    "char": dict(label="char LSTM(128), T=40, V=70, batch 128",
                 file=os.path.join(ROOT, "examples", "char_lstm.aenet"),
                 data=WORDS, limit=8192, batch=128,
                 expect=[r"input window: chars\[40, 70\]", r"\blstm\(128\)",
                         r"dense\(70, softmax\)", r"cce\(next\)",
                         re.escape('text("%s", window = 40)' % WORDS),
                         r"split\s+0\.05\b", r"rmsprop\(lr = 1e-2\)",
                         r"batch\s+128\b", r"shuffle\s+true"]),
}
PEERS = ["torch", "keras-tf", "keras-jax", "jax"]


def check_model(name):
    """Refuses to run when the .aenet file no longer says what the peers
    implement, or the data are missing (generating the regressor's)."""
    spec = MODELS[name]
    with open(spec["file"]) as f:
        text = re.sub(r"#.*", "", f.read())
    for pattern in spec["expect"]:
        if not re.search(pattern, text):
            raise SystemExit("recurrent.py: %s no longer matches /%s/; update "
                             "MODELS here and bench/recurrent_peers.py" % (
                                 spec["file"], pattern))
    if name == "speed" and not os.path.isfile(
            os.path.join(SPEED_DATA, "speed_train_targets.csv")):
        subprocess.run([sys.executable,
                        os.path.join(HERE, "make_speed600_csv.py")],
                       check=True)
    if name == "char" and not os.path.isfile(WORDS):
        raise SystemExit("recurrent.py: %s is missing; apt-get install "
                         "wamerican" % WORDS)


def run_aec(args, name, backend, limit, env):
    spec = MODELS[name]
    folder = os.path.join(args.out, backend, name)
    command = [args.aec, "train", spec["file"], "--epochs", str(args.epochs),
               "--seed", str(args.seed), "--out", folder, "--overwrite",
               "--backend", backend, "--limit", str(limit)]
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        raise SystemExit("recurrent.py: aec train exited %d" %
                         result.returncode)
    counts = re.search(r"([\d,]+) training samples", result.stdout)
    compiled = re.search(r"compiled in ([0-9.]+) s", result.stdout)
    with open(os.path.join(folder, "metrics.csv")) as f:
        rows = [line.rstrip("\n").split(",") for line in f if line.strip()]
    header = rows[0]
    seconds = [float(r[header.index("seconds")]) for r in rows[1:]]
    losses = [float(r[header.index("loss")]) for r in rows[1:]]
    return {"framework": "aec (JIT, %s)" % backend,
            "samples": peerlib.number(counts.group(1)),
            "epoch_seconds": seconds, "losses": losses,
            "compile_seconds": compiled and float(compiled.group(1))}


def initial_checkpoint(args, name, limit, env):
    """aec's initial weights for --seed (aec train --epochs 0 writes them),
    from which every peer starts too."""
    folder = os.path.join(args.out, "init", name)
    command = [args.aec, "train", MODELS[name]["file"], "--epochs", "0",
               "--seed", str(args.seed), "--out", folder, "--overwrite",
               "--limit", str(limit)]
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        raise SystemExit("recurrent.py: `%s` exited %d" % (
            " ".join(command), result.returncode))
    return os.path.join(folder, "model.safetensors")


def run_peer(args, name, peer, limit, init, env):
    command = [args.python, os.path.join(HERE, "recurrent_peers.py"),
               "--framework", peer, "--model", name,
               "--data", MODELS[name]["data"], "--limit", str(limit),
               "--epochs", str(args.epochs), "--seed", str(args.seed),
               "--threads", str(args.threads), "--init", init]
    run = peerlib.run_peer(command, peerlib.peer_env(args.threads, peer, env))
    if run:
        print("%s: epoch seconds %s, losses %s" % (
            run["framework"], " ".join("%.2f" % s
                                       for s in run["epoch_seconds"]),
            " ".join("%.4f" % v for v in run["losses"])), flush=True)
    return run


def print_table(args, name, runs):
    """One Markdown table: aec's rows first, then the peers' fastest first."""
    for r in runs:
        r.update(peerlib.speeds(r["samples"], r["epoch_seconds"]))
    aecs = [r for r in runs if r["framework"].startswith("aec")]
    peers = sorted((r for r in runs if r not in aecs),
                   key=lambda r: -r["samples_per_s"])
    best = peers[0] if peers else None
    mean_loss = (sum(p["losses"][-1] for p in peers) / len(peers)
                 if peers else None)
    print()
    print("%s (%s samples an epoch, %d epochs, %d threads):" % (
        MODELS[name]["label"], format(runs[0]["samples"], ","), args.epochs,
        args.threads))
    print()
    print("| framework | samples/s | best epoch, samples/s | loss, epoch %d "
          "| loss ÷ peers' mean | loss per epoch | ÷ strongest peer "
          "(samples/s) |" % args.epochs)
    print("|---|---:|---:|---:|---:|---|---:|")
    for r in aecs + peers:
        ratio = ""
        if r in aecs and best:
            ratio = "%.2f (%s)" % (r["samples_per_s"] / best["samples_per_s"],
                                   best["framework"].split(" (")[0])
        print("| %s | %.0f | %.0f | %.4f | %s | %s | %s |" % (
            r["framework"], r["samples_per_s"], r["best_samples_per_s"],
            r["losses"][-1],
            "%.3f" % (r["losses"][-1] / mean_loss) if mean_loss else "—",
            " ".join("%.4f" % v for v in r["losses"]), ratio))
    print()
    print("epoch seconds: " + "; ".join(
        "%s %s%s" % (r["framework"], " ".join("%.2f" % s for s in
                                              r["epoch_seconds"]),
                     " (compiled in %.2f s before)" % r["compile_seconds"]
                     if r.get("compile_seconds") is not None else "")
        for r in aecs + peers))


def parse_limits(text):
    """--limit: 'N' for both models, or 'MODEL=N,...'."""
    limits = {m: spec["limit"] for m, spec in MODELS.items()}
    for part in [p for p in text.split(",") if p]:
        model, _, value = part.rpartition("=")
        if (model and model not in MODELS) or not value.isdigit() or \
                int(value) < 1:
            raise SystemExit("recurrent.py: --limit: %r is not N or MODEL=N "
                             "with N >= 1" % part)
        for m in [model] if model else MODELS:
            limits[m] = int(value)
    for m, n in limits.items():
        if n % MODELS[m]["batch"]:
            raise SystemExit("recurrent.py: --limit: %s=%d is not a whole "
                             "number of batches of %d" % (
                                 m, n, MODELS[m]["batch"]))
    return limits


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Peers: torch (PyTorch, nn.LSTM), keras-tf (Keras 3 on "
        "TensorFlow, jit_compile), keras-jax (Keras 3 on JAX), jax (JAX, "
        "lax.scan, jit). Install them with bench/install-peers.sh. Hold "
        "/tmp/aec-cpu.lock around the whole run on a shared machine.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="speed,char",
                        help="comma-separated, from: speed, char (default: "
                        "both)")
    parser.add_argument("--backend", default="onednn,loops",
                        help="comma-separated aec backends, one row each "
                        "(default: onednn,loops)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help="comma-separated, from: %s; 'none' for aec "
                        "only (default: all)" % ", ".join(PEERS))
    parser.add_argument("--epochs", type=int, default=3,
                        help="epochs for every run (default 3; at least 2: "
                        "the first is not timed)")
    parser.add_argument("--limit", default="",
                        help="training samples per epoch: N for both models "
                        "or MODEL=N,... (default: speed=%d, char=%d; whole "
                        "batches)" % (MODELS["speed"]["limit"],
                                      MODELS["char"]["limit"]))
    parser.add_argument("--threads", type=int, default=2,
                        help="OMP_NUM_THREADS for all, torch.set_num_threads, "
                        "TensorFlow's intra-op threads, XLA's (default 2)")
    parser.add_argument("--wait-policy", default="passive",
                        help="OMP_WAIT_POLICY for all (default passive, what "
                        "aec picks when it is unset)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--aec", default=os.path.join(ROOT, "build/bin/aec"))
    parser.add_argument("--python", default=VENV_PYTHON,
                        help="the Python of the peers (default: the venv "
                        "of bench/install-peers.sh, bench/.venv)")
    parser.add_argument("--out", default=os.path.join(ROOT, "out", "bench",
                                                      "recurrent"),
                        help="folder for aec's runs (default "
                        "out/bench/recurrent)")
    args = parser.parse_args()
    names, peers = peerlib.checked_choices(parser, args, MODELS, PEERS)
    backends = [b for b in args.backend.split(",") if b]
    limits = parse_limits(args.limit)
    for m in names:
        check_model(m)

    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads),
               OMP_WAIT_POLICY=args.wait_policy)
    load_before = os.getloadavg()[0]
    tables = []
    for name in names:
        runs = [run_aec(args, name, b, limits[name], env) for b in backends]
        init = peers and initial_checkpoint(args, name, limits[name], env)
        runs += [r for r in (run_peer(args, name, p, limits[name], init, env)
                             for p in peers) if r]
        counts = {r["samples"] for r in runs}
        if len(counts) != 1:
            raise SystemExit("recurrent.py: %s trained on different numbers "
                             "of samples: %s" % (name, sorted(counts)))
        tables.append((name, runs))
    for name, runs in tables:
        print_table(args, name, runs)
    print()
    print("samples/s: training samples an epoch over the training seconds of "
          "epochs 2..%d; best epoch: the fastest of those. Loss: the mean "
          "training loss over each epoch's batches. Every run trains on the "
          "same first samples, shuffled each epoch (each framework its own "
          "order), from the same initial weights (aec's for --seed %d: "
          "Keras's initializers). "
          "Threads: OMP_NUM_THREADS=%d and OMP_WAIT_POLICY=%s for all, "
          "torch.set_num_threads(%d), TensorFlow intra-op %d (inter-op 1), "
          "XLA_FLAGS intra_op_parallelism_threads=%d for JAX. Load average "
          "%.1f before, %.1f after, on %d CPUs." % (
              args.epochs, args.seed, args.threads, args.wait_policy, args.threads,
              args.threads, args.threads, load_before, os.getloadavg()[0],
              os.cpu_count()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
