"""Array programming, compared with NumPy running the same source: element-wise
operators and np functions with broadcasting (a matrix generated below:
operator x element types x operand ranks), slices as views, slice assignment
and in-place operators, reductions, and matrix products (cases/array_exprs.py).

Every function runs on seeded random inputs: random shapes with size-1 axes,
0-size axes and now and then a shape that does not broadcast, in every layout
(C, Fortran, strided, negative strides, transposed/column views, zero-stride
read-only np.broadcast_to views, read-only copies), with NaN, infinities,
signed zeros, subnormals and int64's extremes among the values. Each side
gets fresh copies of the arguments; afterwards the whole buffers under the
arguments are compared too (writes, and stray writes into the gaps of
strided layouts).

An outcome is an exception (compared by type and message) or a result:
arrays by type (numpy.ndarray exactly), dtype, shape, writability and values;
NumPy scalars count as the Python scalar they stand for. Values compare in
one of three modes:
  exact  bit for bit (NaN equals NaN, -0.0 differs from 0.0): everything
         element-wise that IEEE rounds correctly or that is exact, and
         min/max/argmin/argmax;
  ulp    within 4 units in the last place: transcendental functions and
         float `**`, where NumPy 1.24 on AVX512 machines uses SVML loops
         whose last bit differs from libm's;
  close  rtol 1e-12 (plus an atol scaled by the inputs' magnitudes): float
         sums, means, products and matrix products, whose summation order
         differs (NumPy sums pairwise and calls BLAS; Kiln sums in order, or
         reassociated under -O2).

Two adaptations of NumPy's side: Kiln's documented read-only check (the
argument is named, before the call) and NumPy >= 1.25's ValueError for `==`
and `!=` on arrays that do not broadcast (ModernCompare). The last sections
hold regressions for the mismatches this file found, and strict xfails for
those still open, each naming the bug.
"""
import itertools
import re
import warnings

import numpy as np
import pytest

from conftest import CASES
from difftest import I64_MAX, I64_MIN, INF, NAN

# ---- inputs --------------------------------------------------------------------------------

FLOAT_SPECIALS = [NAN, INF, -INF, 0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e308,
                  -1e308, 1.0, -1.0, 0.5, -2.5, 3.0, 2.0**53 + 2]
INT_SPECIALS = [0, 1, -1, 2, -2, 3, 7, -8, I64_MIN, I64_MAX, I64_MIN + 1, I64_MAX - 1,
                2**32, -(2**31), 2**53 + 1]
TAME_SPECIALS = [NAN, INF, -INF, 0.0, -0.0, 1.0, -2.0]
FILL = {"f": 777.0, "i": 777, "b": True}  # the gaps of strided layouts
DT = {"f": np.float64, "i": np.int64, "b": np.bool_}


def scalars(rng, kind, n, flavour="wild"):
    """n Python scalars of a kind: f(loat), i(nt), b(ool); flavours narrow the values."""
    out = []
    for _ in range(n):
        r = rng.random()
        if kind == "b":
            out.append(bool(r < 0.5))
        elif kind == "i":
            if flavour == "exp":
                out.append(int(rng.integers(0, 6)))
            elif flavour == "base":
                out.append(int(rng.integers(-6, 7)))
            elif flavour == "tame":
                out.append(int(rng.integers(-1000, 1000)))
            else:
                out.append(int(rng.choice(INT_SPECIALS)) if r < 0.15
                           else int(rng.integers(-30, 31)))
        elif flavour == "tame":  # no overflow to infinity in sums and products
            out.append(float(rng.choice(TAME_SPECIALS)) if r < 0.04
                       else float(rng.uniform(-4.0, 4.0)))
        elif flavour == "pow" and r < 0.2:  # not 0.5: see test_float_pow_half_is_sqrt
            out.append(float(rng.choice([x for x in FLOAT_SPECIALS if x != 0.5])))
        elif flavour == "finite":
            out.append(float(rng.uniform(-4.0, 4.0)))
        else:
            out.append(float(rng.choice(FLOAT_SPECIALS)) if r < 0.2
                       else float(rng.normal() * 10.0 ** rng.uniform(-3, 3)))
    return out


def values(rng, kind, shape, flavour="wild"):
    n = int(np.prod(shape, dtype=np.int64))
    return np.array(scalars(rng, kind, n, flavour), dtype=DT[kind]).reshape(shape)


LAYOUTS = ["C", "F", "strided", "neg", "T", "bcast", "bcast1", "ro"]
WRITABLE = ["C", "F", "strided", "neg", "T"]


class Arr:
    """A recipe for an array argument: make() gives a fresh (array, root
    buffer) on every call, the same values in the named layout."""

    def __init__(self, v, layout="C"):
        self.v, self.layout = v, layout

    def make(self):
        v, nd, lay = self.v, self.v.ndim, self.layout
        kind = v.dtype.kind if v.dtype.kind != "u" else "i"
        fill = FILL["b" if kind == "b" else "i" if kind == "i" else "f"]
        if lay == "C":
            x = v.copy()
            return x, x
        if lay == "F":
            x = np.array(v, order="F")
            return x, x
        if lay == "strided":
            base = np.full([2 * d + 1 for d in v.shape], fill, dtype=v.dtype)
            idx = (slice(1, None, 2),) * nd
            base[idx] = v
            return base[idx], base
        if lay == "neg":
            idx = (slice(None, None, -1),) * nd
            base = v[idx].copy()
            return base[idx], base
        if lay == "T":
            if nd == 1:
                base = np.full((len(v), 3), fill, dtype=v.dtype)
                base[:, 1] = v
                return base[:, 1], base
            axes = tuple(range(nd))[::-1]
            base = v.transpose(axes).copy()
            return base.transpose(axes), base
        if lay in ("bcast", "bcast1"):
            # zero stride on axis 0 (bcast) or on the last axis (bcast1); read-only
            ax = 0 if lay == "bcast" or nd == 1 else nd - 1
            part = v[(slice(None),) * ax + (slice(0, 1),)].copy()
            if part.size == 0:  # an empty array: broadcast it as it is
                part = v.copy()
            return np.broadcast_to(part, v.shape), part
        if lay == "ro":
            x = v.copy()
            x.flags.writeable = False
            return x, x
        raise AssertionError(lay)

    def __repr__(self):
        x, _ = self.make()
        vals = np.array2string(x, threshold=12, max_line_width=10**6).replace("\n", "")
        return f"<{self.layout} {x.dtype}{list(x.shape)} {vals}>"


