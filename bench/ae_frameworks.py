"""The autoencoders' twins in PyTorch (eager and torch.compile), JAX and
Keras 3, each trained the way a user of that framework would write it (see
bench/ae_peers.py, which calls run_FRAMEWORK(task)).

task: spec (bench/ae_models.py), layers (their strings), weights ([(kernel,
bias)] in aec's layouts), batch, epochs, seed, train ([N, 784] pixels in
[0, 1]), labels ([N] or None), test_in ([M, 784], noisy for the denoiser).
Returns (version, peerlib.EpochClock of the training loop, test outputs as
numpy: [reconstructions] or [reconstructions, class probabilities]).

Keras compiles with its default jit_compile="auto": XLA on JAX, and on a
CPU-only TensorFlow graphs of TensorFlow's own (oneDNN) kernels, which on
the convolutional models are ~10x faster than XLA's CPU convolutions.

The head's softmax and cross-entropy are one log-softmax on logits in
PyTorch and JAX (what their users write), softmax probabilities with
sparse cross-entropy in Keras (what Keras's users write).
"""

import numpy as np

from ae_models import BETAS, EPSILON, LR, hwio, parse_layer
from peerlib import EpochClock


def image_shape(task, channels_last):
    if task["spec"]["shape"] == (784,):
        return (784,)
    return (28, 28, 1) if channels_last else (1, 28, 28)


def torch_model(torch, task):
    nn = torch.nn
    acts = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
            "softmax": nn.Identity}  # logits: CrossEntropyLoss
    head = task["spec"]["head"]
    params = []

    def build(text, inputs):
        kind, n, act = parse_layer(text)
        if kind == "dense":
            layer = nn.Linear(inputs, n)
        elif kind == "conv2d":
            layer = nn.Conv2d(inputs, n, 3, padding=1)
        elif kind == "conv2d_transpose":
            # Keras's 'same' at stride 2 pads its odd row at the bottom and
            # right; output_padding=1 gives the same shapes, parameters and
            # work, windows one pixel off.
            layer = nn.ConvTranspose2d(inputs, n, 3, stride=2, padding=1,
                                       output_padding=1)
        elif kind == "maxpool":
            layer = nn.MaxPool2d(2)
        else:
            layer = nn.Upsample(scale_factor=2, mode="nearest")
        if n:
            params.append(layer)
        return nn.Sequential(layer, *([acts[act]()] if act else [])), \
            n or inputs

    units = [1 if task["spec"]["shape"] != (784,) else 784]
    trunk = []
    for text in task["layers"]:
        layer, n = build(text, units[-1])
        trunk.append(layer)
        units.append(n)
    head_layer = build(head["layer"], units[head["after"] + 1])[0] \
        if head else None

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.trunk = nn.ModuleList(trunk)
            self.head = head_layer

        def forward(self, x):
            outputs = []
            for i, layer in enumerate(self.trunk):
                x = layer(x)
                if head and i == head["after"]:
                    outputs.append(self.head(x))
            return [x] + outputs
    model = Net()
    with torch.no_grad():
        for layer, (kernel, bias) in zip(params, task["weights"]):
            layer.weight.copy_(torch.from_numpy(
                kernel.T.copy() if kernel.ndim == 2 else kernel))
            layer.bias.copy_(torch.from_numpy(bias))
    return model


