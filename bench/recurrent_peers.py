#!/usr/bin/env python3
"""Trains one recurrent bench model in one Python framework; bench/recurrent.py
runs it once per framework, each in a process of its own (Keras picks its
backend at import, and the frameworks' thread pools must not share a process).

  recurrent_peers.py --framework torch|keras-tf|keras-jax|jax
                     --model speed|char --limit N --epochs E --seed S
                     --threads T --data PATH [--init W.safetensors]

Models (the same as aec's, bench/README.md):
  speed  LSTM(64) many-to-one over [600, 6] + dense(1), MSE, Adam lr 1e-3,
         batch 32; PATH is the folder of bench/make_speed600_csv.py's files,
         the targets scaled by 1/100 as bench/lstm_speed600.aenet does.
  char   LSTM(128) over 40 one-hot characters (V = 70) + dense(70, softmax),
         categorical cross-entropy, RMSprop lr 1e-2 (rho 0.9), batch 128;
         PATH is the word list. Windows as aec's text(window = 40): one per
         character that follows 40 others, the first 95 % for training
         (examples/char_lstm.aenet's split 0.05), of those the first N.

Every framework starts from the same weights: those of --init (aec's initial
checkpoint, as bench/recurrent.py passes it), or drawn here with Keras's
initializers (glorot_uniform kernels, orthogonal recurrent kernel, zero biases
with the forget gate's at 1), both in Keras's layout (kernel [C, 4H],
recurrent [H, 4H], gates i, f, c, o); each shuffles every epoch. Prints one line
`RESULT {json}`: the version, the per-epoch training seconds and losses (the
mean over the epoch's batches, as Keras and aec report them).
"""

import argparse
import math
import os
import sys
import time

import numpy as np

import peerlib

MODELS = {
    "speed": dict(steps=600, features=6, units=64, outputs=1, batch=32,
                  optimizer=("adam", 1e-3)),
    "char": dict(steps=40, features=70, units=128, outputs=70, batch=128,
                 optimizer=("rmsprop", 1e-2)),
}
EPSILON = 1e-7  # Keras's and aec's optimizer epsilon
SPLIT = 0.05    # examples/char_lstm.aenet's validation fraction


def speed_data(folder, limit):
    """([N, 600, 6] readings, [N, 1] targets / 100) of the first N drives."""
    count = limit or 1 << 62
    targets = np.loadtxt(os.path.join(folder, "speed_train_targets.csv"),
                         delimiter=",", skiprows=1, max_rows=count,
                         dtype=np.float32)
    rows = np.loadtxt(os.path.join(folder, "speed_train.csv"), delimiter=",",
                      skiprows=1, max_rows=targets.shape[0] * 600,
                      dtype=np.float32)
    ids = rows[:, 0].reshape(-1, 600)
    if rows.shape[0] != targets.shape[0] * 600 or (ids != ids[:, :1]).any():
        raise SystemExit("recurrent_peers: %s does not hold drives of 600 "
                         "readings each" % folder)
    return rows[:, 2:].reshape(-1, 600, 6), targets[:, 1:] / 100.0


def char_data(path, limit):
    """([N, 40, 70] one-hot windows, [N] next-character indices)."""
    with open(path, encoding="utf-8") as f:
        text = f.read().lstrip("\ufeff")
    vocabulary = sorted(set(text))
    if len(vocabulary) > 70:
        raise SystemExit("recurrent_peers: %s has %d distinct characters, "
                         "more than 70" % (path, len(vocabulary)))
    index = {c: i for i, c in enumerate(vocabulary)}
    symbols = np.array([index[c] for c in text], dtype=np.int32)
    windows = len(symbols) - 40
    count = math.floor(windows * (1.0 - SPLIT))
    if limit:
        count = min(count, limit)
    starts = np.arange(count)[:, None] + np.arange(40)[None, :]
    x = np.zeros((count, 40, 70), dtype=np.float32)
    np.put_along_axis(x, symbols[starts][..., None], 1.0, axis=2)
    return x, symbols[40:40 + count].astype(np.int32)


def initial_weights(spec, seed):
    """Keras's initializers in Keras's layout: kernel, recurrent kernel,
    bias, dense kernel, dense bias."""
    rng = np.random.default_rng(seed)
    c, h, o = spec["features"], spec["units"], spec["outputs"]

    def glorot(rows, cols):
        limit = math.sqrt(6.0 / (rows + cols))
        return rng.uniform(-limit, limit, (rows, cols)).astype(np.float32)
    # keras.initializers.Orthogonal for [h, 4h]: QR of a [4h, h] normal
    # matrix, signs fixed by R's diagonal, transposed.
    q, r = np.linalg.qr(rng.standard_normal((4 * h, h)))
    recurrent = (q * np.sign(np.diag(r))).T.astype(np.float32)
    bias = np.zeros(4 * h, dtype=np.float32)
    bias[h:2 * h] = 1.0  # unit_forget_bias
    return [glorot(c, 4 * h), recurrent, bias, glorot(h, o),
            np.zeros(o, dtype=np.float32)]