def shapes_for(rng, ranks, dims=(0, 1, 2, 3, 4, 7), mismatch=0.08):
    """Shapes for array operands of the given ranks that broadcast together
    (size-1 axes included), or now and then one that does not."""
    top = max(ranks)
    target = [int(rng.choice(dims)) if rng.random() < 0.85 else int(rng.integers(1, 4))
              for _ in range(top)]
    out = []
    for r in ranks:
        s = target[top - r:] if r else []
        s = [1 if (d and rng.random() < 0.2) else d for d in s]
        out.append(s)
    arrays = [i for i, r in enumerate(ranks) if r]
    if arrays and rng.random() < mismatch:
        i = int(rng.choice(arrays))
        ax = int(rng.integers(0, len(out[i])))
        out[i][ax] += 2
    return [tuple(s) for s in out]


def random_args(rng, params, n, layouts=LAYOUTS, **kw):
    """n argument tuples for params [(kind, rank, flavour)]."""
    for _ in range(n):
        shapes = shapes_for(rng, [p[1] for p in params], **kw)
        args = []
        for (kind, rank, flavour), shape in zip(params, shapes):
            if rank == 0:
                args.append(scalars(rng, kind, 1, flavour)[0])
            else:
                args.append(Arr(values(rng, kind, shape, flavour), str(rng.choice(layouts))))
        yield tuple(args)


# ---- comparison ------------------------------------------------------------------------------

def _ordered(x):
    """float64 bits as integers in the order of the floats (-0.0 == 0.0)."""
    return [i if i >= 0 else I64_MIN - i for i in x.view(np.int64).tolist()]


def value_diff(g, w, mode, atol):
    """None when the arrays g and w (same dtype and shape) agree in `mode`."""
    if w.dtype.kind != "f":
        return None if np.array_equal(g, w) else "values differ"
    g, w = g.ravel(), w.ravel()
    gn, wn = np.isnan(g), np.isnan(w)
    if (gn != wn).any():
        return "NaN positions differ"
    g, w = g[~wn], w[~wn]
    if mode == "exact":
        ok = (g == w) & (np.signbit(g) == np.signbit(w))
    elif mode == "ulp":  # (the sign of a zero result must still agree)
        dist = np.array([abs(a - b) <= 4 for a, b in zip(_ordered(g), _ordered(w))], dtype=bool)
        ok = dist & ~((g == 0) & (w == 0) & (np.signbit(g) != np.signbit(w)))
    else:
        with np.errstate(all="ignore"):
            ok = (g == w) | (np.isfinite(g) & np.isfinite(w)
                             & (np.abs(g - w) <= atol + 1e-12 * np.abs(w)))
    return None if ok.all() else f"values differ ({mode})"


STRICT_EMPTY = False


def result_diff(got, want, mode="exact", atol=0.0):
    if isinstance(want, tuple):
        if type(got) is not tuple or len(got) != len(want):
            return "different structure"
        for k, (g, w) in enumerate(zip(got, want)):
            d = result_diff(g, w, mode, atol)
            if d:
                return f"item {k}: {d}"
        return None
    if isinstance(want, np.ndarray):
        if type(got) is not np.ndarray:
            return f"{type(got).__name__}, expected ndarray"
        if got.dtype != want.dtype:
            return f"dtype {got.dtype}, expected {want.dtype}"
        if got.shape != want.shape:
            return f"shape {got.shape}, expected {want.shape}"
        if got.flags.writeable != want.flags.writeable and (want.size or STRICT_EMPTY):
            return f"writeable={got.flags.writeable}, expected {want.flags.writeable}"
        return value_diff(got, want, mode, atol)
    if isinstance(want, np.generic):
        want = want.item()
    if type(got) is not type(want):
        return f"{type(got).__name__}, expected {type(want).__name__}"
    if isinstance(want, float):
        return value_diff(np.array([got]), np.array([want]), mode, atol)
    return None if got == want else "values differ"


def run(f, args, numpy_side):
    made = [a.make() if isinstance(a, Arr) else (a, None) for a in args]
    vals = [m[0] for m in made]
    roots = [m[1] for m in made if m[1] is not None]
    try:
        if numpy_side:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ("ok", f(*vals)), roots
        return ("ok", f(*vals)), roots
    except Exception as e:  # noqa: BLE001 - every exception is compared
        return ("err", type(e), str(e)), roots


def outcome_diff(got, want, mode, atol):
    if got[0] != want[0]:
        return "one raised, the other did not"
    if got[0] == "err":
        return None if got[1:] == want[1:] else "different exceptions"
    return result_diff(got[1], want[1], mode, atol)


def show(o):
    if o[0] == "err":
        return f"{o[1].__name__}({o[2]!r})"
    return np.array2string(o[1], threshold=12, max_line_width=10**6).replace("\n", "") \
        if isinstance(o[1], np.ndarray) else repr(o[1])[:300]


def check(mod, name, cases, mode="exact", atol=0.0, limit=4):
    """Run mod.k.<name> and mod.py.<name> on every case (argument tuples whose
    Arr items become fresh arrays for each side); outcomes and the argument
    buffers afterwards must agree. `atol` may be a function of the args."""
    kf, pf = getattr(mod.k, name), getattr(mod.py, name)
    bad, n = [], 0
    for args in cases:
        args = args if isinstance(args, tuple) else (args,)
        n += 1
        got, kroots = run(kf, args, False)
        want, proots = run(pf, args, True)
        tol = atol(args) if callable(atol) else atol
        d = outcome_diff(got, want, mode, tol)
        if d is None:
            for kr, pr in zip(kroots, proots):
                d = result_diff(kr, pr, mode, tol)
                if d:
                    d = "argument buffers afterwards: " + d
                    break
        if d:
            bad.append((args, got, want, d, kroots, proots))
    assert n > 0, "no cases"
    assert not bad, f"{len(bad)}/{n} cases differ for {name}:\n" + "\n".join(
        f"  {name}{a!r}\n    {d}\n    kiln  {show(g)}\n    numpy {show(w)}"
        + (f"\n    buffers kiln {[show(('ok', r)) for r in kr]}\n"
           f"            numpy {[show(('ok', r)) for r in pr]}" if "buffers" in d else "")
        for a, g, w, d, kr, pr in bad[:limit])


def scale_atol(args):
    """An absolute tolerance for sums over the arguments: 1e-12 times the
    largest sum of magnitudes any result could add up."""
    total = 1.0
    for a in args:
        x = a.make()[0] if isinstance(a, Arr) else np.array([a])
        x = np.abs(x[np.isfinite(x)].astype(np.float64)) if x.size else np.zeros(1)
        total *= 1.0 + (x.sum() if x.size else 0.0)
    return 1e-12 * total


# ---- the element-wise matrix (generated source) ------------------------------------------------

ANN = {"f": "float64", "i": "int64", "b": "bool_"}
PY = {"f": "float", "i": "int", "b": "bool"}
RANKS = {"22": (2, 2), "21": (2, 1), "12": (1, 2), "2s": (2, 0), "s1": (0, 1), "11": (1, 1),
         "2": (2,), "1": (1,), "32": (3, 2)}

