"""Array programming (e2e case): basic slicing and views, slice assignment
and in-place operators, reductions, matrix products, and statements that mix
them. The same source runs under CPython with NumPy, which is what the
compiled module is compared with (test_array_exprs.py). The element-wise
operator/function matrix is generated in the test file itself."""
import numpy as np
from kiln.types import bool_, float64, int64

# ---- slices are views --------------------------------------------------------------------


def s_inner(a: float64[:]):
    return a[1:-1]


def s_every2(a: float64[:]):
    return a[::2]


def s_rev(a: int64[:]):
    return a[::-1]


def s_general(a: float64[:], lo: int, hi: int, st: int):
    return a[lo:hi:st]


def s_from(a: float64[:], lo: int):
    return a[lo:]


def s_upto(a: bool_[:], hi: int):
    return a[:hi]


def s_desc(a: float64[:], lo: int, hi: int):
    return a[lo:hi:-1], a[lo:hi:3], a[hi:lo:-2]


def s_step_only(a: int64[:], st: int):
    return a[::st]


def s2_row_tail(a: float64[:, :], i: int):
    return a[i, 1:]


def s2_col(a: float64[:, :], j: int):
    return a[:, j]


def s2_block(a: float64[:, :], lo: int, hi: int, st: int):
    return a[lo:hi, ::st]


def s2_mixed(a: int64[:, :]):
    return a[::-1, 1::2], a[1:, :-1], a[-1:, ::-3]


def s2_ellipsis(a: float64[:, :]):
    return a[..., 0], a[0, ...], a[..., ::-1], a[...]


def s2_newaxis(a: float64[:]):
    return a[:, None], a[None, :], a[None, ::-1, None]


def s2_newaxis2(a: float64[:, :]):
    return a[:, None], a[None], a[..., None], a[1:, None, ::2]


def s2_transpose(a: float64[:, :]):
    return a.T, np.transpose(a), a.transpose(), a.T[::-1], a[::2].T


def s1_transpose(a: float64[:]):
    return a.T, np.transpose(a)


def s3_views(a: int64[:, :, :]):
    return a[1:, ::-1, 0], a[..., 1], a[:, None, 1:, :], a[0], a.T, a[-1, -1]


def s3_index_tail(a: float64[:, :, :], i: int, j: int):
    return a[i, j, :], a[i, :, j], a[:, i, j:]


def s_element_via_ellipsis(a: float64[:, :]) -> float:
    return a[1, ...][2]


def s_len_of_views(a: float64[:, :]):
    v = a[1:, ::2]
    return v.shape, v.ndim, v.size, len(v), len(a.T)


# ---- writes through views --------------------------------------------------------------


def v_write_element(a: float64[:]):
    v = a[1:4]
    v[0] = 9.5
    w = a[::-2]
    w[0] = -1.0


def v_write_2d(a: float64[:, :]):
    t = a.T
    t[0, 1] = 7.0
    r = a[1:, ::-1]
    r[0, 0] = -3.0


def v_inplace_view(a: float64[:]):
    v = a[::2]
    v += 1.0
    v *= 2.0


def v_view_then_read(a: float64[:]) -> float:
    v = a[1:]
    v[0] = 5.0
    return a[1] + v[0]


def v_return_and_write(a: int64[:]):
    v = a[::-1]
    v[0] = 42
    return v


# ---- slice assignment --------------------------------------------------------------------


def sa_inner(a: float64[:], b: float64[:]):
    a[1:-1] = b


def sa_col_scalar(a: float64[:, :], v: float):
    a[:, 0] = v


def sa_row(a: float64[:, :], i: int, r: float64[:]):
    a[i] = r


def sa_row_slice(a: float64[:, :], i: int, r: float64[:]):
    a[i, :] = r


def sa_shift(a: float64[:], b: float64[:]):
    a[1:] = a[:-1] * 2.0 + b


def sa_reverse(a: int64[:]):
    a[:] = a[::-1]


def sa_copy_shift(a: float64[:]):
    a[1:] = a[:-1]


def sa_copy_to_reversed(a: int64[:]):
    a[::-1] = a


def sa_aug_shift(a: float64[:]):
    a[1:] += a[:-1]


def sa_aug_shift_i(a: int64[:]):
    a[:-1] -= a[1:]


def sa_aug_rev(a: float64[:]):
    a += a[::-1]


def sa_aug_transpose(a: float64[:, :]):
    a += a.T


def sa_step(a: float64[:], st: int, v: float):
    a[::st] = v


def sa_block(a: float64[:, :], b: float64[:]):
    a[1:, ::2] = b


def sa_ellipsis(a: float64[:, :], b: float64[:]):
    a[...] = b


def sa_none(a: float64[:], b: float64[:]):
    a[None, :] = b


def sa_expr2(a: float64[:, :], b: float64[:], c: float64[:]):
    a[:, 1:] = b[:, None] * c[None, 1:] - a[:, :-1]


def sa_aug_scalar(a: float64[:], k: float):
    a[::2] *= k
    a[1::2] /= k


def sa_aug_int(a: int64[:], b: int64[:]):
    a[1:] //= b
    a[:1] %= 7


