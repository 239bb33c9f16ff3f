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


def run_fresh(kiln, tmp_path, name, body, env=None):
    """Compiles SRC as module `name`, runs `body` (which imports it) in a
    fresh Python process, and returns what it printed."""
    from conftest import run_kiln
    (tmp_path / f"{name}.py").write_text(SRC)
    r = run_kiln(kiln, "compile", tmp_path / f"{name}.py", "-o", tmp_path / f"{name}.abi3.so")
    assert r.returncode == 0, r.stderr
    script = f"import resource, sys\nsys.path.insert(0, {str(tmp_path)!r})\n" + textwrap.dedent(body)
    # One thread: these tests are about memory, and each np.zeros of a loop
    # is a parallel region; on a busy 2-core machine the regions' join
    # barriers made the test run into its timeout.
    env = dict(os.environ, KILN_NUM_THREADS="1") if env is None else env
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_temporaries_are_freed_each_iteration(kiln, tmp_path):
    # 20000 iterations of an 800 kB temporary: 16 GB if nothing were freed
    # before the call returns. A fresh process measures its own peak RSS.
    out = run_fresh(kiln, tmp_path, "kiln_churn", """
        import kiln_churn
        assert kiln_churn.churn(20000, 100000) == float(sum(range(20000)))
        assert kiln_churn.churn_while(20000, 100000) == 20000.0
        import numpy as np
        x = np.ones(100000)
        y = kiln_churn.update(2000, x)  # 1.6 GB if every iteration's y were kept
        assert np.allclose(y, 2.0), y[:3]
        r = kiln_churn.keep_last(10, 4)
        assert r.tolist() == [9.0, 0.0, 0.0, 0.0], r
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        """)
    assert int(out.strip()) < 300  # MB


def test_large_blocks_are_reused_not_refaulted(kiln, tmp_path):
    # `y = y * x + c` over 40 MB arrays: each iteration's array replaces the
    # last, and the runtime hands the freed block out again (memory.c), so
    # the loop does not fault in fresh pages from the system each time (glibc
    # gives blocks over 32 MB back to the system when they are freed); the
    # results that stay alive are never handed out.
    out = run_fresh(kiln, tmp_path, "kiln_reuse", """
        import numpy as np
        import kiln_reuse
        x = np.ones(5_000_000)
        kept = [kiln_reuse.update(k, x) for k in range(1, 4)]
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(10):
            kiln_reuse.update(4, x)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        for k, y in enumerate(kept, 1):
            assert np.allclose(y, 2.0 - 2.0 ** (1 - k)), (k, y[:3])
        print(faults)
        """, env={k: v for k, v in os.environ.items() if k != "MALLOC_PERTURB_"})
    # 40 arrays of 40 MB: about 29000 page faults without reuse (with huge
    # pages; 400000 without), about 600 with it.
    assert int(out.strip()) < 5000, out


def test_blocks_freed_on_another_thread_are_reused(kiln, tmp_path):
    # A thread pool makes results on its workers and the caller frees them:
    # the freed blocks go to one pool for the process, so the next worker's
    # result reuses them instead of faulting in fresh pages (before: about
    # 160 faults per 4 MB result with two workers).
    out = run_fresh(kiln, tmp_path, "kiln_reuse", """
        import numpy as np
        from concurrent.futures import ThreadPoolExecutor
        import kiln_reuse
        x = np.ones(500_000)
        with ThreadPoolExecutor(2) as ex:
            def batch():
                futs = [ex.submit(kiln_reuse.update, 1, x) for _ in range(4)]
                return [f.result() for f in futs]
            for r in batch():        # warm up: blocks to reuse
                del r
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            for _ in range(25):
                for r in batch():    # the results die here, on the caller's thread
                    assert r[0] == 1.0
                    del r
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        print(faults)
        """, env={k: v for k, v in os.environ.items() if k != "MALLOC_PERTURB_"})
    # 100 results of 4 MB: about 100 x 1000 faults without reuse
    assert int(out.strip()) < 5000, out