BINOPS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "fdiv": "//", "mod": "%",
          "pow": "**", "and": "&", "or": "|", "xor": "^", "lt": "<", "le": "<=", "gt": ">",
          "ge": ">=", "eq": "==", "ne": "!="}
ARITH_SIGS = ["ff22", "ff21", "ffs1", "ii21", "ii2s", "if12", "if2s", "fi2s", "bi21"]
EW = []  # (function name, parameter kinds, RANKS key or ranks, expression, mode, flavours)


def _add(name, kinds, ranks, expr, mode="exact", flavours=None):
    EW.append((name, kinds, ranks, expr, mode, flavours or {}))


for _op in ["add", "sub", "mul", "div", "fdiv", "mod"]:
    for _sig in ARITH_SIGS:
        _add(f"{_op}_{_sig}", _sig[:2], _sig[2:], f"a {BINOPS[_op]} b")
_add("div_bb22", "bb", "22", "a / b")
for _sig in ["ff22", "ff21", "ff2s", "ffs1", "if21", "fi2s"]:
    _add(f"pow_{_sig}", _sig[:2], _sig[2:], "a ** b", "ulp", {"b": "pow"})
for _sig in ["ii21", "ii2s", "bi21"]:
    _add(f"pow_{_sig}", _sig[:2], _sig[2:], "a ** b", flavours={"a": "base", "b": "exp"})
for _op in ["and", "or", "xor"]:
    for _sig in ["ii21", "ii2s", "bb22", "bb21", "bi12", "bbs1"]:
        _add(f"{_op}_{_sig}", _sig[:2], _sig[2:], f"a {BINOPS[_op]} b")
for _op in ["lt", "le", "gt", "ge", "eq", "ne"]:
    more = ["ff22"] if _op in ("lt", "ne") else []
    for _sig in ["ff21", "ii21", "if21", "if2s", "bb21"] + more:
        _add(f"{_op}_{_sig}", _sig[:2], _sig[2:], f"a {BINOPS[_op]} b")
for _fn, _mode in [("arctan2", "ulp"), ("hypot", "ulp"), ("copysign", "exact")]:
    for _sig in ["ff22", "ff2s", "if21"]:
        _add(f"{_fn}_{_sig}", _sig[:2], _sig[2:], f"np.{_fn}(a, b)", _mode)
for _fn in ["minimum", "maximum", "fmin", "fmax"]:
    for _sig in ["ff22", "ff2s", "ii21", "fi21", "bb21"]:
        _add(f"{_fn}_{_sig}", _sig[:2], _sig[2:], f"np.{_fn}(a, b)")
_add("power_ff21", "ff", "21", "np.power(a, b)", "ulp")
_add("power_ii21", "ii", "21", "np.power(a, b)", flavours={"a": "base", "b": "exp"})
for _fn in ["logical_and", "logical_or", "logical_xor"]:
    for _sig in ["ff21", "bb22", "ib21"]:
        _add(f"{_fn}_{_sig}", _sig[:2], _sig[2:], f"np.{_fn}(a, b)")
UNARY_ULP = ["exp", "log", "log10", "log2", "expm1", "log1p", "sin", "cos", "tan", "arcsin",
             "arccos", "arctan", "sinh", "cosh", "tanh"]
UNARY_EXACT = ["sqrt", "floor", "ceil", "trunc", "fabs", "isnan", "isinf", "isfinite", "abs",
               "absolute", "square", "negative", "sign", "logical_not"]
for _fn in UNARY_ULP + UNARY_EXACT:
    _mode = "ulp" if _fn in UNARY_ULP else "exact"
    _add(f"{_fn}_f2", "f", "2", f"np.{_fn}(a)", _mode)
    if _fn in ("sqrt", "exp", "log", "sin", "arctan", "floor", "fabs", "isnan", "isfinite", "abs",
               "absolute", "square", "negative", "sign", "logical_not"):
        _add(f"{_fn}_i1", "i", "1", f"np.{_fn}(a)", _mode)
for _fn in ["abs", "absolute", "logical_not", "isnan"]:
    _add(f"{_fn}_b1", "b", "1", f"np.{_fn}(a)")
_add("neg_f2", "f", "2", "-a")
_add("neg_i1", "i", "1", "-a")
_add("inv_i2", "i", "2", "~a")
_add("inv_b1", "b", "1", "~a")
_add("where_bff", "bff", (1, 2, 1), "np.where(a, b, c)")
_add("where_fif", "fif", (2, 1, 0), "np.where(a, b, c)")
_add("where_iib", "iib", (1, 0, 2), "np.where(a, b, c)")
_add("add_ff32", "ff", "32", "a + b")
_add("mul_if11", "if", "11", "a * b - (a - 1) / (b + 0.5)")


def _ranks(key):
    return key if isinstance(key, tuple) else RANKS[key]


def ew_source():
    lines = ['"""Generated by test_array_exprs.py: the element-wise matrix."""',
             "import numpy as np", "from kiln.types import bool_, float64, int64", ""]
    for name, kinds, ranks, expr, _, _ in EW:
        ps = []
        for p, kind, r in zip("abc", kinds, _ranks(ranks)):
            ps.append(f"{p}: {ANN[kind]}[{', '.join([':'] * r)}]" if r else f"{p}: {PY[kind]}")
        lines.append(f"\ndef {name}({', '.join(ps)}):\n    return {expr}\n")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def ew(compile_module):
    return compile_module(ew_source(), "array_ew")


@pytest.fixture(scope="module")
def m(compile_module):
    # the default mode: float sums may be reassociated
    return compile_module("array_exprs.py", options=("-O2",))


STRICT_FNS = {"r_sum", "r_prod_mean", "r_1d", "r_3d", "r_fused", "r_fused2", "r_then_expr",
              "mm", "mv", "vm", "vv", "dot_vv", "gram", "mm_expr"}


@pytest.fixture(scope="module")
def ms(compile_module):
    # --strict-fp (the fixture's default): float sums and products in source
    # order; only the functions that have them
    blocks = re.split(r"(?m)^(?=def )", (CASES / "array_exprs.py").read_text(encoding="utf-8"))
    keep = [b for b in blocks[1:] if b[4:b.index("(")] in STRICT_FNS]
    mod = compile_module(blocks[0] + "".join(keep), "array_exprs_strict")
    assert all(hasattr(mod.k, name) for name in STRICT_FNS)
    return mod


def checker(mod):
    """check() for the functions that this build of the module has."""
    return lambda name, *a, **kw: hasattr(mod.k, name) and check(mod, name, *a, **kw)


