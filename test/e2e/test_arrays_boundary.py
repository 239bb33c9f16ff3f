"""Array parameters at the call boundary (cases/arrays_boundary.py, cases/arrays.py):
RELIABILITY rows 1-6 and 17 for arrays, with the runtime's exact messages
(runtime/convert.c, runtime/call.c, runtime/memory.c), plus row 18 for
array arguments and results (reference counts, memory).

Big-endian and misaligned arrays, and allocations that cannot succeed, run in
a fresh interpreter each, so that a crash is a recorded failure and not the
end of the test run."""
import array
import gc
import subprocess
import sys
import textwrap

import numpy as np
import pytest


@pytest.fixture(scope="module")
def b(compile_module):
    return compile_module("arrays_boundary.py")


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("arrays.py")


def error(exc, f, *args, **kw):
    with pytest.raises(exc) as e:
        f(*args, **kw)
    assert type(e.value) is exc
    return str(e.value)


# ---- row 1: element type -------------------------------------------------------------------

@pytest.mark.parametrize("dtype,got", [
    (np.int32, "ndarray[int32, ndim=1]"), (np.float32, "ndarray[float32, ndim=1]"),
    (np.int64, "ndarray[int64, ndim=1]"), (np.uint64, "ndarray[uint64, ndim=1]"),
    (np.float16, "ndarray[float16, ndim=1]"), (np.complex128, "ndarray[complex128, ndim=1]"),
    (np.bool_, "ndarray[bool, ndim=1]"), (np.longdouble, "ndarray[float128, ndim=1]"),
    (np.object_, "ndarray[object, ndim=1]"), ("M8[s]", "ndarray[datetime64[s], ndim=1]")])
def test_wrong_dtype_float(b, dtype, got):
    a = np.zeros(3, dtype=dtype)
    assert error(TypeError, b.k.read_f, a, 0) == \
        f"read_f() argument 'a': expected ndarray[float64, ndim=1], got {got}"


def test_wrong_dtype_int_bool(b):
    assert error(TypeError, b.k.read_i, np.zeros(3, np.int32), 0) == \
        "read_i() argument 'a': expected ndarray[int64, ndim=1], got ndarray[int32, ndim=1]"
    assert error(TypeError, b.k.read_i, np.zeros(3), 0) == \
        "read_i() argument 'a': expected ndarray[int64, ndim=1], got ndarray[float64, ndim=1]"
    assert error(TypeError, b.k.read_b, np.zeros(3, np.uint8), 0) == \
        "read_b() argument 'a': expected ndarray[bool, ndim=1], got ndarray[uint8, ndim=1]"
    assert error(TypeError, b.k.read_b, i=0, a=None) == \
        "read_b() argument 'a': expected ndarray[bool, ndim=1], got NoneType"
    # the row-1 example of RELIABILITY.md, word for word
    assert error(TypeError, b.k.read_f, np.arange(3, dtype=np.int32), 1) == \
        "read_f() argument 'a': expected ndarray[float64, ndim=1], got ndarray[int32, ndim=1]"


# ---- row 2: rank -------------------------------------------------------------------------------

def test_wrong_rank(b):
    assert error(TypeError, b.k.read_f, np.zeros((3, 2)), 0) == \
        "read_f() argument 'a': expected ndarray[float64, ndim=1], got ndarray[float64, ndim=2]"
    assert error(TypeError, b.k.read2, np.zeros(3)) == \
        "read2() argument 'a': expected ndarray[float64, ndim=2], got ndarray[float64, ndim=1]"
    assert error(TypeError, b.k.read2, np.zeros((1, 2, 3))) == \
        "read2() argument 'a': expected ndarray[float64, ndim=2], got ndarray[float64, ndim=3]"
    assert error(TypeError, b.k.read_f, np.array(1.0), 0) == \
        "read_f() argument 'a': expected ndarray[float64, ndim=1], got ndarray[float64, ndim=0]"
    # (1, n) is never read as (n,)
    assert error(TypeError, b.k.read_c, np.zeros((1, 4))) == \
        "read_c() argument 'a': expected ndarray[float64, ndim=1], got ndarray[float64, ndim=2]"


