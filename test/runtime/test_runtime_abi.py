"""Tests of the Kiln runtime's Python boundary, through fakemod.abi3.so.

fakemod.c is a hand-written stand-in for a generated module; these tests pin
down every rule of runtime/: argument binding with CPython's wording,
conversion by type string, overload dispatch, results, exceptions raised by
compiled code, reference counts and memory, the GIL, parallel loops, fork()
and Ctrl-C; and arrays: buffer arguments checked before the call (dtype,
rank, byte order, alignment, contiguity, writability), kiln_alloc, and
results that are zero-copy numpy.ndarray objects. Cases that could crash or hang the interpreter (fork, signals,
memory growth, re-linking) run in a fresh subprocess with a timeout, so a
crash or a hang is a recorded failure rather than a lost test run.

Run with Debian's interpreter (it has NumPy), with the directory holding
fakemod.abi3.so on PYTHONPATH:
    PYTHONPATH=<build>/test/runtime /usr/bin/python3 -m pytest -q test_runtime_abi.py
"""

import gc
import importlib.util
import inspect
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import fakemod as fm

try:
    import numpy as np
except ImportError:  # the interpreter on PATH may lack NumPy
    np = None

needs_numpy = pytest.mark.skipif(np is None, reason="NumPy not available")
HERE = os.path.dirname(os.path.abspath(__file__))
MODDIR = os.path.dirname(os.path.abspath(fm.__file__))


def run_py(code, timeout=60, env=None, check=True):
    """Runs `code` in a fresh interpreter that can import fakemod."""
    e = dict(os.environ)
    e["PYTHONPATH"] = MODDIR + os.pathsep + e.get("PYTHONPATH", "")
    for k in ("KILN_NUM_THREADS", "OMP_NUM_THREADS"):
        e.pop(k, None)
    if env:
        e.update(env)
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=e,
                       capture_output=True, text=True, timeout=timeout)
    if check:
        assert p.returncode == 0, f"rc={p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}"
    return p


def message(fn, *args, **kwargs):
    """(exception type, str(exception)) of fn(*args, **kwargs)."""
    try:
        fn(*args, **kwargs)
    except BaseException as e:  # noqa: BLE001 - the type is the point
        return type(e), str(e)
    raise AssertionError("no exception")


# Pure-Python twins with the same parameter names: CPython's own messages are
# the reference for binding errors.
def add_ints(a, b): pass
def three(a, b, c): pass
def nothing(): pass
def flag(b): pass


@pytest.fixture(autouse=True)
def _threads_restored():
    n = fm._get_num_threads()
    yield
    fm._set_num_threads(n)


# ---- Module object ----------------------------------------------------------

def test_module_attributes():
    assert fm.__kiln_abi__ == 4
    assert fm.__name__ == "fakemod"
    assert fm.__doc__ == "A hand-written Kiln module for runtime tests."
    assert fm.add_ints.__name__ == "add_ints"
    assert fm.add_ints.__module__ == "fakemod"
    assert fm.add_ints.__doc__ == "add_ints(a: int64, b: int64) -> int64"
    assert str(inspect.signature(fm.add_ints)) == "(a, b)"
    assert str(inspect.signature(fm.three)) == "(a, b, c)"
    assert fm.twice.__doc__ == "twice(x: int64) -> int64\ntwice(x: float64) -> float64"
    # Synthesised when the descriptor has no signature text.
    assert fm.three.__doc__ == "three(a: int64, b: float64, c: bool) -> float64"
    assert fm.nested_tuple.__doc__ == (
        "nested_tuple(a: int64, x: float64) -> tuple<int64, tuple<float64, bool>, none>")


def test_functions_pickle_by_reference():
    import copy
    import pickle
    for f in (fm.add_ints, fm.twice, fm.nothing):
        g = pickle.loads(pickle.dumps(f))
        assert g is f
        assert copy.deepcopy(f) is f
    with pytest.raises(TypeError):
        type(fm.add_ints.__self__)()


def test_reimport_creates_a_working_module():
    run_py("""
        import sys, importlib
        import fakemod
        del sys.modules['fakemod']
        m2 = importlib.import_module('fakemod')
        assert m2.add_ints(1, 2) == 3
        assert fakemod.add_ints(3, 4) == 7
    """)


@pytest.mark.parametrize("name,needle", [
    ("fakemod_badabi", "compiled for runtime ABI 5, this runtime has ABI 4"),
    ("fakemod_badndim", "the number of array dimensions must be between 1 and 32"),
    ("fakemod_baddefault", "parameter 'a' cannot have a default"),
    ("fakemod_badtype", "unknown type at offset 0 in type 'int65'"),
    ("fakemod_badresult", "expected ',' or '>' in tuple type"),
    ("fakemod_split", "overloads of 'f' are not consecutive"),
])
def test_malformed_descriptor_fails_import(name, needle):
    spec = importlib.util.spec_from_file_location(name, fm.__file__)
    with pytest.raises(ImportError) as ei:
        importlib.util.module_from_spec(spec)
    assert needle in str(ei.value)
    assert fm.add_ints(1, 1) == 2  # nothing stale left behind


# ---- Results ----------------------------------------------------------------

def test_scalar_results():
    assert fm.add_ints(2, 3) == 5 and type(fm.add_ints(2, 3)) is int
    assert fm.add_ints(2**63 - 1, 0) == 2**63 - 1
    assert fm.add_ints(-2**63, 0) == -2**63
    assert fm.scale(1.5, 2.0) == 3.0 and type(fm.scale(1.5, 2.0)) is float
    assert fm.flag(True) is False and fm.flag(False) is True
    assert fm.nothing() is None
    assert fm.three(1, 2.5, True) == 3.5 and fm.three(1, 2.5, False) == -1.5


def test_tuple_results():
    for a in (-7, 7):
        for b in (-2, 2):
            assert fm.divmod_(a, b) == divmod(a, b)
    assert fm.nested_tuple(3, 1.5) == (3, (1.5, True), None)
    assert fm.nested_tuple(-3, -0.0)[1][0].hex() == (-0.0).hex()
    assert fm.wide(10) == tuple(range(10, 30))


def test_many_parameters():
    args = list(range(20))
    expect = sum(v * (i + 1) for i, v in enumerate(args))
    assert fm.many(*args) == expect
    assert fm.many(**{f"p{i}": v for i, v in enumerate(args)}) == expect
    assert fm.many(*args[:10], **{f"p{i}": args[i] for i in range(10, 20)}) == expect


# ---- Binding: keywords and CPython's wording --------------------------------

def test_keyword_calls():
    assert fm.add_ints(a=1, b=2) == 3
    assert fm.add_ints(1, b=2) == 3
    assert fm.add_ints(b=2, a=10) == 12
    assert fm.three(1, c=False, b=0.5) == 0.5
    assert fm.twice(x=4) == 8 and fm.twice(x=0.25) == 0.5


