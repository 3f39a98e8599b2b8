#!/usr/bin/env bash
# Installs the frameworks the benches compare aec with.
#
# The benches (bench/run.py, the autoencoders; bench/recurrent.py, the
# LSTMs; bench/latency.py, batch-1 latency) run every peer from PyPI in the
# venv bench/.venv (git ignores it): PyTorch 2, JAX with optax, Keras 3 on
# TensorFlow and on JAX, ONNX Runtime (latency.py), pinned to the
# versions bench/README.md and bench/NOTES.md measured. Debian's PyTorch
# (1.13) is superseded and no longer used; bookworm has no TensorFlow,
# Keras 3 or JAX. PyPI's torch for Linux is the CUDA build: it brings ~4 GB
# of NVIDIA libraries that the CPU never loads (PyTorch's CPU-only wheels are
# on its own index, not on PyPI); tensorflow-cpu is TensorFlow without them.
# The venv is ~7 GB. torch.compile needs a C++ compiler (g++, in aec's
# build dependencies).
#
# Not part of .ci/install-deps: all of it is large and no test needs it.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y python3-venv wamerican

VENV="$ROOT/bench/.venv"
if [ ! -x "$VENV/bin/python" ]; then /usr/bin/python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install torch==2.15.0 tensorflow-cpu==2.21.0 keras==3.15.1 \
  onnxruntime==1.32.0 \
  jax==0.10.2 jaxlib==0.10.2 optax==0.2.8
"$VENV/bin/python" - <<'PY'
import jax, keras, optax, tensorflow, torch
print("bench/.venv: PyTorch", torch.__version__, "TensorFlow",
      tensorflow.__version__, "Keras", keras.__version__, "JAX",
      jax.__version__, "optax", optax.__version__)
PY
