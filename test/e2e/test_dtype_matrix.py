"""Every element type against every NumPy function and operator Kiln knows:
for each of the 13 element types, one module holds a function per unary
function, binary function, operator (array-array, array-scalar,
scalar-scalar, with Python numbers) and reduction. Each function either
compiles and gives NumPy's result (dtype and values, under NumPy 2's
promotion rules) or is refused with a diagnostic: never an internal error,
never a different answer."""
import re
import warnings

import numpy as np
import pytest

DTYPES = ["bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float32", "float64", "complex64", "complex128"]
UNARY = ["sqrt", "exp", "log", "log10", "log2", "log1p", "expm1", "sin", "cos", "tan", "arcsin",
         "arccos", "arctan", "sinh", "cosh", "tanh", "abs", "absolute", "fabs", "sign", "floor",
         "ceil", "trunc", "rint", "round", "square", "negative", "reciprocal", "conj", "real",
         "imag", "isnan", "isinf", "isfinite", "logical_not", "bitwise_not"]
BINARY = ["arctan2", "hypot", "minimum", "maximum", "fmin", "fmax", "power", "mod", "remainder",
          "floor_divide", "true_divide", "logical_and", "logical_xor", "bitwise_and",
          "bitwise_or", "add", "subtract", "multiply", "less", "equal", "copysign"]
OPS = ["+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>", "<", "==", "!="]
REDUCTIONS = ["sum", "prod", "mean", "max", "min", "argmax", "any", "all", "std", "cumsum"]


def functions(dt):
    """(name, kind, source) of every function for element type dt."""
    out = []
    for fn in UNARY:
        out.append(("u_" + fn, "u", f"def u_{fn}(a: {dt}[:]):\n    return np.{fn}(a)\n"))
    for fn in BINARY:
        out.append(("b_" + fn, "b", f"def b_{fn}(a: {dt}[:], b: {dt}[:]):\n    return np.{fn}(a, b)\n"))
    # Two bool scalars are Python bools in Kiln (`True + True` is 2, where
    # NumPy's np.bool_ gives True: documented deviation 7), so bool skips
    # the scalar-scalar case.
    ss = "" if dt == "bool_" else "s {op} s, "
    for k, op in enumerate(OPS):
        out.append((f"o_{k}", "o", f"def o_{k}(a: {dt}[:], b: {dt}[:], s: {dt}):\n"
                                   f"    return a {op} b, a {op} s, {ss.format(op=op)}a {op} 2, "
                                   f"1.5 {op} a\n"))
    for r in REDUCTIONS:
        out.append(("r_" + r, "r", f"def r_{r}(a: {dt}[:, :]):\n"
                                   f"    return np.{r}(a), np.{r}(a, axis=0)\n"))
    return out


def build(compile_module, kiln, tmp_path, dt):
    """The module of dt's functions, less those Kiln refuses (each refusal
    must be a diagnostic of exit status 1)."""
    from conftest import run_kiln
    fns = functions(dt)
    head = "import numpy as np\nfrom kiln.types import " + ", ".join(DTYPES) + "\n\n\n"
    src = tmp_path / f"matrix_{dt}.py"
    refused = set()
    for _ in range(12):  # the compiler reports a limited number of errors at a time
        kept = [f for f in fns if f[0] not in refused]
        src.write_text(head + "\n\n".join(f[2] for f in kept))
        r = run_kiln(kiln, "compile", src, "-o", tmp_path / f"matrix_{dt}.abi3.so")
        assert r.returncode in (0, 1) and "internal" not in r.stderr, r.stderr[-2000:]
        if r.returncode == 0:
            break
        # Map each diagnostic's line to the function it is in.
        starts = {}
        line = head.count("\n") + 1
        for f in kept:
            starts[line] = f[0]
            line += f[2].count("\n") + 2
        for m in re.finditer(r"matrix_\w+\.py:(\d+):\d+: error", r.stderr):
            at = int(m.group(1))
            refused.add(starts[max(s for s in starts if s <= at)])
    else:
        pytest.fail("refusals did not converge: " + r.stderr[-2000:])
    return compile_module(src.read_text(), f"matrix_{dt}", options=("-O2",)), kept


def values(dt, shape, rng):
    t = np.dtype("bool" if dt == "bool_" else dt)
    if t.kind == "b":
        return rng.random(shape) > 0.5
    if t.kind in "iu":
        info = np.iinfo(t)
        return rng.integers(max(info.min, -50), min(info.max, 50), size=shape,
                            endpoint=True).astype(t)
    if t.kind == "f":
        return (rng.standard_normal(shape) * 3).astype(t)
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(t)


def same(g, w):
    if isinstance(w, tuple):
        assert isinstance(g, tuple) and len(g) == len(w)
        for x, y in zip(g, w):
            same(x, y)
        return
    if isinstance(w, np.generic) and w.dtype in (np.int64, np.float64, np.bool_, np.complex128):
        w = w.item()  # documented: Python scalars for these
    gw, ww = np.asarray(g), np.asarray(w)
    assert gw.dtype == ww.dtype and gw.shape == ww.shape, (gw.dtype, ww.dtype, gw.shape, ww.shape)
    if ww.dtype.kind in "fc":
        tol = 2e-6 if ww.dtype in (np.float32, np.complex64) else 1e-12
        np.testing.assert_allclose(gw, ww, rtol=tol, atol=tol, equal_nan=True)
    else:
        np.testing.assert_array_equal(gw, ww)


@pytest.mark.parametrize("dt", DTYPES)
def test_every_function_of_every_type(compile_module, kiln, tmp_path, dt):
    mod, kept = build(compile_module, kiln, tmp_path, dt)
    rng = np.random.default_rng(DTYPES.index(dt))
    old = np._get_promotion_state() if hasattr(np, "_get_promotion_state") else None
    if old is not None:
        np._set_promotion_state("weak")
    try:
        for name, kind, _ in kept:
            if kind == "r":
                args = [values(dt, (3, 4), rng)]
            else:
                args = [values(dt, 6, rng), values(dt, 6, rng)]
                if kind == "u":
                    args = args[:1]
                if kind == "o":
                    args.append(values(dt, 1, rng)[0])
            outs = []
            for f in (getattr(mod.py, name), getattr(mod.k, name)):
                try:
                    with warnings.catch_warnings(), np.errstate(all="ignore"):
                        warnings.simplefilter("ignore")
                        outs.append(("ok", f(*[a.copy() if isinstance(a, np.ndarray) else a
                                                 for a in args])))
                except Exception as e:  # noqa: BLE001 - compared below
                    outs.append(("err", type(e).__name__))
            want, got = outs
            assert got[0] == want[0], (name, want, got)
            if want[0] == "ok":
                try:
                    same(got[1], want[1])
                except AssertionError as e:
                    raise AssertionError(f"{dt} {name}: {e}") from None
    finally:
        if old is not None:
            np._set_promotion_state(old)
