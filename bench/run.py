#!/usr/bin/env python3
"""Benchmarks aec's training against PyTorch on the example autoencoders.

Trains four examples for N epochs with `aec train`, once per aec backend:

  dense    examples/dense_ae.aenet, 784-64-784, Fashion-MNIST, batch 256, MSE
  deep     examples/deep_ae.aenet, 784-400-200-100-200-400-784, Fashion-MNIST,
           batch 256, MSE
  conv     examples/conv_ae.aenet, conv 16-8 / 8-16-1 with max pooling and
           nearest upsampling, Fashion-MNIST as [N, 1, 28, 28], batch 128, MSE
  denoise  examples/conv_denoise.aenet, conv 32-64-128 with max pooling,
           transposed conv 128-64 at stride 2, conv 1; MNIST digits (the IDX
           files of examples/data/fetch_mnist.py), batch 128, binary
           cross-entropy on inputs with fresh Gaussian noise each batch
           (sigma 0.5, clipped to [0, 1]) and the clean image as target

and, when `import torch` works, each model's PyTorch twin in the same run:
the same layers (ReLU hidden layers, a sigmoid output), Glorot-uniform kernels
and zero biases, Adam (lr 1e-3, beta 0.9/0.999, epsilon 1e-7 as Keras and
aec), the same batch, shuffled each epoch, the same loss and corruption, the
same IDX files (read here; the .aenet files are checked to name them) and the
same first N samples with a limit. Each twin's layer shapes and parameter
counts are checked against `aec summary`. Both get the same OMP_NUM_THREADS
and OMP_WAIT_POLICY, and PyTorch torch.set_num_threads with the same count.

The test MSE is of the reconstructions against the clean test images; for
the denoiser the test inputs carry one fixed draw of the training noise
(aec: its `metric recon: mse(x)`, the val_recon_mse column; PyTorch: a draw of
the same noise from a fixed seed), so it measures denoising, while its training
loss is the BCE.

--limit N trains and tests every run on the first N samples only (aec train
--limit N; PyTorch the same N); --loops-limit caps aec's loops-backend runs
further (default none; the loops backend trains the denoiser at ~45 samples
a second, 3 minutes an epoch), and PyTorch then also runs at that limit, so
every aec row has a PyTorch row on the same samples to compare with.

Prints a Markdown table: model, framework, training / test samples, training
samples/s, test MSE after N epochs, and aec's speed over PyTorch's. Python 3
standard library, plus torch when it is installed (bench/install-peers.sh).

  /usr/bin/python3 bench/run.py [--epochs N] [--models dense,deep,conv,denoise]
                                [--backend loops,onednn] [--threads T]
                                [--limit N] [--loops-limit [MODEL=]N,...]
"""

import argparse
import csv
import gzip
import os
import re
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LR = 1e-3

# name: (label, folder of train-images-idx3-ubyte.gz and t10k-images-...,
#        how to get the files)
DATASETS = {
    "fashion": ("Fashion-MNIST", "/usr/share/datasets/fashion-mnist",
                "apt-get install dataset-fashion-mnist"),
    "mnist": ("MNIST digits", os.path.join(ROOT, "data", "mnist"),
              "python3 examples/data/fetch_mnist.py"),
}


def dense_twin(nn, widths):
    """Dense layers 784-widths..., ReLU between, sigmoid last."""
    widths = [784] + widths
    layers = []
    for i in range(len(widths) - 1):
        layers += [nn.Linear(widths[i], widths[i + 1]),
                   nn.Sigmoid() if i == len(widths) - 2 else nn.ReLU()]
    return nn.Sequential(*layers)


def conv_twin(nn):
    """examples/conv_ae.aenet: 'same' 3x3 convolutions (padding 1)."""
    def conv(cin, cout):
        return nn.Conv2d(cin, cout, 3, padding=1)
    return nn.Sequential(
        conv(1, 16), nn.ReLU(), nn.MaxPool2d(2),
        conv(16, 8), nn.ReLU(), nn.MaxPool2d(2),
        conv(8, 8), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
        conv(8, 16), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
        conv(16, 1), nn.Sigmoid())


