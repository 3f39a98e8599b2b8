#!/usr/bin/env python3
"""Trains one bench autoencoder (bench/ae_models.py) in one Python framework;
bench/run.py runs it once per framework, each in a process of its own.

  ae_peers.py --framework torch|torch-compile|jax|keras-tf|keras-jax
              --model dense|deep|multitask|conv|denoise [--width W]
              [--batch B] --limit N --epochs E --seed S --threads T
              [--init W.safetensors]

Frameworks: PyTorch eager; PyTorch with torch.compile of the model; JAX
(jit of value_and_grad and optax's adam, one step a call); Keras 3 on
TensorFlow and on JAX (model.fit, jit_compile). All read the same IDX files
(pixels / 255), train on the first N images (N test images too), shuffle
each epoch, use Adam (lr 1e-3, betas 0.9 / 0.999, epsilon 1e-7) and start
from --init: aec's initial checkpoint (aec train --epochs 0), or without it
glorot-uniform kernels and zero biases drawn here. Images are [N, 1, 28, 28]
in PyTorch, [N, 28, 28, 1] in JAX and Keras (each framework's fast layout).

Prints `RESULT {json}`: the version, per-epoch wall and CPU seconds of the
training loop (no test pass), the test figure after E epochs (computed here
with numpy, the same for all: run.py's column), parameters per layer.
"""

import argparse
import gzip
import os
import struct
import sys

import numpy as np

import ae_models
import peerlib
from ae_models import EPSILON


def read_idx(path, limit):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    count = min(count, limit) if limit else count
    if magic == 0x803:
        pixels = np.frombuffer(data[16:16 + count * 784], np.uint8)
        return pixels.reshape(count, 784).astype(np.float32) / 255.0
    return np.frombuffer(data[8:8 + count], np.uint8).astype(np.int32)


def test_figure(spec, outputs, clean, labels):
    """The figure run.py compares with aec's metrics.csv column: the MSE
    (the denoiser's of its reconstructions of noisy inputs against the
    clean images), or the multi-task validation loss (BCE + 0.5 CCE)."""
    recon = outputs[0].reshape(clean.shape)
    if spec["loss"] == "mse" or spec["corrupt"]:
        return float(np.mean((recon - clean) ** 2))
    p = np.clip(recon, EPSILON, 1 - EPSILON)
    loss = -np.mean(clean * np.log(p) + (1 - clean) * np.log(1 - p))
    head = spec["head"]
    if head:
        pred = np.clip(outputs[1], EPSILON, 1 - EPSILON)
        cce = -np.mean(np.log(pred[np.arange(len(labels)), labels]))
        loss += head["weight"] * cce
    return float(loss)


def initial_weights(kinds, init, seed):
    """[(kernel, bias)] per parametric layer in aec's layouts (dense
    [in, out], conv2d [out, in, kh, kw], conv2d_transpose [in, out, kh, kw])
    from the checkpoint, else drawn glorot-uniform with zero biases."""
    if init:
        tensors = list(peerlib.read_checkpoint(init).values())
        pairs = list(zip(tensors[0::2], tensors[1::2]))
        if [tuple(k.shape) for k, _ in pairs] != [s for s, _ in kinds]:
            raise SystemExit("ae_peers: %s has kernels %s, the model %s" % (
                init, [k.shape for k, _ in pairs], [s for s, _ in kinds]))
        return pairs
    rng = np.random.default_rng(seed)
    pairs = []
    for shape, kind in kinds:
        # Glorot's limit depends on fan_in + fan_out only, the same for a
        # kernel and its transpose.
        spatial = int(np.prod(shape[2:]))
        limit = np.sqrt(6.0 / ((shape[0] + shape[1]) * spatial))
        outputs = shape[0] if kind == "conv2d" else shape[1]
        pairs.append((rng.uniform(-limit, limit, shape).astype(np.float32),
                      np.zeros(outputs, np.float32)))
    return pairs


def kernel_shapes(layer_list, head, image):
    """[(aec's kernel shape, kind)] of each parametric layer, in the order
    of aec's checkpoint (the head last)."""
    shapes, units = [], [1 if image else 784]
    texts = layer_list + ([head["layer"]] if head else [])
    for i, text in enumerate(texts):
        kind, n, _ = ae_models.parse_layer(text)
        inputs = units[head["after"] + 1] if i == len(layer_list) else \
            units[-1]
        if kind == "dense":
            shapes.append(((inputs, n), kind))
        elif kind == "conv2d":
            shapes.append(((n, inputs, 3, 3), kind))
        elif kind == "conv2d_transpose":
            shapes.append(((inputs, n, 3, 3), kind))
        units.append(n if n else units[-1])
    return shapes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", required=True, choices=[
        "torch", "torch-compile", "jax", "keras-tf", "keras-jax"])
    parser.add_argument("--model", required=True, choices=ae_models.MODELS)
    parser.add_argument("--width", type=int, default=0)
    parser.add_argument("--batch", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--init")
    args = parser.parse_args()
    spec = ae_models.MODELS[args.model]
    if args.framework.startswith("keras-"):
        os.environ["KERAS_BACKEND"] = {"keras-tf": "tensorflow",
                                       "keras-jax": "jax"}[args.framework]
    peerlib.limit_threads(args.framework, args.threads)
    files = ae_models.data_files(args.model)
    train, test = read_idx(files[0], args.limit), read_idx(files[1],
                                                           args.limit)
    labels = test_labels = None
    if spec["head"]:
        labels = read_idx(files[2], args.limit)
        test_labels = read_idx(files[3], args.limit)
    test_in = test
    if spec["corrupt"]:
        sigma, low, high = spec["corrupt"]
        draw = np.random.default_rng(ae_models.TEST_NOISE_SEED)
        noise = draw.standard_normal(test.shape).astype(np.float32)
        test_in = np.clip(test + sigma * noise, low, high)
    layer_list = ae_models.layers(args.model, args.width)
    image = spec["shape"] != (784,)
    kinds = kernel_shapes(layer_list, spec["head"], image)
    weights = initial_weights(kinds, args.init, args.seed)
    task = dict(spec=spec, layers=layer_list, weights=weights,
                batch=args.batch or spec["batch"], epochs=args.epochs,
                seed=args.seed, train=train, labels=labels, test_in=test_in)
    import ae_frameworks
    run = getattr(ae_frameworks, "run_" + args.framework.replace("-", "_"))
    version, clock, outputs = run(task)
    peerlib.print_result({
        "framework": version, "samples": len(train),
        "epoch_seconds": clock.wall, "epoch_cpu_seconds": clock.cpu,
        "test": test_figure(spec, outputs, test, test_labels),
        "parameters": [int(np.prod(k.shape) + b.size) for k, b in weights]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
