"""Differential fuzzing of NumPy-style *array* programs.

A seeded generator writes small Kiln modules of array code -- float64 and
int64 arrays, 1-D and 2-D, parameters and fresh ones (np.zeros / np.ones /
np.full / np.empty filled completely / np.zeros_like / .copy() / astype /
arithmetic results / axis reductions) that are

- rebound inside `for` loops (nested too) and read after rebinding, the
  family of the double-free miscompile of test_array_lifetimes.py
  (`pn = p.copy()` in a loop, then in-place slice writes to `p` reading
  `pn`), swapped (`a, b = b, a`), kept in a second name (`first = y`),
- viewed (`v = a[1:]`, `a[::2]`, `a[::-1]`, `a[1:-1, :]`, rows `a[i]`,
  columns `a[:, j]`, `a.T`, `a[:, None]`) before and after rebinding,
- written in place through slices (`p[1:-1] = ...`, `p[:, 0] = p[:, 1]`,
  `a[1:] += a[:-1]`, overlapping), whole-array augmented assignment,
  element writes, rows of `for r in m:` loops, hand-written element loops
  (the loops Kiln runs on several threads),
- combined element-wise with broadcasting of scalars, of rows and of
  columns, `np.sqrt(np.abs(.))`, `np.exp(-np.abs(.))`, `np.abs`,
  `np.minimum`/`np.maximum`, `np.where`, `** 2`, and reduced (`np.sum`,
  `np.max`, `np.min`, `np.mean`, `.sum(axis=0)`, `np.max(m, axis=1)`),
- passed to helper functions that write into them and return them, views
  of them or new arrays.

Every exported function runs under Kiln and under CPython (the very same
source text, NumPy 1.x or 2.x) on copies of the same inputs: several sizes
(0, 1, small, and big ones of 5,000 to 42,000 elements so that Kiln's
parallel loops run), layouts (C order, Fortran order, transposed, reversed,
strided views into a bigger buffer, and data one byte past an aligned
address, which Kiln runs on an aligned copy) and aliasing (the same array passed
for two parameters, or two overlapping views of one buffer).  Compared:

- the outcome: the results (types, dtypes, shapes, values), or the
  exception's *type* (messages may be worded differently; an IndexError's
  message too, since Kiln words it as NumPy does and it names the index);
- every argument's whole buffer after the call (so writes outside a view,
  and writes into an aliased argument, are seen), also after an exception;
- which returned arrays share memory (np.shares_memory: an element in
  common) with which arguments and with each other (a result that must be a
  view of an argument or of another result, or must not be).

Floating-point comparison: modules are compiled at Kiln's default
optimisation level *without* `--strict-fp`, so Kiln may reassociate float
sums (documented).  The generator marks a program *inexact* when it
contains a float sum or mean (`np.sum`, `.sum(axis=..)`, `np.mean`), a
float scalar accumulated in a loop, or `np.exp` (Kiln may call libmvec,
documented to differ in the last bit).  Float results of inexact programs
compare with a relative tolerance of 1e-9 (scaled by the largest magnitude
in the array); everything else -- ints, shapes, dtypes, NaN and infinity
positions, and all floats of the other programs -- compares exactly (0.0
equals -0.0: Kiln's float min/max may pick the other zero, documented).

Programs stay inside the documented subset and away from the documented
deviations: a variable keeps one dtype and rank; shapes are tracked
symbolically (N, M, N-2, ceil(N/2), ...) so that operands always broadcast;
int arrays receive int values only (no float-to-int stores, no `+=` of
floats); divisions are by `np.abs(x) + 1.0`; `**` is applied to arrays
only; float scalars read from arrays are never divided or raised to a power
in Python scalar code; int scalars read from arrays are wrapped in `int()`
(Kiln gives a Python int, NumPy an np.int64, which differ in `x % 0` and on
overflow: deviations 7 and 10); int values stay far from 2**63 (a call where
Kiln raises OverflowError and CPython returns is counted as documented
deviation 1/7, not as a finding); `np.empty` arrays are filled completely
before they are read; loops are bounded (`range(n)` with n <= 4, element
loops over an array never nested in another loop over a size); read-only
arrays are never passed.

Running (seeded and reproducible: program S is always the same text):
    pytest test/e2e/test_fuzz_arrays.py       # CI: programs 0..15, ~20-30 s on 2 cores
    KILN_FUZZ_ARRAYS_COUNT=2000 KILN_FUZZ_ARRAYS_SEED=20000 pytest -q test/e2e/test_fuzz_arrays.py
    python3 test/e2e/test_fuzz_arrays.py --count 2000 --seed 20000 --out /tmp/fz
        (a scale run with a summary: OUT/log.txt, OUT/mismatch_S.txt, crash_S.txt,
        ice_S.txt, rejected_S.txt with the source and the differing calls)
    python3 test/e2e/test_fuzz_arrays.py --show 17       # print program 17
Each program is compiled once with the kiln driver; its calls run in a
child process (a crash or a hang of the compiled module is a finding, not
the end of the test run).  Compilation: exit 1 with a diagnostic is a
generator bug (it must stay in the subset) and fails the test; an internal
error or a crash of the compiler is a finding.

The end of the file holds hand-reduced regressions of the bugs it found.
"""
import json
import os
import random
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from conftest import kiln_path, run_kiln  # noqa: E402

# ---- symbolic shapes -------------------------------------------------------------------------
#
# A dimension is "N" or "M" (the function's sizes), "H" or "G" (a helper's),
# ONE (a broadcast axis made by `[:, None]`), ("-", d, k) for max(d - k, 0)
# (the length of d[1:], d[:-1], d[1:-1] ...) or ("/", d, up) for d[::2]
# (up: ceil(d / 2)) and d[1::2] (floor).  Two arrays whose shapes are equal
# tuples have equal shapes for every size, so expressions combine only those
# (and broadcastable ones) and never fail to broadcast.

ONE = "1"


def dsub(d, k):
    if isinstance(d, tuple) and d[0] == "-":
        return ("-", d[1], d[2] + k)
    return ("-", d, k)


def dhalf(d, up):
    return ("/", d, up)


def dsubst(d, m):
    """d with the helper's base dimensions replaced by the caller's."""
    if isinstance(d, str):
        return m.get(d, d)
    if d[0] == "-":
        return dsub(dsubst(d[1], m), d[2])
    return dhalf(dsubst(d[1], m), d[2])


SLICES = [
    (":", lambda d: d),
    ("1:", lambda d: dsub(d, 1)),
    (":-1", lambda d: dsub(d, 1)),
    ("1:-1", lambda d: dsub(d, 2)),
    ("2:", lambda d: dsub(d, 2)),
    (":-2", lambda d: dsub(d, 2)),
    ("::2", lambda d: dhalf(d, True)),
    ("1::2", lambda d: dhalf(d, False)),
    ("::-1", lambda d: d),
    ("::-2", lambda d: dhalf(d, True)),
]


def compat(sh, target):
    """sh broadcasts to target (and no further)."""
    if len(sh) > len(target):
        return False
    return all(a == b or a == ONE for a, b in zip(reversed(sh), reversed(target)))


def bcast(a, b):
    if len(a) < len(b):
        a, b = b, a
    out = list(a)
    for k in range(1, len(b) + 1):
        x, y = a[-k], b[-k]
        out[-k] = y if x == ONE else x
    return tuple(out)


class V:
    """A name in scope: an array (shape a tuple) or a scalar (shape None)."""
    __slots__ = ("name", "dt", "shape", "ro")

    def __init__(self, name, dt, shape, ro=False):
        self.name, self.dt, self.shape, self.ro = name, dt, shape, ro


class Fn:
    def __init__(self, name, params, exported):
        # params: list of (name, dt, shape) -- shape None for a scalar
        self.name, self.params, self.exported = name, params, exported
        self.ret = None  # helpers: None, or a list of (dt, shape) in the helper's dims


ANN = {("f", 1): "float64[:]", ("f", 2): "float64[:, :]",
       ("i", 1): "int64[:]", ("i", 2): "int64[:, :]"}