@pytest.mark.parametrize("py,args,kwargs", [
    (add_ints, (1, 2, 3), {}),
    (add_ints, (1,), {}),
    (add_ints, (), {}),
    (add_ints, (), {"b": 1}),
    (add_ints, (1, 2), {"x": 3}),
    (add_ints, (1,), {"a": 2}),
    (add_ints, (1, 2), {"a": 2}),
    (add_ints, (1, 2, 3), {"a": 2}),
    (three, (), {}),
    (three, (1,), {}),
    (three, (1, 2, 3, 4), {}),
    (three, (), {"b": 1.0}),
    (nothing, (1,), {}),
    (nothing, (), {"a": 1}),
    (flag, (True, False), {}),
])
def test_binding_errors_match_cpython(py, args, kwargs):
    expected = message(py, *args, **kwargs)
    assert expected[0] is TypeError
    got = message(getattr(fm, py.__name__), *args, **kwargs)
    assert got == expected


def test_binding_error_examples():
    assert message(fm.add_ints, 1, 2, 3) == (
        TypeError, "add_ints() takes 2 positional arguments but 3 were given")
    assert message(fm.add_ints, 1) == (
        TypeError, "add_ints() missing 1 required positional argument: 'b'")
    assert message(fm.add_ints) == (
        TypeError, "add_ints() missing 2 required positional arguments: 'a' and 'b'")
    assert message(fm.three) == (
        TypeError, "three() missing 3 required positional arguments: 'a', 'b', and 'c'")
    assert message(fm.add_ints, 1, 2, x=3) == (
        TypeError, "add_ints() got an unexpected keyword argument 'x'")
    assert message(fm.add_ints, 1, a=2) == (
        TypeError, "add_ints() got multiple values for argument 'a'")
    assert message(fm.nothing, 1) == (
        TypeError, "nothing() takes 0 positional arguments but 1 was given")


# ---- Conversion ---------------------------------------------------------------

class Index:
    def __init__(self, v): self.v = v
    def __index__(self): return self.v


class BadIndex:
    def __index__(self): raise ValueError("from __index__")


def test_int64_accepts_int_bool_index():
    assert fm.add_ints(True, False) == 1
    assert fm.add_ints(Index(5), Index(-2)) == 3


@needs_numpy
def test_int64_accepts_numpy_integers():
    assert fm.add_ints(np.int64(3), np.int32(4)) == 7
    assert fm.add_ints(np.uint8(200), np.int16(-1)) == 199
    assert fm.add_ints(np.uint64(2**63 - 1), 0) == 2**63 - 1
    assert message(fm.add_ints, np.uint64(2**63), 0) == (
        OverflowError, "add_ints() argument 'a': Python int too large to convert to int64")
    assert message(fm.add_ints, np.float64(1.0), 0) == (
        TypeError, "add_ints() argument 'a': expected int64, got numpy.float64")


@pytest.mark.parametrize("value,got", [
    (1.0, "float"), ("1", "str"), (b"1", "bytes"), (None, "NoneType"),
    ([1], "list"), ((1,), "tuple"), (1j, "complex"), (object(), "object"),
])
def test_int64_rejections(value, got):
    assert message(fm.add_ints, 1, value) == (
        TypeError, f"add_ints() argument 'b': expected int64, got {got}")


@pytest.mark.parametrize("value", [2**63, -2**63 - 1, 10**100])
def test_int64_overflow_names_parameter(value):
    assert message(fm.add_ints, 0, value) == (
        OverflowError, "add_ints() argument 'b': Python int too large to convert to int64")
    # No stale error indicator: the next calls succeed (a stale indicator
    # would surface as SystemError here).
    assert fm.add_ints(1, 2) == 3
    assert fm.scale(1.0, 2.0) == 2.0


def test_object_errors_from_index_propagate():
    assert message(fm.add_ints, BadIndex(), 1) == (ValueError, "from __index__")
    assert fm.add_ints(1, 2) == 3


def test_float64_accepts_float_int_bool():
    assert fm.scale(2, 3) == 6.0
    assert fm.scale(True, 2.5) == 2.5
    assert fm.scale(2**53, 1.0) == float(2**53)
    assert fm.scale(Index(3), 1.0) == 3.0


@needs_numpy
def test_float64_accepts_numpy_scalars():
    assert fm.scale(np.float32(1.5), 2.0) == 3.0
    assert fm.scale(np.float64(1.25), np.int64(2)) == 2.5
    assert fm.scale(np.float16(0.5), np.int8(4)) == 2.0


def test_float64_overflow():
    assert message(fm.scale, 2**1024, 1.0) == (
        OverflowError, "scale() argument 'x': int too large to convert to float64")
    assert fm.scale(1.0, 1.0) == 1.0


@pytest.mark.parametrize("value,got", [
    ("1.0", "str"), (b"1", "bytes"), (None, "NoneType"), ([1.0], "list"),
    (1j, "complex"), (bytearray(b"1"), "bytearray"),
])
def test_float64_rejections(value, got):
    assert message(fm.scale, 1.0, value) == (
        TypeError, f"scale() argument 'k': expected float64, got {got}")


def test_bool_accepts_only_bool():
    assert fm.flag(True) is False
    for value, got in ((1, "int"), (0, "int"), (1.0, "float"), (None, "NoneType"),
                       ("x", "str"), ([], "list")):
        assert message(fm.flag, value) == (
            TypeError, f"flag() argument 'b': expected bool, got {got}")


@needs_numpy
def test_bool_accepts_numpy_bool():
    assert fm.flag(np.True_) is False
    assert fm.flag(np.bool_(False)) is True
    assert message(fm.flag, np.int64(1))[0] is TypeError


# ---- Overload dispatch ---------------------------------------------------------

def test_overload_exact_kind_first():
    assert fm.twice(3) == 6 and type(fm.twice(3)) is int
    assert fm.twice(1.25) == 2.5 and type(fm.twice(1.25)) is float
    assert fm.pair(2, 3) == 5          # int64 overload adds
    assert fm.pair(2.0, 3.0) == 6.0    # float64 overload multiplies


def test_overload_convertible_in_declaration_order():
    assert fm.twice(True) == 2 and type(fm.twice(True)) is int
    assert fm.pair(2, 3.0) == 6.0      # mixed: only float64 converts both
    # 2**63 does not fit int64: the float64 overload takes it.
    assert fm.twice(2**63) == float(2**64)


@needs_numpy
def test_overload_numpy_scalars():
    assert fm.twice(np.int64(4)) == 8 and type(fm.twice(np.int64(4))) is int
    assert fm.twice(np.float32(1.5)) == 3.0
    assert fm.twice(np.float64(1.5)) == 3.0 and type(fm.twice(np.float64(1.5))) is float


def test_overload_no_match_lists_signatures():
    assert message(fm.pair, 1.5, "s") == (
        TypeError, "pair(): no matching signature for argument types (float, str); "
                   "accepted: pair(a: int64, b: int64), pair(a: float64, b: float64)")
    assert message(fm.pair, 1, b=None) == (
        TypeError, "pair(): no matching signature for argument types (int, b=NoneType); "
                   "accepted: pair(a: int64, b: int64), pair(a: float64, b: float64)")
    assert message(fm.twice, "a") == (
        TypeError, "twice(): no matching signature for argument types (str); "
                   "accepted: twice(x: int64), twice(x: float64)")


def test_overload_arity_errors_keep_cpython_wording():
    assert message(fm.twice) == (
        TypeError, "twice() missing 1 required positional argument: 'x'")
    assert message(fm.twice, 1, 2) == (
        TypeError, "twice() takes 1 positional argument but 2 were given")
    assert message(fm.twice, y=1) == (
        TypeError, "twice() got an unexpected keyword argument 'y'")


