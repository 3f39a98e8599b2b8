#!/usr/bin/env bash
# Installs the frameworks the benches compare aec with.
#
# bench/run.py (the autoencoders): PyTorch from Debian bookworm, and OpenBLAS
# built with OpenMP. Without libopenblas0-openmp, Debian's PyTorch runs its
# matrix products on the reference BLAS, about 20 times slower, and the
# comparison means nothing.
#
# bench/recurrent.py (the LSTMs): PyTorch 2, Keras 3 on TensorFlow and on JAX,
# and JAX, from PyPI into the venv bench/.venv (git ignores it), pinned to the
# versions bench/NOTES.md measured. Debian's PyTorch is 1.13, and bookworm has
# no TensorFlow, Keras 3 or JAX. PyPI's torch for Linux is the CUDA build: it
# brings ~4 GB of NVIDIA libraries that the CPU never loads (PyTorch's CPU-only
# wheels are on its own index, not on PyPI); tensorflow-cpu is TensorFlow
# without them. The venv is ~7 GB.
#
# Not part of .ci/install-deps: all of it is large and no test needs it.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y python3-torch libopenblas0-openmp python3-venv wamerican

# Debian's torch is for Debian's Python, which may not be the first python3
# on PATH (pyenv, venvs): run bench/run.py with /usr/bin/python3.
/usr/bin/python3 -c 'import torch; print("PyTorch", torch.__version__)'

VENV="$ROOT/bench/.venv"
if [ ! -x "$VENV/bin/python" ]; then /usr/bin/python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install torch==2.15.0 tensorflow-cpu==2.21.0 keras==3.15.1 \
  jax==0.10.2 jaxlib==0.10.2
"$VENV/bin/python" - <<'PY'
import jax, keras, tensorflow, torch
print("bench/.venv: PyTorch", torch.__version__, "TensorFlow",
      tensorflow.__version__, "Keras", keras.__version__, "JAX", jax.__version__)
PY