FLITS = ["0.5", "1.5", "2.0", "0.25", "(-1.0)", "(-0.5)", "0.0", "3.0"]
ILITS = ["0", "1", "2", "3", "(-1)", "5", "(-2)"]


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.lines = []
        self.inexact = False
        self.helpers = []
        self.funcs = []
        self.counter = 0
        self.fill_wit = None
        self.sized = 0  # enclosing loops whose trip count is an array's size

    # -- utilities
    def p(self, x):
        return self.rng.random() < x

    def ch(self, seq):
        return self.rng.choice(seq)

    def emit(self, ind, s):
        self.lines.append("    " * ind + s)

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def arrays(self, dt=None, ndim=None, writable=False):
        return [v for v in self.scope if v.shape is not None
                and (dt is None or v.dt == dt) and (ndim is None or len(v.shape) == ndim)
                and (not writable or not v.ro)]

    def scalars(self, dt, writable=False):
        return [v for v in self.scope if v.shape is None and v.dt == dt
                and (not writable or not v.ro)]

    def loopvars(self):
        return [v.name for v in self.scope if v.shape is None and v.dt == "i" and v.ro
                and v.name not in ("n",)]

    # -- indices and views
    def index(self, name, axis):
        """An index into axis `axis` of array `name`: mostly valid, sometimes
        out of bounds (IndexError in both) for small arrays."""
        lv = self.loopvars()
        r = self.rng.random()
        if r < 0.4:
            return self.ch(["0", "-1", "0", "-1", "1", "-2"])
        if r < 0.75 and lv:
            ln = f"len({name})" if axis == 0 and self.p(0.5) else f"{name}.shape[{axis}]"
            return f"{self.ch(lv)} % {ln}"
        if r < 0.85 and lv:
            return self.ch(lv)
        iv = self.scalars("i")
        if iv and self.p(0.5):
            return f"{self.ch(iv).name} % {name}.shape[{axis}]"
        return self.ch(["0", "-1", "1"])

    def views(self, v, write=False, n=3):
        """(text, shape) of v and of some views of v."""
        out = [(v.name, v.shape)] * 2
        if len(v.shape) == 1:
            d = v.shape[0]
            for txt, fn in self.rng.sample(SLICES[1:], n + 1):
                out.append((f"{v.name}[{txt}]", (fn(d),)))
            if not write and self.p(0.3):
                out.append((f"{v.name}[:, None]", (d, ONE)))
        else:
            d0, d1 = v.shape
            for _ in range(n):
                (t0, f0), (t1, f1) = self.ch(SLICES), self.ch(SLICES)
                out.append((f"{v.name}[{t0}, {t1}]", (f0(d0), f1(d1))))
            r = self.rng.random()
            if r < 0.25:
                out.append((f"{v.name}[{self.index(v.name, 0)}]", (d1,)))
            elif r < 0.45:
                t1, f1 = self.ch(SLICES)
                out.append((f"{v.name}[{self.index(v.name, 0)}, {t1}]", (f1(d1),)))
            elif r < 0.7:
                out.append((f"{v.name}[:, {self.index(v.name, 1)}]", (d0,)))
            else:
                t0, f0 = self.ch(SLICES)
                out.append((f"{v.name}[{t0}, {self.index(v.name, 1)}]", (f0(d0),)))
            if not write and self.p(0.3):
                out.append((f"{v.name}.T", (d1, d0)))
        return out

    def all_views(self, dt=None, write=False):
        out = []
        for v in self.arrays(dt, writable=write):
            out += [(t, s, v) for t, s in self.views(v, write)]
        return out

    def shaped(self, dt, S, full):
        """Every view of every array in scope (of dtype dt, or any) whose
        shape is S (full) or broadcasts to S: a list of (weight, make-text,
        shape); plain names weigh more than views."""
        out = []
        ok = (lambda sh: sh == S) if full else (lambda sh: compat(sh, S))

        def add(w, txt, sh):
            if ok(sh):
                out.append((w, txt, sh))

        for v in self.arrays(dt):
            nm = v.name
            if len(v.shape) == 1:
                d = v.shape[0]
                for t, fn in SLICES:
                    add(8 if t == ":" else 1, (lambda nm=nm, t=t: nm if t == ":" else f"{nm}[{t}]"),
                        (fn(d),))
                add(1, (lambda nm=nm: f"{nm}[:, None]"), (d, ONE))
                continue
            d0, d1 = v.shape
            for t0, f0 in SLICES:
                for t1, f1 in SLICES:
                    add(8 if t0 == t1 == ":" else 0.3,
                        (lambda nm=nm, t0=t0, t1=t1: nm if t0 == t1 == ":" else f"{nm}[{t0}, {t1}]"),
                        (f0(d0), f1(d1)))
                add(1 if t0 == ":" else 0.3, (lambda nm=nm, t0=t0: (
                    f"{nm}[{self.index(nm, 0)}]" if t0 == ":" and self.p(0.5)
                    else f"{nm}[{self.index(nm, 0)}, {t0}]")), (f0(d1),))
                add(1 if t0 == ":" else 0.3,
                    (lambda nm=nm, t0=t0: f"{nm}[{t0}, {self.index(nm, 1)}]"), (f0(d0),))
            add(1, (lambda nm=nm: f"{nm}.T"), (d1, d0))
        return out

    def pick(self, cands):
        w, mk, sh = self.rng.choices(cands, [c[0] for c in cands])[0]
        return mk(), sh

    def witness(self, S):
        return self.witness_dt(S)[0]

    def witness_dt(self, S, dt=None):
        """(text, dtype) of some array expression of shape S (for `.shape`
        and `*_like`), or (None, None); one of dtype dt when there is one."""
        c = self.shaped(dt, S, True) if dt else []
        if c and self.p(0.7):
            return self.pick(c)[0], dt
        c = [(w, mk, sh, v.dt) for v in self.arrays() for w, mk, sh in self.shaped_of(v, S)]
        if c:
            w, mk, sh, vdt = self.rng.choices(c, [x[0] for x in c])[0]
            return mk(), vdt
        if self.fill_wit and self.fill_wit[1] == S:
            return self.fill_wit[0], self.fill_wit[2]  # its shape only: being filled
        return None, None

    def shaped_of(self, v, S):
        save = self.scope
        self.scope = [v]
        try:
            return self.shaped(None, S, True)
        finally:
            self.scope = save

    # -- scalar expressions
    def sleaf(self, dt):
        r = self.rng.random()
        if dt == "f":
            if r < 0.2:
                return self.ch(FLITS)
            if r < 0.45 and self.scalars("f"):
                return self.ch(self.scalars("f")).name
            if r < 0.7 and self.arrays("f"):
                return self.elem(self.ch(self.arrays("f")))
            if self.arrays("f") or self.arrays("i"):
                return self.reduction("f")
            return self.ch(FLITS)
        if r < 0.2:
            return self.ch(ILITS)
        if r < 0.5 and self.scalars("i"):
            return self.ch(self.scalars("i")).name
        if r < 0.6 and self.arrays():
            a = self.ch(self.arrays())
            return self.ch([f"len({a.name})", f"{a.name}.shape[{len(a.shape) - 1}]"])
        # an int read from an array is a Python int in Kiln, an np.int64 in
        # CPython (`x % 0` raises in one, not in the other): int() makes both
        # Python ints
        if r < 0.8 and self.arrays("i"):
            return f"int({self.elem(self.ch(self.arrays('i')))})"
        if self.arrays("i"):
            return f"int({self.reduction('i')})"
        return self.ch(ILITS)

    def elem(self, v):
        if len(v.shape) == 1:
            return f"{v.name}[{self.index(v.name, 0)}]"
        return f"{v.name}[{self.index(v.name, 0)}, {self.index(v.name, 1)}]"

    def reduction(self, dt):
        """A scalar reduction of an array (float for dt f, int for dt i)."""
        if dt == "i":
            t, s, v = self.ch(self.all_views("i"))
            fn = self.ch(["sum", "max", "min", "sum"])
        else:
            vs = self.all_views("f")
            if vs and self.p(0.8):
                t, s, v = self.ch(vs)
                fn = self.ch(["max", "min", "sum", "mean", "max", "min"])
            else:
                t, s, v = self.ch(self.all_views())
                fn = "mean"
            if fn in ("sum", "mean"):
                self.inexact = True
        if self.p(0.5) and not t.endswith("]"):
            return f"{t}.{fn}()"
        if self.p(0.5) and t.endswith("]"):
            return f"{t}.{fn}()"
        return f"np.{fn}({t})"

    def sexpr(self, dt, d=1):
        if d <= 0 or self.p(0.5):
            return self.sleaf(dt)
        r = self.rng.random()
        if dt == "f":
            if r < 0.5:
                a, b = self.ch([("f", "f"), ("f", "i"), ("i", "f")])
                return f"({self.sexpr(a, d - 1)} {self.ch('+-')} {self.sexpr(b, d - 1)})"
            if r < 0.7:
                return f"({self.sexpr('f', d - 1)} * {self.ch(FLITS)})"
            if r < 0.8:
                return f"abs({self.sexpr('f', d - 1)})"
            return f"{self.ch(['min', 'max'])}({self.sexpr('f', d - 1)}, {self.sexpr('f', d - 1)})"
        if r < 0.6:
            return f"({self.sexpr('i', d - 1)} {self.ch('+-')} {self.sexpr('i', d - 1)})"
        if r < 0.8:
            return f"({self.sexpr('i', d - 1)} % {self.ch(['2', '3', '7'])})"
        return f"{self.ch(['min', 'max'])}({self.sexpr('i', d - 1)}, {self.sexpr('i', d - 1)})"

    # -- array expressions: (text, shape) of exactly dtype dt, shape == S when
    #    `full`, else broadcastable to S (or a scalar, shape ())
    def aleaf(self, dt, S, full):
        if not full and self.p(0.3):
            return self.sleaf(dt), ()
        cands = self.shaped(dt, S, full)
        if cands and self.p(0.97):
            return self.pick(cands)
        if dt == "f":
            ic = self.shaped("i", S, full)
            if ic and self.p(0.8):
                t, sh = self.pick(ic)
                return self.ch([f"{t}.astype(np.float64)", f"({t} * 1.0)"]), sh
        w = self.witness(S)
        assert w is not None, S
        if dt == "f":
            return self.ch([f"np.full({w}.shape, {self.ch(FLITS)})", f"np.ones({w}.shape)",
                            f"np.zeros_like({w}, dtype=np.float64)"]), S
        return self.ch([f"np.full({w}.shape, {self.ch(ILITS)}, dtype=np.int64)",
                        f"np.ones({w}.shape, dtype=np.int64)",
                        f"np.zeros_like({w}, dtype=np.int64)"]), S

    def aexpr(self, dt, S, d=2, full=True):
        if d <= 0 or self.p(0.2):
            return self.aleaf(dt, S, full)
        r = self.rng.random()
        d -= 1

        def two(da, db, op_fmt):
            fa = full and self.p(0.5)
            fb = full and not fa
            (ta, sa), (tb, sb) = self.aexpr(da, S, d, fa), self.aexpr(db, S, d, fb)
            return op_fmt.format(ta, tb), bcast(sa, sb)

        if dt == "i":
            if r < 0.35:
                return two("i", "i", "({} " + self.ch("+-") + " {})")
            if r < 0.45:
                t, s = self.aexpr("i", S, d, full)
                return f"({t} * {self.ch(['2', '3', '(-1)'])})", s
            if r < 0.52:
                return two("i", "i", "(({} * {}) % 97)")
            if r < 0.6:
                t, s = self.aexpr("i", S, d, full)
                return f"({t} {self.ch(['//', '%'])} {self.ch(['2', '3', '5'])})", s
            if r < 0.68:
                t, s = self.aexpr("i", S, d, full)
                return self.ch([f"np.abs({t})", f"(-{t})"]), s
            if r < 0.78:
                return two("i", "i", self.ch(["np.minimum", "np.maximum"]) + "({}, {})")
            if r < 0.85:
                return self.where("i", S, d, full)
            return self.aleaf("i", S, full)
        if r < 0.3:
            da, db = self.ch([("f", "f"), ("f", "f"), ("f", "i"), ("i", "f")])
            return two(da, db, "({} " + self.ch("+-*") + " {})")
        if r < 0.38:
            return two(self.ch("fi"), self.ch("fi"), "({} / (np.abs({}) + 1.0))")
        if r < 0.45:
            t, s = self.aexpr(self.ch("fi"), S, d, full)
            return f"np.sqrt(np.abs({t}))", s
        if r < 0.5:
            t, s = self.aexpr(self.ch("fi"), S, d, full)
            self.inexact = True
            return f"np.exp(-np.abs({t}))", s
        if r < 0.58:
            t, s = self.aexpr("f", S, d, full)
            return self.ch([f"np.abs({t})", f"(-{t})"]), s
        if r < 0.65:
            t, s = self.aexpr("f", S, d, True)  # an array: `**` of a Python scalar may raise
            return f"({t} ** 2)", s
        if r < 0.72:
            t, s = self.aexpr(self.ch("fi"), S, d, full)
            return f"({t} * {self.ch(['0.5', '0.25', '1.5', '(-0.5)'])})", s
        if r < 0.8:
            da, db = self.ch([("f", "f"), ("f", "i"), ("i", "f")])
            return two(da, db, self.ch(["np.minimum", "np.maximum"]) + "({}, {})")
        if r < 0.86:
            return self.where("f", S, d, full)
        return self.aleaf("f", S, full)

    def where(self, dt, S, d, full):
        sub = "fi" if dt == "f" else "i"
        ca = self.aexpr(self.ch(sub), S, d, True)  # the condition is an array of shape S
        cb = self.aexpr(self.ch(sub), S, d, False)
        x, y = self.aexpr(dt, S, d, False), self.aexpr(dt, S, d, False)
        op = self.ch(["<", ">", "<=", ">="])
        return (f"np.where({ca[0]} {op} {cb[0]}, {x[0]}, {y[0]})",
                bcast(bcast(ca[1], cb[1]), bcast(x[1], y[1])))

    # -- statements
    def block(self, ind, nstmt, in_loop):
        mark = len(self.scope)
        start = len(self.lines)
        for _ in range(nstmt):
            self.stmt(ind, in_loop)
        if len(self.lines) == start:
            self.emit(ind, "pass")
        del self.scope[mark:]

    def stmt(self, ind, in_loop):
        ops = [(self.st_new, 14), (self.st_view, 7), (self.st_alias, 3), (self.st_rebind, 14),
               (self.st_swap, 4), (self.st_slice_write, 12), (self.st_slice_aug, 8),
               (self.st_whole_aug, 5), (self.st_elem_write, 5), (self.st_scalar, 6),
               (self.st_if, 3 if self.depth < 3 else 0),
               (self.st_for, 7 if self.depth < 2 else 1 if self.depth < 3 else 0),
               (self.st_rows, 2 if self.depth < 2 and not self.sized else 0),
               (self.st_elem_loop, 3 if self.depth < 2 and not self.sized else 0),
               (self.st_call, 5 if self.helpers and self.cur.exported else 0),
               (self.st_motif, 6 if self.depth < 2 else 0)]
        if in_loop:
            ops.append((self.st_break, 2))
            if self.cur.exported and self.cur_ret is not None:
                ops.append((self.st_early_return, 1))
        fns, ws = zip(*ops)
        self.rng.choices(fns, ws)[0](ind, in_loop)

    def new_value(self, S=None, dt=None):
        """A fresh array value: (text, dt, shape, setup) -- setup: statements
        that complete it (np.empty is filled before any read)."""
        if S is None:
            t, S, v = self.ch(self.all_views())
            if dt is None:
                dt = v.dt if self.p(0.7) else self.ch("fi")
        w, wdt = self.witness_dt(S, dt)
        dl = "" if wdt == dt else ", dtype=np.float64" if dt == "f" else ", dtype=np.int64"
        r = self.rng.random()
        if r < 0.45:
            return self.aexpr(dt, S, 3, True)[0], dt, S, None
        if r < 0.6:
            srcs = self.shaped(dt, S, True)
            if srcs:
                t = self.pick(srcs)[0]
                return self.ch([f"{t}.copy()", f"np.copy({t})"]), dt, S, None
            return self.aexpr(dt, S, 2, True)[0], dt, S, None
        dts = "" if dt == "f" else ", dtype=np.int64"
        if r < 0.75:
            lit = self.ch(FLITS if dt == "f" else ILITS)
            txt = self.ch([f"np.zeros({w}.shape{dts})", f"np.ones({w}.shape{dts})",
                           f"np.full({w}.shape, {lit}{dts})"])
            if len(S) == 2 and self.p(0.5):
                txt = self.ch([f"np.zeros(({w}.shape[0], {w}.shape[1]){dts})",
                               f"np.ones(({w}.shape[0], {w}.shape[1]){dts})"])
            elif len(S) == 1 and self.p(0.4):
                txt = f"np.zeros(len({w}){dts})"
            return txt, dt, S, None
        if r < 0.85:
            return self.ch([f"np.zeros_like({w}{dl})", f"np.ones_like({w}{dl})"]), dt, S, None
        # np.empty / np.empty_like, then filled completely
        txt = self.ch([f"np.empty_like({w}{dl})", f"np.empty({w}.shape{dts})"])
        return txt, dt, S, "fill"

    def fill(self, ind, name, dt, S):
        """Fills the new np.empty array `name` completely, reading nothing of it."""
        save = self.scope
        self.scope = [v for v in save if v.name != name]
        self.fill_wit = (name, S, dt)
        if not self.arrays():
            self.emit(ind, f"{name}.fill({self.sexpr(dt)})")
            self.scope = save
            self.fill_wit = None
            return
        r = self.rng.random()
        if r < 0.5:
            whole = ":" if len(S) == 1 else ":, :"
            self.emit(ind, f"{name}[{whole}] = {self.aexpr(dt, S, 2, False)[0]}")
        elif r < 0.7 or self.sized:
            self.emit(ind, f"{name}.fill({self.sexpr(dt)})")
        else:
            self.elem_loop(ind, V(name, dt, S), full=True)
        self.scope = save
        self.fill_wit = None

    def st_new(self, ind, in_loop):
        if self.p(0.15):
            # an axis reduction: m.sum(axis=0) is a row, np.max(m, axis=1) a column
            c = [(t, s, v) for t, s, v in self.all_views() if len(s) == 2 and ONE not in s]
            if c:
                t, s, v = self.ch(c)
                ax = self.ch([0, 1])
                fn = self.ch(["sum", "max", "min"])
                if fn == "sum" and v.dt == "f":
                    self.inexact = True
                txt = self.ch([f"{t}.{fn}(axis={ax})", f"np.{fn}({t}, axis={ax})"])
                name = self.fresh("r")
                self.emit(ind, f"{name} = {txt}")
                self.scope.append(V(name, v.dt, (s[1 - ax],)))
                return
        txt, dt, S, setup = self.new_value()
        name = self.fresh("x")
        self.emit(ind, f"{name} = {txt}")
        if setup:
            self.fill(ind, name, dt, S)
        self.scope.append(V(name, dt, S))

    def st_view(self, ind, in_loop):
        t, s, v = self.ch([x for x in self.all_views() if x[0] != x[2].name])
        name = self.fresh("v")
        self.emit(ind, f"{name} = {t}")
        self.scope.append(V(name, v.dt, s))

    def st_alias(self, ind, in_loop):
        v = self.ch(self.arrays())
        name = self.fresh("k")
        self.emit(ind, f"{name} = {v.name}")
        self.scope.append(V(name, v.dt, v.shape))

    def st_rebind(self, ind, in_loop):
        vs = self.arrays(writable=True)
        if not vs:
            return self.st_new(ind, in_loop)
        v = self.ch(vs)
        r = self.rng.random()
        if r < 0.15:
            same = [c for c in self.shaped(v.dt, v.shape, True) if c[1]() != v.name]
            if same:
                self.emit(ind, f"{v.name} = {self.pick(same)[0]}")
                return
        txt, dt, S, setup = self.new_value(v.shape, v.dt)
        self.emit(ind, f"{v.name} = {txt}")
        if setup:
            self.fill(ind, v.name, dt, S)

    def st_swap(self, ind, in_loop):
        vs = self.arrays(writable=True)
        pairs = [(a, b) for a in vs for b in vs
                 if a.name < b.name and a.dt == b.dt and a.shape == b.shape]
        if not pairs:
            return self.st_rebind(ind, in_loop)
        a, b = self.ch(pairs)
        self.emit(ind, f"{a.name}, {b.name} = {b.name}, {a.name}")

    def target(self):
        c = self.all_views(write=True)
        if not c:
            return None
        return self.ch(c)

    def st_slice_write(self, ind, in_loop):
        tg = self.target()
        if not tg:
            return self.st_new(ind, in_loop)
        t, S, v = tg
        if t == v.name:
            t = f"{v.name}[{':' if len(S) == 1 else self.ch([':, :', ':'])}]"
        if self.p(0.15):
            rhs = self.sexpr(v.dt if v.dt == "i" else self.ch("fi"))
        else:
            rhs = self.aexpr(v.dt if v.dt == "i" else self.ch("ffi"), S, 2, self.p(0.6))[0]
        self.emit(ind, f"{t} = {rhs}")

    def st_slice_aug(self, ind, in_loop):
        tg = self.target()
        if not tg:
            return self.st_new(ind, in_loop)
        t, S, v = tg
        if t == v.name:
            t = f"{v.name}[{':' if len(S) == 1 else ':, :'}]"
        self.aug(ind, t, S, v)

    def aug(self, ind, t, S, v):
        if v.dt == "f" and self.p(0.15):
            e = self.aexpr(self.ch("fi"), S, 1, False)[0]
            self.emit(ind, f"{t} /= (np.abs({e}) + 1.0)")
            return
        op = self.ch(["+=", "-=", "*=", "+=", "-="])
        if op == "*=" and v.dt == "i":
            self.emit(ind, f"{t} *= {self.ch(['2', '(-1)', '3'])}")
            return
        if op == "*=" and self.p(0.5):
            self.emit(ind, f"{t} *= {self.ch(['0.5', '(-1.0)', '1.5'])}")
            return
        dt = "i" if v.dt == "i" else self.ch("ffi")
        self.emit(ind, f"{t} {op} {self.aexpr(dt, S, 2, self.p(0.5))[0]}")

    def st_whole_aug(self, ind, in_loop):
        vs = self.arrays(writable=True)
        if not vs:
            return self.st_new(ind, in_loop)
        v = self.ch(vs)
        self.aug(ind, v.name, v.shape, v)

    def st_elem_write(self, ind, in_loop):
        vs = self.arrays(writable=True)
        if not vs:
            return self.st_scalar(ind, in_loop)
        v = self.ch(vs)
        e = self.elem(v) if self.p(0.8) or len(v.shape) == 1 else f"{v.name}[{self.index(v.name, 0)}]"
        rhs = self.sexpr(v.dt if v.dt == "i" else self.ch("ffi"))
        op = "=" if self.p(0.6) else self.ch(["+=", "-="])
        self.emit(ind, f"{e} {op} {rhs}")

    def st_scalar(self, ind, in_loop):
        ws = self.scalars("f", True) + self.scalars("i", True)
        if ws and self.p(0.6):
            s = self.ch(ws)
            dt = "i" if s.dt == "i" else self.ch("ffi")
            if s.dt == "f" and in_loop:
                self.inexact = True  # a float sum in a loop may be reassociated
            r = self.rng.random()
            if r < 0.6:
                self.emit(ind, f"{s.name} {self.ch(['+=', '-='])} {self.sexpr(dt)}")
            elif r < 0.8:
                self.emit(ind, f"{s.name} = {self.ch(['min', 'max'])}({s.name}, {self.sexpr(s.dt)})")
            else:
                self.emit(ind, f"{s.name} = {self.sexpr(s.dt, 2)}")
            return
        dt = self.ch("ffi")
        name = self.fresh("s")
        self.emit(ind, f"{name} = {self.sexpr(dt, 2)}")
        self.scope.append(V(name, dt, None))

    def bound(self):
        if not self.cur.exported:
            return self.ch(["2", "3", "1"])
        return self.ch(["n", "n", "n", "2", "3", "min(n, 2)", "n - 1", "n + 1"])

    def loop_header(self):
        i = self.fresh("i")
        b = self.bound()
        r = self.rng.random()
        if r < 0.7:
            return i, f"for {i} in range({b}):"
        if r < 0.85:
            return i, f"for {i} in range(1, {b}):"
        return i, f"for {i} in range({b} - 1, -1, -1):"

    def st_for(self, ind, in_loop, body=None):
        i, hdr = self.loop_header()
        self.emit(ind, hdr)
        self.scope.append(V(i, "i", None, ro=True))
        self.depth += 1
        mark = len(self.scope)
        if body:
            body(ind + 1)
        self.block(ind + 1, self.rng.randint(2, 5), True)
        del self.scope[mark - 1:]
        self.depth -= 1

    def st_rows(self, ind, in_loop):
        c = [(t, s, v) for t, s, v in self.all_views() if len(s) == 2 and ONE not in s]
        if not c:
            return self.st_for(ind, in_loop)
        t, s, v = self.ch(c)
        r = self.fresh("row")
        self.emit(ind, f"for {r} in {t}:")
        mark = len(self.scope)
        self.scope.append(V(r, v.dt, (s[1],), ro=True))
        self.depth += 1
        self.sized += 1
        self.block(ind + 1, self.rng.randint(1, 3), True)
        self.sized -= 1
        self.depth -= 1
        del self.scope[mark:]

    def st_if(self, ind, in_loop):
        lv = self.loopvars()
        r = self.rng.random()
        if lv and r < 0.6:
            c = self.ch([f"{self.ch(lv)} % 2 == 0", f"{self.ch(lv)} == 1", f"{self.ch(lv)} > 0"])
        elif r < 0.8:
            a = self.ch(self.arrays())
            c = self.ch([f"len({a.name}) > 2", f"{a.name}.shape[0] > 1"]
                        + (["n > 1"] if self.cur.exported else []))
        else:
            c = f"{self.sexpr('i')} > {self.ch(ILITS)}"
        self.emit(ind, f"if {c}:")
        self.depth += 1
        self.block(ind + 1, self.rng.randint(1, 3), in_loop)
        if self.p(0.4):
            self.emit(ind, "else:")
            self.block(ind + 1, self.rng.randint(1, 3), in_loop)
        self.depth -= 1

    def st_break(self, ind, in_loop):
        lv = self.loopvars()
        if not lv:
            return
        self.emit(ind, f"if {self.ch(lv)} == {self.ch(['1', '2'])}:")
        self.emit(ind + 1, self.ch(["break", "continue"]))

    def st_early_return(self, ind, in_loop):
        lv = self.loopvars()
        if not lv:
            return
        self.emit(ind, f"if {self.ch(lv)} == {self.ch(['1', '2', '3'])}:")
        self.emit(ind + 1, self.return_stmt())

    def elem_loop(self, ind, tv, full=False):
        """A hand-written loop writing tv element by element (parallel when tv
        is a new array), reading arrays of tv's shape at i, i - 1, i + 1."""
        S = tv.shape
        srcs = [v for v in self.arrays() if v.shape == S and (tv.dt == "f" or v.dt == "i")
                and not (full and v.name == tv.name)]
        if not srcs:
            srcs = [V(f"np.ones_like({tv.name}{'' if tv.dt == 'f' else ', dtype=np.int64'})",
                      tv.dt, S)] if not full else []
        if not srcs:
            self.emit(ind, f"{tv.name}.fill({self.sexpr(tv.dt)})")
            return
        if len(S) == 1:
            i = self.fresh("i")
            lo, hi, offs = ("0", f"len({tv.name})", [""]) if full or self.p(0.5) else \
                ("1", f"len({tv.name}) - 1", ["", " - 1", " + 1"])
            self.emit(ind, f"for {i} in range({lo}, {hi}):")
            terms = [f"{self.ch(srcs).name}[{i}{self.ch(offs)}]" for _ in range(self.rng.randint(1, 3))]
            coef = self.ch(["", " * 0.5", " * 2"] if tv.dt == "f" else ["", " * 2"])
            rhs = " + ".join(terms) + coef
            if self.p(0.3):
                rhs += f" + {self.sexpr(tv.dt if tv.dt == 'i' else 'f')}"
            if tv.dt == "i" and any(x.name == tv.name for x in srcs):
                rhs = f"({rhs}) % 97"  # a recurrence: keep ints far from 2**63
            op = "=" if full or self.p(0.7) else "+="
            self.emit(ind + 1, f"{tv.name}[{i}] {op} {rhs}")
        else:
            i, j = self.fresh("i"), self.fresh("j")
            inner = not full and self.p(0.5)
            lo, off = ("1", ["", " - 1", " + 1"]) if inner else ("0", [""])
            self.emit(ind, f"for {i} in range({lo}, {tv.name}.shape[0]{' - 1' if inner else ''}):")
            self.emit(ind + 1, f"for {j} in range({lo}, {tv.name}.shape[1]{' - 1' if inner else ''}):")
            terms = []
            for _ in range(self.rng.randint(1, 3)):
                terms.append(f"{self.ch(srcs).name}[{i}{self.ch(off)}, {j}{self.ch(off)}]")
            rows = [v for v in self.arrays() if v.shape == (S[1],) and (tv.dt == "f" or v.dt == "i")]
            if rows and self.p(0.4):
                terms.append(f"{self.ch(rows).name}[{j}]")
            coef = self.ch(["", " * 0.25"] if tv.dt == "f" else ["", " * 3"])
            rhs = f"({' + '.join(terms)}){coef}"
            if tv.dt == "i" and any(x.name == tv.name for x in srcs):
                rhs = f"{rhs} % 97"
            self.emit(ind + 2, f"{tv.name}[{i}, {j}] = {rhs}")

    def st_elem_loop(self, ind, in_loop):
        vs = self.arrays(writable=True)
        if not vs:
            return self.st_new(ind, in_loop)
        if self.p(0.5):
            # a new array, filled by the loop: the parallel kind
            txt, dt, S, _ = self.new_value()
            w, wdt = self.witness_dt(S, dt)
            dl = "" if wdt == dt else ", dtype=np.float64" if dt == "f" else ", dtype=np.int64"
            txt = f"np.{self.ch(['zeros', 'ones'])}_like({w}{dl})"
            name = self.fresh("e")
            self.emit(ind, f"{name} = {txt}")
            tv = V(name, dt, S)
            self.scope.append(tv)
        else:
            tv = self.ch(vs)
        self.elem_loop(ind, tv)

    def st_call(self, ind, in_loop):
        h = self.ch(self.helpers)
        m, args = {}, []
        for (pn, dt, shape) in h.params:
            if shape is None:
                args.append(self.sexpr(dt))
                continue
            ok = []
            for t, s, v in self.all_views(dt, write=True):
                if len(s) != len(shape) or ONE in s:
                    continue
                if all(m.get(hd, cd) == cd for hd, cd in zip(shape, s)):
                    ok.append((t, s))
            if not ok:
                return self.st_new(ind, in_loop)
            t, s = self.ch(ok)
            for hd, cd in zip(shape, s):
                m[hd] = cd
            args.append(t)
        call = f"{h.name}({', '.join(args)})"
        if not h.ret:
            self.emit(ind, call)
            return
        names = []
        for dt, shape in h.ret:
            names.append(self.fresh("c"))
        self.emit(ind, f"{', '.join(names)} = {call}" if len(names) > 1 else f"{names[0]} = {call}")
        for nm, (dt, shape) in zip(names, h.ret):
            self.scope.append(V(nm, dt, None if shape is None else tuple(dsubst(d, m) for d in shape)))

    # -- motifs: the shapes of the lifetime miscompile and its siblings
    def st_motif(self, ind, in_loop):
        self.ch([self.m_stencil, self.m_stencil, self.m_double_buffer, self.m_keep_first,
                 self.m_view_rebound, self.m_fuse, self.m_fuse])(ind)

    def m_fuse(self, ind):
        """A temporary read only by the next statement (Kiln computes it
        inside that statement), which writes into the array the temporary
        was computed from, at a shifted position, or rebinds it."""
        vs = [v for v in self.arrays(writable=True) if ONE not in v.shape]
        if not vs:
            return
        a = self.ch(vs)
        t, S, dt = self.fresh("t"), a.shape, a.dt
        e = self.ch([f"{a.name} * {self.ch(['2', '3'])}", f"{a.name} + {a.name}[::-1]",
                     f"np.abs({a.name})", f"{a.name} - {a.name}[::-1]"]
                    + ([f"{a.name} * 0.5", f"np.sqrt(np.abs({a.name}))"] if dt == "f" else []))
        if self.p(0.5):
            e = f"{e} {self.ch('+-')} {self.aexpr(dt, S, 1, False)[0]}"
        if self.p(0.3):  # a view, read only by the next statement
            e = self.ch([f"{a.name}[::-1]", f"{a.name}[:]"] if len(S) == 1 else
                        [f"{a.name}[::-1, :]", f"{a.name}[:, ::-1]", f"{a.name}[:, :]"])
        self.emit(ind, f"{t} = {e}")
        if len(S) == 1:
            pairs = [("1:", ":-1"), (":-1", "1:"), ("::-1", ":"), ("1:-1", "2:"), ("::2", "1::2"),
                     (":", "::-1")]
        else:
            pairs = [("1:, :", ":-1, :"), (":, :-1", ":, 1:"), ("::-1, :", ":, :"),
                     ("1:-1, 1:-1", "2:, :-2"), (":, ::-1", ":, :"), (":, :", "::-1, ::-1")]
        dst, src = self.ch(pairs)
        r = self.rng.random()
        if r < 0.4:
            self.emit(ind, f"{a.name}[{dst}] = {t}[{src}]")
        elif r < 0.6:
            self.emit(ind, f"{a.name}[{dst}] {self.ch(['+=', '-='])} {t}[{src}]")
        elif r < 0.8:
            flip = self.ch(["::-1", ":"]) if len(S) == 1 else self.ch(["::-1, :", ":, ::-1", ":, :"])
            self.emit(ind, f"{a.name} = {t}[{flip}] {self.ch('+-')} {a.name}")
        else:
            if dt == "f":
                self.inexact = True
            red = (f"np.sum({t} * {t})" if len(S) == 1 else
                   self.ch([f"np.sum({t} * {t}, axis=0)", f"np.sum({t} * {t}, axis=1, keepdims=True)"]))
            self.emit(ind, f"{a.name} += {red}")
        self.scope.append(V(t, dt, S))

    def m_stencil(self, ind):
        vs = [v for v in self.arrays(writable=True) if ONE not in v.shape]
        if not vs:
            return
        p = self.ch(vs)

        def body(bi):
            pn = self.fresh("pn")
            cp = self.ch([f"{p.name}.copy()", f"np.copy({p.name})", f"{p.name}.copy()",
                          f"{p.name} * 1" if p.dt == "i" else f"{p.name} * 1.0",
                          f"{p.name}[:]"])
            self.emit(bi, f"{pn} = {cp}")
            self.scope.append(V(pn, p.dt, p.shape))
            if len(p.shape) == 1:
                tgt = f"{p.name}[1:-1]"
                nb = [f"{pn}[2:]", f"{pn}[:-2]", f"{pn}[1:-1]"]
                S = (dsub(p.shape[0], 2),)
                bnd = [f"{p.name}[0] = {p.name}[1]", f"{p.name}[-1] = {p.name}[-2]",
                       f"{p.name}[-1] = 0", f"{p.name}[0] = {pn}[0]"]
            else:
                tgt = f"{p.name}[1:-1, 1:-1]"
                nb = [f"{pn}[1:-1, 2:]", f"{pn}[1:-1, :-2]", f"{pn}[2:, 1:-1]",
                      f"{pn}[:-2, 1:-1]", f"{pn}[1:-1, 1:-1]"]
                S = (dsub(p.shape[0], 2), dsub(p.shape[1], 2))
                bnd = [f"{p.name}[:, -1] = {p.name}[:, -2]", f"{p.name}[0, :] = {p.name}[1, :]",
                       f"{p.name}[:, 0] = {p.name}[:, 1]", f"{p.name}[-1, :] = 0",
                       f"{p.name}[0] = {p.name}[-1]"]
            terms = self.rng.sample(nb, self.rng.randint(2, len(nb)))
            if p.dt == "f":
                rhs = " + ".join(f"{t} * {self.ch(['0.25', '0.5', '1.5', '(-0.5)'])}"
                                 if self.p(0.5) else t for t in terms)
                if self.p(0.4):
                    rhs = f"({rhs}) / {self.ch(['4.0', '(2 * (1.5 + 0.5))', '3'])}"
                if self.p(0.4):
                    rhs += f" - {self.aexpr('f', S, 1, False)[0]}"
            else:
                rhs = f"({' + '.join(terms)}) // {self.ch(['2', '4', '3'])}"
                if self.p(0.4):
                    rhs += f" - {self.aexpr('i', S, 1, False)[0]}"
            self.emit(bi, f"{tgt} = {rhs}")
            for b in self.rng.sample(bnd, self.rng.randint(0, len(bnd))):
                self.emit(bi, b)

        self.st_for(ind, True, body)

    def m_double_buffer(self, ind):
        vs = [v for v in self.arrays() if ONE not in v.shape]
        if not vs:
            return
        x = self.ch(vs)
        a, b = self.fresh("a"), self.fresh("b")
        z = "" if x.dt == "f" else ", dtype=np.int64"
        self.emit(ind, f"{a} = {self.ch([f'{x.name}.copy()', f'np.copy({x.name})'])}")
        bv = self.ch([f"np.zeros_like({x.name}{z})", f"{x.name}.copy()", f"np.ones_like({x.name}{z})"])
        self.emit(ind, f"{b} = {bv}")
        va, vb = V(a, x.dt, x.shape), V(b, x.dt, x.shape)
        self.scope += [va, vb]

        def body(bi):
            if self.p(0.5):
                if len(x.shape) == 1:
                    rhs = f"{a}[2:] + {a}[:-2]"
                    tgt = f"{b}[1:-1]"
                else:
                    rhs = f"{a}[2:, 1:-1] + {a}[:-2, 1:-1] + {a}[1:-1, 2:] + {a}[1:-1, :-2]"
                    tgt = f"{b}[1:-1, 1:-1]"
                rhs = f"({rhs}) * 0.25" if x.dt == "f" else f"({rhs}) // 2"
                self.emit(bi, f"{tgt} = {rhs}")
            elif not self.sized:
                save = self.scope
                self.scope = [va] + [v for v in save if v is not va and v.shape != x.shape]
                self.elem_loop(bi, vb)
                self.scope = save
            else:
                self.emit(bi, f"{b}[:] = {a}[::-1]" if len(x.shape) == 1 else f"{b}[:, :] = {a}[::-1, :]")
            self.emit(bi, f"{a}, {b} = {b}, {a}")

        self.st_for(ind, True, body)

    def m_keep_first(self, ind):
        vs = [v for v in self.arrays() if ONE not in v.shape]
        if not vs:
            return
        x = self.ch(vs)
        y, first = self.fresh("y"), self.fresh("first")
        self.emit(ind, f"{y} = {self.aexpr(x.dt, x.shape, 2, True)[0]}")
        self.emit(ind, f"{first} = {y}")
        vy = V(y, x.dt, x.shape)
        self.scope += [vy, V(first, x.dt, x.shape)]

        def body(bi):
            self.emit(bi, f"{y} = {self.aexpr(x.dt, x.shape, 2, True)[0]}")
            self.emit(bi, f"{self.elem(vy)} = {self.sexpr(x.dt)}")

        self.st_for(ind, True, body)

    def m_view_rebound(self, ind):
        vs = [v for v in self.arrays() if ONE not in v.shape]
        if not vs:
            return
        x = self.ch(vs)
        a = self.fresh("a")
        self.emit(ind, f"{a} = {x.name}.copy()")
        va = V(a, x.dt, x.shape)
        self.scope.append(va)

        def body(bi):
            vt, S = self.ch(self.views(va, write=True)[2:])
            v = self.fresh("v")
            self.emit(bi, f"{v} = {vt}")
            self.scope.append(V(v, x.dt, S))
            self.emit(bi, f"{a} = {self.aexpr(x.dt, x.shape, 2, True)[0]}")
            self.emit(bi, f"{vt} {self.ch(['+=', '-='])} {v}")

        self.st_for(ind, True, body)

    # -- functions
    def ret_item(self, dt, shape_nd):
        """An expression for a return slot: ('a', dt, ndim) or ('s', dt)."""
        kind = shape_nd[0]
        if kind == "a":
            nd = shape_nd[2]
            c = [(t, s) for t, s, v in self.all_views(dt) if len(s) == nd]
            if c:
                plain = [x for x in c if "[" not in x[0] and "." not in x[0]]
                # second names of arrays (views, aliases, `first`) are what
                # outlives a rebinding: return them more often
                kept = [x for x in plain if x[0].startswith(("v", "k", "first", "c"))]
                if kept and self.p(0.4):
                    return self.ch(kept)[0]
                return self.ch(plain if plain and self.p(0.7) else c)[0]
            return f"np.zeros({'3' if nd == 1 else '(2, 3)'}{'' if dt == 'f' else ', dtype=np.int64'})"
        if self.scalars(dt) and self.p(0.5):
            return self.ch(self.scalars(dt)).name
        return self.sexpr(dt)

    def return_stmt(self):
        if not self.cur_ret:
            return "return"
        items = [self.ret_item(k[1], k) for k in self.cur_ret]
        return f"return {', '.join(items)}"

    def function(self, fn, shapes_ret=None):
        self.cur = fn
        self.scope = []
        self.depth = 0
        ps = []
        for name, dt, shape in fn.params:
            if fn.exported:
                ann = "int" if name == "n" else "float" if shape is None else ANN[(dt, len(shape))]
                ps.append(f"{name}: {ann}")
            else:
                ps.append(name)
            self.scope.append(V(name, dt, shape, ro=(shape is None)))
        self.emit(0, f"def {fn.name}({', '.join(ps)}):")
        if fn.exported:
            k = self.rng.choice([0, 1, 1, 2, 2, 3])
            self.cur_ret = [("a", self.ch("ffi"), self.ch([1, 2])) if self.p(0.7)
                            else ("s", self.ch("ffi")) for _ in range(k)]
        else:
            self.cur_ret = None
        mark = len(self.scope)
        for _ in range(self.rng.randint(3, 8)):
            self.stmt(1, False)
        if fn.exported:
            self.emit(1, self.return_stmt())
        else:
            self.helper_return(fn)
        del self.scope[mark:]
        self.emit(0, "")
        self.emit(0, "")

    def helper_return(self, fn):
        r = self.rng.random()
        arrs = self.arrays()
        if r < 0.25 or not arrs:
            fn.ret = None  # writes its arguments only
            if self.p(0.5):
                self.emit(1, "return")
            return
        items = []
        for _ in range(self.ch([1, 1, 2])):
            if self.p(0.75):
                c = [(t, s, v) for t, s, v in self.all_views() if ONE not in s]
                t, s, v = self.ch(c)
                if self.p(0.3):
                    t, s = self.aexpr(v.dt, s, 2, True)
                items.append((t, v.dt, s))
            else:
                dt = self.ch("fi")
                items.append((self.sexpr(dt), dt, None))
        fn.ret = [(dt, s) for t, dt, s in items]
        self.emit(1, f"return {', '.join(t for t, dt, s in items)}")

    def module(self):
        self.emit(0, "import numpy as np")
        self.emit(0, "from kiln.types import float64, int64")
        self.emit(0, "")
        self.emit(0, "")
        for j in range(self.ch([0, 1, 1, 2])):
            params = []
            for k in range(self.rng.randint(1, 3)):
                if k > 0 and self.p(0.2):
                    params.append((f"q{k}", self.ch("fi"), None))
                else:
                    params.append((f"q{k}", self.ch("ffi"),
                                   self.ch([("H",), ("H",), ("G", "H"), ("G",)])))
            if all(s is None for _, _, s in params):
                params[0] = ("q0", "f", ("H",))
            h = Fn(f"h{j}", params, False)
            self.function(h)
            self.helpers.append(h)
        for j in range(self.rng.randint(1, 3)):
            params = []
            for k in range(self.rng.randint(1, 3)):
                params.append((f"p{k}", self.ch("ffi"),
                               self.ch([("N",), ("N",), ("M", "N"), ("M", "N"), ("M",)])))
            params.append(("n", "i", None))
            if self.p(0.3):
                params.append(("c", "f", None))
            f = Fn(f"f{j}", params, True)
            self.function(f)
            self.funcs.append(f)
        return "\n".join(self.lines) + "\n"


