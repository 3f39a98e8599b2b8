#!/usr/bin/env python3
"""Benchmarks aec's training against PyTorch 2 (eager and torch.compile),
JAX and Keras 3 (on TensorFlow and on JAX) on the example autoencoders.

Models (bench/ae_models.py; the .aenet files are checked to still say so):

  dense      examples/dense_ae.aenet, 784-64-784, Fashion-MNIST, batch 256
  deep       examples/deep_ae.aenet, 784-400-200-100-200-400-784, batch 256
  multitask  examples/multitask.aenet, MNIST digits: dense(256, tanh), a
             dense(784, sigmoid) decoder on BCE and a dense(10, softmax)
             head on CCE weighted 0.5, batch 128
  conv       examples/conv_ae.aenet, conv 16-8 / 8-16-1, batch 128, MSE
  denoise    examples/conv_denoise.aenet, conv 32-64-128 / transposed conv
             128-64, conv 1, MNIST digits with Gaussian noise, BCE, batch 128

aec trains through `aec train` (stdout piped: each epoch line is read as it
appears, and the process's CPU time sampled from /proc then); each peer
(bench/ae_peers.py) runs in a process of its own under bench/.venv/bin/python,
from aec's initial weights for --seed (aec train --epochs 0). Every
framework gets the same threads: OMP_NUM_THREADS, torch.set_num_threads,
TensorFlow intra-op T / inter-op 1, XLA_FLAGS intra_op_parallelism_threads.

Prints, per model and framework: samples/s (median over epochs 2..E), its
spread over --repeat runs, first-epoch overhead (compile included), the test
figure after E epochs, CPU / wall seconds of the training loop, peak RSS and
aec / the fastest peer; the machine's sgemm peak; and a scaling table of the
dense AE against batch size and code width (aec and the fastest peer).

  python3 bench/run.py                                # all: ~15 minutes
  python3 bench/run.py --models dense --peers jax --epochs 3 --no-scaling
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import ae_models
import peerlib
from ae_models import MODELS
from peerlib import ROOT, number

PEERS = ["torch", "torch-compile", "jax", "keras-tf", "keras-jax"]
# Peers far slower than the rest on a model train fewer samples there (the
# samples column says so): XLA's CPU convolutions with a dilated input
# (the denoiser's transposed convolutions) run at ~20 samples/s.
PEER_LIMITS = {("denoise", "jax"): 512, ("denoise", "keras-jax"): 512}
BATCHES = [32, 64, 128, 256, 512, 1024]
WIDTHS = [64, 128, 256, 512, 1024, 2048]
TICKS = os.sysconf("SC_CLK_TCK")


def check_example(name):
    """Refuses to run when the example no longer says what the peers
    implement (layers, data, batch, loss, head, corruption) or its data
    files are missing."""
    spec = MODELS[name]
    path = os.path.join(ROOT, "examples", spec["example"])
    with open(path) as f:
        text = re.sub(r"#.*", "", f.read())
    here = os.path.dirname(path)
    sources = [os.path.normpath(os.path.join(here, p)) for p in re.findall(
        r"\b(?:data|validate)\s+idx\(\"([^\"]+)\"\)", text)]
    found = {
        "layers": re.findall(r"\b(?:dense|conv2d_transpose|conv2d|maxpool|"
                             r"upsample)\([^)]*\)", text),
        "batch": int(re.search(r"\bbatch\s+(\d+)", text).group(1)),
        "loss": re.search(r"\bloss\s+\w+\s*:\s*(\w+)\(", text).group(1),
        "files": sorted(f for f in sources if "images" in f),
        "corrupt": None, "optimizer": re.findall(r"optimizer\s+(.*)", text),
    }
    m = re.search(r"\bcorrupt\s+\w+\s+with\s+gaussian\(([\d.e-]+)\)"
                  r"\s*clip\(([\d.e-]+),\s*([\d.e-]+)\)", text)
    if m:
        found["corrupt"] = tuple(float(g) for g in m.groups())
    head = spec["head"]
    wanted = {"layers": spec["layers"] + ([head["layer"]] if head else []),
              "batch": spec["batch"], "loss": spec["loss"],
              "files": sorted(ae_models.data_files(name)[:2]),
              "corrupt": spec["corrupt"], "optimizer": ["adam(lr = 1e-3)"]}
    if head and not re.search(r"\bloss\s+\w+:\s*%s\(\w+\)\s+weight\s+%g\b"
                              % (head["loss"], head["weight"]), text):
        raise SystemExit("run.py: %s has no `%s(...) weight %g` head loss" % (
            path, head["loss"], head["weight"]))
    for key in wanted:
        if found[key] != wanted[key]:
            raise SystemExit("run.py: %s has %s %r, the peers %r; update "
                             "bench/ae_models.py" % (path, key, found[key],
                                                     wanted[key]))
    for f in ae_models.data_files(name)[:4 if head else 2]:
        if not os.path.isfile(f):
            label, _, how = ae_models.DATASETS[spec["data"]]
            raise SystemExit("run.py: %s is missing; get %s with `%s`" % (
                f, label, how))


def summary_parameters(aec, path):
    """Parameters per layer with any, as `aec summary` lists them."""
    out = subprocess.run([aec, "summary", path], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    counts = [number(m.group(1)) for m in re.finditer(
        r"^ \S+ +\S+ +\([^)]*\) +([\d,]+)", out, re.M)]
    return [c for c in counts if c]


def cpu_seconds(pid):
    """utime + stime of a process, from /proc/PID/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def run_aec(args, path, folder, env, column="val_loss", backend=None,
            limit=0, batch=0, epochs=None):
    """One aec train run (epochs 0: its initial checkpoint's path)."""
    epochs = args.epochs if epochs is None else epochs
    command = [args.aec, "train", path, "--epochs", str(epochs), "--seed",
               str(args.seed), "--out", folder, "--overwrite"]
    command += ["--backend", backend] if backend else []
    command += ["--limit", str(limit)] if limit else []
    command += ["--batch", str(batch)] if batch else []
    print("$ " + " ".join(command), flush=True)
    marks = {}

    def on_line(line, pid):  # CPU and wall time as each epoch ends
        m = re.match(r"Epoch (\d+)/", line)
        if m:
            marks[int(m.group(1))] = (cpu_seconds(pid), time.perf_counter())
        sys.stdout.write(line)
    status, output, rss = peerlib.run_child(command, env, on_line)
    if status != 0:
        raise SystemExit("run.py: aec train exited %d" % status)
    if epochs == 0:
        return os.path.join(folder, "model.safetensors")
    compiled = re.search(r"compiled in ([0-9.]+) s", output)
    named = re.search(r", (\w+) backend,", output)
    counts = re.search(r"([\d,]+) training samples", output)
    with open(os.path.join(folder, "metrics.csv")) as f:
        rows = [line.rstrip("\n").split(",") for line in f if line.strip()]
    header = rows[0]
    cpu_wall = None
    if len(marks) == epochs and epochs > 1:
        (c0, w0), (c1, w1) = marks[1], marks[epochs]
        cpu_wall = (c1 - c0) / (w1 - w0)
    return {"framework": "aec (JIT, %s)" % (named.group(1) if named
                                            else backend),
            "samples": number(counts.group(1)),
            "epoch_seconds": [float(r[header.index("seconds")])
                              for r in rows[1:]],
            "compile": float(compiled.group(1)) if compiled else 0.0,
            "test": float(rows[-1][header.index(column)]),
            "cpu_wall": cpu_wall, "rss_mb": rss}