# ---- row 3: not an array, and arrays where scalars are expected --------------------------------

@pytest.mark.parametrize("value,got", [
    (None, "NoneType"), ([1.0, 2.0], "list"), ((1.0,), "tuple"), ("abc", "str"), (1.0, "float"),
    (3, "int"), (True, "bool"), ({}, "dict"), (np.float64(1.0), "numpy.float64"),
    (b"abcdefgh", "bytes[uint8, ndim=1]")])
def test_not_an_array(b, value, got):
    assert error(TypeError, b.k.read_f, value, 0) == \
        f"read_f() argument 'a': expected ndarray[float64, ndim=1], got {got}"
    assert error(TypeError, b.k.mixed, 0, value, 1.0) == \
        f"mixed() argument 'a': expected ndarray[float64, ndim=1], got {got}"


def test_array_where_scalar_expected(b):
    assert error(TypeError, b.k.mixed, 0, np.ones(3), np.ones(3)) == \
        "mixed() argument 'x': expected float64, got ndarray[float64, ndim=1]"
    assert error(TypeError, b.k.scalar_i, np.array([1])) == \
        "scalar_i() argument 'n': expected int64, got ndarray[int64, ndim=1]"
    assert error(TypeError, b.k.scalar_b, np.array([True])) == \
        "scalar_b() argument 'p': expected bool, got ndarray[bool, ndim=1]"
    assert error(TypeError, b.k.scalar_f, np.zeros((2, 2))) == \
        "scalar_f() argument 'x': expected float64, got ndarray[float64, ndim=2]"
    assert error(TypeError, b.k.mixed, np.zeros(2, np.int64), np.ones(3), 1.0) == \
        "mixed() argument 'n': expected int64, got ndarray[int64, ndim=1]"


def test_one_element_array_is_not_a_float(b):
    # an array is never a scalar, one element or not (row 3, "and the reverse")
    assert error(TypeError, b.k.scalar_f, np.array([1.5])) == \
        "scalar_f() argument 'x': expected float64, got ndarray[float64, ndim=1]"
    assert error(TypeError, b.k.mixed, 0, np.ones(3), np.array([2.0])) == \
        "mixed() argument 'x': expected float64, got ndarray[float64, ndim=1]"


def test_other_buffers(b):
    buf = array.array("d", [1.0, 2.0])
    assert b.k.read_f(buf, 1) == 2.0
    assert error(TypeError, b.k.read_f, array.array("f", [1.0]), 0) == \
        "read_f() argument 'a': expected ndarray[float64, ndim=1], got array.array[float32, ndim=1]"
    assert error(TypeError, b.k.read2, np.zeros((2, 2), np.float64).view(np.matrix)) == \
        ("read2() argument 'a': expected ndarray[float64, ndim=2], got a numpy.matrix, whose "
         "operators mean matrix algebra; pass `np.asarray(m)`")


# ---- row 31: array subclasses ----------------------------------------------------------------

def test_masked_array_refused_not_its_mask_ignored(b):
    a = np.ma.masked_array([1.0, 2.0, 3.0], mask=[False, True, False])
    msg = error(TypeError, b.k.read_f, a, 1)
    assert msg.startswith("read_f() argument 'a': expected ndarray[float64, ndim=1], got a "
                          "masked array (numpy.ma.MaskedArray), whose mask Kiln would ignore"), msg
    # a masked array without a mask is refused too: its meaning is the type's
    assert error(TypeError, b.k.read2, np.ma.masked_array(np.ones((2, 2))))
    # what the message suggests works
    assert b.k.read_f(a.filled(0.0), 1) == 0.0 and b.k.read_f(a.data, 1) == 2.0


def test_plain_subclasses_compute_as_arrays(b, tmp_path):
    class Tagged(np.ndarray):
        pass
    t = np.arange(4.0).view(Tagged)
    assert b.k.read_f(t, 3) == 3.0
    mm = np.memmap(tmp_path / "mm.bin", dtype=np.float64, mode="w+", shape=(3,))
    mm[:] = [4.0, 5.0, 6.0]
    assert b.k.read_f(mm, 2) == 6.0