def sa_aug_var(a: float64[:, :], b: float64[:]):
    a += b
    a *= 0.5


def sa_aug_var_i(a: int64[:, :], b: int64[:, :]):
    a -= b
    a *= 3
    a ^= b


def sa_aug_var_b(a: bool_[:], b: bool_[:]):
    a |= b
    a ^= True


def sa_int_from_float(a: int64[:], b: float64[:]):
    a[:] = b


def sa_bool_from_float(a: bool_[:], b: float64[:]):
    a[:] = b


def sa_float_from_int(a: float64[:], b: int64[:]):
    a[::-1] = b


def sa_then_return(a: float64[:]):
    a[1:] = 0.0
    return a[::-1]


def sa_self_alias(a: float64[:, :]):
    b = a[::-1]
    a[:] = b + 1.0


def sa_3d(a: float64[:, :, :], b: float64[:]):
    a[:, 1:, ::2] = b
    a[0] = -1.0


# ---- statements mixing expressions, calls and views ------------------------------------


def bump(a: float64[:]) -> float:
    a[0] = 100.0
    return 1.0


def fused_call_side_effect(a: float64[:]):
    # NumPy computes a * 2.0 before bump(a) runs
    return a * 2.0 + bump(a)


def fused_call_side_effect_assign(a: float64[:], out: float64[:]):
    out[:] = a * 2.0 + bump(a)


def fused_reduction_side_effect(a: float64[:]) -> float:
    return np.sum(a * 2.0 + bump(a))


def expr_then_write(a: float64[:]):
    b = a + 1.0
    a[0] = 100.0
    return b


def chain(a: float64[:], b: float64[:, :]):
    c = np.sqrt(np.abs(a)) * b - a[::-1] / 2.0
    d = np.where(c > 0.0, c, -c) + np.maximum(a, 1.0)
    return c, d, (c < d) & (a[None, :] != 0.0)


def outer(a: float64[:], b: float64[:]):
    return a[:, None] * b[None, :], a[:, None] - b


def broadcast3(a: float64[:, :, :], b: float64[:, :]):
    return a + b, a * b[None] - 1.0


def int_mix(a: int64[:], b: int64[:]):
    return (a + b) * 3 - a // 2 + (a % 5) * b, -a, ~a, np.abs(a), a / 4


def scalar_rules(a: int64[:], b: bool_[:], c: float64[:]):
    return a + 1.5, a + 1, a / 2, b + 1, b + 1.5, b & True, a & True, c + 1, c > 2, a < 2.5, b == 1


def unary_plus(a: float64[:]):
    return +a


def unary_plus_is_a_copy(a: float64[:]):
    b = +a
    b[0] = 100.0
    return b


def pow_literals(a: float64[:]):
    # NumPy's fast scalar powers: ** 0.5 is np.sqrt, ** 2 np.square, ** -1
    # np.reciprocal, ** 1 a copy, ** 0 ones
    return a ** 0.5, a ** 2, a ** -1, a ** 1, a ** 0, a ** 2.0, a ** 3.0


def float_specials(a: float64[:], b: float64[:]):
    return a / b, a // b, a % b, a ** b, -a


def unary_chain(a: float64[:, :]):
    return (np.floor(a * 2.0) + np.ceil(-a) - np.trunc(a / 3.0) * np.sign(a),
            np.isnan(a) | np.isinf(a))


def rebind_in_loop(a: float64[:], n: int):
    x = a
    for k in range(n):
        x = x * 0.5 + a[::-1]
    return x


def local_array_aug(n: int):
    x = np.zeros(n)
    y = np.arange(n) * 1.0
    x += y
    x[1:] += x[:-1]
    return x


def view_of_local(n: int):
    x = np.zeros((n, 3))
    x[:, 1] = 1.0
    x[1:, 2] = 2.0
    return x[::-1], x.T


def where_mixed(c: bool_[:], a: int64[:], b: float64[:, :]):
    return np.where(c, a, b), np.where(b > 0.0, 1, a), np.where(c, a, 7)


def where3_err(c: bool_[:], a: float64[:], b: float64[:]):
    return np.where(c, a, b)


# ---- reductions ---------------------------------------------------------------------------


def r_sum(a: float64[:, :]):
    return np.sum(a), np.sum(a, axis=0), a.sum(axis=1), np.sum(a, -1, keepdims=True), \
        a.sum(keepdims=True), np.sum(a, axis=-2, keepdims=False)


def r_sum_i(a: int64[:, :]):
    return np.sum(a), np.sum(a, axis=0), a.sum(1), np.prod(a, axis=1), a.prod(), \
        np.mean(a), a.mean(axis=0)


def r_sum_b(a: bool_[:, :]):
    return np.sum(a), a.sum(axis=0), np.mean(a, axis=1), np.prod(a, axis=0), \
        np.any(a), a.all(), np.any(a, axis=1), np.all(a, axis=0, keepdims=True)


def r_prod_mean(a: float64[:, :]):
    return np.prod(a), a.prod(axis=0), np.mean(a), a.mean(axis=1), \
        np.mean(a, axis=0, keepdims=True)