def test_overload_body_error_propagates_unchanged():
    assert message(fm.checked, -1) == (ValueError, "negative int")
    assert message(fm.checked, -1.5) == (ValueError, "negative float")
    assert fm.checked(2) == 2 and fm.checked(2.5) == 2.5


# ---- Exceptions raised by compiled code -------------------------------------------

def test_raise_value_error_args_and_str():
    with pytest.raises(ValueError) as ei:
        fm.fail(3)
    assert type(ei.value) is ValueError
    assert ei.value.args == ("bad", 3)
    assert str(ei.value) == str(ValueError("bad", 3))


def test_raise_mixed_args():
    with pytest.raises(ArithmeticError) as ei:
        fm.fail_mixed()
    assert type(ei.value) is ArithmeticError
    assert ei.value.args == ("msg", 2.5, True, -7)
    assert type(ei.value.args[2]) is bool


def test_raise_builtin_classes():
    assert message(fm.divmod_, 1, 0) == (ZeroDivisionError, "integer division or modulo by zero")
    assert message(fm.add_ints, 2**62, 2**62) == (OverflowError, "integer overflow in add_ints")
    assert message(fm.raise_interrupt)[0] is KeyboardInterrupt


def test_unknown_class_becomes_runtime_error():
    t, msg = message(fm.fail_unknown)
    assert t is RuntimeError
    assert "NoSuchError" in msg and "what" in msg


def test_failure_without_exception_is_system_error():
    t, msg = message(fm.fail_silent)
    assert t is SystemError and "recorded no exception" in msg


def test_error_recorded_with_status_zero_still_raises():
    assert message(fm.fail_status0) == (ValueError, "recorded with status 0")


def test_message_copied_and_bounded():
    t, msg = message(fm.fail_long_msg)
    assert t is ValueError
    assert msg.startswith("long:xxx") and msg.endswith("...")
    assert "Z" not in msg and len(msg) < 4096


def test_first_error_wins_and_at_most_8_args():
    assert message(fm.first_wins) == (ValueError, "first")
    with pytest.raises(ValueError) as ei:
        fm.too_many_args()
    assert ei.value.args == tuple(range(8))


def test_state_cleared_after_every_error():
    for f in (fm.fail_silent, fm.fail_unknown, fm.first_wins, fm.fail_status0):
        with pytest.raises(Exception):
            f()
        assert fm.add_ints(1, 1) == 2
        assert fm.nothing() is None


# ---- Reference counts and memory ------------------------------------------------

# The argument objects of _calls: their reference counts must not move.
X, Y, S = 12345678901, 2.5, "not a number"


def _calls(path, n):
    """n rounds of calls that take one path through the runtime."""
    x, y, s = X, Y, S
    if path == "success":
        for _ in range(n):
            fm.add_ints(x, x)
            fm.add_ints(a=x, b=x)
            fm.scale(y, y)
            fm.twice(y)
            fm.divmod_(x, 7)
    elif path == "body":
        for _ in range(n):
            try:
                fm.fail(x)
            except ValueError:
                pass
            try:
                fm.checked(-y)
            except ValueError:
                pass
    elif path == "convert":
        for _ in range(n):
            try:
                fm.add_ints(s, x)
            except TypeError:
                pass
            try:
                fm.add_ints(x, 2**64)
            except OverflowError:
                pass
            try:
                fm.add_ints(x, c=y)
            except TypeError:
                pass
    elif path == "dispatch":
        for _ in range(n):
            try:
                fm.pair(s, y)
            except TypeError:
                pass
            try:
                fm.twice(x=s)
            except TypeError:
                pass


@pytest.mark.parametrize("path", ["success", "body", "convert", "dispatch"])
def test_refcounts_unchanged(path):
    _calls(path, 10)
    gc.collect()
    before = [sys.getrefcount(o) for o in (X, Y, S)]
    _calls(path, 100_000)
    gc.collect()
    assert [sys.getrefcount(o) for o in (X, Y, S)] == before


@pytest.mark.parametrize("path", ["success", "body", "convert", "dispatch"])
def test_no_memory_growth(path):
    # Current RSS (not the high-water mark) after a warm-up, then after many
    # more calls; a leak of even 8 bytes per call would show as > 2 MiB.
    p = run_py(f"""
        import gc, os, sys
        sys.path.insert(0, {HERE!r})
        import test_runtime_abi as t
        def rss():
            with open('/proc/self/statm') as f:
                return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
        t._calls({path!r}, 50_000)
        gc.collect()
        r0 = rss()
        t._calls({path!r}, 300_000)
        gc.collect()
        print(rss() - r0)
    """, timeout=300)
    growth = int(p.stdout.split()[-1])
    assert growth < 2 * 1024 * 1024, f"RSS grew by {growth} bytes"


# ---- The GIL ------------------------------------------------------------------------

def test_gil_released_during_native_work():
    ms = 100
    t0 = time.perf_counter()
    fm.nap(ms)
    single = time.perf_counter() - t0
    results = []

    def worker():
        results.append(fm.nap(ms))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    assert results == [ms] * 8
    assert elapsed < 4 * single, f"8 concurrent calls took {elapsed:.3f}s, one took {single:.3f}s"


def test_concurrent_calls_are_correct():
    errors = []

    def worker(k):
        try:
            for i in range(5000):
                assert fm.add_ints(i, k) == i + k
                assert fm.divmod_(i - 2500, k + 1) == divmod(i - 2500, k + 1)
                try:
                    fm.fail(i)
                except ValueError as e:
                    assert e.args == ("bad", i)
                try:
                    fm.add_ints(k, "x")
                except TypeError as e:
                    assert str(e) == "add_ints() argument 'b': expected int64, got str"
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


# ---- Parallel loops -------------------------------------------------------------------

@pytest.mark.parametrize("nt", [1, 2, 4])
def test_parallel_sum(nt):
    fm._set_num_threads(nt)
    assert fm._get_num_threads() == nt and fm.nthreads() == nt
    for n in (0, 1, 2, 1000, 10**6 + 3):
        for grain in (0, -5, 1, 7, 1000, n, n + 5):
            if grain == 1 and n > 10**5:
                continue
            assert fm.psum(n, grain) == sum(range(n)), (n, grain)
    assert fm.psum(-5, 0) == 0


@pytest.mark.parametrize("nt", [1, 2, 4])
def test_parallel_uses_threads(nt):
    fm._set_num_threads(nt)
    total, used = fm.pthreads_used(64, 1, 2000)
    assert total == sum(range(64))
    assert 1 <= used <= nt
    if nt > 1:
        assert used >= 2


@pytest.mark.parametrize("nt", [1, 2, 4])
def test_parallel_lowest_failing_chunk_wins(nt):
    fm._set_num_threads(nt)
    for _ in range(20):
        with pytest.raises(IndexError) as ei:
            fm.pfail(64, 40, 10)
        assert ei.value.args == ("bad index", 10)
    with pytest.raises(IndexError) as ei:
        fm.pfail(64, 63, 1000)
    assert ei.value.args == ("bad index", 63)
    assert fm.pfail(64, 1000, 2000) == 0


def test_nested_parallel_runs_serially():
    fm._set_num_threads(4)
    n = 60
    assert fm.pnested(n) == n * sum(range(n))