def run_peer(args, name, peer, env, limit, init=None, width=0, batch=0):
    command = [args.python, os.path.join(peerlib.HERE, "ae_peers.py"),
               "--framework", peer, "--model", name, "--limit", str(limit),
               "--epochs", str(args.epochs), "--seed", str(args.seed),
               "--threads", str(args.threads)]
    command += ["--init", init] if init else []
    command += ["--width", str(width)] if width else []
    command += ["--batch", str(batch)] if batch else []
    run = peerlib.run_peer(command, peerlib.peer_env(args.threads, peer, env))
    if run:
        timed = peerlib.steady(run["epoch_cpu_seconds"])
        run["cpu_wall"] = sum(timed) / sum(peerlib.steady(
            run["epoch_seconds"]))
        run["compile"] = 0.0
        print("%s: epoch seconds %s, test %.4f" % (run["framework"], " ".join(
            "%.2f" % s for s in run["epoch_seconds"]), run["test"]),
            flush=True)
    return run


def merged(runs):
    """One row from --repeat runs of a cell: medians, and the spread of the
    samples/s."""
    rates = [r["samples"] / statistics.median(peerlib.steady(
        r["epoch_seconds"])) for r in runs]
    first = [r["compile"] + r["epoch_seconds"][0] - statistics.median(
        peerlib.steady(r["epoch_seconds"])) for r in runs]
    row = dict(runs[0])
    row.update(rate=statistics.median(rates), spread=(min(rates),
                                                      max(rates)),
               overhead=statistics.median(first),
               rss_mb=max(r["rss_mb"] for r in runs),
               runs=runs)
    walls = [r["cpu_wall"] for r in runs if r["cpu_wall"] is not None]
    row["cpu_wall"] = statistics.median(walls) if walls else None
    return row


