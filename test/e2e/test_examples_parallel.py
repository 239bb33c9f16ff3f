"""The programs of docs/parallel-python.md (examples/parallel/), built and
run as the guide says: heat.py compiled next to them, each program run in
its folder. Each asserts its results against NumPy and prints "ok"."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "parallel"


@pytest.fixture(scope="module")
def folder(kiln, tmp_path_factory):
    from conftest import run_kiln
    d = tmp_path_factory.mktemp("parallel") / "parallel"
    shutil.copytree(EXAMPLES, d)
    r = run_kiln(kiln, "compile", d / "heat.py", "-o", d / "heat.abi3.so")
    assert r.returncode == 0, r.stderr
    return d


def run(folder, *cmd):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(folder), str(REPO / "python")]))
    proc = subprocess.run([str(c) for c in cmd], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout.split()


@pytest.mark.parametrize("program", ["cores.py", "threads.py", "processes.py",
                                     "dask_cluster.py"])
def test_example(folder, program):
    assert run(folder, sys.executable, program)[-1] == "ok"


def test_mpi_example(folder):
    mpiexec = shutil.which("mpiexec")
    assert mpiexec, "mpiexec (Debian's openmpi-bin) is not installed"
    out = run(folder, mpiexec, "--allow-run-as-root", "--oversubscribe", "-n", "2",
              sys.executable, "mpi_ranks.py")
    assert out[-2:] == ["ok", "2"]