class ModernCompare:
    """`==`/`!=` as NumPy >= 1.25 has them: NumPy 1.24 answers a comparison of
    arrays that do not broadcast with one bool (and a DeprecationWarning);
    newer NumPy, and Kiln, raise the broadcast ValueError, which any ufunc
    (np.logical_and here) raises with the same message."""

    class _Py:
        def __init__(self, py):
            self._py = py

        def __getattr__(self, name):
            f = getattr(self._py, name)

            def g(a, b):
                np.logical_and(a, b)
                return f(a, b)
            return g

    def __init__(self, mod):
        self.k, self.py = mod.k, self._Py(mod.py)


@pytest.mark.parametrize("spec", EW, ids=[e[0] for e in EW])
def test_elementwise(ew, spec):
    name, kinds, ranks, _, mode, flavours = spec
    rng = np.random.default_rng(sum(map(ord, name)))
    params = [(k, r, flavours.get(p, "wild")) for p, k, r in zip("abc", kinds, _ranks(ranks))]
    mod = ModernCompare(ew) if name.startswith(("eq_", "ne_")) else ew
    check(mod, name, random_args(rng, params, 32), mode)


def test_elementwise_layouts_exhaustive(ew):
    # every pair of layouts, on one size-1-axis broadcast and one plain shape
    rng = np.random.default_rng(7)
    cases = []
    for la, lb in itertools.product(LAYOUTS, LAYOUTS):
        for sa, sb in [((3, 4), (4,)), ((1, 5), (1,)), ((0, 3), (3,))]:
            cases.append((Arr(values(rng, "f", sa), la), Arr(values(rng, "f", sb), lb)))
    check(ew, "sub_ff21", cases)
    check(ew, "lt_ff21", cases)
    check(ew, "fmax_ff22", [(a, Arr(b.v[None], b.layout)) for a, b in cases])


def test_broadcast_error_messages(ew, m):
    cases = [(Arr(np.ones((4, 3))), Arr(np.ones(4))), (Arr(np.ones((2, 3))), Arr(np.ones(0))),
             (Arr(np.ones((0, 3))), Arr(np.ones(2))), (Arr(np.ones((3, 1))), Arr(np.ones(2)))]
    check(ew, "add_ff21", cases)
    check(ew, "add_ff22", [(Arr(np.ones((4, 3))), Arr(np.ones((3, 4)))),
                           (Arr(np.ones((2, 1))), Arr(np.ones((3, 2)))),
                           (Arr(np.ones((0, 1))), Arr(np.ones((2, 5))))])
    check(ew, "where_bff", [(Arr(np.ones(2, bool)), Arr(np.ones((1, 3))), Arr(np.ones(2)))])
    check(ew, "where_fif", [(Arr(np.ones((2, 3))), Arr(np.ones(4, np.int64)), 1.5)])
    check(m, "where3_err", [(Arr(np.ones(2, bool)), Arr(np.ones(3)), Arr(np.ones(2)))])
    # in a statement of several operators
    check(m, "chain", [(Arr(np.ones(3)), Arr(np.ones((2, 4)))),
                       (Arr(np.ones(4)), Arr(np.ones((2, 3))))])


# ---- slices and views ------------------------------------------------------------------------

BOUNDS = [-12, -5, -2, -1, 0, 1, 2, 3, 5, 8, 12, I64_MIN, I64_MAX]
STEPS = [1, 2, 3, -1, -2, -3, 5, -7, 100, -100, 0]


def arrays1(rng, kind, lengths=(0, 1, 2, 3, 5, 8), layouts=LAYOUTS, flavour="wild"):
    return [Arr(values(rng, kind, (n,), flavour), lay) for n in lengths for lay in layouts]


def arrays2(rng, kind, shapes=((0, 3), (3, 0), (1, 1), (1, 4), (3, 1), (3, 4), (5, 2)),
            layouts=LAYOUTS, flavour="wild"):
    return [Arr(values(rng, kind, s, flavour), lay) for s in shapes for lay in layouts]


def test_slices_1d(m):
    rng = np.random.default_rng(11)
    check(m, "s_inner", arrays1(rng, "f"))
    check(m, "s_every2", arrays1(rng, "f"))
    check(m, "s_rev", arrays1(rng, "i"))
    arrs = arrays1(rng, "f", lengths=(0, 1, 4, 7))
    trip = list(itertools.product(BOUNDS, BOUNDS, STEPS))
    picks = rng.choice(len(trip), 700, replace=False)
    check(m, "s_general", [(arrs[k % len(arrs)],) + trip[p] for k, p in enumerate(picks)])
    check(m, "s_from", [(a, lo) for a in arrs for lo in BOUNDS])
    check(m, "s_upto", [(a, hi) for a in arrays1(rng, "b") for hi in BOUNDS[::2]])
    check(m, "s_desc", [(a, lo, hi) for a in arrs[::3] for lo in BOUNDS for hi in BOUNDS[::3]])
    check(m, "s_step_only", [(a, st) for a in arrays1(rng, "i", (0, 1, 6)) for st in STEPS])


def test_slices_2d_3d(m):
    rng = np.random.default_rng(12)
    a2 = arrays2(rng, "f")
    idx = [-4, -1, 0, 1, 2, 4]
    check(m, "s2_row_tail", [(a, i) for a in a2 for i in idx])
    check(m, "s2_col", [(a, j) for a in a2 for j in idx])
    check(m, "s2_block", [(a, lo, hi, st) for a in a2[::2] for lo, hi in [(0, 9), (1, -1), (-2, 2)]
                          for st in [1, 2, -1, -3, 0]])
    check(m, "s2_mixed", arrays2(rng, "i"))
    check(m, "s2_ellipsis", [a for a in a2 if a.v.shape[0] and a.v.shape[1]])
    check(m, "s2_ellipsis", [a for a in a2 if not a.v.size][:4])  # IndexError on an empty axis
    check(m, "s2_newaxis", arrays1(rng, "f"))
    check(m, "s2_newaxis2", a2)
    check(m, "s2_transpose", a2)
    check(m, "s1_transpose", arrays1(rng, "f"))
    check(m, "s_element_via_ellipsis", [a for a in a2 if a.v.shape[0] > 1][:8])
    check(m, "s_len_of_views", a2)
    a3 = [Arr(values(rng, "i", s), lay) for s in [(2, 3, 4), (3, 2, 2), (1, 1, 3), (2, 0, 3)]
          for lay in LAYOUTS]
    check(m, "s3_views", a3)
    check(m, "s3_index_tail", [(Arr(values(rng, "f", (2, 3, 4)), lay), i, j)
                               for lay in LAYOUTS for i in (0, -1, 2) for j in (1, -3, 3)])


def test_writes_through_views(m):
    rng = np.random.default_rng(13)
    w1 = arrays1(rng, "f", (4, 5, 9), WRITABLE)
    check(m, "v_write_element", w1)
    check(m, "v_write_element", arrays1(rng, "f", (1, 2), WRITABLE))  # IndexError part way
    check(m, "v_write_2d", arrays2(rng, "f", ((2, 2), (3, 4), (4, 3), (1, 2)), WRITABLE))
    check(m, "v_inplace_view", arrays1(rng, "f", (0, 1, 6, 7), WRITABLE))
    check(m, "v_view_then_read", w1)
    check(m, "v_return_and_write", arrays1(rng, "i", (0, 1, 5), WRITABLE))