def matmul_peak(args, env):
    """GFLOP/s of a 4096x4096 sgemm on --threads threads (torch.mm in the
    peers' venv: MKL or OpenBLAS), the best of 5 after a warm-up."""
    code = ("import time, torch\n"
            "torch.set_num_threads(%d)\n"
            "a, b = torch.rand(4096, 4096), torch.rand(4096, 4096)\n"
            "torch.mm(a, b)\n"
            "best = 1e9\n"
            "for _ in range(5):\n"
            "    t = time.perf_counter(); torch.mm(a, b)\n"
            "    best = min(best, time.perf_counter() - t)\n"
            "print(2 * 4096 ** 3 / best / 1e9)\n" % args.threads)
    out = subprocess.run([args.python, "-c", code], env=env, text=True,
                         stdout=subprocess.PIPE, check=True).stdout
    return float(out.split()[-1])


def cell(count, run):
    """--repeat runs of one cell, merged (None when a peer failed)."""
    runs = [r for r in (run() for _ in range(count)) if r]
    return merged(runs) if runs else None


def print_table(args, results, peak):
    print()
    print("| model | framework | samples | samples/s | spread | first-epoch "
          "overhead, s | test after %d epochs | CPU ÷ wall | peak RSS, MB | "
          "GFLOP/s | aec ÷ fastest peer |" % args.epochs)
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, rows in results:
        peers = sorted((r for r in rows if not r["framework"].startswith(
            "aec")), key=lambda r: -r["rate"])
        flops = ae_models.matmul_flops(name)
        for r in [r for r in rows if r["framework"].startswith("aec")] + \
                peers:
            ratio = ""
            if r["framework"].startswith("aec") and peers:
                ratio = "%.2f (%s)" % (r["rate"] / peers[0]["rate"],
                                       peers[0]["framework"])
            spread = "%.0f-%.0f" % r["spread"] if len(r["runs"]) > 1 else ""
            gflops = "%.0f (%.0f %%)" % (r["rate"] * flops / 1e9, 100 * r[
                "rate"] * flops / 1e9 / peak) if flops and peak else ""
            print("| %s | %s | %s | %s | %s | %.1f | %.4f | %s | %.0f | %s | "
                  "%s |" % (
                      MODELS[name]["label"], r["framework"],
                      format(r["samples"], ","), format(round(r["rate"]),
                                                        ","),
                      spread, r["overhead"], r["test"],
                      "%.2f" % r["cpu_wall"] if r["cpu_wall"] else "—",
                      r["rss_mb"], gflops, ratio))