def test_set_num_threads_validation():
    with pytest.raises(ValueError):
        fm._set_num_threads(0)
    with pytest.raises(TypeError):
        fm._set_num_threads("2")
    fm._set_num_threads(3)
    assert fm._get_num_threads() == 3


@pytest.mark.parametrize("env,expect", [
    ({"KILN_NUM_THREADS": "3"}, 3),
    ({"OMP_NUM_THREADS": "5"}, 5),
    ({"KILN_NUM_THREADS": "2", "OMP_NUM_THREADS": "5"}, 2),
    ({"OMP_NUM_THREADS": "6,2"}, 6),
    ({"KILN_NUM_THREADS": "abc", "OMP_NUM_THREADS": "7"}, 7),
    ({"KILN_NUM_THREADS": "0"}, len(os.sched_getaffinity(0))),
    ({}, len(os.sched_getaffinity(0))),
])
def test_thread_count_from_environment(env, expect):
    p = run_py("import fakemod; print(fakemod._get_num_threads())", env=env)
    assert int(p.stdout) == expect


def test_fork_after_parallel_call():
    run_py("""
        import os, fakemod
        fakemod._set_num_threads(4)
        assert fakemod.psum(10**6, 0) == sum(range(10**6))
        pid = os.fork()
        if pid == 0:
            ok = fakemod.psum(10**6, 0) == sum(range(10**6))
            ok = ok and fakemod.pnested(20) == 20 * sum(range(20))
            ok = ok and fakemod._get_num_threads() == 1
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
        assert fakemod.psum(10**6, 0) == sum(range(10**6))  # parent unaffected
        assert fakemod._get_num_threads() == 4
    """, timeout=60)


def test_multiprocessing_fork_pool():
    run_py("""
        import multiprocessing as mp, fakemod
        fakemod._set_num_threads(2)
        fakemod.psum(10**5, 0)
        with mp.get_context('fork').Pool(2) as pool:
            res = pool.starmap(fakemod.psum, [(10**5, 0)] * 4)
        assert res == [sum(range(10**5))] * 4
    """, timeout=120)


# ---- Ctrl-C ------------------------------------------------------------------------------

INTERRUPT_PRELUDE = """
    import os, signal, threading, time, fakemod
    # As an interactive Python has it, even when this test runs under a
    # parent that ignores SIGINT (which a child inherits).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    def ctrl_c(after):
        threading.Timer(after, os.kill, (os.getpid(), signal.SIGINT)).start()
"""


def test_ctrl_c_interrupts_polling_loop():
    p = run_py(INTERRUPT_PRELUDE + """
    ctrl_c(0.3)
    t0 = time.perf_counter()
    try:
        fakemod.nap(20000)
        raise SystemExit("not interrupted")
    except KeyboardInterrupt:
        dt = time.perf_counter() - t0
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert fakemod.add_ints(1, 2) == 3        # still usable
    print(dt)
    """, timeout=60)
    assert float(p.stdout.split()[-1]) < 0.3 + 1.0


def test_ctrl_c_interrupts_parallel_loop_between_chunks():
    p = run_py(INTERRUPT_PRELUDE + """
    fakemod._set_num_threads(2)
    ctrl_c(0.3)
    t0 = time.perf_counter()
    try:
        fakemod.pnap(40000)
        raise SystemExit("not interrupted")
    except KeyboardInterrupt:
        dt = time.perf_counter() - t0
    assert fakemod.psum(1000, 0) == sum(range(1000))
    print(dt)
    """, timeout=60)
    assert float(p.stdout.split()[-1]) < 0.3 + 1.0


def test_ctrl_c_during_deaf_call_reaches_python_afterwards():
    # The body never polls: it runs to completion, then the Ctrl-C is handed
    # to Python, which raises KeyboardInterrupt right after the call (as it
    # would after any C call that ignores signals).
    p = run_py(INTERRUPT_PRELUDE + """
    ctrl_c(0.1)
    t0 = time.perf_counter()
    try:
        fakemod.nap_deaf(500)
        for _ in range(10**7):
            pass
        raise SystemExit("KeyboardInterrupt was lost")
    except KeyboardInterrupt:
        dt = time.perf_counter() - t0
    assert fakemod.add_ints(1, 2) == 3
    print(dt)
    """, timeout=60)
    assert 0.45 < float(p.stdout.split()[-1]) < 2.0


def test_ctrl_c_ignored_when_python_ignores_it():
    run_py(INTERRUPT_PRELUDE + """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ctrl_c(0.1)
    assert fakemod.nap(400) == 400
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    """, timeout=60)


def test_python_level_handler_still_runs():
    run_py(INTERRUPT_PRELUDE + """
    hits = []
    signal.signal(signal.SIGINT, lambda s, f: hits.append(s))
    ctrl_c(0.1)
    assert fakemod.nap_deaf(400) == 400
    for _ in range(1000):
        time.sleep(0.001)
        if hits:
            break
    assert hits == [signal.SIGINT], hits
    """, timeout=60)


def test_user_handler_runs_during_polling_call():
    # A user's SIGINT handler runs at the body's next poll, with the GIL, and
    # the call then goes on (the handler did not raise): it finishes, and
    # the handler ran long before it did.
    p = run_py(INTERRUPT_PRELUDE + """
    hits = []
    def handler(s, f):
        hits.append(time.perf_counter())
    signal.signal(signal.SIGINT, handler)
    ctrl_c(0.1)
    t0 = time.perf_counter()
    assert fakemod.nap(600) == 600
    t1 = time.perf_counter()
    assert len(hits) == 1, hits
    print(hits[0] - t0, t1 - t0)
    """, timeout=60)
    ran, total = map(float, p.stdout.split()[-2:])
    assert ran < 0.45 and total >= 0.6, (ran, total)


def test_handler_that_restores_the_default_keeps_ctrl_c_working():
    # "Press Ctrl-C again to stop": the first Ctrl-C runs a handler that
    # installs the default handler again (signal.signal replaces the C-level
    # handler); the second must still interrupt the running compiled call.
    p = run_py(INTERRUPT_PRELUDE + """
    hits = []
    def handler(s, f):
        hits.append(s)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGINT, handler)
    ctrl_c(0.2)
    ctrl_c(0.6)
    t0 = time.perf_counter()
    try:
        fakemod.nap(20000)
        raise SystemExit("not interrupted")
    except KeyboardInterrupt:
        print(len(hits), time.perf_counter() - t0)
    """, timeout=60)
    n, dt = p.stdout.split()[-2:]
    assert n == "1" and float(dt) < 0.6 + 0.5, p.stdout


def test_ctrl_c_late_in_a_long_parallel_loop():
    # Interrupted a second into a 20 s parallel loop, KeyboardInterrupt comes
    # at once: the chunks pool threads hold are not waited for.
    p = run_py(INTERRUPT_PRELUDE + """
    fakemod._set_num_threads(2)
    ctrl_c(1.0)
    t0 = time.perf_counter()
    try:
        fakemod.pnap(40000)
        raise SystemExit("not interrupted")
    except KeyboardInterrupt:
        print(time.perf_counter() - t0)
    assert fakemod.psum(1000, 0) == sum(range(1000))
    """, timeout=60)
    assert float(p.stdout.split()[-1]) < 1.0 + 0.5, p.stdout