def test_views_share_memory(m):
    a = np.arange(10.0)
    v = m.k.s_inner(a)
    assert type(v) is np.ndarray and np.shares_memory(v, a) and v.flags.writeable
    v[0] = -1.0
    assert a[1] == -1.0
    r = m.k.s_rev(np.arange(6))
    assert r.strides == (-8,) and r.tolist() == [5, 4, 3, 2, 1, 0]
    f = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    for got, want in zip(m.k.s2_transpose(f), m.py.s2_transpose(f)):
        assert got.strides == want.strides and np.shares_memory(got, f)
        assert got.tolist() == want.tolist()
    b = np.broadcast_to(np.arange(4.0), (3, 4))
    for got in m.k.s2_newaxis2(b):
        assert not got.flags.writeable, "a view of a read-only argument stays read-only"
    x = m.k.v_return_and_write(a.astype(np.int64))
    assert x[0] == 42
    del a
    assert v.tolist()[:2] == [-1.0, 2.0]  # the view keeps its memory alive


def test_read_only_arguments_refused_by_writers(m):
    # Documented deviation: Kiln checks writability when the call starts and
    # names the parameter; NumPy says "assignment destination is read-only".
    ro = np.zeros(5)
    ro.flags.writeable = False
    for name, args in [("sa_inner", (ro, np.zeros(3))), ("v_inplace_view", (ro,)),
                       ("sa_aug_rev", (ro,)), ("v_write_element", (ro,))]:
        with pytest.raises(ValueError) as e:
            getattr(m.k, name)(*args)
        assert str(e.value) == f"{name}() argument 'a': assignment destination is read-only"
        # NumPy: "assignment destination is read-only", or "output array is
        # read-only" for in-place operators
        with pytest.raises(ValueError, match="read-only"):
            getattr(m.py, name)(*args)


# ---- slice assignment and in-place operators ------------------------------------------------

def fits(target, value):
    """True when `target op= value` keeps target's shape (the value broadcasts
    into it); NumPy's messages for the other case are checked on their own."""
    t, v = [x if isinstance(x, tuple) else x.v.shape for x in (target, value)]
    try:
        return np.broadcast_shapes(t, v) == t
    except ValueError:
        return False


def test_slice_assignment(m):
    rng = np.random.default_rng(14)
    w1 = arrays1(rng, "f", (0, 1, 2, 3, 6), WRITABLE)
    check(m, "sa_inner", [(a, b) for a in w1
                          for b in arrays1(rng, "f", (0, 1, 2, 4), ["C", "neg", "bcast"])[::2]])
    w2 = arrays2(rng, "f", ((0, 3), (3, 0), (1, 1), (3, 4), (4, 3)), WRITABLE)
    check(m, "sa_col_scalar", [(a, v) for a in w2 for v in (2.5, NAN, -0.0)])
    rows = arrays1(rng, "f", (0, 1, 3, 4), ["C", "strided", "bcast"])
    check(m, "sa_row", [(a, i, r) for a in w2 for i in (0, -1, 3, -5) for r in rows[::2]])
    check(m, "sa_row_slice", [(a, i, r) for a in w2[::2] for i in (1, -2) for r in rows])
    check(m, "sa_shift", [(a, b) for a in w1 for b in arrays1(rng, "f", (1, 5), ["C", "T"])])
    check(m, "sa_aug_shift", w1)
    check(m, "sa_aug_shift_i", arrays1(rng, "i", (0, 1, 5, 8), WRITABLE))
    check(m, "sa_aug_rev", w1)
    sq = arrays2(rng, "f", ((1, 1), (3, 3), (4, 4)), WRITABLE)
    check(m, "sa_aug_transpose", sq)
    check(m, "sa_step", [(a, st, 9.0) for a in w1 for st in (1, 2, -1, -3, 0, 50)])
    check(m, "sa_block", [(a, b) for a in w2 for b in arrays1(rng, "f", (1, 2, 3), ["C", "neg"])])
    check(m, "sa_ellipsis", [(a, b) for a in w2 for b in arrays1(rng, "f", (1, 3, 4), ["C"])])
    check(m, "sa_none", [(a, b) for a in w1 for b in arrays1(rng, "f", (1, 3), ["C"])])
    check(m, "sa_expr2", [(a, b, c) for a in w2 for b in arrays1(rng, "f", (1, 3, 4), ["C"])
                          for c in arrays1(rng, "f", (1, 3, 4), ["neg"])])
    check(m, "sa_aug_scalar", [(a, k) for a in w1 for k in (2.0, 0.0, -0.5, INF)])
    check(m, "sa_aug_int", [(a, b) for a in arrays1(rng, "i", (1, 2, 6), WRITABLE)
                            for b in arrays1(rng, "i", (1, 5), ["C", "bcast"])
                            if fits((len(a.v) - 1,), b)])
    check(m, "sa_aug_var", [(a, b) for a in w2 for b in arrays1(rng, "f", (1, 3, 4), ["C", "T"])
                            if fits(a, b)])
    check(m, "sa_aug_var_i", [(a, b) for a in arrays2(rng, "i", ((2, 3), (1, 3)), WRITABLE)
                              for b in arrays2(rng, "i", ((2, 3), (1, 3), (2, 1), (1, 1)),
                                               ["C", "bcast"]) if fits(a, b)])
    check(m, "sa_aug_var_b", [(a, b) for a in arrays1(rng, "b", (0, 1, 5), WRITABLE)
                              for b in arrays1(rng, "b", (1, 5), ["C", "neg"]) if fits(a, b)])
    # in-range values (out-of-range ones: test_slice_assignment_float_to_int_out_of_range)
    check(m, "sa_int_from_float", [(a, b) for a in arrays1(rng, "i", (1, 5), WRITABLE)
                                   for b in arrays1(rng, "f", (1, 5), ["C", "neg"], "tame")
                                   if np.isfinite(b.v).all()])
    check(m, "sa_bool_from_float", [(a, b) for a in arrays1(rng, "b", (1, 6), WRITABLE)
                                    for b in arrays1(rng, "f", (1, 6), ["C"])])
    check(m, "sa_float_from_int", [(a, b) for a in w1 for b in arrays1(rng, "i", (1, 6), ["C"])])
    check(m, "sa_then_return", w1)
    check(m, "sa_self_alias", arrays2(rng, "f", ((0, 2), (1, 3), (4, 2)), WRITABLE))
    check(m, "sa_3d", [(Arr(values(rng, "f", s), lay), b)
                       for s in [(2, 3, 4), (1, 1, 1), (2, 0, 3)]
                       for lay in WRITABLE for b in arrays1(rng, "f", (1, 2), ["C"])])


