#!/usr/bin/env python3
"""Checks aec's ONNX files with ONNX's checker and ONNX Runtime.

Usage:
  onnx_check.py inputs MODEL.onnx OUT.safetensors ROWS
      Writes one tensor per graph input of MODEL, ROWS rows of its shape,
      pseudo-random in [0, 1); a padded input's lengths (NAME#length)
      whole numbers from 1 to the input's steps.
  onnx_check.py compare MODEL.onnx IN.safetensors PRED.safetensors TOLERANCE
      MODEL passes onnx.checker (full check, with shape inference) and ONNX
      Runtime gives, on IN (or on PRED's 'NAME (noisy)', the input as a
      denoiser's predict corrupted it), every output of MODEL equal to
      PRED's tensor of that name (aec predict's) within
      TOLERANCE * max(1, |aec's value|).
"""

import sys

import numpy as np
import onnx
import onnxruntime
from safetensors_np import load, save


def dims(value):
    return [d.dim_value for d in value.type.tensor_type.shape.dim[1:]]


def inputs(model_path, out, rows):
    graph = onnx.load(model_path).graph
    rng = np.random.default_rng(1)
    steps = {v.name: dims(v) for v in graph.input}
    tensors = {}
    for v in graph.input:
        if v.name.endswith("#length"):
            t = steps[v.name[:-len("#length")]][0]
            tensors[v.name] = rng.integers(1, t + 1, rows).astype("f4")
        else:
            tensors[v.name] = rng.random([rows] + dims(v), dtype="f4")
    save(out, tensors)


def compare(model_path, in_path, pred_path, tolerance):
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    session = onnxruntime.InferenceSession(
        model_path, providers=["CPUExecutionProvider"])
    given = load(in_path)
    want = load(pred_path)
    # A denoiser's predict corrupts its input first (evaluation's noise) and
    # writes the input as the model read it: the graph, which has no
    # corruption, reads that.
    feeds = {v.name: want.get(v.name + " (noisy)", given[v.name])
             for v in session.get_inputs()}
    names = [o.name for o in session.get_outputs()]
    got = dict(zip(names, session.run(names, feeds)))
    worst = 0.0
    for name in names:
        if got[name].shape != want[name].shape:
            print("%s: ONNX Runtime's shape %s, aec's %s"
                  % (name, got[name].shape, want[name].shape))
            return 1
        diff = np.abs(got[name] - want[name]) / np.maximum(1, np.abs(want[name]))
        d = float(np.max(diff)) if diff.size else 0.0
        if not d <= tolerance:
            print("%s: differs from aec predict by %.3g" % (name, d))
            return 1
        worst = max(worst, d)
    print("%s: %s agree with aec predict within %.3g"
          % (model_path.split("/")[-1], ", ".join(names), worst))
    return 0


def main():
    if sys.argv[1] == "inputs":
        inputs(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    return compare(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))


if __name__ == "__main__":
    sys.exit(main())