def test_overloads_by_array_type(b):
    assert b.k.kind(np.zeros(3)) == 13 and b.k.kind(np.zeros(2, np.int64)) == 12
    assert b.k.kind(np.zeros(4, np.bool_)) == 14 and b.k.kind(np.zeros((2, 5))) == 22
    msg = error(TypeError, b.k.kind, np.zeros(3, np.int32))
    assert msg.startswith("kind(): no matching signature for argument types "
                          "(ndarray[int32, ndim=1]); accepted: kind(a: ")
    assert "no matching signature for argument types (NoneType)" in error(TypeError, b.k.kind, None)


# ---- row 4: layouts, and ::1 ------------------------------------------------------------------

def test_layouts_read_through_strides(b):
    base = np.arange(24.0).reshape(4, 6)
    for v in [base, np.asfortranarray(base), base[:, ::3], base[::-1, ::-2], base.T,
              np.broadcast_to(base[0], (5, 6)), base[:0], base[:, :0]]:
        assert b.k.read2(v) == float(v.sum()), v.strides
    x = np.arange(10.0)
    for v in [x[::2], x[::-1], x[::-3], np.broadcast_to(np.float64(2.5), (7,)), x[5:5]]:
        assert b.k.read_helper(v) == float(v.sum())


NONCONTIG = "expected a C-contiguous ndarray[float64, ndim={n}] (the signature says ::1), " \
            "got a non-contiguous array"


def test_c_order_required(b):
    x = np.arange(12.0)
    for v in [x[::2], x[::-1], np.broadcast_to(np.float64(1.0), (3,))]:
        assert error(TypeError, b.k.read_c, v) == "read_c() argument 'a': " + NONCONTIG.format(n=1)
    m2 = x.reshape(3, 4)
    for v in [np.asfortranarray(m2), m2[:, ::2], m2[:, :2], m2.T, m2[::-1],
              np.broadcast_to(x[:4], (3, 4))]:
        assert error(TypeError, b.k.read2_c, v) == \
            "read2_c() argument 'a': " + NONCONTIG.format(n=2)
    # contiguous ones, whatever NumPy's strides for extent-1 axes, and empty ones
    assert b.k.read_c(x) == 66.0 and b.k.read_c(x[3:6]) == 12.0 and b.k.read_c(x[::-1][:0]) == 0
    assert b.k.read_c(x[::5][:1]) == 0.0 and b.k.read_c(x[::-5][:1]) == 11.0
    assert b.k.read2_c(m2) == 11.0 and b.k.read2_c(m2[::2][:1]) == 3.0
    assert b.k.read2_c(m2[1:3]) == 11.0 and b.k.read2_c(m2[:, 1:2][:1].T) == 1.0
    assert b.k.read2_c(np.asfortranarray(m2[:1])) == 3.0  # (1, 4): C and F at once
    # dense rows but gaps between them: not C order
    y = np.lib.stride_tricks.as_strided(x, (3, 2), (8 * 4, 8))
    assert error(TypeError, b.k.read2_c, y) == "read2_c() argument 'a': " + NONCONTIG.format(n=2)


# ---- row 5: byte order and alignment (each in its own process) ----------------------------------