def denoise_twin(nn):
    """examples/conv_denoise.aenet. Keras's conv2d_transpose(F, 3x3, same,
    strides = 2x2) is ConvTranspose2d(padding=1, output_padding=1): the same
    shapes (7 -> 14 -> 28), parameters and work, but its windows sit one
    pixel off Keras's (which pads the odd row at the bottom and right, where
    PyTorch's output_padding keeps the full output's last row and drops its
    first); that changes what the model learns only at the border."""
    def conv(cin, cout):
        return nn.Conv2d(cin, cout, 3, padding=1)

    def up(cin, cout):
        return nn.ConvTranspose2d(cin, cout, 3, stride=2, padding=1,
                                  output_padding=1)
    return nn.Sequential(
        conv(1, 32), nn.ReLU(), nn.MaxPool2d(2),
        conv(32, 64), nn.ReLU(), nn.MaxPool2d(2),
        conv(64, 128), nn.ReLU(),
        up(128, 128), nn.ReLU(),
        up(128, 64), nn.ReLU(),
        conv(64, 1), nn.Sigmoid())


# Each model: its example, the table's label, its data set, batch, input
# shape (flat 784 or an image), loss, corruption (sigma, clip low, clip high)
# of the training inputs, the metrics.csv column of the test MSE, and the
# builder of its PyTorch twin (given torch.nn).
MODELS = {
    "dense": dict(example="dense_ae.aenet", label="dense AE (784-64-784)",
                  data="fashion", batch=256, shape=(784,), loss="mse",
                  corrupt=None, column="val_loss",
                  build=lambda nn: dense_twin(nn, [64, 784])),
    "deep": dict(example="deep_ae.aenet",
                 label="deep AE (784-400-200-100-200-400-784)",
                 data="fashion", batch=256, shape=(784,), loss="mse",
                 corrupt=None, column="val_loss",
                 build=lambda nn: dense_twin(nn, [400, 200, 100, 200, 400,
                                                  784])),
    "conv": dict(example="conv_ae.aenet",
                 label="conv AE (16-8 / 8-16-1, 8x7x7 code)",
                 data="fashion", batch=128, shape=(1, 28, 28), loss="mse",
                 corrupt=None, column="val_loss", build=conv_twin),
    "denoise": dict(example="conv_denoise.aenet",
                    label="conv denoising AE (32-64-128 / 128-64-1)",
                    data="mnist", batch=128, shape=(1, 28, 28), loss="bce",
                    corrupt=(0.5, 0.0, 1.0), column="val_recon_mse",
                    build=denoise_twin),
}
DEFAULT_LOOPS_LIMIT = "none"
TEST_NOISE_SEED = 0x76616C6E6F697365  # "valnoise": one fixed draw, any --seed


def read_idx_images(path):
    """The images of a gzip'd IDX file as (count, bytes of count*784 pixels)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != 0x00000803 or rows * cols != 784:
        raise SystemExit("run.py: %s is not an IDX file of 28x28 images" % path)
    return count, data[16:16 + count * 784]


def data_files(spec):
    """The (training, test) image files of a model's data set."""
    _, folder, _ = DATASETS[spec["data"]]
    return (os.path.join(folder, "train-images-idx3-ubyte.gz"),
            os.path.join(folder, "t10k-images-idx3-ubyte.gz"))


def check_example(name, spec):
    """Refuses to run when the .aenet file's train block and model disagree
    with the twin's settings (data files, batch, loss, corruption), or the
    data files are missing."""
    path = os.path.join(ROOT, "examples", spec["example"])
    with open(path) as f:
        text = re.sub(r"#.*", "", f.read())
    here = os.path.dirname(path)

    def source(keyword):
        m = re.search(r"\b%s\s+idx\(\"([^\"]+)\"\)" % keyword, text)
        return m and os.path.normpath(os.path.join(here, m.group(1)))
    found = {
        "data": (source("data"), source("validate")),
        "batch": int(re.search(r"\bbatch\s+(\d+)", text).group(1)),
        "loss": re.search(r"\bloss\s+\w+\s*:\s*(\w+)\(", text).group(1),
        "corrupt": None,
    }
    m = re.search(r"\bcorrupt\s+\w+\s+with\s+gaussian\(([\d.e-]+)\)"
                  r"(?:\s*clip\(([\d.e-]+),\s*([\d.e-]+)\))?", text)
    if m:
        found["corrupt"] = (float(m.group(1)),
                            float(m.group(2)) if m.group(2) else None,
                            float(m.group(3)) if m.group(3) else None)
    wanted = {"data": data_files(spec), "batch": spec["batch"],
              "loss": spec["loss"], "corrupt": spec["corrupt"]}
    for key in wanted:
        if found[key] != wanted[key]:
            raise SystemExit("run.py: %s has %s %r, run.py's %s twin %r; "
                             "update MODELS in bench/run.py" % (
                                 path, key, found[key], name, wanted[key]))
    for f in wanted["data"]:
        if not os.path.isfile(f):
            label, _, how = DATASETS[spec["data"]]
            raise SystemExit("run.py: %s is missing; get %s with `%s`" % (
                f, label, how))


