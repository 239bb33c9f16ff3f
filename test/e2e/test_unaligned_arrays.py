"""Arrays NumPy accepts but that are not aligned to their item size (the
arrays Dask's distributed scheduler delivers after deserialising a message
frame at an odd offset) and packed record fields (strides that are not whole
elements) run on an aligned copy of the argument, written back after the call
when the function writes the parameter — on success and after an exception
alike, as the writes stand in Python. Each function is compared with CPython
running the same source on the same (unaligned) inputs."""
import numpy as np
import pytest

SRC = '''
import numpy as np
from kiln.types import float64, int64, int32, complex128, float32


def total(a: float64[:]) -> float:
    return np.sum(a)


def laplacian(u: float64[:, :]):
    return u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1]


def scale(a: float64[:], k: float) -> None:
    a *= k


def smooth(u: float64[:, :], steps: int) -> None:
    for s in range(steps):
        u[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])


def fill_until(a: int64[:], n: int) -> None:
    for i in range(n):
        a[i] = i * i


def tail(a: float64[:]):
    return a[1:]


def axpy(alpha: float, x: float64[:], y: float64[:]) -> None:
    y[:] += alpha * x


def cnorm(z: complex128[:]) -> float:
    return np.sqrt(np.sum((z * np.conj(z)).real))


def mean32(a: float32[:]) -> float:
    return float(np.mean(a))


def fill(vals: float64[:], ids: int32[:]) -> None:
    for i in range(vals.shape[0]):
        vals[i] = ids[i] * 0.5


def twice(a: float64[:]):
    return a, a[1:]


def corner(a: float64[:, :], v: float) -> None:
    a[0, 0] = v
    a[-1, -1] = v
'''


def unaligned(values, dtype=np.float64, shape=None, readonly=False):
    """`values` as an array whose data starts one byte past an aligned
    address (as a frame deserialised inside a larger message)."""
    v = np.ascontiguousarray(values, dtype=dtype)
    raw = b"\x00" + v.tobytes()
    buf = raw if readonly else bytearray(raw)
    a = np.frombuffer(buf, dtype=dtype, offset=1, count=v.size)
    if shape is not None:
        a = a.reshape(shape)
    assert not a.flags.aligned or v.itemsize == 1
    return a


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module(SRC, "unaligned_arrays")


def both(m, name, *args):
    """Runs name on copies of args under Kiln and CPython; returns both
    (result or exception type, arguments after the call)."""
    out = []
    for f in m.pair(name):
        a2 = tuple(unaligned(x, x.dtype, x.shape, not x.flags.writeable)
                   if isinstance(x, np.ndarray) and not x.flags.aligned else
                   (x.copy() if isinstance(x, np.ndarray) else x) for x in args)
        try:
            r = f(*a2)
        except Exception as e:  # noqa: BLE001
            r = type(e)
        out.append((r, [x.copy() if isinstance(x, np.ndarray) else x for x in a2]))
    return out


def test_reads(m):
    rng = np.random.default_rng(1)
    x = unaligned(rng.standard_normal(1001))
    assert m.k.total(x) == pytest.approx(m.py.total(x), rel=1e-12)
    u = unaligned(rng.standard_normal((40, 30)), shape=(40, 30))
    np.testing.assert_allclose(m.k.laplacian(u), m.py.laplacian(u), rtol=1e-13)
    uf = unaligned(rng.standard_normal((30, 40)), shape=(30, 40)).T  # F order
    np.testing.assert_allclose(m.k.laplacian(uf), m.py.laplacian(uf), rtol=1e-13)
    z = unaligned(rng.standard_normal(50) + 1j * rng.standard_normal(50), np.complex128)
    assert m.k.cnorm(z) == pytest.approx(m.py.cnorm(z), rel=1e-12)
    f = unaligned(rng.standard_normal(33).astype(np.float32), np.float32)
    assert m.k.mean32(f) == pytest.approx(m.py.mean32(f), rel=1e-6)
    ro = unaligned(np.arange(5.0), readonly=True)
    assert not ro.flags.writeable and m.k.total(ro) == 10.0


def test_writes_come_back(m):
    (rk, ak), (rp, ap) = both(m, "scale", unaligned(np.arange(7.0)), 3.0)
    np.testing.assert_array_equal(ak[0], ap[0])
    u = unaligned(np.random.default_rng(2).standard_normal((20, 25)), shape=(20, 25))
    (rk, ak), (rp, ap) = both(m, "smooth", u, 5)
    np.testing.assert_allclose(ak[0], ap[0], rtol=1e-13)
    x, y = unaligned(np.arange(6.0)), unaligned(np.ones(6))
    (rk, ak), (rp, ap) = both(m, "axpy", 2.0, x, y)
    np.testing.assert_array_equal(ak[2], ap[2])


