"""The runtime reads numpy.ndarray arguments and makes array and NumPy
scalar results through NumPy's stable binary interface (runtime/numpy_abi.c),
with the buffer protocol as the path for everything else. Both paths must
give the same answers, the same errors and the same memory sharing: the same
script runs with the fast path and with KILN_NUMPY_ABI=0 (buffer path only),
and both outputs must agree with each other and with what NumPy does."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

SRC = textwrap.dedent("""
    import numpy as np
    from kiln.types import float64, int64, float32, int8, uint64, complex128

    def first(a: float64[:]) -> float:
        return a[0] if len(a) > 0 else -1.0

    def total2(a: float64[:, :]) -> float:
        return np.sum(a)

    def dense(a: float64[::1]) -> float:
        return a[-1]

    def poke(a: float64[:], v: float) -> None:
        a[0] = v

    def tail(a: float64[:]):
        return a[1:]

    def ints(a: int64[:]) -> int:
        return int(np.sum(a))

    def cplx(a: complex128[:]):
        return a * 2

    def fresh(n: int):
        return np.arange(n) * 1.5, np.ones(n, dtype=np.int8), np.zeros((n, 2), dtype=np.float32)

    def pair(n: int):
        x = np.arange(n) * 2.0
        return x, x[1:]

    def scalars(x: float, k: int):
        return np.float32(x), np.int8(k), np.uint64(k), np.bool_(k > 0)
    """)

SCRIPT = textwrap.dedent(r"""
    import json, sys, warnings
    import numpy as np
    sys.path.insert(0, sys.argv[1])
    import kfast as m
    out = []
    def rec(label, f, *args):
        try:
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                r = f(*args)
            rs = r if isinstance(r, tuple) else (r,)
            desc = []
            for x in rs:
                if isinstance(x, np.ndarray):
                    desc.append(["array", str(x.dtype), x.shape, x.tolist(), bool(x.flags.writeable),
                                 bool(x.flags.c_contiguous)])
                elif x is None:
                    desc.append(["None"])
                else:
                    desc.append([type(x).__name__, repr(x)])
            out.append([label, "ok", desc, [str(c.category.__name__) for c in w]])
        except Exception as e:
            out.append([label, type(e).__name__, str(e)])
    a = np.arange(6.0)
    rec("contiguous", m.first, a)
    rec("strided", m.first, a[1::2])
    rec("reversed", m.first, a[::-1])
    rec("zero-stride", m.first, np.broadcast_to(3.0, (4,)))
    rec("empty", m.first, np.zeros(0))
    rec("big-endian", m.first, np.arange(3.0).astype(">f8"))
    rec("little-endian spelled", m.first, np.arange(3.0).astype("<f8"))
    rec("wrong dtype", m.first, np.arange(3))
    rec("wrong rank", m.first, np.ones((2, 2)))
    rec("float32", m.first, np.ones(2, dtype=np.float32))
    rec("unaligned", m.first, np.frombuffer(b"\0" * 33, dtype=np.float64, offset=1, count=4))
    rec("subclass", m.first, np.arange(3.0).view(type("Sub", (np.ndarray,), {})))
    rec("matrix", m.total2, np.matrix([[1.0, 2.0]]))
    rec("2-D F order", m.total2, np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    rec("2-D transposed view", m.total2, np.arange(6.0).reshape(2, 3).T[::2])
    rec("dense ok", m.dense, np.arange(4.0))
    rec("dense strided", m.dense, np.arange(4.0)[::2])
    rec("dense one element strided", m.dense, np.arange(4.0)[::4])
    ro = np.arange(3.0); ro.flags.writeable = False
    rec("write read-only", m.poke, ro, 1.0)
    b2, b1 = np.broadcast_arrays(np.arange(3.0), np.zeros(1))
    out.append(["view of warn-on-write", bool(m.tail(b1).flags.writeable)])
    rec("write warn-on-write", m.poke, b1, 1.0)
    w = np.arange(3.0)
    rec("write", m.poke, w, 7.0)
    out.append(["written", w.tolist()])
    rec("longlong", m.ints, np.arange(4, dtype=np.longlong))
    rec("int64", m.ints, np.arange(4, dtype=np.int64))
    rec("intc", m.ints, np.arange(4, dtype=np.intc))
    rec("complex", m.cplx, np.array([1 + 2j, 3j]))
    rec("memoryview", m.first, memoryview(np.arange(3.0)))
    t = np.arange(5.0)
    v = m.tail(t)
    v[0] = 99.0
    out.append(["view writes through", t.tolist(), bool(np.shares_memory(t, v))])
    # (only the fast path makes the argument the view's base, as NumPy does)
    print("BASE", v.base is t, file=sys.stderr)
    rv = m.tail(ro)
    out.append(["view of read-only", bool(rv.flags.writeable)])
    rec("tail", m.tail, np.arange(4.0)[::-1])
    rec("fresh", m.fresh, 3)
    rec("fresh empty", m.fresh, 0)
    x, y = m.pair(4)
    y[0] = -1.0
    out.append(["pair shares", x.tolist(), bool(np.shares_memory(x, y))])
    rec("scalars", m.scalars, 2.5, 3)
    rec("scalars negative", m.scalars, 2.5, -3)
    rec("scalars pos", m.scalars, 1e40, 200)
    print(json.dumps(out, default=repr))
    """)


@pytest.fixture(scope="module")
def built(kiln, tmp_path_factory):
    from conftest import build_in
    return build_in(kiln, tmp_path_factory.mktemp("fastpath"), "kfast", SRC)


def run(built, with_stderr=False, **env):
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(built)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    return (out, proc.stderr) if with_stderr else out


def test_fast_and_buffer_paths_agree(built):
    fast = run(built)
    slow = run(built, KILN_NUMPY_ABI="0")
    for f, s in zip(fast, slow):
        assert f == s, (f, s)
    assert len(fast) == len(slow)


def test_fast_path_answers(built):
    out, err = run(built, with_stderr=True)
    assert "BASE True" in err  # a view of an argument has the argument as its base
    got = {r[0]: r[1:] for r in out}
    assert got["contiguous"][1] == [["float", "0.0"]]
    assert got["strided"][1] == [["float", "1.0"]]
    assert got["reversed"][1] == [["float", "5.0"]]
    assert got["zero-stride"][1] == [["float", "3.0"]]
    assert got["empty"][1] == [["float", "-1.0"]]
    assert got["big-endian"][0] == "TypeError" and "native byte order" in got["big-endian"][1]
    assert got["little-endian spelled"][1] == [["float", "0.0"]]
    assert got["wrong dtype"][0] == "TypeError"
    assert got["unaligned"][1] == [["float", "0.0"]]  # run on an aligned copy
    assert got["subclass"][0] == "ok"
    assert got["matrix"][0] == "TypeError"
    assert got["2-D F order"][1] == [["float", "15.0"]]
    assert got["dense strided"][0] == "TypeError" and "C-contiguous" in got["dense strided"][1]
    assert got["dense one element strided"][1] == [["float", "0.0"]]
    assert got["write read-only"] == ["ValueError",
                                      "poke() argument 'a': assignment destination is read-only"]
    assert got["write warn-on-write"][0] == "ok" and got["write warn-on-write"][2]  # warns
    assert got["written"] == [[7.0, 1.0, 2.0]]
    assert got["longlong"][1] == [["int", "6"]] and got["int64"][1] == [["int", "6"]]
    assert got["intc"][0] == "TypeError"
    assert got["view writes through"] == [[0.0, 99.0, 2.0, 3.0, 4.0], True]
    assert got["view of read-only"] == [False]
    assert got["view of warn-on-write"] == [False]  # as NumPy's export says
    assert got["tail"][1] == [["array", "float64", [3], [2.0, 1.0, 0.0], True, False]]
    assert got["fresh"][1] == [["array", "float64", [3], [0.0, 1.5, 3.0], True, True],
                               ["array", "int8", [3], [1, 1, 1], True, True],
                               ["array", "float32", [3, 2], [[0.0] * 2] * 3, True, True]]
    assert got["pair shares"] == [[0.0, -1.0, 4.0, 6.0], True]
    assert got["scalars"][1] == [["float32", "2.5"], ["int8", "3"], ["uint64", "3"],
                                 ["bool", "True"]]
    assert got["scalars pos"][0] == "OverflowError"  # NumPy 2's rule for np.int8(200)
