/*===- arith.c - Arithmetic that generated code calls out for ------------===*
 *
 * Operations too rare or too long to inline into every module.
 *
 *===----------------------------------------------------------------------===*/
#include "kiln/runtime.h"

#include <math.h>
#include <stdio.h>

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
