#!/usr/bin/env python3
"""Exports every example model to ONNX and checks it against aec predict.

Usage: onnx_examples.py REPO WORK

For each examples/*.aenet (transfer_source before transfer_digits, whose
encoder starts from its checkpoint), in a copy of the examples under WORK
(data paths relative to the files resolve to the repository's): one epoch
of aec train on 64 samples, aec export --format onnx, a few random rows
through aec predict --inputs and through ONNX Runtime (onnx_check.py
compare, to 1e-5). One line per example; exit 1 at the first failure, with
the failing command's output.
"""

import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(args, cwd):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        print("FAILED: %s\n%s%s" % (" ".join(args), result.stdout,
                                     result.stderr))
        sys.exit(1)
    return result.stdout


def main():
    repo, work = sys.argv[1], sys.argv[2]
    examples = os.path.join(work, "examples")
    os.makedirs(examples, exist_ok=True)
    os.makedirs(os.path.join(work, "out"), exist_ok=True)
    for link, target in (("examples/data", "examples/data"), ("data", "data")):
        path = os.path.join(work, link)
        if not os.path.exists(path):
            os.symlink(os.path.join(repo, target), path)
    names = sorted(f[:-6] for f in os.listdir(os.path.join(repo, "examples"))
                   if f.endswith(".aenet"))
    names.remove("transfer_source")
    names.insert(names.index("transfer_digits"), "transfer_source")
    for name in names:
        model = os.path.join(examples, name + ".aenet")
        shutil.copy(os.path.join(repo, "examples", name + ".aenet"), model)
        out = os.path.join(work, "out", name)
        run(["aec", "train", model, "--epochs", "1", "--limit", "64",
             "--seed", "1", "--out", out, "--overwrite"], examples)
        weights = os.path.join(out, "model.safetensors")
        run(["aec", "export", model, "--weights", weights, "--format", "onnx",
             "--out", out, "--overwrite"], examples)
        onnx_files = sorted(f for f in os.listdir(out) if f.endswith(".onnx"))
        onnx_file = os.path.join(out, onnx_files[0])
        # A stateful model's predict carries its state from batch to batch;
        # one row is one batch, from a zero state as in ONNX.
        with open(model) as f:
            rows = "1" if "stateful = true" in f.read() else "3"
        inputs = os.path.join(out, "onnx-inputs.safetensors")
        run([sys.executable, os.path.join(HERE, "onnx_check.py"), "inputs",
             onnx_file, inputs, rows], examples)
        run(["aec", "predict", model, "--weights", weights, "--limit", "64",
             "--inputs", inputs, "--out", os.path.join(out, "onnx-pred")],
            examples)
        print(run([sys.executable, os.path.join(HERE, "onnx_check.py"),
                   "compare", onnx_file, inputs,
                   os.path.join(out, "onnx-pred", "predictions.safetensors"),
                   "1e-5"], examples).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
