"""print() in compiled code (cases/printing.py) goes through Python's own
print: the same text as CPython, in order with the caller's output, to
wherever sys.stdout points."""
import numpy as np
import pytest


@pytest.fixture(scope="module")
def m(compile_module):
    return compile_module("printing.py")


def both(capsys, m, name, *args):
    print("<<")
    got = getattr(m.k, name)(*args)
    print(">>")
    out_k = capsys.readouterr().out
    print("<<")
    want = getattr(m.py, name)(*args)
    print(">>")
    out_p = capsys.readouterr().out
    assert out_k == out_p
    return got, want


def test_progress_and_arrays(capsys, m):
    got, want = both(capsys, m, "report", 5, 1e-3)
    assert got == want


def test_containers_and_scalars(capsys, m):
    for k in [0, 3]:
        got, want = both(capsys, m, "containers", k)
        assert got == want


def test_views_are_printed_not_moved(capsys, m):
    a = np.arange(12.0).reshape(3, 4)
    both(capsys, m, "views", a)
    both(capsys, m, "views", np.arange(5.0))
    assert np.array_equal(a, np.arange(12.0).reshape(3, 4))


def test_closed_stdout_raises(m):
    import io
    import sys
    old = sys.stdout
    sys.stdout = io.StringIO()
    sys.stdout.close()
    try:
        with pytest.raises(ValueError, match="closed file"):
            m.k.containers(1)
    finally:
        sys.stdout = old


def test_fstrings(capsys, m):
    for n, x in [(3, 2.5), (255, -0.125), (0, 1e300)]:
        both(capsys, m, "fstrings", n, x)
    with pytest.raises(ValueError, match=r"n must be non-negative, got -2 \(x=0\.1\)"):
        m.k.fstrings(-2, 0.1)


def test_tricky_values(capsys, m):
    both(capsys, m, "tricky", 4)


def test_print_errors_are_catchable(m):
    import io
    import sys
    old = sys.stdout
    sys.stdout = io.StringIO()
    sys.stdout.close()
    try:
        got, want = m.k.print_error_is_catchable(3), m.py.print_error_is_catchable(3)
    finally:
        sys.stdout = old
    assert got == want == -1