def parse_limits(text, names):
    """--loops-limit: 'N' for every model, or 'model=N,...'; 0 is none."""
    limits = {}
    for part in [p for p in text.split(",") if p and p != "none"]:
        model, _, value = part.rpartition("=")
        try:
            n = int(value)
        except ValueError:
            raise SystemExit("run.py: --loops-limit: %r is not N or "
                             "MODEL=N" % part)
        if model and model not in MODELS:
            raise SystemExit("run.py: --loops-limit: unknown model %r" % model)
        for m in ([model] if model else names):
            limits[m] = n
    return limits


def combined(a, b):
    """The tighter of two limits, 0 meaning none."""
    return min(x for x in (a, b) if x) if a or b else 0


def steady(seconds):
    """Training seconds of the epochs after the first (all if only one): the
    first holds one-off work on both sides (aec's onednn backend creates its
    oneDNN primitives on their first call; PyTorch warms its allocator and
    picks its kernels)."""
    return seconds[1:] if len(seconds) > 1 else seconds


def speeds(count, seconds):
    timed = steady(seconds)
    return {"samples_per_s": count * len(timed) / sum(timed),
            "best_samples_per_s": count / min(timed)}


def number(text):
    return int(text.replace(",", ""))


def run_aec(aec, name, epochs, seed, folder, env, backend, limit):
    spec = MODELS[name]
    command = [aec, "train", os.path.join(ROOT, "examples", spec["example"]),
               "--epochs", str(epochs), "--seed", str(seed), "--out", folder,
               "--overwrite"]
    if backend:
        command += ["--backend", backend]
    if limit:
        command += ["--limit", str(limit)]
    print("$ OMP_NUM_THREADS=%s OMP_WAIT_POLICY=%s %s" % (
        env["OMP_NUM_THREADS"], env["OMP_WAIT_POLICY"], " ".join(command)),
        flush=True)
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        raise SystemExit("run.py: aec train exited %d" % result.returncode)
    compiled = re.search(r"compiled in ([0-9.]+) s", result.stdout)
    named = re.search(r", (\w+) backend,", result.stdout)
    counts = re.search(r"([\d,]+) training samples, ([\d,]+) validation "
                       r"samples", result.stdout)
    if not counts:
        raise SystemExit("run.py: aec train printed no sample counts")
    with open(os.path.join(folder, "metrics.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if spec["column"] not in rows[-1]:
        raise SystemExit("run.py: %s/metrics.csv has no column %s" % (
            folder, spec["column"]))
    seconds = [float(r["seconds"]) for r in rows]
    train_count, test_count = number(counts.group(1)), number(counts.group(2))
    run = {
        "train_count": train_count,
        "test_count": test_count,
        "test_mse": float(rows[-1][spec["column"]]),
        "epoch_seconds": seconds,
        "compile_seconds": float(compiled.group(1)) if compiled else None,
        "backend": named.group(1) if named else "loops",
    }
    run.update(speeds(train_count, seconds))
    return run


def twin(torch, name):
    """The PyTorch model of |name|, Glorot-uniform kernels and zero biases."""
    nn = torch.nn
    model = MODELS[name]["build"](nn)
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def check_twin(torch, aec, name, model):
    """Compares the twin's layer output shapes and parameter counts with
    `aec summary` of the example, layer by layer (activations aside)."""
    command = [aec, "summary", os.path.join(ROOT, "examples",
                                            MODELS[name]["example"])]
    summary = subprocess.run(command, stdout=subprocess.PIPE, text=True,
                             check=True).stdout
    theirs = [(tuple(number(d) for d in m.group(3).split(",")),
               number(m.group(4)))
              for m in re.finditer(r"^ (\S+) +(\S+) +\(None, ([\d, ]+)\) +"
                                   r"([\d,]+)(?: +\S.*)?$", summary, re.M)
              if m.group(2) != "InputLayer"]
    ours = []
    x = torch.zeros((1,) + MODELS[name]["shape"])
    with torch.no_grad():
        for layer in model:
            x = layer(x)
            if not isinstance(layer, (torch.nn.ReLU, torch.nn.Sigmoid)):
                ours.append((tuple(x.shape[1:]),
                             sum(p.numel() for p in layer.parameters())))
    if ours != theirs:
        raise SystemExit("run.py: the PyTorch %s twin's (output shape, "
                         "parameters) per layer are %s, `%s` says %s" % (
                             name, ours, " ".join(command), theirs))


def corrupted(torch, x, sigma, low, high, generator):
    noisy = x + sigma * torch.randn(x.shape, generator=generator)
    return noisy.clamp_(low, high) if low is not None else noisy


def run_torch(torch, aec, name, epochs, seed, train, test):
    spec = MODELS[name]
    nn = torch.nn
    torch.manual_seed(seed)
    model = twin(torch, name)
    check_twin(torch, aec, name, model)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR,
                                 betas=(0.9, 0.999), eps=1e-7)
    loss_fn = nn.MSELoss() if spec["loss"] == "mse" else nn.BCELoss()
    mse = nn.MSELoss()
    batch = spec["batch"]
    noise = spec["corrupt"]
    n = train.shape[0]
    generator = torch.Generator().manual_seed(seed)
    # The test inputs: clean, or one fixed draw of the training noise.
    test_in = test
    if noise:
        test_in = corrupted(torch, test, *noise, torch.Generator().manual_seed(
            TEST_NOISE_SEED))

    def test_mse():
        model.eval()
        total = 0.0
        with torch.no_grad():
            for begin in range(0, test.shape[0], batch):
                y = model(test_in[begin:begin + batch])
                total += mse(y, test[begin:begin + batch]).item() * y.shape[0]
        return total / test.shape[0]

    seconds = []
    for epoch in range(epochs):
        order = torch.randperm(n, generator=generator)
        start = time.perf_counter()
        model.train()
        total = 0.0
        for begin in range(0, n, batch):
            x = train[order[begin:begin + batch]]
            inputs = corrupted(torch, x, *noise, generator) if noise else x
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(inputs), x)
            loss.backward()
            optimizer.step()
            total += loss.item() * x.shape[0]
        seconds.append(time.perf_counter() - start)
        result = test_mse()
        print("torch %s: epoch %d/%d  loss %.4f  test MSE %.4f - %.2fs" % (
            name, epoch + 1, epochs, total / n, result, seconds[-1]),
            flush=True)
    run = {"train_count": n, "test_count": test.shape[0],
           "test_mse": result, "epoch_seconds": seconds}
    run.update(speeds(n, seconds))
    return run


