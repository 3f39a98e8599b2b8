# lit configuration for aec: .aenet and .mlir tests run the built tools and
# check their output with FileCheck from LLVM 22.
import os
import shutil
import sys
import lit.formats

config.name = "aec"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".aenet", ".mlir", ".test"]
config.excludes = ["Inputs", "fuzz", "unit", "CMakeLists.txt", "lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.aec_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.aec_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
config.substitutions.append(("%examples", os.path.join(config.aec_src_root, "examples")))
config.substitutions.append(("%src_root", config.aec_src_root))
# Helper scripts of the tests (test/*/Inputs/*.py) run with lit's own Python.
config.substitutions.append(("%python", sys.executable))
# The tests that read ONNX files or write Keras's run the Python of the
# clone's test environment, which .ci/install-deps makes (onnx, onnxruntime,
# Keras 3 on JAX and h5py from PyPI).
config.substitutions.append(
    ("%venv_python", os.path.join(config.aec_src_root, ".venv-test", "bin", "python")))

# mpirun (Open MPI) for data-parallel training and distributed sweeps: more
# ranks than cores, and as root where CI runs.
if shutil.which("mpirun"):
    config.available_features.add("mpirun")
mpirun = "mpirun --oversubscribe"
if os.geteuid() == 0:
    mpirun += " --allow-run-as-root"
config.substitutions.append(("%mpirun", mpirun))
config.substitutions.append(("%aec_bin", os.path.join(config.aec_tools_dir, "aec")))

# The end-to-end training tests need Debian's dataset-fashion-mnist.
if os.path.exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"):
    config.available_features.add("fashion-mnist")