def test_writes_before_an_exception_stay(m):
    (rk, ak), (rp, ap) = both(m, "fill_until", unaligned(np.zeros(5, np.int64), np.int64), 8)
    assert rk is rp is IndexError
    np.testing.assert_array_equal(ak[0], ap[0])
    assert ak[0].tolist() == [0, 1, 4, 9, 16]


def test_packed_record_fields(m):
    rec = np.zeros(6, dtype=[("id", "i4"), ("v", "f8"), ("ok", "?")])
    rec["v"] = np.linspace(0.0, 1.0, 6)
    assert rec["v"].strides == (13,)
    assert m.k.total(rec["v"]) == pytest.approx(rec["v"].sum())
    m.k.scale(rec["v"], 2.0)
    np.testing.assert_allclose(rec["v"], np.linspace(0.0, 2.0, 6))
    assert rec["id"].tolist() == [0] * 6 and not rec["ok"].any()  # the rest is untouched


def test_read_only_unaligned_written_is_refused(m):
    ro = unaligned(np.arange(3.0), readonly=True)
    with pytest.raises(ValueError, match="read-only"):
        m.k.scale(ro, 2.0)


def test_view_results_are_values_not_views(m):
    # documented (docs/language.md): a result that views an argument run on
    # a copy comes back as an array of its own
    x = unaligned(np.arange(5.0))
    r = m.k.tail(x)
    np.testing.assert_array_equal(r, m.py.tail(x))
    assert r.flags.writeable and r.flags.aligned and not np.shares_memory(r, x)


def test_the_same_unaligned_array_twice_runs_on_one_copy(m):
    # f(a, a): one copy, so the function sees one array, as in Python
    xk, xp = unaligned(np.arange(6.0)), unaligned(np.arange(6.0))
    m.k.axpy(2.0, xk, xk)
    m.py.axpy(2.0, xp, xp)
    assert xk.tolist() == xp.tolist() == [3.0 * v for v in range(6)]


def test_copy_sharing_memory_with_a_written_argument_is_refused(m):
    x = unaligned(np.arange(7.0))
    with pytest.raises(TypeError, match="argument 'x': an array not aligned .* shares memory "
                                        "with argument 'y'"):
        m.k.axpy(1.0, x[1:], x[:-1])
    assert x.tolist() == list(np.arange(7.0))  # nothing written


def test_two_fields_of_one_packed_record_array(m):
    # the fields interleave, but share no byte: one written, one read
    rec = np.zeros(5, dtype=[("id", "i4"), ("v", "f8")])
    rec["id"] = np.arange(5)
    m.k.fill(rec["v"], rec["id"])
    assert rec["v"].tolist() == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert rec["id"].tolist() == [0, 1, 2, 3, 4]


def test_views_of_one_copied_argument_share_memory_and_read_only_stays(m):
    x = unaligned(np.arange(5.0))
    a, b = m.k.twice(x)
    assert np.shares_memory(a, b) and not np.shares_memory(a, x)
    a[1] = 50.0
    assert b[0] == 50.0
    ro = unaligned(np.arange(5.0), readonly=True)
    assert not m.k.tail(ro).flags.writeable
    assert not m.k.twice(ro)[0].flags.writeable


def test_ctypes_arrays_without_strides(m):
    # ctypes exports no strides (dense C order), here at odd addresses
    import ctypes

    class Rec(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("tag", ctypes.c_char), ("vals", ctypes.c_double * 4)]
    r = Rec()
    r.vals[:] = [1.0, 2.0, 3.0, 4.0]
    assert m.k.total(r.vals) == 10.0
    m.k.scale(r.vals, 2.0)
    assert list(r.vals) == [2.0, 4.0, 6.0, 8.0]
    grid = ((ctypes.c_double * 3) * 2).from_buffer(bytearray(49), 1)
    m.k.corner(grid, 9.0)
    assert [list(row) for row in grid] == [[9.0, 0.0, 0.0], [0.0, 0.0, 9.0]]
    aligned = (ctypes.c_double * 4)(1.0, 2.0, 3.0, 4.0)
    np.testing.assert_array_equal(m.k.tail(aligned), [2.0, 3.0, 4.0])