def map_views(root, *views):
    """The same views (offsets and strides) over another root buffer."""
    base = views[0].base
    return [np.lib.stride_tricks.as_strided(
        root[(v.__array_interface__["data"][0] - base.__array_interface__["data"][0])
             // base.itemsize:], v.shape, v.strides) for v in views]


def overlapping_views(base, shorter):
    """Pairs of 1-D views of one buffer (the second `shorter` elements shorter)
    that overlap in memory: shifted, interleaved, reversed."""
    d = shorter
    return [(base[1:7], base[:6 - d]), (base[::2], base[1::2][d:]), (base[5:], base[:7 - d]),
            (base[:7], base[::-1][:7 - d]), (base[::-2], base[1:7 - d])]


def test_aliasing_arguments(m):
    # the same buffer passed twice, or overlapping views of one buffer
    # (a bare array value, `a[1:-1] = b`: test_slice_assignment_of_overlapping_bare_array)
    for a, b in overlapping_views(np.arange(12.0), 1):
        m.py.sa_shift(a.copy(), b.copy())  # raises where the shapes do not fit
        got = a.base.copy()
        m.k.sa_shift(*map_views(got, a, b))
        want = a.base.copy()
        m.py.sa_shift(*map_views(want, a, b))
        assert got.tolist() == want.tolist()
    for a2 in [np.arange(16.0).reshape(4, 4), np.asfortranarray(np.arange(16.0).reshape(4, 4))]:
        got, want = a2.copy(order="A"), a2.copy(order="A")
        m.k.sa_aug_var(got, got[1])
        m.py.sa_aug_var(want, want[1])
        assert got.tolist() == want.tolist()


def test_expressions_and_statements(m):
    rng = np.random.default_rng(15)
    check(m, "expr_then_write", arrays1(rng, "f", (1, 4), WRITABLE))
    check(m, "chain", [(a, b) for a in arrays1(rng, "f", (1, 3, 4), LAYOUTS[::2])
                       for b in arrays2(rng, "f", ((2, 3), (1, 4), (0, 1)), LAYOUTS[1::2])])
    check(m, "outer", [(a, b) for a in arrays1(rng, "f", (0, 1, 3)) for b in
                       arrays1(rng, "f", (2, 3), ["C", "bcast"])])
    check(m, "broadcast3", [(Arr(values(rng, "f", sa), la), Arr(values(rng, "f", sb), lb))
                            for sa, sb in [((2, 3, 4), (3, 4)), ((2, 1, 4), (3, 1)),
                                           ((1, 3, 1), (2, 5)), ((2, 3, 4), (4, 3)),
                                           ((0, 2, 2), (1, 2))]
                            for la in ["C", "T", "bcast"] for lb in ["C", "neg"]])
    check(m, "int_mix", [(a, b) for a in arrays1(rng, "i", (1, 5), LAYOUTS[:4])
                         for b in arrays1(rng, "i", (1, 5), ["C"])])
    check(m, "scalar_rules", [(a, b, c) for a in arrays1(rng, "i", (1, 4))
                              for b in arrays1(rng, "b", (4,), ["C"])
                              for c in arrays1(rng, "f", (1, 4), ["C"])])
    fsp = np.array(FLOAT_SPECIALS)
    check(m, "float_specials", [(Arr(np.repeat(fsp, len(fsp))), Arr(np.tile(fsp, len(fsp))))],
          "ulp")
    check(m, "unary_chain", arrays2(rng, "f"))
    check(m, "rebind_in_loop", [(a, n) for a in arrays1(rng, "f", (0, 3), ["C", "neg"])
                                for n in (0, 1, 3)])
    check(m, "local_array_aug", [0, 1, 5])
    check(m, "view_of_local", [0, 1, 4])
    check(m, "where_mixed", [(c, a, b) for c in arrays1(rng, "b", (1, 3), ["C"])
                             for a in arrays1(rng, "i", (1, 3), ["C", "neg"])
                             for b in arrays2(rng, "f", ((2, 3), (1, 1), (2, 1)), ["C"])])


# ---- reductions -------------------------------------------------------------------------------

def _red_cases(rng, kind, flavour="tame"):
    return arrays2(rng, kind, ((0, 3), (3, 0), (0, 0), (1, 1), (1, 5), (4, 1), (3, 4), (9, 17)),
                   flavour=flavour)


@pytest.mark.parametrize("build", ["m", "ms"])
def test_reductions(request, build):
    chk = checker(request.getfixturevalue(build))
    rng = np.random.default_rng(16)
    f2 = _red_cases(rng, "f")
    chk("r_sum", f2, "close", scale_atol)
    chk("r_prod_mean", f2, "close", scale_atol)
    chk("r_minmax", f2)
    chk("r_arg", f2)
    chk("r_any_all", f2)
    chk("r_min_axis0", f2)
    chk("r_min_axis1", f2)
    chk("r_argmax_axis1", f2)
    i2 = _red_cases(rng, "i", "wild")  # int64 sums and products wrap, as NumPy's
    chk("r_sum_i", i2, "close", scale_atol)
    chk("r_minmax_i", i2)
    chk("r_arg_i", i2)
    chk("r_sum_b", _red_cases(rng, "b"), "close", 1e-12)
    chk("r_minmax_b", arrays1(rng, "b", (0, 1, 2, 7)))
    chk("r_any_all_i", arrays1(rng, "i", (0, 1, 3, 9)))
    f1 = arrays1(rng, "f", (0, 1, 2, 7, 8, 33, 100), flavour="tame")
    chk("r_1d", f1, "close", scale_atol)
    chk("r_1d_minmax", f1)
    f3 = [Arr(values(rng, "f", s, "tame"), lay)
          for s in [(2, 3, 4), (1, 4, 1), (3, 0, 2), (0, 2, 3)] for lay in LAYOUTS]
    chk("r_3d", f3, "close", scale_atol)
    chk("r_3d_minmax", f3)
    pairs = [(a, b) for a in arrays1(rng, "f", (0, 1, 4, 9), LAYOUTS[::2], "tame")
             for b in arrays1(rng, "f", (1, 4, 9), ["C", "neg", "bcast"], "tame")]
    chk("r_fused", pairs, "close", scale_atol)
    chk("r_fused2", [(a, b) for a in f2[::3] for b in arrays1(rng, "f", (1, 4, 5), ["C"],
                                                                    "tame")],
          "close", scale_atol)
    chk("r_then_expr", f2, "close", scale_atol)


def test_reductions_nan_and_exact_ints(m):
    # NaN wins in min/max/argmin/argmax wherever it is; the first of equal
    # extremes is argmin/argmax's answer; int64 sums wrap exactly
    rows = [[1.0, NAN, 0.0], [NAN, NAN, 1.0], [INF, 2.0, INF], [-INF, -INF, NAN],
            [2.0, 1.0, 1.0], [0.0, 3.0, 3.0]]
    a = Arr(np.array(rows))
    for name in ["r_minmax", "r_arg", "r_min_axis0", "r_min_axis1", "r_argmax_axis1"]:
        check(m, name, [a, Arr(np.array(rows).T.copy(), "F")])
    big = Arr(np.array([[I64_MAX, 1, I64_MIN], [I64_MIN, -1, I64_MAX]]))
    check(m, "r_sum_i", [big], "close", 0.0)
    check(m, "r_minmax_i", [big])


@pytest.mark.parametrize("build", ["m", "ms"])
def test_reductions_long(request, build):
    # long enough for vectorised loops and their remainders; NaN and infinities
    # at the start, the middle, the end, and in vector-remainder positions
    chk = checker(request.getfixturevalue(build))
    rng = np.random.default_rng(19)
    cases = []
    for n in (255, 256, 257, 1031):
        for where in (0, 1, n // 2, n - 2, n - 1):
            for special in (NAN, INF, -INF):
                v = rng.uniform(-4.0, 4.0, n)
                v[where] = special
                cases.append(Arr(v, str(rng.choice(LAYOUTS))))
        cases.append(Arr(rng.uniform(-4.0, 4.0, n), str(rng.choice(LAYOUTS))))
    chk("r_1d_minmax", cases)
    chk("r_1d", cases, "close", scale_atol)
    ints = [Arr(values(rng, "i", (n,)), lay) for n in (255, 1031) for lay in LAYOUTS]
    chk("r_any_all_i", ints)
    chk("r_arg_i", [Arr(values(rng, "i", (3, n)), lay) for n in (255, 257)
                           for lay in LAYOUTS])
    chk("r_sum_i", [Arr(values(rng, "i", (2, n)), lay) for n in (255, 257)
                           for lay in LAYOUTS], "close", scale_atol)


def test_empty_reduction_errors(m):
    # min/max/argmin/argmax over a zero-length axis raise NumPy's ValueErrors;
    # other axes of an empty array are fine
    cases = [Arr(np.zeros(s)) for s in [(0, 3), (3, 0), (0, 0)]]
    for name in ["r_min_axis0", "r_min_axis1", "r_argmax_axis1", "r_minmax", "r_arg"]:
        check(m, name, cases)
    check(m, "r_1d_minmax", [Arr(np.zeros(0))])
    check(m, "r_minmax_b", [Arr(np.zeros(0, bool))])


# ---- matrix products --------------------------------------------------------------------------

MM_SHAPES = [(0, 3, 2), (2, 0, 3), (3, 2, 0), (1, 1, 1), (2, 3, 4), (5, 1, 3), (7, 6, 5),
             (1, 9, 1)]


def _mm_pairs(rng, kind_a="f", kind_b="f", flavour="finite"):
    ta, tb = DT[kind_a], DT[kind_b]
    out = []
    for n, k, p in MM_SHAPES:
        for la, lb in [("C", "C"), ("F", "neg"), ("strided", "T"), ("bcast", "ro"),
                       ("T", "bcast1")]:
            out.append((Arr(values(rng, kind_a, (n, k), flavour), la),
                        Arr(values(rng, kind_b, (k, p), flavour), lb)))
    # inner dimensions that do not match: NumPy's messages
    out += [(Arr(np.ones((2, 3), ta)), Arr(np.ones((4, 2), tb))),
            (Arr(np.ones((0, 1), ta)), Arr(np.ones((0, 1), tb)))]
    return out


@pytest.mark.parametrize("build", ["m", "ms"])
def test_matmul_float(request, build):
    chk = checker(request.getfixturevalue(build))
    rng = np.random.default_rng(17)
    pairs = _mm_pairs(rng)
    for name in ["mm", "dot_ff", "matmul_fn"]:
        chk(name, pairs, "close", scale_atol)
    mats = [p[0] for p in pairs]
    vecs = [Arr(values(rng, "f", (k,), "finite"), lay) for _, k, _ in MM_SHAPES
            for lay in ["C", "neg", "bcast"]] + [Arr(np.ones(4))]
    mv = [(a, v) for a in mats for v in vecs
          if rng.random() < 0.25 or v.v.shape[0] == a.v.shape[1]]
    for name in ["mv", "dot_mv", "mm_expr"]:
        chk(name, mv, "close", scale_atol)
    vm = [(v, b) for _, b in pairs for v in vecs
          if rng.random() < 0.2 or v.v.shape[0] == b.v.shape[0]]
    for name in ["vm", "dot_vm"]:
        chk(name, vm, "close", scale_atol)
    vv = [(u, v) for u in vecs for v in vecs if rng.random() < 0.1 or u.v.shape == v.v.shape]
    for name in ["vv", "dot_vv"]:
        chk(name, vv, "close", scale_atol)
    chk("gram", mats, "close", scale_atol)


def test_matmul_int_and_mixed(m):
    rng = np.random.default_rng(18)
    ipairs = _mm_pairs(rng, "i", "i", "wild")  # int64 products wrap, exactly as NumPy's
    check(m, "mm_i", ipairs)
    check(m, "mm_i", [(Arr(np.ones((2, 3), np.int64)), Arr(np.ones((2, 3), np.int64)))])
    check(m, "mv_i", [(a, Arr(values(rng, "i", (a.v.shape[1],), "wild"), lay))
                      for a, _ in ipairs[:-2] for lay in ["C", "bcast"]]
          + [(Arr(np.ones((2, 3), np.int64)), Arr(np.ones(2, np.int64)))])
    check(m, "mm_mixed", _mm_pairs(rng, "i", "f", "tame"), "close", scale_atol)


def test_matmul_special_values(m):
    # NaN and infinities propagate (inf * 0 is NaN)
    a = np.array([[NAN, 1.0], [INF, 0.0], [1.0, 2.0]])
    b = np.array([[0.0, 1.0, -INF], [1.0, 0.0, 2.0]])
    check(m, "mm", [(Arr(a), Arr(b))], "close", 1e-12)
    check(m, "mv", [(Arr(a), Arr(np.array([0.0, 1.0])))], "close", 1e-12)


# ---- regressions: mismatches this file found, fixed since -------------------------------------

def test_slice_assignment_of_overlapping_bare_array(m):
    # `a[:] = a[::-1]`: a bare array value that overlaps the target is read
    # through a copy too (it used to be copied in place, element by element)
    rng = np.random.default_rng(20)
    check(m, "sa_reverse", arrays1(rng, "i", (0, 1, 2, 4, 7), WRITABLE))
    check(m, "sa_copy_shift", arrays1(rng, "f", (0, 1, 2, 5), WRITABLE))
    check(m, "sa_copy_to_reversed", arrays1(rng, "i", (1, 2, 5), WRITABLE))
    for a, b in overlapping_views(np.arange(12.0), 2):  # arguments that share memory
        got, want = a.base.copy(), a.base.copy()
        m.k.sa_inner(*map_views(got, a, b))
        m.py.sa_inner(*map_views(want, a, b))
        assert got.tolist() == want.tolist()


def test_fused_expression_reads_before_call(m):
    # NumPy computes a * 2.0 before the call that writes a (fusion used to
    # read a after it)
    check(m, "fused_call_side_effect", [Arr(np.array([1.0, 2.0]))])
    check(m, "fused_call_side_effect_assign", [(Arr(np.array([1.0, 2.0])), Arr(np.zeros(2)))])
    check(m, "fused_reduction_side_effect", [Arr(np.array([1.0, 2.0]))])


def test_unary_plus_copies(m):
    # +a is a new array (it used to be a itself)
    a = np.arange(3.0)
    assert not np.shares_memory(m.k.unary_plus(a), a)
    rng = np.random.default_rng(21)
    check(m, "unary_plus", arrays1(rng, "f", (0, 3), LAYOUTS))
    check(m, "unary_plus_is_a_copy", arrays1(rng, "f", (3,), WRITABLE))


def test_huge_slice_steps(m):
    # steps near +-2**63 (used to raise SystemError: the stride overflowed)
    a = Arr(np.arange(5.0))
    steps = [2**62, -(2**62), I64_MAX, I64_MIN, I64_MAX - 1, I64_MIN + 1]
    check(m, "s_general", [(a, lo, hi, st) for lo, hi in [(0, 5), (4, -6), (0, 2), (-1, 0)]
                           for st in steps])
    check(m, "s_step_only", [(Arr(np.arange(n)), st) for n in (0, 1, 3)
                             for st in [I64_MAX, I64_MIN, 2**62 + 1]])


def test_signed_zero_ties(ew, m):
    # NumPy 1.24's minimum/maximum/fmin/fmax return the second operand when
    # the operands compare equal, and min/max reductions keep the later of
    # equal elements: np.minimum(0.0, -0.0) is -0.0, np.min([0.0, -0.0]) is -0.0
    z, nz = np.zeros((1, 3)), -np.zeros((1, 3))
    for fn in ["minimum", "maximum", "fmin", "fmax"]:
        check(ew, f"{fn}_ff22", [(Arr(z), Arr(nz)), (Arr(nz), Arr(z))])
    check(m, "r_1d_minmax", [Arr(np.array([0.0, -0.0])), Arr(np.array([-0.0, 0.0])),
                             Arr(np.array([-0.0, 0.0, -0.0, 0.0] * 100))])
    check(m, "r_minmax", [Arr(np.array([[0.0, -0.0], [-0.0, 0.0]]), lay) for lay in LAYOUTS])


def test_fast_scalar_powers(m):
    # `a ** 0.5` with a literal exponent is np.sqrt, as NumPy makes it:
    # (-inf) ** 0.5 is nan and (-0.0) ** 0.5 is -0.0
    fsp = np.array(FLOAT_SPECIALS)
    check(m, "pow_literals", [Arr(fsp), Arr(fsp[::-1], "strided")], "ulp")


def test_axis_reductions_of_1d_arrays(m):
    # an int axis of a 1-D operand gives a scalar (this used to crash the compiler)
    rng = np.random.default_rng(23)
    check(m, "r_1d_axis", arrays1(rng, "f", (0, 1, 5, 40), flavour="tame"), "close", scale_atol)
    check(m, "r_1d_axis_minmax", arrays1(rng, "f", (0, 1, 5, 40), flavour="tame"))


def test_stores_with_axis_reductions(m):
    # (this used to crash the compiler: invalid IR after lowering)
    rng = np.random.default_rng(24)
    check(m, "r_store", [(a, b) for a in arrays2(rng, "f", ((2, 3), (1, 4), (0, 2), (5, 1)),
                                                   WRITABLE, "tame")
                         for b in arrays2(rng, "f", ((2, 3), (3, 4), (1, 2), (2, 1)),
                                          ["C", "F"], "tame") if fits(b, a.v.shape[1:])],
          "close", scale_atol)


# ---- mismatches found: kept as strict xfails, each naming the bug ------------------------------

# Was a strict xfail: in-place operators now name the output operand, as NumPy.
def test_inplace_broadcast_error_messages(m):
    check(m, "sa_aug_var", [(Arr(np.zeros((3, 4))), Arr(np.zeros(5))),
                            (Arr(np.zeros((3, 1))), Arr(np.zeros(4)))])
    check(m, "sa_aug_int", [(Arr(np.zeros(1, np.int64)), Arr(np.ones(5, np.int64)))])
    check(m, "sa_aug_transpose", [Arr(np.zeros((2, 3)))])


@pytest.mark.xfail(strict=True, reason=(
    "BUG: `a[:] = b` from a float64 array into an int64 one raises on values outside "
    "int64 (OverflowError 'integer overflow: the result does not fit in int64' for "
    "1e308 or 2.0**63, ValueError 'cannot convert float NaN to integer' for NaN); NumPy "
    "casts array-to-array assignments without raising (INT64_MIN on x86)"))
def test_slice_assignment_float_to_int_out_of_range(m):
    check(m, "sa_int_from_float", [(Arr(np.zeros(2, np.int64)), Arr(np.array([1e308, 2.5]))),
                                   (Arr(np.zeros(2, np.int64)), Arr(np.array([2.0**63, 1.0]))),
                                   (Arr(np.zeros(2, np.int64)), Arr(np.array([NAN, 1.0])))])


# Was a strict xfail: int64 ** now wraps as NumPy's, with NumPy's message for a
# negative exponent.
def test_int_power_wraps_like_numpy(ew):
    check(ew, "pow_ii21", [(Arr(np.array([[3, 2, 2, 0, -1, 7]])),
                            Arr(np.array([40, 63, 64, 0, 3, 99])))])
    check(ew, "power_ii21", [(Arr(np.array([[3, 2]])), Arr(np.array([-1, 2])))])


# Was a strict xfail: an empty view of a read-only argument is read-only too.
def test_empty_view_of_read_only_argument_is_read_only(m, monkeypatch):
    monkeypatch.setitem(globals(), "STRICT_EMPTY", True)
    rng = np.random.default_rng(22)
    check(m, "s_inner", arrays1(rng, "f", (0, 1), ["bcast", "ro"]))


# Was a strict xfail: a runtime scalar exponent of 0.5, 2 or -1 is now NumPy's
# sqrt, square or reciprocal.
def test_float_pow_runtime_half_is_sqrt(ew):
    check(ew, "pow_ff2s", [(Arr(np.array([[-INF, -0.0, 4.0]])), 0.5)])
