/*===- arith.c - Arithmetic that generated code calls out for ------------===*
 *
 * Operations too rare or too long to inline into every module.
 *
 *===----------------------------------------------------------------------===*/
#include "kiln/runtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Number of the highest set bit of a non-zero 128-bit value. */
static int top_bit(unsigned __int128 v) {
  uint64_t hi = (uint64_t)(v >> 64);
  if (hi)
    return 127 - __builtin_clzll(hi);
  return 63 - __builtin_clzll((uint64_t)v);
}

/* a / b for int64 operands, correctly rounded to the nearest double (ties to
 * even), as CPython's int.__truediv__. b != 0. Doubles hold integers up to
 * 2**53 exactly, so smaller operands use one hardware division; larger ones
 * divide exactly in 128 bits and round once. */
double kiln_int_truediv(int64_t a, int64_t b) {
  const int64_t Exact = (int64_t)1 << 53;
  if (a >= -Exact && a <= Exact && b >= -Exact && b <= Exact)
    return (double)a / (double)b;
  int negative = (a < 0) != (b < 0);
  uint64_t ua = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  uint64_t ub = b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b;
  if (ua == 0)
    return negative ? -0.0 : 0.0;
  /* Scale the dividend so the quotient has at least 63 significant bits. */
  int s = 127 - top_bit(ua);
  unsigned __int128 n = (unsigned __int128)ua << s;
  unsigned __int128 q = n / ub;
  int sticky = (n % ub) != 0;
  int p = top_bit(q);
  int shift = p - 52; /* keep 53 bits */
  uint64_t mant = (uint64_t)(q >> shift);
  unsigned __int128 rest = q & (((unsigned __int128)1 << shift) - 1);
  unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
  if (rest > half || (rest == half && (sticky || (mant & 1))))
    ++mant;
  double r = ldexp((double)mant, shift - s);
  return negative ? -r : r;
}

void kiln_raise_index(int64_t index, int64_t axis, int64_t size) {
  char msg[128];
  snprintf(msg, sizeof msg, "index %lld is out of bounds for axis %lld with size %lld",
           (long long)index, (long long)axis, (long long)size);
  /* The error state copies messages, so a stack buffer is fine. */
  kiln_raise_msg("IndexError", msg);
}

/* repr() of a float as CPython writes it: the shortest digits that read
 * back the same, fixed notation for exponents -4 .. 15 (with ".0" when
 * integral), else d.ddde+XX. */
static int float_repr(char *buf, size_t len, double v) {
  if (v != v)
    return snprintf(buf, len, "nan");
  if (v == HUGE_VAL || v == -HUGE_VAL)
    return snprintf(buf, len, v < 0 ? "-inf" : "inf");
  char tmp[40];
  int p = 1;
  for (; p < 17; ++p) {
    snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
    if (strtod(tmp, NULL) == v)
      break;
  }
  snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
  int x = atoi(strchr(tmp, 'e') + 1);
  if (v == 0.0)
    x = 0;
  if (x < -4 || x >= 16)
    return snprintf(buf, len, "%s", tmp);
  int decimals = p - 1 - x > 0 ? p - 1 - x : 0;
  int w = snprintf(buf, len, "%.*f", decimals, v);
  if (decimals == 0 && w > 0 && (size_t)w + 2 < len)
    w += snprintf(buf + w, len - (size_t)w, ".0");
  return w;
}

void kiln_raise_fmt(const char *exc_name, const char *fmt, int32_t nargs, const kiln_arg *args) {
  char msg[512];
  size_t n = 0;
  int32_t next = 0;
  for (const char *p = fmt; *p && n + 1 < sizeof msg; ++p) {
    if (p[0] == '{' && p[1] == '}' && next < nargs) {
      const kiln_arg *a = &args[next++];
      int w = 0;
      switch (a->tag) {
      case 'i':
        w = snprintf(msg + n, sizeof msg - n, "%lld", (long long)a->v.i);
        break;
      case 'f':
        w = float_repr(msg + n, sizeof msg - n, a->v.f);
        break;
      case 'b':
        w = snprintf(msg + n, sizeof msg - n, "%s", a->v.i ? "True" : "False");
        break;
      default:
        w = snprintf(msg + n, sizeof msg - n, "%s", a->v.s ? a->v.s : "");
        break;
      }
      if (w > 0)
        n += (size_t)w < sizeof msg - n ? (size_t)w : sizeof msg - n - 1;
      ++p;
      continue;
    }
    msg[n++] = *p;
  }
  msg[n] = 0;
  kiln_raise_msg(exc_name, msg);
}

