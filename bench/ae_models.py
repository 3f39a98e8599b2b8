"""The autoencoder models of bench/run.py, as both aec and the peers see them.

Each model names its example, data set, batch, layers, losses and input
corruption. The layers are written as the .aenet file writes them: run.py
checks that the example still says exactly this, and ae_peers.py builds each
framework's twin from the same strings (3x3 'same' convolutions, 2x2 max
pooling, 2x2 nearest upsampling, transposed convolutions at stride 2).
Standard library only: the driver runs on any python3.
"""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (label, folder of the IDX files, how to get them)
DATASETS = {
    "fashion": ("Fashion-MNIST", "/usr/share/datasets/fashion-mnist",
                "apt-get install dataset-fashion-mnist"),
    "mnist": ("MNIST digits", os.path.join(ROOT, "data", "mnist"),
              "python3 examples/data/fetch_mnist.py"),
}

CONV = "conv2d(%d, 3x3, relu, same)"
UP = "conv2d_transpose(%d, 3x3, relu, same, strides = 2x2)"

# Each model: its example; the table's label; data set; batch; input shape
# (flat 784 or a [1, 28, 28] image); layers in order; an optional head
# (a layer fed by the output of layer |after|) with its loss on the labels
# and weight; the loss of the last layer against the clean input; the
# training inputs' corruption (sigma, clip low, clip high); the metrics.csv
# column of aec's test figure; the default --limit (0: all samples).
MODELS = {
    "dense": dict(example="dense_ae.aenet", label="dense AE 784-64-784",
                  data="fashion", batch=256, shape=(784,),
                  layers=["dense(64, relu)", "dense(784, sigmoid)"],
                  head=None, loss="mse", corrupt=None, column="val_loss",
                  limit=0),
    "deep": dict(example="deep_ae.aenet",
                 label="deep AE 784-400-200-100-200-400-784",
                 data="fashion", batch=256, shape=(784,),
                 layers=["dense(400, relu)", "dense(200, relu)",
                         "dense(100, relu)", "dense(200, relu)",
                         "dense(400, relu)", "dense(784, sigmoid)"],
                 head=None, loss="mse", corrupt=None, column="val_loss",
                 limit=0),
    "multitask": dict(example="multitask.aenet",
                      label="multi-task AE 784-256-784 + classifier",
                      data="mnist", batch=128, shape=(784,),
                      layers=["dense(256, tanh)", "dense(784, sigmoid)"],
                      head=dict(after=0, layer="dense(10, softmax)",
                                loss="cce", weight=0.5),
                      loss="bce", corrupt=None, column="val_loss", limit=0),
    "conv": dict(example="conv_ae.aenet", label="conv AE 16-8 / 8-16-1",
                 data="fashion", batch=128, shape=(1, 28, 28),
                 layers=[CONV % 16, "maxpool(2x2)", CONV % 8, "maxpool(2x2)",
                         CONV % 8, "upsample(2x2)", CONV % 16,
                         "upsample(2x2)", "conv2d(1, 3x3, sigmoid, same)"],
                 head=None, loss="mse", corrupt=None, column="val_loss",
                 limit=10240),
    "denoise": dict(example="conv_denoise.aenet",
                    label="conv denoiser 32-64-128 / 128-64-1",
                    data="mnist", batch=128, shape=(1, 28, 28),
                    layers=[CONV % 32, "maxpool(2x2)", CONV % 64,
                            "maxpool(2x2)", CONV % 128, UP % 128, UP % 64,
                            "conv2d(1, 3x3, sigmoid, same)"],
                    head=None, loss="bce", corrupt=(0.5, 0.0, 1.0),
                    column="val_recon_mse", limit=2048),
}
TEST_NOISE_SEED = 0x76616C6E6F697365  # "valnoise": one fixed draw, any --seed
LR, BETAS, EPSILON = 1e-3, (0.9, 0.999), 1e-7  # Adam, as Keras and aec


def hwio(kernel):
    """aec's (PyTorch's) conv kernel layout to JAX's and Keras's [kh, kw,
    in, out] (a transposed conv's [in, out, kh, kw] to Keras's [kh, kw,
    out, in], the same transpose); kernel is a numpy array."""
    return kernel.transpose(2, 3, 1, 0).copy()


def layers(name, width=0):
    """The model's layers; for the dense AE with |width| the code layer's
    width changed (run.py's scaling table)."""
    spec = MODELS[name]
    if width and name == "dense":
        return ["dense(%d, relu)" % width] + spec["layers"][1:]
    return spec["layers"]


def parse_layer(text):
    """(kind, units or filters or 0, activation or None) of a layer string."""
    kind, _, rest = text.partition("(")
    args = [a.strip() for a in rest.rstrip(")").split(",")]
    if kind == "dense":
        return kind, int(args[0]), args[1]
    if kind in ("conv2d", "conv2d_transpose"):
        return kind, int(args[0]), args[2]
    return kind, 0, None


def data_files(name):
    """(training images, test images, training labels, test labels)."""
    folder = DATASETS[MODELS[name]["data"]][1]
    return tuple(os.path.join(folder, f) for f in (
        "train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"))


def matmul_flops(name, width=0):
    """Multiply-add work of a training step per sample of a dense model, in
    floating-point operations: 2 per kernel weight forward, 4 backward (the
    input and kernel gradients; the first layer's input gradient, which no
    one needs, counted too); None for the convolutional models."""
    if MODELS[name]["shape"] != (784,):
        return None
    units = [784]
    total = 0
    for layer in layers(name, width):
        _, n, _ = parse_layer(layer)
        total += units[-1] * n
        units.append(n)
    head = MODELS[name]["head"]
    if head:
        total += units[head["after"] + 1] * parse_layer(head["layer"])[1]
    return 6 * total