def run_torch(task, compile_model=False):
    import torch
    torch.manual_seed(task["seed"])
    spec, batch = task["spec"], task["batch"]
    model = torch_model(torch, task)
    step_model = torch.compile(model) if compile_model else model
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, betas=BETAS,
                                 eps=EPSILON)
    main = torch.nn.MSELoss() if spec["loss"] == "mse" else \
        torch.nn.BCELoss()
    cce = torch.nn.CrossEntropyLoss()
    shape = image_shape(task, False)
    x = torch.from_numpy(task["train"]).reshape((-1,) + shape)
    y = None if task["labels"] is None else torch.from_numpy(
        task["labels"]).long()
    generator = torch.Generator().manual_seed(task["seed"])
    clock = EpochClock()
    model.train()
    for _ in range(task["epochs"]):
        order = torch.randperm(x.shape[0], generator=generator)
        clock.start()
        for begin in range(0, x.shape[0], batch):
            pick = order[begin:begin + batch]
            clean = x[pick]
            inputs = clean
            if spec["corrupt"]:
                sigma, low, high = spec["corrupt"]
                inputs = (clean + sigma * torch.randn(
                    clean.shape, generator=generator)).clamp_(low, high)
            optimizer.zero_grad(set_to_none=True)
            outputs = step_model(inputs)
            loss = main(outputs[0], clean)
            if y is not None:
                loss = loss + spec["head"]["weight"] * cce(outputs[1],
                                                           y[pick])
            loss.backward()
            optimizer.step()
        clock.stop()
    model.eval()
    test = torch.from_numpy(task["test_in"]).reshape((-1,) + shape)
    with torch.no_grad():
        parts = [model(test[b:b + batch]) for b in range(0, len(test),
                                                         batch)]
    outputs = [torch.cat([p[i] for p in parts]).numpy()
               for i in range(len(parts[0]))]
    if len(outputs) > 1:
        outputs[1] = torch.softmax(torch.from_numpy(outputs[1]), 1).numpy()
    version = "PyTorch " + torch.__version__.split("+")[0]
    return version + (" compile" if compile_model else " eager"), clock, \
        outputs


def run_torch_compile(task):
    return run_torch(task, compile_model=True)


