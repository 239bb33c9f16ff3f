"""A loop that makes a temporary array per iteration, or replaces an array
variable each iteration, runs in bounded memory
(passes/LoopTemporaries.cpp frees each iteration's arrays), and a loop whose
array outlives it still returns that array intact."""
import os
import subprocess
import sys
import textwrap

SRC = textwrap.dedent("""
    import numpy as np
    from kiln.types import float64

    def churn(n: int, m: int) -> float:
        s = 0.0
        for i in range(n):
            t = np.zeros(m)
            t[m - 1] = i
            s += t[0] + t[m - 1]
        return s

    def churn_while(n: int, m: int) -> float:
        s = 0.0
        i = 0
        while i < n:
            t = np.ones(m)
            s += t[i % m]
            i += 1
        return s

    def update(n: int, x: float64[:]):
        # Each iteration's y replaces the last (passes/FreeDeadArrays.cpp).
        y = np.zeros_like(x)
        for i in range(n):
            y = y * 0.5 + x
        return y

    def keep_last(n: int, m: int):
        r = np.zeros(m)
        for i in range(n):
            r = np.zeros(m)
            r[0] = i
        return r
    """)


def test_temporaries_are_freed_each_iteration(kiln, tmp_path):
    from conftest import run_kiln
    (tmp_path / "kiln_churn.py").write_text(SRC)
    r = run_kiln(kiln, "compile", tmp_path / "kiln_churn.py", "-o", tmp_path / "kiln_churn.abi3.so")
    assert r.returncode == 0, r.stderr
    # 100000 iterations of an 800 kB temporary: 80 GB if nothing were freed
    # before the call returns. A fresh process measures its own peak RSS.
    script = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(tmp_path)!r})
        import kiln_churn
        assert kiln_churn.churn(100000, 100000) == float(sum(range(100000)))
        assert kiln_churn.churn_while(100000, 100000) == 100000.0
        import numpy as np
        x = np.ones(100000)
        y = kiln_churn.update(5000, x)  # 4 GB if every iteration's y were kept
        assert np.allclose(y, 2.0), y[:3]
        r = kiln_churn.keep_last(10, 4)
        assert r.tolist() == [9.0, 0.0, 0.0, 0.0], r
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) < 300  # MB