/* Number of elements of np.arange(start, stop, step) for int64 operands,
 * step != 0: ceil((stop - start) / step), at least 0, computed exactly. */
int64_t kiln_arange_len_i(int64_t start, int64_t stop, int64_t step) {
  __int128 diff = (__int128)stop - (__int128)start;
  __int128 q = diff / step, r = diff % step;
  if (r != 0 && ((r > 0) == (step > 0)))
    ++q; /* ceiling */
  if (q <= 0)
    return 0;
  if (q > (__int128)INT64_MAX) {
    kiln_raise_msg("ValueError", "Maximum allowed size exceeded");
    return -1;
  }
  return (int64_t)q;
}

/* The same for float64 operands, as NumPy computes it: the length is
 * ceil((stop - start) / step) in double arithmetic. */
int64_t kiln_arange_len_f(double start, double stop, double step) {
  double delta = stop - start;
  double v = delta / step;
  if (v != v) {
    kiln_raise_msg("ValueError", "arange: cannot compute length");
    return -1;
  }
  /* A quotient that underflowed to zero still means one element when it is
   * +0 and the distance is not zero (NumPy's rule). */
  if (v == 0.0 && delta != 0.0)
    return signbit(v) ? 0 : 1;
  v = ceil(v);
  if (v <= 0)
    return 0;
  if (v >= 9223372036854775808.0) {
    kiln_raise_msg("ValueError", "Maximum allowed size exceeded");
    return -1;
  }
  return (int64_t)v;
}

/* ---- Sorting (np.sort, a.sort()) ---------------------------------------- */

/* NumPy's order: NaN after every number. */
#define KILN_CMP_FLOAT(name, T)                                                 \
  static int name(const void *pa, const void *pb) {                             \
    T a = *(const T *)pa, b = *(const T *)pb;                                   \
    if (a < b)                                                                  \
      return -1;                                                                \
    if (a > b)                                                                  \
      return 1;                                                                 \
    int na = a != a, nb = b != b;                                               \
    return na - nb; /* equal, or NaN against a number */                        \
  }
#define KILN_CMP_INT(name, T)                                                   \
  static int name(const void *pa, const void *pb) {                             \
    T a = *(const T *)pa, b = *(const T *)pb;                                   \
    return (a > b) - (a < b);                                                   \
  }
KILN_CMP_FLOAT(cmp_f64, double)
KILN_CMP_FLOAT(cmp_f32, float)
KILN_CMP_INT(cmp_i64, int64_t)
KILN_CMP_INT(cmp_i32, int32_t)
KILN_CMP_INT(cmp_i16, int16_t)
KILN_CMP_INT(cmp_i8, int8_t)
KILN_CMP_INT(cmp_u64, uint64_t)
KILN_CMP_INT(cmp_u32, uint32_t)
KILN_CMP_INT(cmp_u16, uint16_t)
KILN_CMP_INT(cmp_u8, uint8_t)

/* The element kinds of kiln_sort, in the order of KILN_SORT_* in runtime.h. */
static const struct {
  size_t item;
  int (*cmp)(const void *, const void *);
} sort_kinds[] = {
    {8, cmp_f64}, {8, cmp_i64}, {1, cmp_u8},  {1, cmp_i8},  {2, cmp_i16},
    {4, cmp_i32}, {2, cmp_u16}, {4, cmp_u32}, {8, cmp_u64}, {4, cmp_f32},
};

int32_t kiln_sort(void *data, int64_t n, int64_t stride, int32_t kind) {
  if (kind < 0 || kind >= (int32_t)(sizeof sort_kinds / sizeof sort_kinds[0])) {
    kiln_raise_msg("SystemError", "kiln_sort: unknown element kind");
    return -1;
  }
  size_t item = sort_kinds[kind].item;
  int (*cmp)(const void *, const void *) = sort_kinds[kind].cmp;
  if (n < 2)
    return 0;
  if (stride == 1) {
    qsort(data, (size_t)n, item, cmp);
    return 0;
  }
  /* Any other stride: sorted in a contiguous copy. */
  char *tmp = malloc((size_t)n * item);
  if (!tmp) {
    kiln_raise_msg("MemoryError", "cannot allocate memory to sort");
    return -1;
  }
  char *base = data;
  for (int64_t i = 0; i < n; ++i)
    memcpy(tmp + i * item, base + i * stride * (int64_t)item, item);
  qsort(tmp, (size_t)n, item, cmp);
  for (int64_t i = 0; i < n; ++i)
    memcpy(base + i * stride * (int64_t)item, tmp + i * item, item);
  free(tmp);
  return 0;
}