def load_torch(threads):
    try:
        import torch
    except ImportError as e:
        print("PyTorch not available (%s); aec only. See bench/README.md." % e)
        return None
    torch.set_num_threads(threads)
    return torch


def as_tensor(torch, count_and_bytes, shape, limit):
    count, pixels = count_and_bytes
    if limit:
        count = min(count, limit)
    t = torch.frombuffer(bytearray(pixels[:count * 784]), dtype=torch.uint8)
    return t.reshape((count,) + shape).to(torch.float32) / 255.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--models", default=",".join(MODELS),
                        help="comma-separated, from: " + ", ".join(MODELS) +
                        " (default: all)")
    parser.add_argument("--threads", type=int, default=2,
                        help="OMP_NUM_THREADS and torch threads (default 2)")
    parser.add_argument("--wait-policy", default="passive",
                        help="OMP_WAIT_POLICY for both (default passive, "
                        "what aec picks for itself when it is unset)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--aec", default=os.path.join(ROOT, "build/bin/aec"))
    parser.add_argument("--out", default=os.path.join(ROOT, "out/bench"),
                        help="folder for aec's runs (default out/bench)")
    parser.add_argument("--backend", default="",
                        help="comma-separated aec backends, each passed as "
                        "aec train --backend B (default: aec's default)")
    parser.add_argument("--limit", type=int, default=0,
                        help="train and test on the first N samples only "
                        "(aec train --limit N; PyTorch the same; default: "
                        "all)")
    parser.add_argument("--loops-limit", default=DEFAULT_LOOPS_LIMIT,
                        help="a tighter limit for aec's loops-backend runs: "
                        "N for every model or MODEL=N,... (default %s; "
                        "'none' for none); PyTorch also runs at each such "
                        "limit" % DEFAULT_LOOPS_LIMIT)
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args()
    names = [m for m in args.models.split(",") if m]
    for m in names:
        if m not in MODELS:
            parser.error("unknown model %r" % m)
        check_example(m, MODELS[m])
    backends = [b for b in args.backend.split(",") if b] or [None]
    loops_limits = parse_limits(args.loops_limit, names)

    # Set before torch loads its OpenMP runtime, and passed to aec.
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    os.environ["OMP_WAIT_POLICY"] = args.wait_policy
    env = dict(os.environ)
    torch = None if args.no_torch else load_torch(args.threads)

    load_before = os.getloadavg()[0]
    results = []
    for name in names:
        spec = MODELS[name]
        runs = []
        for b in backends:
            limit = args.limit
            if b == "loops":  # aec's default backend is onednn
                limit = combined(limit, loops_limits.get(name, 0))
            runs.append(run_aec(args.aec, name, args.epochs, args.seed,
                                os.path.join(args.out, b or "default",
                                             "aec-" + name),
                                env, b, limit))
        peers = []
        if torch is not None:
            train_file, test_file = data_files(spec)
            train = read_idx_images(train_file)
            test = read_idx_images(test_file)
            for count in sorted({r["train_count"] for r in runs},
                                reverse=True):
                limit = count if count < train[0] else 0
                peers.append(run_torch(
                    torch, args.aec, name, args.epochs, args.seed,
                    as_tensor(torch, train, spec["shape"], limit),
                    as_tensor(torch, test, spec["shape"], limit)))
        results.append((name, runs, peers))

    print()
    print("| model | framework | samples: train / test | samples/s | "
          "best epoch, samples/s | test MSE after %d epochs | "
          "aec ÷ PyTorch (samples/s, best) |" % args.epochs)
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, runs, peers in results:
        label = MODELS[name]["label"]
        for aec in runs:
            ratio = "—"
            peer = [p for p in peers if p["train_count"] == aec["train_count"]]
            if peer:
                ratio = "%.2f, %.2f" % (
                    aec["samples_per_s"] / peer[0]["samples_per_s"],
                    aec["best_samples_per_s"] / peer[0]["best_samples_per_s"])
            print("| %s | aec (JIT, %s) | %s / %s | %.0f | %.0f | %.4f | %s |"
                  % (label, aec["backend"], format(aec["train_count"], ","),
                     format(aec["test_count"], ","), aec["samples_per_s"],
                     aec["best_samples_per_s"], aec["test_mse"], ratio))
        for peer in peers:
            print("| %s | PyTorch %s | %s / %s | %.0f | %.0f | %.4f | |" % (
                label, torch.__version__, format(peer["train_count"], ","),
                format(peer["test_count"], ","), peer["samples_per_s"],
                peer["best_samples_per_s"], peer["test_mse"]))
    print()

    used = sorted({aec["backend"] for _, runs, _ in results for aec in runs})
    threading = {
        "loops": "aec's loops backend runs its JIT-compiled code on one thread",
        "onednn": "aec's onednn backend runs oneDNN primitives on its OpenMP "
                  "threads and the rest of the JIT-compiled code on one",
    }
    denoise = ""
    if "denoise" in names:
        denoise = (" For the denoiser the test inputs carry one fixed draw "
                   "of the training noise (Gaussian, sigma 0.5, clipped to "
                   "[0, 1]) on both sides, and the MSE is against the clean "
                   "images (aec's val_recon_mse); it trains on BCE.")
    print("samples/s: training samples an epoch over the training seconds of "
          "epochs 2..%d (epoch 1 is listed below: it holds one-off work on "
          "both sides); best epoch: the fastest of those epochs, less "
          "sensitive to other load on the machine; compile time and the "
          "per-epoch test pass are excluded. Samples: per epoch, all of the "
          "data set's or the first N with a limit; a row's ratio is to the "
          "PyTorch row with the same samples. Test MSE: of the reconstructions "
          "of those test images.%s Threads: OMP_NUM_THREADS=%d and "
          "OMP_WAIT_POLICY=%s for both%s; %s. Load average %.1f before, %.1f "
          "after, on %d CPUs." % (
              args.epochs, denoise, args.threads, args.wait_policy,
              ", torch.set_num_threads(%d)" % args.threads if torch else "",
              "; ".join(threading.get(b, b + " backend") for b in used),
              load_before, os.getloadavg()[0], os.cpu_count()))
    for name, runs, peers in results:
        parts = ["aec %s %s (compiled in %s s before)" % (
            aec["backend"], " ".join("%.2f" % s for s in aec["epoch_seconds"]),
            aec["compile_seconds"]) for aec in runs]
        parts += ["PyTorch%s %s" % (
            "" if len(peers) == 1 else " (%s samples)" % format(
                peer["train_count"], ","),
            " ".join("%.2f" % s for s in peer["epoch_seconds"]))
            for peer in peers]
        print("epoch seconds, %s: %s" % (name, "; ".join(parts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