def jax_apply(jax, jnp, task):
    """apply(params, x) -> [reconstruction, head logits?] in NHWC."""
    dims = ("NHWC", "HWIO", "NHWC")
    acts = {"relu": jax.nn.relu, "sigmoid": jax.nn.sigmoid,
            "tanh": jnp.tanh, "softmax": lambda z: z}  # logits
    head = task["spec"]["head"]

    def layer(text, x, p):
        kind, n, act = parse_layer(text)
        if kind == "dense":
            x = x @ p[0] + p[1]
        elif kind == "conv2d":
            x = jax.lax.conv_general_dilated(x, p[0], (1, 1), "SAME",
                                             dimension_numbers=dims) + p[1]
        elif kind == "conv2d_transpose":
            x = jax.lax.conv_transpose(x, p[0], (2, 2), "SAME",
                                       dimension_numbers=dims,
                                       transpose_kernel=True) + p[1]
        elif kind == "maxpool":
            return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max,
                                         (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
        else:
            return jnp.repeat(jnp.repeat(x, 2, axis=1), 2, axis=2)
        return acts[act](x)

    def apply(params, x):
        params = list(params)
        outputs = []
        for i, text in enumerate(task["layers"]):
            takes = parse_layer(text)[1] > 0
            x = layer(text, x, params.pop(0) if takes else None)
            if head and i == head["after"]:
                outputs.append(layer(head["layer"], x, params[-1]))
        return [x] + outputs
    return apply


def run_jax(task):
    import jax
    import jax.numpy as jnp
    import optax
    spec, batch = task["spec"], task["batch"]
    apply = jax_apply(jax, jnp, task)
    params = [(jnp.asarray(k if k.ndim == 2 else hwio(k)), jnp.asarray(b))
              for k, b in task["weights"]]
    optimizer = optax.adam(LR, b1=BETAS[0], b2=BETAS[1], eps=EPSILON)
    state = optimizer.init(params)

    def loss_of(p, clean, labels, key):
        inputs = clean
        if spec["corrupt"]:
            sigma, low, high = spec["corrupt"]
            inputs = jnp.clip(clean + sigma * jax.random.normal(
                key, clean.shape), low, high)
        outputs = apply(p, inputs)
        if spec["loss"] == "mse":
            loss = jnp.mean((outputs[0] - clean) ** 2)
        else:
            q = jnp.clip(outputs[0], EPSILON, 1 - EPSILON)
            loss = -jnp.mean(clean * jnp.log(q) + (1 - clean) *
                             jnp.log(1 - q))
        if spec["head"]:
            logp = jax.nn.log_softmax(outputs[1])
            loss += spec["head"]["weight"] * -jnp.mean(
                jnp.take_along_axis(logp, labels[:, None], 1))
        return loss

    @jax.jit
    def step(p, s, clean, labels, key):
        loss, grads = jax.value_and_grad(loss_of)(p, clean, labels, key)
        updates, s = optimizer.update(grads, s, p)
        return optax.apply_updates(p, updates), s, loss

    shape = image_shape(task, True)
    x = task["train"].reshape((-1,) + shape)
    y = task["labels"] if task["labels"] is not None else \
        np.zeros(len(x), np.int32)
    rng = np.random.default_rng(task["seed"])
    key = jax.random.PRNGKey(task["seed"])
    clock = EpochClock()
    for _ in range(task["epochs"]):
        order = rng.permutation(len(x))
        clock.start()
        for begin in range(0, len(x), batch):
            pick = order[begin:begin + batch]
            key, sub = jax.random.split(key)
            params, state, loss = step(params, state, x[pick], y[pick], sub)
        jax.block_until_ready(params)
        clock.stop()
    test = task["test_in"].reshape((-1,) + shape)
    run = jax.jit(apply)
    parts = [run(params, test[b:b + batch]) for b in range(0, len(test),
                                                           batch)]
    outputs = [np.concatenate([np.asarray(p[i]) for p in parts])
               for i in range(len(parts[0]))]
    if len(outputs) > 1:
        outputs[1] = np.asarray(jax.nn.softmax(outputs[1], axis=1))
    outputs[0] = outputs[0].reshape(len(test), -1)
    return "JAX %s (jit, optax %s)" % (jax.__version__, optax.__version__), \
        clock, outputs


def run_keras(task, backend):
    import keras
    spec, batch = task["spec"], task["batch"]
    keras.utils.set_random_seed(task["seed"])
    shape = image_shape(task, True)
    inputs = keras.Input(shape)
    x = inputs
    if spec["corrupt"]:  # fresh noise each batch, only while training
        sigma, low, high = spec["corrupt"]
        x = keras.layers.GaussianNoise(sigma)(x)
        x = keras.layers.Lambda(lambda t: keras.ops.clip(t, low, high))(x)
    params, outputs = [], []

    def build(text):
        kind, n, act = parse_layer(text)
        if kind == "dense":
            layer = keras.layers.Dense(n, activation=act)
        elif kind == "conv2d":
            layer = keras.layers.Conv2D(n, 3, padding="same", activation=act)
        elif kind == "conv2d_transpose":
            layer = keras.layers.Conv2DTranspose(n, 3, strides=2,
                                                 padding="same",
                                                 activation=act)
        elif kind == "maxpool":
            return keras.layers.MaxPooling2D(2)
        else:
            return keras.layers.UpSampling2D(2)
        params.append(layer)
        return layer
    head = spec["head"]
    for i, text in enumerate(task["layers"]):
        x = build(text)(x)
        if head and i == head["after"]:
            fork = x
    outputs = [x]
    if head:
        outputs.append(build(head["layer"])(fork))
    model = keras.Model(inputs, outputs)
    for layer, (kernel, bias) in zip(params, task["weights"]):
        layer.set_weights([kernel if kernel.ndim == 2 else hwio(kernel),
                           bias])
    main = "mse" if spec["loss"] == "mse" else "binary_crossentropy"
    losses, weights = [main], [1.0]
    train = task["train"].reshape((-1,) + shape)
    targets = [train]
    if head:
        losses.append("sparse_categorical_crossentropy")
        weights.append(head["weight"])
        targets.append(task["labels"])
    model.compile(optimizer=keras.optimizers.Adam(
        LR, beta_1=BETAS[0], beta_2=BETAS[1], epsilon=EPSILON),
        loss=losses, loss_weights=weights, jit_compile="auto")
    clock = EpochClock()

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            clock.start()

        def on_epoch_end(self, epoch, logs=None):
            clock.stop()
    model.fit(train, targets, batch_size=batch, epochs=task["epochs"],
              shuffle=True, verbose=0, callbacks=[Timer()])
    test = task["test_in"].reshape((-1,) + shape)
    predicted = model.predict(test, batch_size=batch, verbose=0)
    if not isinstance(predicted, list):
        predicted = [predicted]
    predicted = [np.asarray(p) for p in predicted]
    predicted[0] = predicted[0].reshape(len(test), -1)
    return "Keras %s on %s" % (keras.__version__, backend), clock, predicted


def run_keras_tf(task):
    import tensorflow as tf
    return run_keras(task, "TensorFlow " + tf.__version__)


def run_keras_jax(task):
    import jax
    return run_keras(task, "JAX " + jax.__version__)