def test_user_handler_exception_propagates():
    # A handler that raises its own exception: the compiled call stops at its
    # next poll with exactly that exception, never a KeyboardInterrupt.
    p = run_py(INTERRUPT_PRELUDE + """
    class Stop(Exception):
        pass
    def handler(s, f):
        raise Stop("from the handler")
    signal.signal(signal.SIGINT, handler)
    for fn, arg in ((fakemod.nap, 20000), (fakemod.pnap, 40000)):
        ctrl_c(0.2)
        t0 = time.perf_counter()
        try:
            fn(arg)
            raise SystemExit("not interrupted")
        except Stop as e:
            assert str(e) == "from the handler"
            print(time.perf_counter() - t0)
    assert fakemod.add_ints(1, 2) == 3
    """, timeout=60)
    for dt in map(float, p.stdout.split()[-2:]):
        assert dt < 0.2 + 0.5, p.stdout


def test_ctrl_c_interrupts_only_the_main_thread():
    # The main thread and another Python thread both run compiled loops: the
    # main thread gets KeyboardInterrupt, the other one finishes (CPython
    # interrupts only the main thread).
    p = run_py(INTERRUPT_PRELUDE + """
    other = []
    def work():
        other.append(fakemod.nap(1500))
    t = threading.Thread(target=work)
    t.start()
    time.sleep(0.05)
    ctrl_c(0.2)
    try:
        fakemod.nap(20000)
        raise SystemExit("main thread not interrupted")
    except KeyboardInterrupt:
        pass
    t.join()
    assert other == [1500], other
    print("ok")
    """, timeout=60)
    assert p.stdout.split()[-1] == "ok"


def test_handler_installed_after_first_call_is_honoured():
    # The hub's handler is chained in front of Python's at a call's first
    # poll; a handler the user installs later (Python re-installs its own C
    # handler) is chained again at the next call, so it still interrupts.
    p = run_py(INTERRUPT_PRELUDE + """
    assert fakemod.nap(5) == 5
    class Stop(Exception):
        pass
    def handler(s, f):
        raise Stop()
    signal.signal(signal.SIGINT, handler)
    ctrl_c(0.2)
    t0 = time.perf_counter()
    try:
        fakemod.nap(20000)
        raise SystemExit("not interrupted")
    except Stop:
        print(time.perf_counter() - t0)
    """, timeout=60)
    assert float(p.stdout.split()[-1]) < 0.2 + 0.5


# ---- Linking as codegen will ----------------------------------------------------------

def test_exports_and_no_libpython():
    if not shutil.which("nm") or not shutil.which("readelf"):
        pytest.skip("binutils not available")
    dyn = subprocess.run(["nm", "-D", "--defined-only", fm.__file__],
                         capture_output=True, text=True, check=True).stdout
    exported = sorted(line.split()[-1] for line in dyn.splitlines() if " T " in line)
    assert exported and all(s.startswith("PyInit_fakemod") for s in exported), exported
    needed = subprocess.run(["readelf", "-d", fm.__file__],
                            capture_output=True, text=True, check=True).stdout
    assert "libpython" not in needed


