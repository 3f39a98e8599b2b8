#!/usr/bin/env python3
"""Keras's side of the Keras weights round trip (Keras 3, JAX backend).

Usage:
  keras_models.py write MODEL OUT.h5 IO.safetensors [--keras2]
      Builds MODEL (dense, conv or recurrent: keras.aenet's models, images
      channels-last), gives every weight pseudo-random values, writes them
      with model.save_weights (Keras 3's .weights.h5) or, with --keras2, in
      Keras 2's .h5 layout, and writes 5 random input rows and Keras's
      predictions to IO in aec's layouts, named as aec's input and output.
  keras_models.py init SRC.aenet OUT.aenet MODEL PATH
      Copies SRC to OUT with `init MODEL from "PATH"` in MODEL's train block.
  keras_models.py compare IO.safetensors PRED.safetensors NAME TOLERANCE
      aec predict's NAME (PRED) equals Keras's (IO) within
      TOLERANCE * max(1, |Keras's value|).
  keras_models.py check MODEL WEIGHTS.weights.h5 IO.safetensors TOLERANCE
      Loads WEIGHTS (as aec export wrote them) into a fresh MODEL and checks
      that its predictions on IO's inputs equal IO's outputs within
      TOLERANCE * max(1, |value|).
"""

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402
from safetensors_np import load, save  # noqa: E402


def build(kind):
    if kind == "dense":
        return keras.Sequential([
            keras.Input((784,)),
            layers.Dense(32, activation="relu", name="code"),
            layers.Dense(784, activation="sigmoid", name="recon"),
        ]), "x", "recon"
    if kind == "conv":
        return keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Conv2D(4, 3, activation="relu", padding="same", name="c1"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.2),
            layers.Dense(10, activation="relu", name="code"),
            layers.Dense(196, name="expand"),
            layers.Activation("linear"),
            layers.Reshape((7, 7, 4)),
            layers.Conv2DTranspose(4, 3, strides=2, padding="same",
                                   activation="relu", name="t1"),
            layers.Conv2DTranspose(2, 3, strides=2, padding="valid",
                                   activation="elu", name="t2"),
            layers.Conv2D(1, 2, activation="sigmoid", name="recon"),
        ]), "x", "recon"
    return keras.Sequential([
        keras.Input((6, 24)),
        layers.LSTM(8, return_sequences=True, name="lstm"),
        layers.GRU(6, name="gru"),
        layers.Dense(24, activation="softmax", name="pred"),
    ]), "window", "pred"


def to_aec(kind, array):
    """Keras's channels-last images as aec's channels-first."""
    return np.transpose(array, (0, 3, 1, 2)) if kind == "conv" else array


def to_keras(kind, array):
    return np.transpose(array, (0, 2, 3, 1)) if kind == "conv" else array


def write(kind, out, io, keras2):
    model, input_name, output_name = build(kind)
    rng = np.random.default_rng(7)
    model.set_weights([rng.uniform(-0.3, 0.3, w.shape).astype("f4")
                       for w in model.get_weights()])
    if keras2:
        from keras.src.legacy.saving import legacy_h5_format
        with h5py.File(out, "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, model)
    else:
        model.save_weights(out)
    x = rng.random((5,) + tuple(model.input_shape[1:]), dtype="f4")
    y = model.predict(x, verbose=0)
    save(io, {input_name: to_aec(kind, x), output_name: to_aec(kind, y)})


def check(kind, weights, io, tolerance):
    model, input_name, output_name = build(kind)
    model.load_weights(weights)
    tensors = load(io)
    y = to_aec(kind, model.predict(to_keras(kind, tensors[input_name]),
                                   verbose=0))
    want = tensors[output_name]
    worst = float(np.max(np.abs(y - want) / np.maximum(1, np.abs(want))))
    print("Keras with %s: %s within %.3g" % (os.path.basename(weights),
                                            output_name, worst))
    return 0 if worst <= tolerance else 1


def init(src, out, model, path):
    with open(src) as f:
        text = f.read()
    head = "train %s {\n" % model
    with open(out, "w") as f:
        f.write(text.replace(head, head + '  init %s from "%s"\n'
                             % (model, path)))


def compare(io, pred, name, tolerance):
    want, got = load(io)[name], load(pred)[name]
    worst = float(np.max(np.abs(got - want) / np.maximum(1, np.abs(want))))
    print("aec with Keras's weights: %s within %.3g" % (name, worst))
    return 0 if got.shape == want.shape and worst <= tolerance else 1


def main():
    if sys.argv[1] == "init":
        init(*sys.argv[2:6])
        return 0
    if sys.argv[1] == "compare":
        return compare(sys.argv[2], sys.argv[3], sys.argv[4],
                       float(sys.argv[5]))
    if sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3], sys.argv[4], "--keras2" in sys.argv)
        return 0
    return check(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))


if __name__ == "__main__":
    sys.exit(main())