CRASH_PRONE = {
    "big-endian float64": ("b.read_f(np.arange(3, dtype='>f8'), 0)",
                           "TypeError: read_f() argument 'a': expected native byte order "
                           "(little-endian) ndarray[float64, ndim=1], got big-endian >f8"),
    "big-endian int64": ("b.read_i(np.arange(3, dtype='>i8'), 0)",
                         "TypeError: read_i() argument 'a': expected native byte order "
                         "(little-endian) ndarray[int64, ndim=1], got big-endian >i8"),
    "big-endian 2-D": ("b.read2(np.ones((2, 2), dtype='>f8'))",
                       "TypeError: read2() argument 'a': expected native byte order "
                       "(little-endian) ndarray[float64, ndim=2], got big-endian >f8"),
    # unaligned data and strides that are not whole elements (packed record
    # fields) run on an aligned copy, written back when the function writes
    "misaligned base": ("b.read_f(np.frombuffer(bytearray(41), dtype=np.float64, offset=1), 0)",
                        "OK 0.0"),
    "misaligned stride": ("b.read_f(np.ndarray((3,), np.float64, bytearray(48), 0, (12,)), 0)",
                          "OK 0.0"),
    "misaligned written": ("(lambda a: (b.w_direct(a), a.tolist())[1])("
                           "np.frombuffer(bytearray(41), dtype=np.float64, offset=1))",
                           "OK [1.0, 0.0, 0.0, 0.0, 0.0]"),
    "misaligned int64": ("b.read_i(np.frombuffer(bytearray(41), dtype=np.int64, offset=1), 0)",
                         "OK 0"),
    # accepted: nothing is read from an empty array; an extent-1 axis's stride is never used
    "misaligned but empty": ("b.read_c(np.frombuffer(bytearray(41), dtype=np.float64, "
                             "offset=1)[:0])", "OK 0.0"),
    "odd stride, extent 1": ("b.read_f(np.ndarray((1,), np.float64, bytearray(16), 0, (3,)), 0)",
                             "OK 0.0"),
    "big-endian bool is fine": ("b.read_b(np.array([True, False], dtype='>?'), 0)", "OK True"),
}


@pytest.mark.parametrize("case", sorted(CRASH_PRONE))
def test_byte_order_and_alignment_in_subprocess(b, case):
    expr, want = CRASH_PRONE[case]
    script = textwrap.dedent(f"""
        import importlib.machinery, importlib.util, sys
        import numpy as np
        loader = importlib.machinery.ExtensionFileLoader("arrays_boundary", {str(b.so)!r})
        spec = importlib.util.spec_from_file_location("arrays_boundary", {str(b.so)!r},
                                                      loader=loader)
        b = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(b)
        try:
            r = {expr}
        except Exception as e:
            print(type(e).__name__ + ": " + str(e))
        else:
            print("OK", r)
    """)
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, f"{case}: the interpreter died (exit {p.returncode}):\n{p.stderr}"
    assert p.stdout.strip() == want, p.stderr


# ---- row 6: read-only arrays ------------------------------------------------------------------

def read_only(shape=(4,), base=None):
    a = np.zeros(shape) if base is None else base
    a.flags.writeable = False
    return a


RO_MSG = "{f}() argument '{p}': assignment destination is read-only"

WRITERS = [  # (function, args builder, read-only parameter)
    ("w_direct", lambda ro: (ro((4,)),), "a"),
    ("w_aug", lambda ro: (ro((4,)),), "a"),
    ("w_row", lambda ro: (ro((2, 3)),), "a"),
    ("w_slot", lambda ro: (ro((4,)), True), "a"),
    ("w_slot", lambda ro: (ro((4,)), False), "a"),   # the path is not taken: still refused
    ("w_loop_rows", lambda ro: (ro((2, 3)),), "a"),
    ("w_enumerate_rows", lambda ro: (ro((2, 3)),), "a"),
    ("w_fill", lambda ro: (ro((4,)),), "a"),
    ("w_helper", lambda ro: (ro((4,)),), "a"),
    ("w_helper_chain", lambda ro: (ro((4,)),), "a"),
    ("w_helper_view", lambda ro: (ro((2, 3)),), "a"),
    ("w_helper_given_view", lambda ro: (ro((2, 3)),), "a"),
    ("w_tuple", lambda ro: (ro((4,)), np.zeros(4)), "a"),
    ("w_second", lambda ro: (np.zeros(4), ro((4,))), "b"),
    ("w_never_runs", lambda ro: (ro((4,)), 0), "a"),
]


@pytest.mark.parametrize("name,make,param", WRITERS,
                         ids=[f"{w[0]}-{i}" for i, w in enumerate(WRITERS)])
def test_read_only_refused_before_any_write(b, name, make, param):
    args = make(lambda shape: read_only(shape))
    assert error(ValueError, getattr(b.k, name), *args) == RO_MSG.format(f=name, p=param)
    for a in args:
        if isinstance(a, np.ndarray):
            assert not a.any(), "nothing may be written before the error"
    # a broadcast view (read-only, zero strides) is refused the same way
    args = make(lambda shape: np.broadcast_to(np.float64(0.0), shape))
    assert error(ValueError, getattr(b.k, name), *args) == RO_MSG.format(f=name, p=param)