def generate(seed):
    g = Gen(seed)
    src = g.module()
    meta = {"inexact": g.inexact,
            "funcs": [{"name": f.name,
                       "params": [[n, dt, list(s) if s is not None else None]
                                  for n, dt, s in f.params]} for f in g.funcs]}
    return src, meta


# ---- inputs ------------------------------------------------------------------------------------

SMALL_1D = [1, 2, 3, 4, 5, 8, 9]
SMALL_2D = [(1, 1), (2, 3), (3, 2), (3, 3), (4, 5), (5, 4), (7, 6), (2, 9)]
BIG_1D = [5000, 40000]
BIG_2D = [(64, 80), (200, 210)]


def input_plans(meta_fn, rng):
    """Dimension choices for one function's calls: small ones, one of 16-40,
    a big one (parallel loops), and an empty or size-1 edge."""
    plans = []
    for k in range(8):
        if k < 4:
            N = rng.choice(SMALL_1D)
            M, N2 = rng.choice(SMALL_2D)
        elif k == 5:
            N = rng.randint(16, 40)
            M, N2 = rng.randint(10, 24), rng.randint(10, 24)
        elif k in (4, 6):
            N = rng.choice(BIG_1D)
            M, N2 = rng.choice(BIG_2D)
        else:
            N = rng.choice([0, 0, 1])
            M, N2 = rng.choice([(0, 3), (3, 0), (1, 1), (0, 0), (1, 4)])
        plans.append({"M": M, "N": N if not any(p[2] and len(p[2]) == 2 for p in meta_fn["params"]) else N2})
    return plans


