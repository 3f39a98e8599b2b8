#!/usr/bin/env python3
"""The peers of bench/latency.py: the dense AE's encoder (784 -> 64, relu)
with aec's trained weights, one row at a time, in one framework.

Usage: latency_peers.py FRAMEWORK CHECKPOINT ONNX CALLS REPEATS
  FRAMEWORK: torch (eager), torch-compile, jax (jit), onnxruntime (the ONNX
  file aec export wrote). Prints RESULT {"us": median microseconds per
  call, "check": the code's first value}.
"""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402

import numpy as np  # noqa: E402


def timed(call, calls, repeats):
    for _ in range(1000):
        call()
    per_call = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        per_call.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(per_call)


def main():
    framework, checkpoint, onnx_path = sys.argv[1:4]
    calls, repeats = int(sys.argv[4]), int(sys.argv[5])
    weights = peerlib.read_checkpoint(checkpoint)
    kernel, bias = weights["code.kernel"], weights["code.bias"]
    x = (np.arange(784) % 17 / 17).astype("f4").reshape(1, 784)
    if framework.startswith("torch"):
        import torch
        peerlib.limit_threads("torch", 1)
        layer = torch.nn.Linear(784, 64)
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(kernel.T.copy()))
            layer.bias.copy_(torch.from_numpy(bias))
        encoder = torch.nn.Sequential(layer, torch.nn.ReLU()).eval()
        if framework == "torch-compile":
            encoder = torch.compile(encoder)
        xt = torch.from_numpy(x)

        def call():
            with torch.inference_mode():
                return encoder(xt)
        out = call().numpy()
    elif framework == "jax":
        import jax
        import jax.numpy as jnp
        k, b = jnp.asarray(kernel), jnp.asarray(bias)
        encode = jax.jit(lambda v: jax.nn.relu(v @ k + b))
        xj = jnp.asarray(x)

        def call():
            return encode(xj).block_until_ready()
        out = np.asarray(call())
    else:
        import onnxruntime
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            onnx_path, options, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name

        def call():
            return session.run(None, {name: x})[0]
        out = call()
    us = timed(call, calls, repeats)
    print("RESULT " + json.dumps({"us": us, "check": float(out[0][0])}))


if __name__ == "__main__":
    main()