def test_plain_cc_link_line(tmp_path):
    lib, inc = os.environ.get("KILN_RT_LIB"), os.environ.get("KILN_RT_INCLUDE")
    cc = os.environ.get("KILN_TEST_CC") or shutil.which("cc")
    if not lib or not inc or not cc:
        pytest.skip("KILN_RT_LIB / KILN_RT_INCLUDE not set (run through ctest)")
    obj = tmp_path / "m.o"
    so = tmp_path / "fakemod.abi3.so"
    subprocess.run([cc, "-c", "-O1", "-fPIC", "-fvisibility=hidden", f"-I{inc}",
                    os.path.join(HERE, "fakemod.c"), "-o", str(obj)], check=True)
    subprocess.run([cc, "-shared", "-o", str(so), str(obj), lib, "-lm", "-lpthread",
                    "-Wl,--no-undefined-version"], check=True)
    e = dict(os.environ)
    e["PYTHONPATH"] = str(tmp_path)
    p = subprocess.run([sys.executable, "-c",
                        "import fakemod; assert fakemod.__file__.startswith(%r);"
                        "fakemod._set_num_threads(2);"
                        "print(fakemod.psum(10**6, 0), fakemod.twice(2.5))" % str(tmp_path)],
                       env=e, cwd=str(tmp_path), capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [str(sum(range(10**6))), "5.0"]


# ---- Arrays: arguments ---------------------------------------------------------------
#
# An array parameter takes any buffer of the right element type and rank and
# reads it through its strides; everything else is refused before the call
# runs (RELIABILITY rows 1-6). Results are numpy.ndarray objects over memory
# of the call (kiln_alloc) or over an argument, without a copy.

def weighted(a):
    """What sum2d computes: sum of a[i, j] * (C-order flat index)."""
    return float((np.asarray(a) * np.arange(a.size).reshape(a.shape)).sum())


def array_owner(arr):
    """The kiln.ArrayMemory object at the end of arr's .base chain, or None."""
    b = arr.base
    for _ in range(10):
        if b is None or type(b).__name__ == "ArrayMemory":
            return b
        b = b.obj if isinstance(b, memoryview) else getattr(b, "base", None)
    return None


@needs_numpy
def test_array_1d_reads_through_strides():
    a = np.arange(11.0) * 1.5
    assert fm.sum1d(a) == a.sum()
    assert fm.sum1d(a[::2]) == a[::2].sum()
    assert fm.sum1d(a[::-1]) == a.sum()
    assert fm.sum1d(a[7:1:-3]) == a[7:1:-3].sum()
    assert fm.sum1d(np.broadcast_to(2.5, (4,))) == 10.0      # stride 0
    assert fm.sum1d(np.empty(0)) == 0.0
    assert fm.sum1d(np.zeros((3, 4))[:, 1] + 1) == 3.0
    assert fm.sum1d(np.zeros((3, 4))[1]) == 0.0
    assert fm.sum1d(a=a) == a.sum()


@needs_numpy
def test_array_2d_reads_through_strides():
    x = np.arange(42.0).reshape(6, 7) ** 1.5
    views = [x, np.asfortranarray(x), x.T, x[::2, 1::3], x[::-1, ::-2], x[:, 3:4], x[2:3, :],
             np.broadcast_to(np.arange(5.0), (3, 5)), np.broadcast_to(np.arange(3.0)[:, None], (3, 4)),
             np.zeros((0, 3)), x[:0, ::2]]
    for v in views:
        assert fm.sum2d(v) == pytest.approx(weighted(v), rel=1e-15), (v.shape, v.strides)


@needs_numpy
def test_array_c_contiguous_parameter_follows_numpy_flags():
    x = np.arange(42.0).reshape(6, 7)
    fine = [x, x[2:4], x[:1, :], x[:, :0], np.zeros((0, 5))[:, ::2], np.ones((1, 1)),
            np.arange(12.0)[::3].reshape(4, 1)[:1], x.reshape(7, 6)]
    for v in fine:
        assert v.flags.c_contiguous
        assert fm.csum(v) == weighted(v)
    bad = [x.T, x[:, ::2], x[:, 1:3], x[::2], np.asfortranarray(x),
           np.broadcast_to(np.arange(5.0), (3, 5))]
    for v in bad:
        assert not v.flags.c_contiguous
        assert message(fm.csum, v) == (
            TypeError, "csum() argument 'a': expected a C-contiguous ndarray[float64, ndim=2] "
                       "(the signature says ::1), got a non-contiguous array")
    # A size-1 axis may have any stride (NumPy calls that contiguous too).
    odd = np.lib.stride_tricks.as_strided(np.arange(3.0), shape=(1, 3), strides=(1000, 8))
    assert odd.flags.c_contiguous and fm.csum(odd) == weighted(odd)


def test_array_accepts_other_buffers():
    import array
    assert fm.sum1d(array.array("d", [1.0, 2.0, 3.5])) == 6.5
    assert fm.sum1d(memoryview(array.array("d", [1.0, 2.0, 4.0]))[::2]) == 5.0
    assert fm.asum(memoryview(bytes(8 * 3)).cast("q")) == 0
    assert fm.asum(array.array("q", [1, 2, 3])) == 6 and fm.asum(array.array("l", [5])) == 5
    assert fm.sum2d(memoryview(array.array("d", range(6))).cast("B").cast("d", (2, 3))) == \
        sum(v * v for v in range(6))
    assert message(fm.sum1d, array.array("i", [1])) == (
        TypeError, "sum1d() argument 'a': expected ndarray[float64, ndim=1], "
                   "got array.array[int32, ndim=1]")


@needs_numpy
def test_array_bool_parameter():
    m = np.array([True, False, True, True])
    assert fm.count_true(m) == 3
    assert fm.count_true(m[::-2]) == 1
    assert fm.count_true(np.zeros(0, dtype=bool)) == 0
    assert message(fm.count_true, np.array([1, 0], dtype=np.uint8)) == (
        TypeError, "count_true() argument 'a': expected ndarray[bool, ndim=1], "
                   "got ndarray[uint8, ndim=1]")


def _expect_1d(got):
    return (TypeError, f"sum1d() argument 'a': expected ndarray[float64, ndim=1], got {got}")


@needs_numpy
@pytest.mark.parametrize("make,got", [
    (lambda: np.arange(3, dtype=np.int32), "ndarray[int32, ndim=1]"),
    (lambda: np.arange(3, dtype=np.int64), "ndarray[int64, ndim=1]"),
    (lambda: np.arange(3, dtype=np.float32), "ndarray[float32, ndim=1]"),
    (lambda: np.arange(3, dtype=np.float16), "ndarray[float16, ndim=1]"),
    (lambda: np.arange(3, dtype=np.uint64), "ndarray[uint64, ndim=1]"),
    (lambda: np.arange(3, dtype=np.complex128), "ndarray[complex128, ndim=1]"),
    (lambda: np.arange(3, dtype=np.complex64), "ndarray[complex64, ndim=1]"),
    (lambda: np.zeros(3, dtype=bool), "ndarray[bool, ndim=1]"),
    (lambda: np.zeros(3, dtype=np.int8), "ndarray[int8, ndim=1]"),
    (lambda: np.zeros(3, dtype=">i4"), "ndarray[int32, ndim=1]"),
    (lambda: np.zeros((2, 2)), "ndarray[float64, ndim=2]"),
    (lambda: np.zeros((2, 2, 2), dtype=np.int16), "ndarray[int16, ndim=3]"),
    (lambda: np.array(1.0), "ndarray[float64, ndim=0]"),
    (lambda: np.float64(1.0), "numpy.float64"),
    (lambda: np.int64(1), "numpy.int64"),
    (lambda: np.zeros(3, dtype="datetime64[ns]"), "ndarray[datetime64[ns], ndim=1]"),
    (lambda: np.zeros(3, dtype=object), "ndarray[object, ndim=1]"),
    (lambda: np.ma.masked_array([1, 2]), "a masked array (numpy.ma.MaskedArray), whose mask "
     "Kiln would ignore; pass `a.filled(value)`, or `a.data` if the mask does not matter"),
    (lambda: np.ma.masked_array([1.0, 2.0]), "a masked array (numpy.ma.MaskedArray), whose mask "
     "Kiln would ignore; pass `a.filled(value)`, or `a.data` if the mask does not matter"),
    (lambda: [1.0, 2.0], "list"),
    (lambda: (1.0,), "tuple"),
    (lambda: None, "NoneType"),
    (lambda: 1.0, "float"),
    (lambda: 3, "int"),
    (lambda: "abc", "str"),
    (lambda: b"abc", "bytes[uint8, ndim=1]"),
])
def test_array_rejections(make, got):
    assert message(fm.sum1d, make()) == _expect_1d(got)


@needs_numpy
def test_array_rank_mismatch_both_ways():
    assert message(fm.sum2d, np.zeros(3)) == (
        TypeError, "sum2d() argument 'a': expected ndarray[float64, ndim=2], "
                   "got ndarray[float64, ndim=1]")
    assert message(fm.csum, np.zeros((1, 1, 1))) == (
        TypeError, "csum() argument 'a': expected ndarray[float64, ndim=2], "
                   "got ndarray[float64, ndim=3]")


@needs_numpy
def test_array_where_scalar_expected():
    assert message(fm.add_ints, np.arange(3), 1) == (
        TypeError, "add_ints() argument 'a': expected int64, got ndarray[int64, ndim=1]")
    assert message(fm.scale, 1.0, np.zeros((2, 2))) == (
        TypeError, "scale() argument 'k': expected float64, got ndarray[float64, ndim=2]")
    # One element is still an array (NumPy's __float__ would take it); 0-d
    # arrays convert like NumPy scalars.
    assert message(fm.scale, np.array([1.5]), 1.0) == (
        TypeError, "scale() argument 'x': expected float64, got ndarray[float64, ndim=1]")
    assert message(fm.add_ints, np.array([1]), 1) == (
        TypeError, "add_ints() argument 'a': expected int64, got ndarray[int64, ndim=1]")
    assert message(fm.twice, np.array([2.0]))[0] is TypeError
    assert fm.scale(np.array(1.5), 2.0) == 3.0 and fm.add_ints(np.array(2), 1) == 3


@needs_numpy
def test_array_big_endian_refused():
    a = np.arange(3, dtype=">f8")
    assert message(fm.sum1d, a) == (
        TypeError, "sum1d() argument 'a': expected native byte order (little-endian) "
                   "ndarray[float64, ndim=1], got big-endian >f8")
    assert message(fm.asum, np.arange(3, dtype=">i8")) == (
        TypeError, "asum() argument 'a': expected native byte order (little-endian) "
                   "ndarray[int64, ndim=1], got big-endian >i8")
    assert fm.sum1d(a.astype("<f8")) == 3.0
    assert fm.count_true(np.zeros(2, dtype=">?")) == 0  # one byte: no byte order


@needs_numpy
def test_array_misaligned_runs_on_a_copy():
    # NumPy accepts arrays not aligned to their item size (Dask delivers
    # them) and packed record fields: the call runs on an aligned copy.
    a = np.frombuffer(b"x" + np.arange(10.0).tobytes(), dtype=np.float64, offset=1)
    assert not a.flags.aligned
    assert fm.sum1d(a) == 45.0
    rec = np.zeros(4, dtype=[("x", "f8"), ("y", "u1")])
    rec["x"] = [1.0, 2.0, 3.0, 4.0]
    assert rec["x"].strides == (9,)  # stride 9: not whole elements
    assert fm.sum1d(rec["x"]) == 10.0
    assert fm.sum1d(rec["x"][:1]) == 1.0  # one element: its stride is never used
    assert fm.sum1d(a[:0]) == 0.0    # nothing is read from an empty array


@needs_numpy
def test_array_read_only():
    a = np.arange(4.0)
    a.setflags(write=False)
    assert fm.sum1d(a) == 6.0  # reading is fine
    assert message(fm.scale_inplace, a, 2.0) == (
        ValueError, "scale_inplace() argument 'a': assignment destination is read-only")
    assert list(a) == [0.0, 1.0, 2.0, 3.0]
    assert message(fm.scale_inplace, np.broadcast_to(1.0, (3,)), 2.0)[0] is ValueError
    assert message(fm.scale_inplace, memoryview(bytes(16)).cast("d"), 2.0)[0] is ValueError
    # The dtype is checked first, the writability last.
    b = np.arange(4, dtype=np.int32)
    b.setflags(write=False)
    assert message(fm.scale_inplace, b, 2.0)[0] is TypeError
    y = np.zeros(3)
    y.setflags(write=False)
    assert message(fm.axpy, np.ones(3), 2.0, y) == (
        ValueError, "axpy() argument 'y': assignment destination is read-only")


@needs_numpy
def test_array_written_in_place():
    a = np.arange(6.0)
    fm.scale_inplace(a[::2], 10.0)
    assert list(a) == [0.0, 1.0, 20.0, 3.0, 40.0, 5.0]
    fm.scale_inplace(a[::-1], -1.0)
    assert list(a) == [-0.0, -1.0, -20.0, -3.0, -40.0, -5.0]
    y = np.zeros(4)
    fm.axpy(np.arange(4.0), 2.0, y)
    assert list(y) == [0.0, 2.0, 4.0, 6.0]
    ba = bytearray(16)
    fm.scale_inplace(memoryview(ba).cast("d"), 3.0)  # a writable non-NumPy buffer


@needs_numpy
def test_array_overloads():
    assert fm.asum(np.arange(5)) == 10 and type(fm.asum(np.arange(5))) is int
    assert fm.asum(np.arange(5.0)) == 10.0 and type(fm.asum(np.arange(5.0))) is float
    assert fm.asum(np.arange(5)[::-2]) == 6
    accepted = "accepted: asum(a: ndarray[int64, ndim=1]), asum(a: ndarray[float64, ndim=1])"
    assert message(fm.asum, np.arange(5, dtype=np.int32)) == (
        TypeError, "asum(): no matching signature for argument types "
                   f"(ndarray[int32, ndim=1]); {accepted}")
    assert message(fm.asum, [1, 2]) == (
        TypeError, f"asum(): no matching signature for argument types (list); {accepted}")
    assert message(fm.asum, a=np.zeros((2, 2))) == (
        TypeError, "asum(): no matching signature for argument types "
                   f"(a=ndarray[float64, ndim=2]); {accepted}")
    # Right dtype and rank for one overload, unusable layout: that error wins.
    assert message(fm.asum, np.zeros(2, dtype=">f8"))[1].startswith(
        "asum() argument 'a': expected native byte order")
    assert fm.__dict__["sum1d"].__doc__ == "sum1d(a: array<float64, 1>) -> float64"
    assert fm.csum.__doc__ == "csum(a: array<float64, 2, C>) -> float64"


# ---- Arrays: results ------------------------------------------------------------------

@needs_numpy
def test_array_result_from_kiln_alloc():
    r = fm.make_range(5)
    assert type(r) is np.ndarray
    assert r.dtype == np.int64 and r.dtype.type is np.int64 and r.dtype.char == np.dtype(np.int64).char
    assert r.shape == (5,) and r.strides == (8,) and r.flags.c_contiguous
    assert r.flags.writeable and not r.flags.owndata
    assert r.base is not None and array_owner(r) is not None
    assert r.ctypes.data % 64 == 0
    assert r.tolist() == [0, 1, 2, 3, 4]
    r[0] = 7
    assert r.sum() == 17
    e = fm.make_range(0)
    assert type(e) is np.ndarray and e.shape == (0,) and e.dtype == np.int64
    assert message(fm.make_range, -1) == (ValueError, "negative dimensions are not allowed")


@needs_numpy
def test_array_result_fortran_layout():
    g = fm.make_grid(3, 4)
    assert g.shape == (3, 4) and g.strides == (8, 24) and g.flags.f_contiguous
    assert g.tolist() == [[10.0 * i + j for j in range(4)] for i in range(3)]
    assert fm.sum2d(g) == weighted(g)  # a result goes back in as an argument
    assert fm.make_grid(0, 5).shape == (0, 5)


@needs_numpy
def test_array_results_share_one_block():
    lo, hi = fm.halves(10)
    assert lo.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0] and hi.tolist() == [5.0, 6.0, 7.0, 8.0, 9.0]
    assert lo.ctypes.data + 40 == hi.ctypes.data  # one allocation, two views
    o1, o2 = array_owner(lo), array_owner(hi)
    assert o1 is not None and o2 is not None
    import weakref
    w = weakref.ref(o1)
    del o1, o2, lo
    gc.collect()
    assert w() is not None  # hi keeps the block alive
    junk = [fm.make_range(5) for _ in range(100)]
    assert hi.tolist() == [5.0, 6.0, 7.0, 8.0, 9.0]
    del hi, junk
    gc.collect()
    assert w() is None