FLOAT_SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, np.inf, -np.inf, np.nan]


def make_values(nrng, dt, shape):
    if dt == "i":
        return nrng.integers(-20, 21, size=shape).astype(np.int64)
    x = np.round(nrng.uniform(-3, 3, size=shape), nrng.choice([1, 3, 16]))
    if x.size and nrng.random() < 0.08:
        flat = x.reshape(-1)
        for _ in range(nrng.integers(1, 3)):
            flat[nrng.integers(0, flat.size)] = nrng.choice(FLOAT_SPECIAL)
    return x


LAYOUTS_1D = ["c", "c", "c", "rev", "step", "u"]
LAYOUTS_2D = ["c", "c", "c", "f", "T", "rev", "step", "u"]


def make_arg(nrng, rng, dt, shape):
    """(base, view-spec): base is a fresh buffer; the argument is view(base)."""
    lay = rng.choice(LAYOUTS_1D if len(shape) == 1 else LAYOUTS_2D)
    if lay == "c":
        return make_values(nrng, dt, shape), ("c",)
    if lay == "rev":
        return make_values(nrng, dt, shape), ("rev",)
    if lay == "u":  # not aligned to its item size (materialize makes it so)
        return make_values(nrng, dt, shape), ("u",)
    if lay == "step":
        big = tuple(2 * s + 1 for s in shape)
        return make_values(nrng, dt, big), ("step", tuple(shape))
    if lay == "f":
        return np.asfortranarray(make_values(nrng, dt, shape)), ("c",)
    return make_values(nrng, dt, shape[::-1]), ("T",)


