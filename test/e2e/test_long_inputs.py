"""Long and deep inputs compile, run and give CPython's answers
(RELIABILITY.md row 33): a chain of 100 helpers (type inference follows
callers, not a fixed number of rounds), a 10,000-term expression (the
compiler runs on a thread with a large stack; CPython itself cannot compile
that one), thousands of locals and lines. Compile time is measured by
test/bench/compile_scaling.py, not asserted here."""
import pytest

from conftest import run_kiln


def chain_source(n):
    src = [f"def g{i}(x):\n    return g{i + 1}(x) + {i % 3}\n" for i in range(n)]
    src.append(f"def g{n}(x):\n    return x * 2\n")
    src.append("def f(x: int) -> int:\n    return g0(x)\n")
    src.append("def h(x: float) -> float:\n    return g0(x)\n")
    return "\n".join(src)


@pytest.mark.parametrize("n", [63, 64, 65, 100])
def test_helper_chain(compile_module, n):
    m = compile_module(chain_source(n), f"chain{n}")
    for name, arg in (("f", 5), ("h", 1.5)):
        fk, fp = m.pair(name)
        assert fk(arg) == fp(arg)
        assert type(fk(arg)) is type(fp(arg))


def test_long_expression(kiln, tmp_path):
    n = 10000
    (tmp_path / "longexpr.py").write_text(
        "def f(x: float) -> float:\n    return " + " + ".join(["x"] * n) + "\n")
    r = run_kiln(kiln, "compile", tmp_path / "longexpr.py", "-o", tmp_path / "longexpr.abi3.so",
                 timeout=300)
    assert r.returncode == 0, r.stderr
    from conftest import _load_extension
    m = _load_extension(tmp_path / "longexpr.abi3.so", "longexpr")
    assert m.f(0.5) == 0.5 * n  # exact: a sum of equal halves


def test_many_locals_and_lines(compile_module):
    n = 3000
    src = ("def f(x: float) -> float:\n" +
           "".join(f"    v{i} = x * {i % 10}.0 + {i}.0\n" for i in range(n)) +
           "    s = 0.0\n" +
           "".join(f"    s = s * 0.5 + v{i}\n" for i in range(0, n, 3)) +
           "    return s\n")
    m = compile_module(src, "manylocals")
    fk, fp = m.pair("f")
    for x in (0.0, 1.25, -3.0):
        assert fk(x) == fp(x)
