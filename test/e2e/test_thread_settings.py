"""One thread count for the whole process (issue: the count was read once
per module): kiln.set_num_threads(n), kiln.get_num_threads() and the
kiln.num_threads(n) context manager reach every Kiln module loaded, and a
module's own _set_num_threads does too. Run in a fresh process, so the
setting does not leak into other tests."""
import os
import subprocess
import sys
import textwrap

from conftest import PYTHON_DIR, run_kiln

SRC = textwrap.dedent("""
    import numpy as np
    from kiln.types import float64

    def double(x: float64[:]):
        return x * 2.0
    """)

SCRIPT = textwrap.dedent("""
    import numpy as np
    import kiln
    import tmod_a, tmod_b
    x = np.arange(10.0)
    kiln.set_num_threads(1)
    assert tmod_a._get_num_threads() == 1 and tmod_b._get_num_threads() == 1
    assert kiln.get_num_threads() == 1
    with kiln.num_threads(3):
        assert tmod_a._get_num_threads() == 3 and tmod_b._get_num_threads() == 3
        assert (tmod_b.double(x) == x * 2).all()
    assert tmod_a._get_num_threads() == 1 and tmod_b._get_num_threads() == 1
    tmod_b._set_num_threads(2)          # one module's setting holds for all
    assert tmod_a._get_num_threads() == 2
    try:
        kiln.set_num_threads(0)
        raise SystemExit("0 threads accepted")
    except ValueError:
        pass
    print("ok")
    """)


def test_one_setting_for_every_module(kiln, tmp_path):
    for name in ("tmod_a", "tmod_b"):
        (tmp_path / f"{name}.py").write_text(SRC)
        r = run_kiln(kiln, "compile", tmp_path / f"{name}.py", "-o", tmp_path / f"{name}.abi3.so")
        assert r.returncode == 0, r.stderr
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}:{PYTHON_DIR}")
    env.pop("KILN_NUM_THREADS", None)
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