def view(base, spec):
    k = spec[0]
    if k in ("c", "u"):
        return base
    if k == "rev":
        return base[::-1]
    if k == "T":
        return base.T
    if k == "step":
        shape = spec[1]
        if len(shape) == 1:
            return base[1:1 + 2 * shape[0]:2]
        return base[1:1 + 2 * shape[0]:2, :2 * shape[1]:2]
    if k == "lo":
        return base[:-1]
    if k == "hi":
        return base[1:]
    raise AssertionError(spec)


def build_inputs(meta_fn, plan, seed):
    """bases (fresh buffers), per-parameter specs, scalar args.  Two array
    parameters of one dtype and shape may alias: the same array passed
    twice, or two overlapping views of one buffer."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    bases, specs = [], []
    dims = {"N": plan["N"], "M": plan["M"]}
    seen = []
    for name, dt, shape in meta_fn["params"]:
        if shape is None:
            if name == "n":
                specs.append(("scalar", rng.choice([0, 1, 2, 2, 3, 3, 4])))
            else:
                specs.append(("scalar", rng.choice([0.5, -1.25, 2.0, 0.0, 1e-3])))
            continue
        shp = tuple(dims[d] for d in shape)
        same = [k for k, (dt2, shp2) in seen if dt2 == dt and shp2 == shp]
        if same and rng.random() < 0.35:
            k = rng.choice(same)
            if rng.random() < 0.5 or len(shp) != 1:
                specs.append(specs[k])  # the very same array
            else:
                # two overlapping views base[:-1], base[1:]
                bases.append(make_values(nrng, dt, (shp[0] + 1,)))
                b = len(bases) - 1
                specs[k] = ("arr", b, ("lo",))
                specs.append(("arr", b, ("hi",)))
            seen.append((len(specs) - 1, (dt, shp)))
            continue
        base, vs = make_arg(nrng, rng, dt, shp)
        bases.append(base)
        specs.append(("arr", len(bases) - 1, vs))
        seen.append((len(specs) - 1, (dt, shp)))
    return bases, specs


def unaligned_copy(b):
    """b's values in a C-order buffer one byte past an aligned address, as
    Dask's serialisation may deliver them (Kiln runs such arguments on an
    aligned copy: docs/language.md)."""
    raw = bytearray(b.nbytes + 1)
    a = np.frombuffer(raw, dtype=b.dtype, offset=1, count=b.size).reshape(b.shape)
    a[...] = b
    return a


def unaligned_bases(specs):
    return {s[1] for s in specs if s[0] == "arr" and s[2][0] == "u"}


def materialize(bases, specs):
    unal = unaligned_bases(specs)
    bs = [unaligned_copy(b) if i in unal else b.copy(order="K") for i, b in enumerate(bases)]
    args = [s[1] if s[0] == "scalar" else view(bs[s[1]], s[2]) for s in specs]
    return bs, args


def describe(meta_fn, plan, bases, specs):
    parts = []
    for (name, dt, shape), s in zip(meta_fn["params"], specs):
        if s[0] == "scalar":
            parts.append(f"{name}={s[1]!r}")
        else:
            b = bases[s[1]]
            parts.append(f"{name}=view{s[2]} of base#{s[1]} {b.dtype}{b.shape}"
                         f"{' F-order' if b.flags.f_contiguous and not b.flags.c_contiguous else ''}")
    return ", ".join(parts)


# ---- comparison -------------------------------------------------------------------------------


def flat_results(r):
    return list(r) if isinstance(r, tuple) else [r]


def kind(x):
    if isinstance(x, (bool, np.bool_)):
        return "bool"
    if isinstance(x, (int, np.integer)):
        return "int"
    if isinstance(x, (float, np.floating)):
        return "float"
    if isinstance(x, np.ndarray):
        return f"ndarray[{x.dtype}]{x.shape}"
    if x is None:
        return "None"
    return type(x).__name__


def floats_match(a, b, exact):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return False
    na, nb = np.isnan(a), np.isnan(b)
    if not np.array_equal(na, nb):
        return False
    a, b = a[~na], b[~nb]
    if exact:
        return bool(np.array_equal(a, b))
    ia, ib = np.isinf(a), np.isinf(b)
    if not np.array_equal(ia, ib) or not np.array_equal(a[ia], b[ib]):
        return False
    a, b = a[~ia], b[~ib]
    if a.size == 0:
        return True
    scale = max(1.0, float(np.max(np.abs(b))))
    return bool(np.all(np.abs(a - b) <= 1e-9 * np.abs(b) + 1e-9 * scale))


def values_match(k, p, exact):
    if kind(k) != kind(p):
        return False
    if isinstance(p, np.ndarray):
        if p.dtype.kind == "f":
            return floats_match(k, p, exact)
        return bool(np.array_equal(k, p))
    if kind(p) == "float":
        return floats_match(k, p, exact)
    return k == p


def short(x, limit=12):
    if isinstance(x, np.ndarray):
        flat = x.reshape(-1)
        body = np.array2string(flat[:limit], precision=17, separator=", ")
        more = f" ... ({x.size} elements)" if x.size > limit else ""
        return f"{x.dtype}{x.shape} {body}{more}"
    return repr(x)


def first_diff(k, p):
    """Where two same-shaped arrays first differ (for the report)."""
    try:
        kk, pp = np.asarray(k, dtype=np.float64), np.asarray(p, dtype=np.float64)
        bad = ~((kk == pp) | (np.isnan(kk) & np.isnan(pp)))
        idx = np.argwhere(bad)
        if idx.size:
            i = tuple(idx[0])
            return f" first difference at {i}: kiln {kk[i]!r}, cpython {pp[i]!r} ({int(bad.sum())} differ)"
    except Exception:  # noqa: BLE001
        pass
    return ""


def call(f, args):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = ("ok", f(*args))
        except Exception as e:  # noqa: BLE001 - every exception is compared
            r = ("err", type(e).__name__, str(e))
    return r, [str(x.message) for x in w]


def shares(a, b):
    """Whether two arrays have an element in common (not merely overlapping
    bounds: Kiln may lay out a copy in another order than NumPy)."""
    try:
        return bool(np.shares_memory(a, b, max_work=10**6))
    except np.exceptions.TooHardError if hasattr(np, "exceptions") else np.TooHardError:
        return bool(np.may_share_memory(a, b))


def sharing(results, bases, skip=()):
    """Which results share memory with which argument buffers (but those in
    `skip`: a view of an argument run on a copy is documented to be a copy),
    then with later results."""
    arrs = [x for x in results if isinstance(x, np.ndarray)]
    m = []
    for i, a in enumerate(arrs):
        m.append([shares(a, b) for j, b in enumerate(bases) if j not in skip] +
                 [shares(a, c) for c in arrs[i + 1:]])
    return m


def compare_call(kf, pf, meta_fn, bases, specs, exact, stats=None):
    """None when Kiln and CPython agree, "deviation" for documented
    deviation 7, else a description of the difference."""
    kb, ka = materialize(bases, specs)
    pb, pa = materialize(bases, specs)
    kr, _ = call(kf, ka)
    pr, pw = call(pf, pa)
    if stats is not None:
        key = "ok" if pr[0] == "ok" else pr[1]
        stats[key] = stats.get(key, 0) + 1
    problems = []
    if kr[0] != pr[0] or (kr[0] == "err" and kr[1] != pr[1]) or (
            # Kiln words IndexError as NumPy does: the message says which index
            kr[0] == "err" and kr[1] == "IndexError" and kr[2] != pr[2]):
        if kr[0] == "err" and kr[1] == "OverflowError" and pr[0] == "ok":
            return "deviation"  # documented deviations 1 and 7: int is int64
        if kr[0] == "err" and kr[1] == "TypeError" and "is passed as a copy" in kr[2]:
            return "deviation"  # documented: an unaligned copy sharing a written argument
        ks = f"{kr[1]}: {kr[2]}" if kr[0] == "err" else "returned " + "; ".join(
            short(x) for x in flat_results(kr[1]))
        ps = f"{pr[1]}: {pr[2]}" if pr[0] == "err" else "returned " + "; ".join(
            short(x) for x in flat_results(pr[1]))
        problems.append(f"outcome: kiln {ks}\n      cpython {ps}")
    elif kr[0] == "ok":
        kres, pres = flat_results(kr[1]), flat_results(pr[1])
        if len(kres) != len(pres):
            problems.append(f"result count: kiln {len(kres)}, cpython {len(pres)}")
        else:
            for j, (x, y) in enumerate(zip(kres, pres)):
                if not values_match(x, y, exact):
                    problems.append(f"result[{j}]: kiln {kind(x)} {short(x)}\n"
                                    f"      cpython {kind(y)} {short(y)}{first_diff(x, y)}")
            unal = unaligned_bases(specs)
            ks, ps = sharing(kres, kb, unal), sharing(pres, pb, unal)
            if ks != ps:
                problems.append(f"memory sharing of results (with argument buffers, then with "
                                f"later results): kiln {ks}, cpython {ps}")
    for j, (x, y) in enumerate(zip(kb, pb)):
        if not values_match(x, y, exact):
            problems.append(f"argument buffer #{j} after the call: kiln {short(x)}\n"
                            f"      cpython {short(y)}{first_diff(x, y)}")
    return "\n    ".join(problems) if problems else None


# ---- running one program ----------------------------------------------------------------------


def load_extension(so, name):
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.ExtensionFileLoader(name, str(so))
    spec = importlib.util.spec_from_file_location(name, str(so), loader=loader)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_program(seed, so, progress=None):
    """Runs every function of program `seed` (compiled into `so`, its source
    and signature list lying next to it) under Kiln and CPython; returns a
    result dict (calls, deviations, mismatches)."""
    stem = Path(so).parent / Path(so).name.split(".")[0]
    src = Path(f"{stem}.py").read_text(encoding="utf-8")
    meta = json.loads(Path(f"{stem}.json").read_text())
    name = Path(so).name.split(".")[0]
    kmod = load_extension(so, name)
    if str(REPO / "python") not in sys.path:
        sys.path.append(str(REPO / "python"))
    ns = {"__name__": f"_fuzz_arrays_py_{seed}"}
    exec(compile(src, f"<fuzz_arrays {seed}>", "exec"), ns)
    res = {"seed": seed, "calls": 0, "outcomes": {}, "deviations": 0, "mismatches": []}
    exact = not meta["inexact"]
    rng = random.Random(seed * 7919 + 13)
    for fm in meta["funcs"]:
        kf, pf = getattr(kmod, fm["name"]), ns[fm["name"]]
        for k, plan in enumerate(input_plans(fm, rng)):
            bases, specs = build_inputs(fm, plan, rng.randrange(2**31))
            if progress:
                progress(f"{fm['name']}({describe(fm, plan, bases, specs)})")
            d = compare_call(kf, pf, fm, bases, specs, exact, res["outcomes"])
            res["calls"] += 1
            if d == "deviation":
                res["deviations"] += 1
                res.setdefault("deviation_calls", []).append(
                    f"{fm['name']}({describe(fm, plan, bases, specs)})")
            elif d:
                res["mismatches"].append({"func": fm["name"], "plan": plan,
                                          "args": describe(fm, plan, bases, specs),
                                          "diff": d})
    return res


def compile_program(kiln_bin, seed, workdir):
    """Writes and compiles program `seed`; returns (status, so, src, output):
    status "ok", "rejected" (a diagnostic: a generator bug), "ice" (a crash
    or internal error of the compiler)."""
    src, meta = generate(seed)
    name = f"fza{seed}"
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    py = workdir / f"{name}.py"
    py.write_text(src, encoding="utf-8")
    (workdir / f"{name}.json").write_text(json.dumps(meta))
    so = workdir / f"{name}.abi3.so"
    for attempt in range(24):
        if so.exists():
            so.unlink()
        if not os.path.exists(kiln_bin):  # the compiler is being rebuilt
            time.sleep(5)
            continue
        try:
            proc = run_kiln(kiln_bin, "compile", py, "-o", so, timeout=300)
        except subprocess.TimeoutExpired:
            return "ice", so, src, "the compiler ran for more than 300 s"
        except OSError:  # being rebuilt: missing, not yet executable, text file busy
            time.sleep(5)
            continue
        out = proc.stdout + proc.stderr
        # the compiler or its runtime library being rebuilt: retry a while
        transient = (proc.returncode in (126, 127) or "No such file" in out
                     or "Text file busy" in out or "linking" in out
                     or "undefined reference" in out or "ld returned" in out
                     or ("cannot" in out and "exec" in out))
        if proc.returncode != 0 and transient and attempt < 23:
            time.sleep(5)
            continue
        if proc.returncode == 0 and so.exists():
            return "ok", so, src, out
        if proc.returncode == 1 and "error:" in out and "internal" not in out.lower():
            return "rejected", so, src, out
        return "ice", so, src, f"exit {proc.returncode}\n{out}"
    return "ice", so, src, "the compiler could not be run"


def run_child(seed, so, timeout=150):
    """run_program in a child process: a crash or a hang of the compiled
    code is reported, not fatal.  Returns the result dict, with "crash" set
    on a crash or time-out."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "python"), str(HERE)]
                                        + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    for attempt in range(4):
        try:
            proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child",
                                   str(seed), str(so)], capture_output=True, text=True,
                                  timeout=timeout, env=env)
        except subprocess.TimeoutExpired as e:
            last = (e.stderr or b"")
            last = last.decode(errors="replace") if isinstance(last, bytes) else last
            return {"seed": seed, "calls": 0, "mismatches": [], "deviations": 0,
                    "crash": f"timed out after {timeout} s; last call started: "
                             f"{last.strip().splitlines()[-1:] if last else '?'}"}
        lines = proc.stdout.strip().splitlines()
        if proc.returncode == 0 and lines and lines[-1].startswith("{"):
            return json.loads(lines[-1])
        err = proc.stderr.strip().splitlines()
        if "cannot allocate memory in static TLS block" in proc.stderr or \
                "No such file" in proc.stderr and attempt < 3:
            time.sleep(5)  # an infrastructure problem (a runtime being rebuilt)
            if attempt < 3:
                continue
        sig = -proc.returncode if proc.returncode < 0 else None
        how = f"killed by {signal.Signals(sig).name}" if sig else f"exit {proc.returncode}"
        started = [ln for ln in err if ln.startswith("CALL ")]
        return {"seed": seed, "calls": 0, "mismatches": [], "deviations": 0,
                "crash": f"the child process died ({how}); last call started: "
                         f"{started[-1][5:] if started else '?'}\n"
                         + "\n".join(ln for ln in err if not ln.startswith("CALL "))[-3000:]}
    raise AssertionError("unreachable")


