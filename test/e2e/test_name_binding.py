"""Module-level names bind as in Python (RELIABILITY.md row 35): the latest
binding in the file wins, whether it is a `def`, an import or an assignment,
and identifiers that are equal under NFKC normalisation (PEP 3131) are one
name. Every function is compared with CPython running the same source."""
import pytest

SOURCE = '''
import math


def sqrt(x):
    return 42.0


from math import sqrt


def root(x: float) -> float:
    return sqrt(x)


from math import floor as pick


def pick(x):
    return x * 3.0


def picked(x: float) -> float:
    return pick(x)


scale = 2.0


def scale(x):
    return x + 1.0


def scaled(x: float) -> float:
    return scale(x)


def helper(x):
    return x - 1.0


helper = 5.0


def uses_constant(x: float) -> float:
    return x * helper


def ligatures(n: int) -> int:
    fi = 1
    \ufb01 = n            # LATIN SMALL LIGATURE FI: the same name as `fi`
    return fi


def wide(n: int) -> int:
    \uff4e\uff45\uff57 = n + 1  # FULLWIDTH "new"
    return new * 2


def accents(x: float) -> float:
    caf\u00e9 = x             # precomposed e-acute
    return cafe\u0301 + 1.0   # e + combining acute accent: NFKC composes it
'''


@pytest.fixture(scope="module")
def mod(compile_module):
    return compile_module(SOURCE, "binding")


@pytest.mark.parametrize("name,args", [
    ("root", (4.0,)), ("root", (2.0,)), ("picked", (2.5,)), ("scaled", (1.5,)),
    ("uses_constant", (3.0,)), ("ligatures", (7,)), ("wide", (4,)), ("accents", (1.5,)),
])
def test_same_binding_as_cpython(mod, name, args):
    fk, fp = mod.pair(name)
    assert fk(*args) == fp(*args)


def test_latin1_source(kiln, tmp_path):
    # PEP 263: a Latin-1 file with its declaration compiles as CPython reads it.
    src = ("# -*- coding: latin-1 -*-\n"
           "# caf\xe9 cr\xe8me\n"
           "def f(x: float) -> float:\n"
           "    caf\xe9 = x * 2.0\n"
           "    return caf\xe9 + 1.0\n").encode("latin-1")
    (tmp_path / "lat1.py").write_bytes(src)
    from conftest import _load_extension, _load_python, run_kiln
    r = run_kiln(kiln, "compile", tmp_path / "lat1.py", "-o", tmp_path / "lat1.abi3.so")
    assert r.returncode == 0, r.stderr
    k = _load_extension(tmp_path / "lat1.abi3.so", "lat1")
    py = _load_python(tmp_path / "lat1.py", "lat1")
    assert k.f(1.25) == py.f(1.25) == 3.5