@needs_numpy
def test_array_result_in_tuple_with_scalars():
    n, m, half = fm.mask(7)
    assert n == 7 and half == 0.5
    assert m.dtype == np.bool_ and m.tolist() == [i % 3 == 0 for i in range(7)]


@needs_numpy
def test_array_result_views_an_argument():
    x = np.arange(12.0).reshape(3, 4)
    before = sys.getrefcount(x)
    r = fm.first_row(x)
    assert type(r) is np.ndarray and r.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert np.shares_memory(r, x) and r.ctypes.data == x.ctypes.data
    assert r.flags.writeable
    r[1] = 100.0
    assert x[0, 1] == 100.0
    f = np.asfortranarray(x)
    rf = fm.first_row(f)
    assert rf.tolist() == f[0].tolist() and rf.strides == (24,)
    del x
    gc.collect()
    assert r.tolist() == [0.0, 100.0, 2.0, 3.0]  # outlives its argument
    ro = np.arange(4.0).reshape(2, 2)
    ro.setflags(write=False)
    assert not fm.first_row(ro).flags.writeable  # a view of a read-only input stays so
    y = np.arange(5.0)
    rv = fm.reversed_view(y)
    assert rv.tolist() == [4.0, 3.0, 2.0, 1.0, 0.0] and rv.strides == (-8,)
    assert np.shares_memory(rv, y)
    assert fm.reversed_view(y[::2]).tolist() == [4.0, 2.0, 0.0]
    assert message(fm.first_row, np.zeros((0, 3))) == (
        IndexError, "index 0 is out of bounds for axis 0 with size 0")
    # The results keep the memory alive (through z, or, as NumPy's own views
    # do, through the array that owns the data: z's base) and let it go when
    # they die.
    z = np.arange(6.0).reshape(2, 3)
    owner = z.base

    def refs():
        return sys.getrefcount(z) + sys.getrefcount(owner)
    b0 = refs()
    rows = [fm.first_row(z) for _ in range(10)]
    assert refs() >= b0 + 10
    assert all(np.shares_memory(r, z) for r in rows)
    del rows
    gc.collect()
    assert refs() == b0