def report(seed, src, res, limit=6):
    lines = [f"program {seed}: "]
    if res.get("crash"):
        lines.append(f"CRASH: {res['crash']}")
    for m in res["mismatches"][:limit]:
        lines.append(f"  {m['func']}({m['args']}):\n    {m['diff']}")
    if len(res["mismatches"]) > limit:
        lines.append(f"  ... {len(res['mismatches']) - limit} more")
    lines.append(f"--- source (reproduce: KILN_FUZZ_ARRAYS_SEED={seed} KILN_FUZZ_ARRAYS_COUNT=1) ---")
    lines.append(src)
    return "\n".join(lines)


# ---- the tests -------------------------------------------------------------------------------

COUNT = int(os.environ.get("KILN_FUZZ_ARRAYS_COUNT", "16"))
SEED = int(os.environ.get("KILN_FUZZ_ARRAYS_SEED", "0"))
SEEDS = list(range(SEED, SEED + COUNT))


@pytest.mark.parametrize("seed", SEEDS)
def test_fuzz_array_program(kiln, tmp_path, seed):
    status, so, src, out = compile_program(kiln, seed, tmp_path)
    if status == "rejected":
        pytest.fail(f"Kiln rejected generated program {seed} (a generator bug: it must stay "
                    f"in the supported subset):\n{out}\n--- source ---\n{src}", pytrace=False)
    if status == "ice":
        pytest.fail(f"Kiln crashed compiling program {seed}:\n{out}\n--- source ---\n{src}",
                    pytrace=False)
    res = run_child(seed, so)
    if res.get("crash") or res["mismatches"]:
        pytest.fail(report(seed, src, res), pytrace=False)
    assert res["calls"] > 0