def test_read_only_second_parameter_first_untouched(b):
    a, ro = np.zeros(3), read_only((3,))
    assert error(ValueError, b.k.w_both_after_work, a, ro) == \
        RO_MSG.format(f="w_both_after_work", p="b")
    assert a.tolist() == [0.0, 0.0, 0.0]


def test_read_only_fine_for_readers(b, m):
    ro = read_only(base=np.arange(6.0))
    ro2 = read_only(base=np.arange(6.0).reshape(2, 3))
    assert b.k.read_f(ro, -1) == 5.0 and b.k.read_helper(ro) == 15.0 and b.k.read_c(ro) == 15.0
    assert b.k.read2(ro2) == 15.0 and b.k.read2_c(ro2) == 5.0
    assert b.k.read_then_view(ro2).tolist() == [0.0, 1.0, 2.0]
    assert b.k.w_second(ro, np.zeros(2)) is None  # only b is written
    assert m.k.total(np.broadcast_to(np.float64(0.5), (10,))) == 5.0
    assert m.k.mk_copy(ro2).flags.writeable
    assert m.k.mk_zeros_like(ro2).flags.writeable


def test_writable_arguments_are_written(b):
    a = np.zeros(4)
    b.k.w_helper_chain(a)
    b.k.w_fill(a[::-1][:2])
    assert a.tolist() == [3.0, 0.0, 2.0, 2.0]
    c = np.zeros((2, 3))
    b.k.w_enumerate_rows(c.T)
    assert c[0].tolist() == [0.0, 1.0, 2.0]
    b.k.w_helper_given_view(c)
    assert c[1, 0] == 5.0


# ---- row 17: sizes ------------------------------------------------------------------------------

def test_negative_dimensions(m):
    for f, args in [(m.k.mk_zeros, (-1,)), (m.k.mk_ones, (-(2**62),)), (m.k.mk_zeros2, (2, -3)),
                    (m.k.mk_full2, (-1, 0, 1.0)), (m.k.mk_empty2, (0, -1))]:
        assert error(ValueError, f, *args) == "negative dimensions are not allowed"


def test_memory_error_in_subprocess(m):
    # np.zeros(2**40) is 8 TiB: MemoryError, never a NULL dereference; the
    # process goes on working, repeatedly, without growing
    script = textwrap.dedent(f"""
        import importlib.machinery, importlib.util
        loader = importlib.machinery.ExtensionFileLoader("arrays", {str(m.so)!r})
        spec = importlib.util.spec_from_file_location("arrays", {str(m.so)!r}, loader=loader)
        a = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(a)
        def rss():
            return int(open("/proc/self/statm").read().split()[1]) * 4
        msgs = set()
        for n in range(2000):
            if n == 200:
                before = rss()
            for f, args in [(a.mk_zeros, (2**40,)), (a.mk_zeros2, (2**20, 2**20)),
                            (a.mk_full, (2**42, 1.0)), (a.via_helper_make, (2**40,))]:
                try:
                    f(*args)
                except MemoryError as e:
                    msgs.add(str(e))
        print(sorted(msgs))
        print(rss() - before < 1024, a.mk_zeros(3).tolist())
    """)
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, f"the interpreter died (exit {p.returncode}):\n{p.stderr}"
    lines = p.stdout.strip().splitlines()
    assert lines[0] == repr(sorted({
        "cannot allocate 8796093022208 bytes for an array",
        "cannot allocate 35184372088832 bytes for an array"})), p.stdout
    assert lines[1] == "True [0.0, 0.0, 0.0]", p.stdout


# ---- row 18: reference counts and memory -------------------------------------------------------

N_CALLS = 100_000


