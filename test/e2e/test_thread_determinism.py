"""Every result is bit-identical for every thread count (RELIABILITY.md rows
20 and 30): element-wise functions and reductions, run with
KILN_NUM_THREADS = 1, 2, 3 and 7, and in a fork() child of a process that
already ran them on several threads (where every loop runs serially).

Each configuration runs in a fresh process and prints a hash of every
result's bytes; all the hashes must agree. The arrays are long enough for
the parallel loops' chunking to matter, and of odd lengths, so that vector
bodies and scalar remainders both run."""
import hashlib
import json
import os
import subprocess
import sys
import textwrap

from conftest import run_kiln

SRC = textwrap.dedent("""
    import numpy as np
    from kiln.types import float32, float64, int64

    def unary(x: float64[:]):
        return (np.sin(x), np.cos(x), np.tan(x), np.exp(x), np.log(np.abs(x) + 0.5),
                np.sqrt(np.abs(x)), np.tanh(x), np.expm1(x), np.log1p(np.abs(x)),
                np.arctan(x), np.sinh(x / 8), np.cosh(x / 8), np.arcsin(x / 20),
                np.arccos(x / 20), np.log10(np.abs(x) + 1), np.log2(np.abs(x) + 1),
                np.floor(x), np.rint(x), np.square(x), np.reciprocal(x), np.sign(x))

    def binary(x: float64[:], y: float64[:]):
        return (np.arctan2(x, y), np.hypot(x, y), np.power(np.abs(x), y), x / y, x % y, x // y,
                np.copysign(x, y), np.minimum(x, y), np.fmax(x, y))

    def single(x: float32[:]):
        return np.sin(x), np.exp(x), np.log(np.abs(x) + 1), x * x + 1

    def fused(x: float64[:], y: float64[:]):
        return np.exp(-x * x) * np.sin(y) + np.log1p(np.abs(x))

    def matrix(a: float64[:, :]):
        return np.sin(a) * 2 + np.cos(a.T)

    def reductions(x: float64[:], a: float64[:, :]):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * x[i]
        return (np.sum(x), np.sum(x * x), np.mean(x), np.max(x), np.min(x),
                np.argmax(x), np.argmin(x), np.dot(x, x), np.std(x), s,
                a.sum(axis=0), a.sum(axis=1), np.sum(np.sin(x)), a.T @ a[:, 0])

    def more_reductions(x: float64[:], a: float64[:, :], k: int64[:]):
        # Parallel reductions (chunks fixed by the length, partials
        # combined in order): every combiner, 1-D and 2-D, strided.
        d = 1.5
        p = 1.0
        for i in range(x.shape[0]):
            d -= x[i]
            p *= 1.0 + x[i] * 1e-7
        out = np.zeros(a.shape[1])
        for i in range(a.shape[0]):
            for j in range(out.shape[0]):
                out[j] += a[i, j] * x[i]
        return (out, a.sum(), a.mean(), a.var(), a.std(), a.min(), a.max(), a[::3, ::-2].sum(),
                np.prod(1.0 + x * 1e-7), np.any(x > 5.0), np.all(x < 5.0), np.sum(k),
                x / np.sum(np.abs(x)), d, p, a.T.max())
    """)

SCRIPT = textwrap.dedent("""
    import hashlib, json, os, sys
    import numpy as np
    import kiln_det as m

    def digest(v):
        h = hashlib.sha256()
        for r in (v if isinstance(v, tuple) else (v,)):
            a = np.ascontiguousarray(np.asarray(r))
            h.update(str(a.dtype).encode() + a.tobytes())
        return h.hexdigest()

    def run_all():
        rng = np.random.default_rng(7)
        n = 1_000_003
        x = rng.standard_normal(n) * 4
        y = rng.standard_normal(n) + 0.1
        a = rng.standard_normal((1001, 777))
        out = {}
        out["unary"] = digest(m.unary(x))
        out["binary"] = digest(m.binary(x, y))
        out["single"] = digest(m.single(x.astype(np.float32)))
        out["fused"] = digest(m.fused(x, y))
        out["matrix"] = digest(m.matrix(a[:, :777].copy()[:777]))
        out["reductions"] = digest(m.reductions(x, a))
        k = rng.integers(-2**62, 2**62, n)
        out["more_reductions"] = digest(m.more_reductions(x, a, k))
        out["short"] = digest(m.unary(x[:4097]))
        return out

    first = run_all()
    if sys.argv[1] == "fork":
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            os.write(w, json.dumps(run_all()).encode())
            os._exit(0)
        os.close(w)
        data = b""
        while chunk := os.read(r, 65536):
            data += chunk
        os.waitpid(pid, 0)
        print(data.decode())
    else:
        print(json.dumps(first))
    """)


def test_bit_identical_for_every_thread_count(kiln, tmp_path):
    (tmp_path / "kiln_det.py").write_text(SRC)
    r = run_kiln(kiln, "compile", tmp_path / "kiln_det.py", "-o", tmp_path / "kiln_det.abi3.so")
    assert r.returncode == 0, r.stderr
    results = {}
    for label, threads, mode in [("1", "1", "plain"), ("2", "2", "plain"), ("3", "3", "plain"),
                                 ("7", "7", "plain"), ("fork child of 2", "2", "fork")]:
        env = dict(os.environ, KILN_NUM_THREADS=threads, PYTHONPATH=str(tmp_path))
        proc = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True,
                              text=True, timeout=300, cwd=tmp_path, env=env)
        assert proc.returncode == 0, f"{label}: {proc.stderr}"
        results[label] = json.loads(proc.stdout)
    base = results["1"]
    for label, got in results.items():
        differ = sorted(k for k in base if got[k] != base[k])
        assert not differ, f"with {label} thread(s), these differ from 1 thread: {differ}"