def checkpoint_weights(path, spec):
    """The initial weights of aec's `train --epochs 0` checkpoint, in the
    order of initial_weights(): Keras's names and layouts, so they load as
    they are (LAYER.kernel, LAYER.recurrent_kernel, LAYER.bias, and the dense
    layer's DENSE.kernel, DENSE.bias)."""
    tensors = peerlib.read_checkpoint(path)
    lstm = [k[:-len(".recurrent_kernel")] for k in tensors
            if k.endswith(".recurrent_kernel")]
    dense = [k[:-len(".kernel")] for k in tensors if k.endswith(".kernel")
             and k[:-len(".kernel")] not in lstm]
    if len(lstm) != 1 or len(dense) != 1:
        raise SystemExit("recurrent_peers: %s does not hold one LSTM and one "
                         "dense layer" % path)
    weights = [tensors[lstm[0] + ".kernel"],
               tensors[lstm[0] + ".recurrent_kernel"],
               tensors[lstm[0] + ".bias"], tensors[dense[0] + ".kernel"],
               tensors[dense[0] + ".bias"]]
    wanted = [w.shape for w in initial_weights(spec, 0)]
    if [w.shape for w in weights] != wanted:
        raise SystemExit("recurrent_peers: %s has the shapes %s, the model "
                         "%s" % (path, [w.shape for w in weights], wanted))
    return [np.array(w) for w in weights]


def run_torch(name, spec, x, y, weights, epochs, seed, threads):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(spec["features"], spec["units"],
                                batch_first=True)
            self.dense = nn.Linear(spec["units"], spec["outputs"])

        def forward(self, inputs):
            _, (h, _) = self.lstm(inputs)
            return self.dense(h[-1])
    model = Net()
    kernel, recurrent, bias, dense, dense_bias = weights
    with torch.no_grad():  # PyTorch keeps the transposes, gates i, f, g, o
        model.lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
        model.lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent.T))
        model.lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
        model.lstm.bias_hh_l0.zero_()
        model.dense.weight.copy_(torch.from_numpy(dense.T))
        model.dense.bias.copy_(torch.from_numpy(dense_bias))
    kind, lr = spec["optimizer"]
    if kind == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=lr, eps=EPSILON)
        loss_fn = nn.MSELoss()
    else:  # Keras's RMSprop: rho 0.9, epsilon outside the square root
        optimizer = torch.optim.RMSprop(model.parameters(), lr=lr, alpha=0.9,
                                        eps=EPSILON)
        loss_fn = nn.CrossEntropyLoss()  # on logits: softmax + CCE
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    if kind != "adam":
        y = y.long()
    generator = torch.Generator().manual_seed(seed)
    batch, n = spec["batch"], x.shape[0]
    seconds, losses = [], []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        start = time.perf_counter()
        total = 0.0
        for begin in range(0, n, batch):
            pick = order[begin:begin + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[pick]), y[pick])
            loss.backward()
            optimizer.step()
            total += loss.item() * pick.shape[0]
        seconds.append(time.perf_counter() - start)
        losses.append(total / n)
    return "PyTorch " + torch.__version__.split("+")[0], seconds, losses


def run_keras(name, spec, x, y, weights, epochs, seed, threads):
    """Keras 3 on the backend KERAS_BACKEND names (set before the import),
    the training step compiled by XLA (jit_compile)."""
    if os.environ["KERAS_BACKEND"] == "tensorflow":
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        backend = "TensorFlow " + tf.__version__
    else:
        import jax
        backend = "JAX " + jax.__version__
    import keras
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((spec["steps"], spec["features"]))
    hidden = keras.layers.LSTM(spec["units"])(inputs)
    kind, lr = spec["optimizer"]
    outputs = keras.layers.Dense(
        spec["outputs"], activation=None if kind == "adam" else "softmax")(
            hidden)
    model = keras.Model(inputs, outputs)
    model.set_weights(weights)
    if kind == "adam":
        model.compile(optimizer=keras.optimizers.Adam(lr, epsilon=EPSILON),
                      loss="mse", jit_compile=True)
    else:
        model.compile(optimizer=keras.optimizers.RMSprop(lr, rho=0.9,
                                                         epsilon=EPSILON),
                      loss="sparse_categorical_crossentropy",
                      jit_compile=True)
    seconds = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds.append(time.perf_counter() - self.start)
    history = model.fit(x, y, batch_size=spec["batch"], epochs=epochs,
                        shuffle=True, verbose=0, callbacks=[Timer()])
    return ("Keras %s on %s" % (keras.__version__, backend), seconds,
            [float(v) for v in history.history["loss"]])


