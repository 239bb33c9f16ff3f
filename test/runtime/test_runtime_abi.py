"""Tests of the Kiln runtime's Python boundary, through fakemod.abi3.so.

fakemod.c is a hand-written stand-in for a generated module; these tests pin
down every rule of runtime/: argument binding with CPython's wording,
conversion by type string, overload dispatch, results, exceptions raised by
compiled code, reference counts and memory, the GIL, parallel loops, fork()
and Ctrl-C. Cases that could crash or hang the interpreter (fork, signals,
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
    assert fm.__kiln_abi__ == 3
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
    ("fakemod_badabi", "compiled for runtime ABI 4, this runtime has ABI 3"),
    ("fakemod_badndim", "the number of array dimensions must be between 1 and 32"),
    ("fakemod_baddefault", "array parameter 'a' cannot have a default"),
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
    subprocess.run([cc, "-shared", "-o", str(so), str(obj), lib, "-lgomp", "-lm", "-lpthread",
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