def test_refcounts_of_array_arguments(b, m):
    a = np.arange(8.0)
    a2 = np.arange(12.0).reshape(3, 4)
    ro = read_only((4,))
    bad = np.zeros(3, np.int32)
    counts = [sys.getrefcount(x) for x in (a, a2, ro, bad)]
    read_f, w_direct, ret, row, total = (b.k.read_f, b.k.w_direct, m.k.return_param,
                                         m.k.row_of, m.k.via_helper_sum)
    for i in range(N_CALLS):
        read_f(a, 3)
        w_direct(a)
        ret(a)
        row(a2, 1)
        if i % 4 == 0:
            total(a2)
            try:
                read_f(a, 99)          # IndexError in the body
            except IndexError:
                pass
            try:
                read_f(bad, 0)         # wrong dtype
            except TypeError:
                pass
            try:
                w_direct(ro)           # read-only
            except ValueError:
                pass
    gc.collect()
    assert [sys.getrefcount(x) for x in (a, a2, ro, bad)] == counts
    # a result viewing an argument holds it while it lives, and only then
    before = sys.getrefcount(a)
    v = ret(a)
    assert sys.getrefcount(a) > before
    del v
    gc.collect()
    assert sys.getrefcount(a) == before


def _rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4


def test_no_memory_growth_fresh_1mb_results(m):
    # 10^5 calls, each returning a fresh 1 MiB array (three of its pages
    # written, so a leaked block shows in RSS: 12 KiB a call, 1.2 GB in all),
    # and some dropping allocations on error paths: RSS stays flat
    mk, alloc_raise, idx_err = m.k.mk_big_touched, m.k.alloc_then_raise, \
        m.k.index_error_after_alloc
    n = 1 << 17  # float64: 1 MiB

    def burst(k):
        for i in range(k):
            r = mk(n)
            if i % 64 == 0:
                assert r.shape == (n,) and r[n // 2] == 2.0 and r[n - 1] == 3.0
                try:
                    alloc_raise(n)
                except ValueError:
                    pass
                try:
                    idx_err(n)
                except IndexError:
                    pass
    burst(5_000)
    gc.collect()
    before = _rss_kib()
    burst(N_CALLS)
    gc.collect()
    grown = _rss_kib() - before
    assert grown < 16384, f"RSS grew by {grown} KiB over {N_CALLS} calls"


def test_results_keep_memory_alive(m):
    rs = [m.k.mk_full(1000, float(i)) for i in range(50)]
    gc.collect()
    assert all(r[999] == float(i) for i, r in enumerate(rs))
    row = m.k.return_row_of_local(4)
    gc.collect()
    junk = [m.k.mk_full(4, -1.0) for _ in range(100)]  # would reuse freed memory
    assert row.tolist() == [1.0, 2.0, 3.0, 4.0] and len(junk) == 100


COMPLEX_FIELD = '''
from kiln.types import complex128, complex64


def csum(z: complex128[:]) -> complex:
    t = 0j
    for i in range(z.shape[0]):
        t += z[i] * z[i]
    return t


def csum64(z: complex64[:]):
    return z * 2
'''


def test_complex_aligned_to_its_part(compile_module):
    # NumPy calls a complex128 array at an 8-byte boundary aligned (a record
    # field after a float64): accepted, computed right. A complex64 one at
    # 4 bytes likewise.
    m = compile_module(COMPLEX_FIELD, "cfield")
    rec = np.zeros(5, dtype=[("x", np.float64), ("z", np.complex128)])
    rec["z"] = np.arange(5) + 1j
    z = rec["z"]
    assert z.flags.aligned and z.ctypes.data % 16 == 8
    # a stride of 24 bytes is not a whole number of elements: run on a copy
    assert m.k.csum(z) == m.py.csum(z)
    z8 = np.ndarray(5, np.complex128, buffer=bytearray(16 * 5 + 8), offset=8)
    z8[:] = np.arange(5) + 1j
    assert z8.ctypes.data % 16 == 8
    assert m.k.csum(z8) == m.py.csum(z8)
    z4 = np.ndarray(3, np.complex64, buffer=bytearray(8 * 3 + 4), offset=4)
    z4[:] = [1 + 2j, 3, -1j]
    assert z4.ctypes.data % 8 == 4
    np.testing.assert_array_equal(m.k.csum64(z4), m.py.csum64(z4))