# ---- command line: scale runs -----------------------------------------------------------------


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--child", nargs=2, metavar=("SEED", "SO"))
    ap.add_argument("--show", type=int, metavar="SEED")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="/tmp/fuzz_arrays_run")
    a = ap.parse_args(argv)
    if a.child:
        def progress(s):
            print("CALL " + s, file=sys.stderr, flush=True)
        res = run_program(int(a.child[0]), a.child[1], progress)
        print(json.dumps(res))
        return 0
    if a.show is not None:
        src, meta = generate(a.show)
        print(src)
        print("# inexact:", meta["inexact"])
        return 0
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    kb = kiln_path()
    stats = {"programs": 0, "calls": 0, "deviations": 0, "rejected": 0, "ice": 0,
             "crash": 0, "mismatch": 0, "outcomes": {}}
    t0 = time.time()
    log = open(out / "log.txt", "a")
    for seed in range(a.seed, a.seed + a.count):
        status, so, src, cout = compile_program(kb, seed, out / "work")
        stats["programs"] += 1
        if status != "ok":
            stats[status] += 1
            (out / f"{status}_{seed}.txt").write_text(f"{cout}\n--- source ---\n{src}")
            print(f"[{seed}] {status}", flush=True)
            log.write(f"{seed} {status}\n")
            continue
        res = run_child(seed, so)
        stats["calls"] += res["calls"]
        stats["deviations"] += res.get("deviations", 0)
        for k, v in res.get("outcomes", {}).items():
            stats["outcomes"][k] = stats["outcomes"].get(k, 0) + v
        if res.get("deviation_calls"):
            log.write(f"{seed} deviation {res['deviation_calls'][:2]}\n")
        if res.get("crash") or res["mismatches"]:
            key = "crash" if res.get("crash") else "mismatch"
            stats[key] += 1
            (out / f"{key}_{seed}.txt").write_text(report(seed, src, res, limit=20))
            print(f"[{seed}] {key}", flush=True)
            log.write(f"{seed} {key}\n")
        try:
            so.unlink()
        except OSError:
            pass
        if stats["programs"] % 50 == 0:
            print(f"{stats} {time.time() - t0:.0f}s", flush=True)
    stats["seconds"] = round(time.time() - t0)
    print(stats)
    log.write(json.dumps(stats) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


# ---- regressions: hand-reduced from this fuzzer's findings ------------------------------------
#
# Each runs under Kiln (default options) and CPython on the same inputs.  The
# xfail ones document bugs that are not fixed yet (strict: they fail the run
# once the bug is fixed, so that the marker comes off); the others were fixed
# after this fuzzer found them.

REGRESSIONS_SRC = '''
import numpy as np
from kiln.types import float64, int64


def view_then_raise(a: float64[:, :], k: int, m: int):
    v = a[5]
    v[:] = k % m
    return a


def scalar_then_raise(y: float64[:], n: int):
    s = 10 // n
    r = y[0] - s
    return r


def element_then_index(x: float64[:], y: float64[:], n: int):
    s = x[n]
    r = y[0] - s
    return r


def same_new_twice(a: float64[:]):
    x = a * 2.0
    return x, x


def new_and_its_view(a: float64[:]):
    x = a * 2.0
    return x, x[1:]


def two_rows_of_new(a: float64[:, :], n: int):
    x = a * 2.0
    return x[n], x[-1, ::2]


def new_and_bound_view(a: float64[:]):
    x = a * 2.0
    v = x[1:]
    return x, v


def return_alias_of_rebound(p: float64[:]):
    x = p * 2.0
    v = x
    x = p + 1.0
    return v


def return_view_of_rebound(p: float64[:]):
    x = p * 2.0
    v = x[1:]
    x = p + 1.0
    return v


def return_first_of_rebound(x: float64[:], n: int):
    y = x * 2.0
    first = y
    for i in range(n):
        y = y + x
    return first


def return_alias_of_rebound_in_tuple(p: float64[:]):
    x = p * 2.0
    v = x
    x = p + 1.0
    return v, 1.0
'''


@pytest.fixture(scope="module")
def regressions(compile_module):
    return compile_module(REGRESSIONS_SRC, "fuzz_arrays_regressions", options=())


def outcome_of(f, *args):
    try:
        return ("ok", f(*args))
    except Exception as e:  # noqa: BLE001 - the exception is the outcome
        return ("err", type(e).__name__, str(e))


# Found by seed 10019 (fixed by 4672234, "Forward substitution keeps CPython's
# order of errors"): a view read only by the next statement was computed inside
# it, after that statement's right-hand side, so the right-hand side's
# ZeroDivisionError replaced the view's IndexError.
def test_regression_view_index_checked_before_next_statement(regressions):
    args = (np.zeros((1, 3)), 1, 0)
    assert outcome_of(regressions.k.view_then_raise, *args) == \
        outcome_of(regressions.py.view_then_raise, *args)


# Found by seed 10337 (fixed by 4672234): a scalar read only by the next
# statement was moved into it after the statement's other operands: the
# IndexError of y[0] came out instead of the ZeroDivisionError of 10 // n,
# and of two IndexErrors the second one's message.
def test_regression_scalar_exception_before_next_statement(regressions):
    args = (np.zeros(0), 0)
    assert outcome_of(regressions.k.scalar_then_raise, *args) == \
        outcome_of(regressions.py.scalar_then_raise, *args)


def test_regression_element_index_error_order(regressions):
    args = (np.zeros(0), np.zeros(0), 5)
    assert outcome_of(regressions.k.element_then_index, *args) == \
        outcome_of(regressions.py.element_then_index, *args)


def test_regression_programs_agree_where_no_exception(regressions):
    # the same functions agree when nothing raises
    a = np.arange(21.0).reshape(7, 3)
    for f, args in (("view_then_raise", (a, 7, 3)), ("scalar_then_raise", (np.ones(2), 3)),
                    ("element_then_index", (np.arange(5.0), np.ones(3), 2))):
        fk, fp = regressions.pair(f)
        ka = tuple(x.copy() if isinstance(x, np.ndarray) else x for x in args)
        pa = tuple(x.copy() if isinstance(x, np.ndarray) else x for x in args)
        np.testing.assert_array_equal(np.asarray(fk(*ka)), np.asarray(fp(*pa)))


# Found by seeds 20248, 20519, 20539, 20558 (fixed: forward substitution
# computed a temporary once per read, so `return x, x` gave two copies).
@pytest.mark.parametrize("fname,args", [
    ("same_new_twice", (np.arange(4.0),)),
    ("new_and_its_view", (np.arange(4.0),)),
    ("two_rows_of_new", (np.ones((3, 4)), 2)),
])
def test_regression_results_share_memory_as_in_python(regressions, fname, args):
    rk = getattr(regressions.k, fname)(*args)
    rp = getattr(regressions.py, fname)(*args)
    assert np.shares_memory(rp[0], rp[1])
    assert np.shares_memory(rk[0], rk[1])


def test_results_share_memory_when_the_view_is_bound_first(regressions):
    rk = regressions.k.new_and_bound_view(np.arange(4.0))
    assert np.shares_memory(rk[0], rk[1])
    rk[0][1] = 99.0
    assert rk[1][0] == 99.0


# Found by seed 31350 (fixed: free-dead-arrays counted a `return` after the
# next store as harmless): an alias or view of a rebound array returned.
@pytest.mark.parametrize("fname,args", [
    ("return_alias_of_rebound", (np.arange(5.0),)),
    ("return_view_of_rebound", (np.arange(5.0),)),
    ("return_first_of_rebound", (np.arange(5.0), 3)),
])
def test_regression_returned_alias_of_rebound_array(regressions, fname, args):
    fk, fp = regressions.pair(fname)
    want = fp(*args)
    got = outcome_of(fk, *args)
    assert got[0] == "ok", got
    np.testing.assert_array_equal(got[1], want)


def test_returned_alias_of_rebound_array_in_a_tuple(regressions):
    # the same, in a tuple, already agrees (and so does a call that does not rebind)
    fk, fp = regressions.pair("return_alias_of_rebound_in_tuple")
    np.testing.assert_array_equal(fk(np.arange(5.0))[0], fp(np.arange(5.0))[0])
    fk, fp = regressions.pair("return_first_of_rebound")
    np.testing.assert_array_equal(fk(np.arange(5.0), 0), fp(np.arange(5.0), 0))