def r_minmax(a: float64[:, :]):
    return np.min(a), np.max(a), a.min(axis=0), a.max(axis=1), np.amin(a, axis=-1), \
        np.amax(a, keepdims=True), np.amax(a, axis=0, keepdims=True)


def r_minmax_i(a: int64[:, :]):
    return np.min(a), a.max(), np.amin(a, 0), np.max(a, axis=1, keepdims=True)


def r_minmax_b(a: bool_[:]):
    return np.min(a), np.max(a), np.argmin(a), np.argmax(a)


def r_arg(a: float64[:, :]):
    return np.argmin(a), np.argmax(a), a.argmin(axis=0), a.argmax(axis=1), np.argmax(a, axis=-1)


def r_arg_i(a: int64[:, :]):
    return a.argmin(), np.argmax(a, 0), np.argmin(a, axis=1)


def r_min_axis0(a: float64[:, :]):
    return a.min(axis=0)


def r_min_axis1(a: float64[:, :]):
    return np.min(a, axis=1)


def r_argmax_axis1(a: float64[:, :]):
    return np.argmax(a, axis=1)


def r_any_all(a: float64[:, :]):
    return np.any(a), np.all(a), a.any(axis=0), np.all(a, axis=1), \
        np.any(a, axis=-1, keepdims=True)


def r_any_all_i(a: int64[:]):
    return np.any(a), np.all(a), a.any(keepdims=True)


def r_1d(a: float64[:]):
    return np.sum(a), a.mean(), np.prod(a), np.sum(a, keepdims=True)


def r_1d_minmax(a: float64[:]):
    return a.min(), np.max(a), np.argmin(a), a.argmax(), np.amin(a), np.max(a, keepdims=True)


def r_1d_axis(a: float64[:]):
    # an int axis of a 1-D operand: the result is a scalar
    return np.sum(a, axis=0), a.mean(axis=-1), np.prod(a, 0), a.any(axis=0)


def r_1d_axis_minmax(a: float64[:]):
    return a.min(axis=-1), np.max(a, axis=0), np.argmax(a, axis=0), a.argmin(axis=-1)


def r_3d(a: float64[:, :, :]):
    return np.sum(a, axis=1), a.sum(axis=0, keepdims=True), np.mean(a, axis=2), np.sum(a)


def r_3d_minmax(a: float64[:, :, :]):
    return a.min(axis=2, keepdims=True), np.max(a, axis=1), np.argmin(a, axis=0), np.argmax(a)


def r_fused(a: float64[:], b: float64[:]):
    return np.sum(a * b), np.max(np.abs(a - b)), np.mean(a[:, None] * b[None, :], axis=0), \
        np.sum(a > 0.0), np.any(a > b), np.argmax(a - b)


def r_fused2(a: float64[:, :], b: float64[:]):
    return np.sum((a - b) ** 2.0, axis=1), np.min(a + b, axis=0), (a > b).sum(), \
        np.sqrt(np.sum(a * a, axis=-1, keepdims=True))


def r_then_expr(a: float64[:, :]):
    return a - a.mean(axis=0), a / a.sum(axis=1, keepdims=True), a - np.max(a)


def r_store(a: float64[:, :], b: float64[:, :]):
    # stores of expressions with axis reductions in them, into another array
    # and into the reduced one (whose reduction must be computed first)
    b -= a.mean(axis=0)
    a[:] = a - np.max(a, axis=1, keepdims=True)
    b[1:] = b[1:] / np.sum(np.abs(b), axis=0)


# ---- matrix products ----------------------------------------------------------------------


def mm(a: float64[:, :], b: float64[:, :]):
    return a @ b


def mv(a: float64[:, :], v: float64[:]):
    return a @ v


def vm(v: float64[:], a: float64[:, :]):
    return v @ a


def vv(u: float64[:], v: float64[:]):
    return u @ v


def mm_i(a: int64[:, :], b: int64[:, :]):
    return a @ b, np.matmul(a, b), np.dot(a, b), a.dot(b)


def mv_i(a: int64[:, :], v: int64[:]):
    return a @ v, np.dot(a, v), v @ a.T, v @ v


def mm_mixed(a: int64[:, :], b: float64[:, :]):
    return a @ b, np.dot(b.T, a.T)


def dot_ff(a: float64[:, :], b: float64[:, :]):
    return np.dot(a, b)


def dot_mv(a: float64[:, :], v: float64[:]):
    return np.dot(a, v), a.dot(v)


def dot_vm(v: float64[:], a: float64[:, :]):
    return np.dot(v, a)


def dot_vv(u: float64[:], v: float64[:]):
    return np.dot(u, v), u.dot(v)


def matmul_fn(a: float64[:, :], b: float64[:, :]):
    return np.matmul(a, b)


def gram(a: float64[:, :]):
    return a.T @ a, a @ a.T, a[::-1] @ a[:, ::-1].T


def mm_expr(a: float64[:, :], v: float64[:]):
    return (a * 2.0) @ (v + 1.0), np.sum(a @ v), (a @ v) * 2.0