@needs_numpy
def test_array_result_outside_call_memory_is_an_error():
    t, msg = message(fm.stray)
    assert t is SystemError and "outside memory of the call" in msg


@needs_numpy
def test_kiln_alloc_failure_and_alignment():
    assert message(fm.alloc_fail, 3) == (
        MemoryError, "cannot allocate 4611686018427387904 bytes for an array")
    assert message(fm.alloc_then_raise, 1000) == (ValueError, "after allocating")
    assert fm.alloc_sizes() == (0, 0, 0, 0)
    assert fm.make_range(3).tolist() == [0, 1, 2]  # still usable


@pytest.mark.parametrize("nt", [1, 4])
def test_kiln_alloc_from_parallel_workers(nt):
    fm._set_num_threads(nt)
    assert fm.palloc(5000) == 5000


@needs_numpy
def test_array_calls_from_threads():
    errors = []

    def worker(k):
        try:
            x = np.arange(20.0).reshape(4, 5) + k
            for i in range(2000):
                r = fm.make_range(i % 50)
                assert r.tolist() == list(range(i % 50))
                assert fm.first_row(x).tolist() == [k + j for j in range(5)]
                lo, hi = fm.halves(i % 7)
                assert lo.size + hi.size == i % 7
                try:
                    fm.alloc_fail(2)
                except MemoryError:
                    pass
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


# ---- Arrays: nothing held, nothing leaked ------------------------------------------------

def test_array_buffers_released_on_every_path():
    import array
    ba = bytearray(8 * 6)
    # memoryview.release() raises BufferError while anyone holds an export.
    for call in (lambda mv: fm.sum1d(mv),                       # success
                 lambda mv: fm.scale_inplace(mv, 2.0),           # success, written
                 lambda mv: fm.sum2d(mv),                        # rank mismatch
                 lambda mv: fm.asum(mv),                         # overload, float64 one
                 lambda mv: fm.count_true(mv),                   # dtype mismatch
                 lambda mv: fm.axpy(mv, 1.0, memoryview(bytes(8)).cast("d"))):  # read-only y
        mv = memoryview(ba).cast("d")
        try:
            call(mv)
        except (TypeError, ValueError):
            pass
        mv.release()
    ba.extend(b"12345678")  # resizable again: no export of ba left
    m2 = memoryview(bytearray(8 * 6)).cast("d", (2, 3))
    assert fm.csum(m2) == 0.0
    m2.release()


@needs_numpy
def test_array_result_view_holds_its_own_export():
    ba = bytearray(8 * 6)
    mv = memoryview(ba).cast("d", (2, 3))
    r = fm.first_row(mv)
    assert r.shape == (3,)
    with pytest.raises(BufferError):
        mv.release()
    del r
    gc.collect()
    mv.release()
    ba.extend(b"x")


@needs_numpy
def test_array_owner_freed_when_dropped():
    import weakref
    r = fm.make_range(10)
    w = weakref.ref(array_owner(r))
    s = r[2:5]  # a NumPy view keeps the memory too
    del r
    gc.collect()
    assert w() is not None and s.tolist() == [2, 3, 4]
    del s
    gc.collect()
    assert w() is None


def _array_calls(path, n):
    x2 = ARR2
    x1 = ARR1
    ro = ARR_RO
    i32 = ARR_I32
    if path == "success":
        for _ in range(n):
            fm.sum1d(x1)
            fm.sum1d(x1[::-1])
            fm.sum2d(x2)
            fm.first_row(x2)
            fm.reversed_view(x1)
            fm.scale_inplace(x1, 1.0)
            fm.asum(x1)
            fm.make_range(100)
            fm.halves(10)
            fm.mask(5)
            fm.make_range(0)
    elif path == "errors":
        for _ in range(n):
            for f, args in ((fm.sum1d, (i32,)), (fm.sum1d, (x2,)), (fm.scale_inplace, (ro, 1.0)),
                            (fm.csum, (x2.T,)), (fm.asum, (i32,)), (fm.first_row, (x2[:0],)),
                            (fm.alloc_fail, (3,)), (fm.alloc_then_raise, (100,)),
                            (fm.stray, ()), (fm.axpy, (x1, 1.0, ro))):
                try:
                    f(*args)
                except (TypeError, ValueError, IndexError, MemoryError, SystemError):
                    pass


if np is not None:
    ARR1 = np.arange(8.0)
    ARR2 = np.arange(12.0).reshape(3, 4)
    ARR_RO = np.arange(8.0)
    ARR_RO.setflags(write=False)
    ARR_I32 = np.arange(8, dtype=np.int32)


@needs_numpy
@pytest.mark.parametrize("path", ["success", "errors"])
def test_array_refcounts_unchanged(path):
    objs = (ARR1, ARR2, ARR_RO, ARR_I32)
    _array_calls(path, 10)
    gc.collect()
    before = [sys.getrefcount(o) for o in objs]
    _array_calls(path, 20_000)
    gc.collect()
    assert [sys.getrefcount(o) for o in objs] == before


@needs_numpy
@pytest.mark.parametrize("path", ["success", "errors", "big"])
def test_array_no_memory_growth(path):
    calls = ("t._array_calls(%r, {n})" % path if path != "big" else
             "for _ in range({n}): r = fm.make_range(1 << 17); lo, hi = fm.halves(1 << 17)")
    p = run_py(f"""
        import gc, os, sys
        sys.path.insert(0, {HERE!r})
        import test_runtime_abi as t, fakemod as fm
        def rss():
            with open('/proc/self/statm') as f:
                return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
        {calls.format(n=2_000)}
        gc.collect()
        r0 = rss()
        {calls.format(n=20_000)}
        gc.collect()
        print(rss() - r0)
    """, timeout=300)
    growth = int(p.stdout.split()[-1])
    # 1 MiB blocks make glibc's heap breathe by a few MiB either way; a leak
    # of one block, or of one owner object, per call would be 20 GB / 30 MB.
    limit = (16 if path == "big" else 2) * 1024 * 1024
    assert growth < limit, f"RSS grew by {growth} bytes"


def test_array_results_without_numpy():
    # Arguments need only the buffer protocol; returning an array needs NumPy.
    p = run_py("""
        import sys, array
        sys.modules['numpy'] = None   # import numpy now raises ImportError
        import fakemod
        assert fakemod.sum1d(array.array('d', [1.0, 2.0])) == 3.0
        assert str(fakemod.sum1d.__doc__)
        try:
            fakemod.make_range(3)
        except ImportError as e:
            assert 'need NumPy' in str(e), e
        else:
            raise SystemExit('no ImportError')
        try:
            fakemod.sum1d([1.0])
        except TypeError as e:
            assert str(e) == "sum1d() argument 'a': expected ndarray[float64, ndim=1], got list", e
        assert fakemod.alloc_sizes() == (0, 0, 0, 0)
        print('ok')
    """)
    assert p.stdout.split()[-1] == "ok"