def scaling(args, env, peer):
    """samples/s of the dense AE against batch and code width, aec and
    |peer|, on the first --scaling-limit samples."""
    folder = os.path.join(args.out, "scaling")
    os.makedirs(folder, exist_ok=True)
    dense = os.path.join(ROOT, "examples", MODELS["dense"]["example"])
    with open(dense) as f:
        text = f.read()
    lines = []
    for axis, values in (("batch", BATCHES), ("width", WIDTHS)):
        for v in values:
            path, batch, width = dense, 0, 0
            if axis == "batch":
                batch = v
            else:
                width = v
                path = os.path.join(folder, "dense_w%d.aenet" % v)
                with open(path, "w") as f:
                    f.write(text.replace("dense(64, relu)",
                                         "dense(%d, relu)" % v))
            ours = cell(args.repeat, lambda: run_aec(
                args, path, os.path.join(folder, "%s%d" % (axis, v)), env,
                backend=args.backend.split(",")[0] or None,
                limit=args.scaling_limit, batch=batch))
            theirs = peer and cell(args.repeat, lambda: run_peer(
                args, "dense", peer, env, args.scaling_limit, width=width,
                batch=batch))
            flops = ae_models.matmul_flops("dense", width)
            lines.append("| %s | %d | %s | %.0f | %s | %s |" % (
                axis, v, format(round(ours["rate"]), ","),
                ours["rate"] * flops / 1e9,
                format(round(theirs["rate"]), ",") if theirs else "—",
                "%.2f" % (ours["rate"] / theirs["rate"]) if theirs else "—"))
    print()
    print("Dense AE scaling (%s samples an epoch, %d epochs; width: the "
          "code layer's, batch 256; batch: width 64):" % (
              format(args.scaling_limit, ","), args.epochs))
    print()
    print("| varied | value | aec samples/s | aec GFLOP/s | %s samples/s | "
          "aec ÷ peer |" % (peer or "peer"))
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Hold /tmp/aec-cpu.lock around the whole run on a shared "
        "machine. Peers: " + ", ".join(PEERS) + ".")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--peers", default=",".join(PEERS),
                        help="comma-separated, or 'none' (default: all)")
    parser.add_argument("--epochs", type=int, default=3,
                        help="at least 2: the first is not timed")
    parser.add_argument("--limit", default="",
                        help="training (and test) samples: N for every "
                        "model or MODEL=N,...; default: %s, the rest all" %
                        ", ".join("%s=%d" % (m, s["limit"]) for m, s in
                                  MODELS.items() if s["limit"]))
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of every cell; prints the spread")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--wait-policy", default="passive")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", default="",
                        help="aec backends, one row each (default: aec's)")
    parser.add_argument("--aec", default=os.path.join(ROOT, "build/bin/aec"))
    parser.add_argument("--python", default=peerlib.VENV_PYTHON)
    parser.add_argument("--out", default=os.path.join(ROOT, "out", "bench"))
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--scaling-limit", type=int, default=8192)
    args = parser.parse_args()
    names, peers = peerlib.checked_choices(parser, args, MODELS, PEERS)
    for m in names:
        check_example(m)
    limits = {m: s["limit"] for m, s in MODELS.items()}
    for part in [p for p in args.limit.split(",") if p]:
        model, _, value = part.rpartition("=")
        if (model and model not in MODELS) or not value.isdigit():
            parser.error("--limit: %r is not N or MODEL=N" % part)
        for m in [model] if model else MODELS:
            limits[m] = int(value)

    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads),
               OMP_WAIT_POLICY=args.wait_policy)
    load_before = os.getloadavg()[0]
    started = time.time()
    peak = matmul_peak(args, env) if os.path.isfile(args.python) else None
    results = []
    for name in names:
        spec = MODELS[name]
        path = os.path.join(ROOT, "examples", spec["example"])
        folder = os.path.join(args.out, name)
        rows = [cell(args.repeat, lambda: run_aec(
            args, path, os.path.join(folder, b or "default"), env,
            spec["column"], b or None, limits[name]))
            for b in args.backend.split(",")]
        init = run_aec(args, path, os.path.join(folder, "init"), env,
                       limit=limits[name], epochs=0)
        expected = summary_parameters(args.aec, path)
        for p in peers:
            limit = min(x for x in (limits[name],
                                    PEER_LIMITS.get((name, p), 0)) if x) \
                if limits[name] or (name, p) in PEER_LIMITS else 0
            row = cell(args.repeat, lambda: run_peer(
                args, name, p, env, limit, init))
            if row:
                row["peer"] = p
            if row and row["parameters"] != expected:
                raise SystemExit("run.py: %s's %s has parameters %s per "
                                 "layer, `aec summary` %s" % (
                                     p, name, row["parameters"], expected))
            rows += [row] if row else []
        results.append((name, rows))
    fastest = None
    for name, rows in results:
        theirs = [r for r in rows if not r["framework"].startswith("aec")]
        if name == "dense" and theirs:
            fastest = max(theirs, key=lambda r: r["rate"])["peer"]
    print_table(args, results, peak)
    print()
    print("Matrix-multiply peak: %s GFLOP/s (sgemm 4096x4096, %d threads, "
          "torch.mm). Threads: OMP_NUM_THREADS=%d, OMP_WAIT_POLICY=%s for "
          "all. Load average %.1f before, %.1f after, on %d CPUs." % (
              "%.0f" % peak if peak else "—", args.threads, args.threads,
              args.wait_policy, load_before, os.getloadavg()[0],
              os.cpu_count()))
    for name, rows in results:
        print("epoch seconds, %s: %s" % (name, "; ".join(
            "%s %s" % (r["framework"], " / ".join(" ".join(
                "%.2f" % s for s in run["epoch_seconds"]) for run in
                r["runs"])) for r in rows)))
    if not args.no_scaling:
        scaling(args, env, fastest or (peers[0] if peers else None))
    print()
    print("Whole run: %.1f minutes." % ((time.time() - started) / 60))
    return 0


if __name__ == "__main__":
    sys.exit(main())
