#!/usr/bin/env python3
"""Batch-1 latency of a trained encoder: aec's exported library against
PyTorch, ONNX Runtime and JAX on the same weights.

The model is examples/dense_ae.aenet's encoder (784 -> 64, relu), trained
for one epoch on 2,048 samples. aec export writes it as a C library (both
backends) and as ONNX; bench/latency.c times the library's dense_ae_encode
on one row; bench/latency_peers.py times the peers in the bench venv:
PyTorch eager and torch.compile, JAX jit, ONNX Runtime on aec's ONNX file.
Every runner gets one thread (OMP_NUM_THREADS=1 and each framework's own
limit): batch-1 inference is a serving path, where the cores serve
requests side by side. Each figure is the median over --repeats of the
mean over --calls calls, after 1,000 warm-up calls. `aec encode` of one
sample, a whole process (compile included), is timed beside, the median of
3 runs. Every runner's first code value is checked against the library's.

Usage: python3 bench/latency.py [--calls N] [--repeats R]
"""

import argparse
import json
import os
import re
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peerlib  # noqa: E402

ROOT = peerlib.ROOT
EXAMPLE = os.path.join(ROOT, "examples", "dense_ae.aenet")


run = peerlib.run_checked


def result_of(output):
    return json.loads(re.search(r"^RESULT (.*)$", output, re.M).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--aec", default=os.path.join(ROOT, "build/bin/aec"))
    parser.add_argument("--python", default=peerlib.VENV_PYTHON)
    parser.add_argument("--out", default=os.path.join(ROOT, "out", "bench",
                                                      "latency"))
    args = parser.parse_args()
    if args.calls < 1 or args.repeats < 1:
        parser.error("--calls and --repeats must be at least 1")
    if not os.path.isfile(args.python):
        parser.error("%s is missing: run bash bench/install-peers.sh"
                     % args.python)
    out = args.out
    env = dict(os.environ, OMP_NUM_THREADS="1")
    run([args.aec, "train", EXAMPLE, "--epochs", "1", "--limit", "2048",
         "--seed", "1", "--out", os.path.join(out, "run"), "--overwrite"],
        env)
    weights = os.path.join(out, "run", "model.safetensors")
    rows = []
    for backend in ("onednn", "loops"):
        lib = os.path.join(out, backend)
        run([args.aec, "export", EXAMPLE, "--weights", weights, "--entry",
             "encode", "--backend", backend, "--out", lib, "--overwrite"],
            env)
        program = os.path.join(lib, "latency")
        run(["cc", "-O2", "-I", lib, os.path.join(HERE, "latency.c"), "-L",
             lib, "-ldense_ae", "-Wl,-rpath," + lib, "-o", program])
        r = result_of(run([program, os.path.join(lib, "dense_ae.safetensors"),
                           str(args.calls), str(args.repeats)], env))
        rows.append(("aec export, %s backend (C)" % backend, r))
    onnx_dir = os.path.join(out, "onnx")
    run([args.aec, "export", EXAMPLE, "--weights", weights, "--entry",
         "encode", "--format", "onnx", "--out", onnx_dir, "--overwrite"], env)
    onnx_file = os.path.join(onnx_dir, "dense_ae_encode.onnx")
    for peer, label in (("onnxruntime", "ONNX Runtime (aec's ONNX file)"),
                        ("torch", "PyTorch eager"),
                        ("torch-compile", "PyTorch torch.compile"),
                        ("jax", "JAX jit")):
        peer_env = peerlib.peer_env(1, peer, env)
        r = result_of(run([args.python, os.path.join(HERE, "latency_peers.py"),
                           peer, weights, onnx_file, str(args.calls),
                           str(args.repeats)], peer_env))
        rows.append((label, r))
    # One sample through aec encode: a whole process, compile included.
    sample = os.path.join(out, "one.safetensors")
    header = json.dumps({"x": {"dtype": "F32", "shape": [1, 784],
                               "data_offsets": [0, 784 * 4]}}).encode()
    with open(sample, "wb") as f:
        f.write(len(header).to_bytes(8, "little") + header + bytes(784 * 4))
    walls = []
    for _ in range(3):
        start = time.perf_counter()
        run([args.aec, "encode", EXAMPLE, "--weights", weights, "--inputs",
             sample, "--out", os.path.join(out, "codes.safetensors")], env)
        walls.append(time.perf_counter() - start)
    reference = rows[0][1]
    for label, r in rows:
        if abs(r["check"] - reference["check"]) > 1e-4:
            sys.exit("%s computes another code (%g, the library %g)"
                     % (label, r["check"], reference["check"]))
    print("\n| runner (one thread) | µs per call, batch 1 | ÷ aec export onednn |")
    print("|---|---:|---:|")
    for label, r in rows:
        print("| %s | %.2f | %.2f |" % (label, r["us"],
                                      r["us"] / reference["us"]))
    print("| aec encode of one sample (whole process) | %.0f | %.0f |"
          % (statistics.median(walls) * 1e6,
             statistics.median(walls) * 1e6 / reference["us"]))


if __name__ == "__main__":
    main()
