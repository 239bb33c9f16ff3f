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

/* An introsort per element type on contiguous data, with plain `<` (no
 * comparison callback): quicksort with a median-of-three pivot, insertion
 * sort below 16 elements, heapsort when the recursion gets too deep. Floats
 * first move their NaNs to the end (NumPy's order), so the numbers left
 * compare with `<` alone. Equal keys end up in an unspecified order, as in
 * NumPy's quicksort. */
#define KILN_DEFINE_SORT(T)                                                     \
  static void sift_##T(T *a, int64_t root, int64_t n) {                         \
    T v = a[root];                                                              \
    for (int64_t c; (c = 2 * root + 1) < n; root = c) {                         \
      if (c + 1 < n && a[c] < a[c + 1])                                         \
        ++c;                                                                    \
      if (!(v < a[c]))                                                          \
        break;                                                                  \
      a[root] = a[c];                                                           \
    }                                                                           \
    a[root] = v;                                                                \
  }                                                                             \
  static void heapsort_##T(T *a, int64_t n) {                                   \
    for (int64_t i = n / 2; i-- > 0;)                                           \
      sift_##T(a, i, n);                                                        \
    for (int64_t i = n; i-- > 1;) {                                             \
      T t = a[0];                                                               \
      a[0] = a[i];                                                              \
      a[i] = t;                                                                 \
      sift_##T(a, 0, i);                                                        \
    }                                                                           \
  }                                                                             \
  static void introsort_##T(T *a, int64_t n, int depth) {                       \
    while (n > 16) {                                                            \
      if (depth-- == 0) {                                                       \
        heapsort_##T(a, n);                                                     \
        return;                                                                 \
      }                                                                         \
      T *m = a + n / 2, *l = a + n - 1, t;                                      \
      /* Median of three into a[0], then Hoare's partition around it. */        \
      if (*m < *a) { t = *m; *m = *a; *a = t; }                                 \
      if (*l < *m) { t = *l; *l = *m; *m = t; }                                 \
      if (*m < *a) { t = *m; *m = *a; *a = t; }                                 \
      t = *m; *m = *a; *a = t;                                                  \
      T p = a[0];                                                               \
      int64_t i = 0, j = n;                                                     \
      for (;;) {                                                                \
        do ++i; while (i < n && a[i] < p);                                      \
        do --j; while (p < a[j]);                                               \
        if (i >= j)                                                             \
          break;                                                                \
        t = a[i]; a[i] = a[j]; a[j] = t;                                        \
      }                                                                         \
      t = a[0]; a[0] = a[j]; a[j] = t;                                          \
      /* Recurse into the smaller side, loop on the larger. */                  \
      if (j < n - j - 1) {                                                      \
        introsort_##T(a, j, depth);                                             \
        a += j + 1;                                                             \
        n -= j + 1;                                                             \
      } else {                                                                  \
        introsort_##T(a + j + 1, n - j - 1, depth);                             \
        n = j;                                                                  \
      }                                                                         \
    }                                                                           \
    for (int64_t i = 1; i < n; ++i) {                                           \
      T v = a[i];                                                               \
      int64_t k = i;                                                            \
      for (; k > 0 && v < a[k - 1]; --k)                                        \
        a[k] = a[k - 1];                                                        \
      a[k] = v;                                                                 \
    }                                                                           \
  }                                                                             \
  static void sort_##T(void *data, int64_t n) {                                 \
    T *a = data;                                                                \
    int depth = 2;                                                              \
    for (int64_t m = n; m > 1; m >>= 1)                                         \
      depth += 2;                                                               \
    introsort_##T(a, n, depth);                                                 \
  }

typedef double f64;
typedef float f32;
KILN_DEFINE_SORT(f64)
KILN_DEFINE_SORT(f32)
KILN_DEFINE_SORT(int64_t)
KILN_DEFINE_SORT(int32_t)
KILN_DEFINE_SORT(int16_t)
KILN_DEFINE_SORT(int8_t)
KILN_DEFINE_SORT(uint64_t)
KILN_DEFINE_SORT(uint32_t)
KILN_DEFINE_SORT(uint16_t)
KILN_DEFINE_SORT(uint8_t)

/* Floats: the NaNs swapped to the end (each keeps its bits), the numbers
 * before them sorted. */
#define KILN_DEFINE_FLOAT_SORT(T)                                               \
  static void sortnan_##T(void *data, int64_t n) {                              \
    T *a = data;                                                                \
    int64_t i = 0, j = n;                                                       \
    for (;;) {                                                                  \
      while (i < j && a[i] == a[i])                                             \
        ++i;                                                                    \
      while (i < j && a[j - 1] != a[j - 1])                                     \
        --j;                                                                    \
      if (i >= j)                                                               \
        break;                                                                  \
      T t = a[i];                                                               \
      a[i] = a[j - 1];                                                          \
      a[j - 1] = t;                                                             \
    }                                                                           \
    sort_##T(a, i);                                                             \
  }
KILN_DEFINE_FLOAT_SORT(f64)
KILN_DEFINE_FLOAT_SORT(f32)

/* The element kinds of kiln_sort, in the order of KILN_SORT_* in runtime.h. */
static const struct {
  size_t item;
  void (*sort)(void *, int64_t);
} sort_kinds[] = {
    {8, sortnan_f64},   {8, sort_int64_t},  {1, sort_uint8_t},  {1, sort_int8_t},
    {2, sort_int16_t},  {4, sort_int32_t},  {2, sort_uint16_t}, {4, sort_uint32_t},
    {8, sort_uint64_t}, {4, sortnan_f32},
};

int32_t kiln_sort(void *data, int64_t n, int64_t stride, int32_t kind) {
  if (kind < 0 || kind >= (int32_t)(sizeof sort_kinds / sizeof sort_kinds[0])) {
    kiln_raise_msg("SystemError", "kiln_sort: unknown element kind");
    return -1;
  }
  size_t item = sort_kinds[kind].item;
  void (*sort)(void *, int64_t) = sort_kinds[kind].sort;
  if (n < 2)
    return 0;
  if (stride == 1) {
    sort(data, n);
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
  sort(tmp, n);
  for (int64_t i = 0; i < n; ++i)
    memcpy(base + i * stride * (int64_t)item, tmp + i * item, item);
  free(tmp);
  return 0;
}