def run_jax(name, spec, x, y, weights, epochs, seed, threads):
    """A jitted training step: the LSTM as lax.scan over time after one
    matrix product for every step's input projection, Keras's Adam or
    RMSprop written out."""
    import jax
    import jax.numpy as jnp
    kind, lr = spec["optimizer"]

    def forward(params, inputs):
        kernel, recurrent, bias, dense, dense_bias = params
        projected = jnp.einsum("ntc,cg->tng", inputs, kernel) + bias
        h0 = jnp.zeros((inputs.shape[0], spec["units"]), inputs.dtype)

        def step(state, z):
            h, c = state
            i, f, g, o = jnp.split(z + h @ recurrent, 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), None
        (h, _), _ = jax.lax.scan(step, (h0, h0), projected)
        return h @ dense + dense_bias

    def loss_fn(params, inputs, targets):
        out = forward(params, inputs)
        if kind == "adam":
            return jnp.mean((out - targets) ** 2)
        logp = jax.nn.log_softmax(out)
        return -jnp.mean(jnp.take_along_axis(logp, targets[:, None], 1))

    @jax.jit
    def train_step(params, slots, t, inputs, targets):
        loss, grads = jax.value_and_grad(loss_fn)(params, inputs, targets)
        t = t + 1
        if kind == "adam":  # keras.optimizers.Adam
            alpha = lr * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            m = [a + (g - a) * 0.1 for a, g in zip(slots[0], grads)]
            v = [b + (g * g - b) * 0.001 for b, g in zip(slots[1], grads)]
            params = [p - a * alpha / (jnp.sqrt(b) + EPSILON)
                      for p, a, b in zip(params, m, v)]
            slots = [m, v]
        else:  # keras.optimizers.RMSprop, rho 0.9
            v = [0.9 * b + 0.1 * g * g for b, g in zip(slots[0], grads)]
            params = [p - lr * g / (jnp.sqrt(b) + EPSILON)
                      for p, g, b in zip(params, grads, v)]
            slots = [v]
        return params, slots, t, loss

    params = [jnp.asarray(w) for w in weights]
    slots = [[jnp.zeros_like(p) for p in params]
             for _ in range(2 if kind == "adam" else 1)]
    t = jnp.zeros((), jnp.float32)
    rng = np.random.default_rng(seed)
    batch, n = spec["batch"], x.shape[0]
    seconds, losses = [], []
    for _ in range(epochs):
        order = rng.permutation(n)
        start = time.perf_counter()
        total = []
        for begin in range(0, n, batch):
            pick = order[begin:begin + batch]
            params, slots, t, loss = train_step(params, slots, t, x[pick],
                                                y[pick])
            total.append(loss * len(pick))
        total = float(sum(total))  # waits for the epoch's last step
        seconds.append(time.perf_counter() - start)
        losses.append(total / n)
    return "JAX %s (jit, lax.scan)" % jax.__version__, seconds, losses


FRAMEWORKS = {"torch": run_torch, "keras-tf": run_keras,
              "keras-jax": run_keras, "jax": run_jax}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", required=True, choices=FRAMEWORKS)
    parser.add_argument("--model", required=True, choices=MODELS)
    parser.add_argument("--data", required=True)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--init", help="start from the weights of this "
                        "safetensors file (aec train --epochs 0's "
                        "checkpoint); default: a draw of Keras's "
                        "initializers from --seed")
    args = parser.parse_args()
    spec = MODELS[args.model]
    if args.framework.startswith("keras-"):
        os.environ["KERAS_BACKEND"] = {"keras-tf": "tensorflow",
                                       "keras-jax": "jax"}[args.framework]
    load = speed_data if args.model == "speed" else char_data
    x, y = load(args.data, args.limit)
    if x.shape[0] % spec["batch"]:
        raise SystemExit("recurrent_peers: %d samples is not a whole number "
                         "of batches of %d" % (x.shape[0], spec["batch"]))
    weights = (checkpoint_weights(args.init, spec) if args.init
               else initial_weights(spec, args.seed))
    version, seconds, losses = FRAMEWORKS[args.framework](
        args.model, spec, x, y, weights, args.epochs, args.seed, args.threads)
    peerlib.print_result({"framework": version, "samples": len(x),
                          "epoch_seconds": seconds, "losses": losses})
    return 0


if __name__ == "__main__":
    sys.exit(main())
