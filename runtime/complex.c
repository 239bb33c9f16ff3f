/*===- complex.c - Complex power and the cmath functions ------------------===*
 *
 * Complex `**` follows CPython 3.11's complex_pow bit for bit (small integer
 * exponents by repeated squaring, others through polar form) and raises its
 * errors; the cmath functions are C99's (glibc), with CPython's error rule
 * applied after them: a NaN from an input without NaN is "math domain
 * error" (ValueError), an infinity from a finite input "math range error"
 * (OverflowError), except for the logarithms and atanh, whose poles are
 * domain errors. With `numpy` set nothing raises: NumPy gives inf and nan.
 *
 *===----------------------------------------------------------------------===*/
#include "kiln/runtime.h"

#include <complex.h>
#include <errno.h>
#include <math.h>

typedef struct {
  double re, im;
} cpx;

static cpx prod(cpx a, cpx b) {
  cpx r = {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
  return r;
}

/* CPython's _Py_c_quot (Smith's algorithm); errno = EDOM for a zero b. */
static cpx quot(cpx a, cpx b) {
  cpx r;
  double abs_br = b.re < 0 ? -b.re : b.re;
  double abs_bi = b.im < 0 ? -b.im : b.im;
  if (abs_br >= abs_bi) {
    if (abs_br == 0.0) {
      errno = EDOM;
      r.re = r.im = 0.0;
    } else {
      double ratio = b.im / b.re;
      double denom = b.re + b.im * ratio;
      r.re = (a.re + a.im * ratio) / denom;
      r.im = (a.im - a.re * ratio) / denom;
    }
  } else if (abs_bi >= abs_br) {
    double ratio = b.re / b.im;
    double denom = b.re * ratio + b.im;
    r.re = (a.re * ratio + a.im) / denom;
    r.im = (a.im * ratio - a.re) / denom;
  } else {
    r.re = r.im = NAN; /* a NaN in b */
  }
  return r;
}

static cpx powu(cpx x, long n) {
  cpx r = {1.0, 0.0}, p = x;
  long mask = 1;
  while (mask > 0 && n >= mask) {
    if (n & mask)
      r = prod(r, p);
    mask <<= 1;
    p = prod(p, p);
  }
  return r;
}

static cpx cpow_polar(cpx a, cpx b) {
  cpx r;
  if (b.re == 0.0 && b.im == 0.0) {
    r.re = 1.0;
    r.im = 0.0;
  } else if (a.re == 0.0 && a.im == 0.0) {
    if (b.im != 0.0 || b.re < 0.0)
      errno = EDOM;
    r.re = r.im = 0.0;
  } else {
    double vabs = hypot(a.re, a.im);
    double len = pow(vabs, b.re);
    double at = atan2(a.im, a.re);
    double phase = at * b.re;
    if (b.im != 0.0) {
      len /= exp(at * b.im);
      phase += b.im * log(vabs);
    }
    r.re = len * cos(phase);
    r.im = len * sin(phase);
  }
  return r;
}

int32_t kiln_cpow(double ar, double ai, double br, double bi, int32_t numpy, double *out) {
  cpx a = {ar, ai}, b = {br, bi}, p;
  errno = 0;
  if (b.im == 0.0 && b.re == floor(b.re) && fabs(b.re) <= 100.0) {
    long n = (long)b.re;
    if (n > 0) {
      p = powu(a, n);
    } else {
      cpx one = {1.0, 0.0};
      p = quot(one, powu(a, -n));
    }
  } else {
    p = cpow_polar(a, b);
  }
  out[0] = p.re;
  out[1] = p.im;
  if (numpy)
    return 0;
  if (isinf(p.re) || isinf(p.im)) {
    if (errno == 0)
      errno = ERANGE;
  } else if (errno == ERANGE) {
    errno = 0;
  }
  if (errno == EDOM) {
    kiln_raise_msg("ZeroDivisionError", "0.0 to a negative or complex power");
    return -1;
  }
  if (errno == ERANGE) {
    kiln_raise_msg("OverflowError", "complex exponentiation");
    return -1;
  }
  return 0;
}

int32_t kiln_cmath(int32_t fn, double re, double im, int32_t numpy, double *out) {
  double complex z = CMPLX(re, im), r;
  int pole = 0; /* an infinity from a finite input is a domain error */
  switch (fn) {
  case KILN_CMATH_SQRT: r = csqrt(z); break;
  case KILN_CMATH_EXP: r = cexp(z); break;
  case KILN_CMATH_LOG: r = clog(z); pole = 1; break;
  case KILN_CMATH_LOG10: r = clog(z) / M_LN10; pole = 1; break;
  case KILN_CMATH_SIN: r = csin(z); break;
  case KILN_CMATH_COS: r = ccos(z); break;
  case KILN_CMATH_TAN: r = ctan(z); break;
  case KILN_CMATH_ASIN: r = casin(z); break;
  case KILN_CMATH_ACOS: r = cacos(z); break;
  case KILN_CMATH_ATAN: r = catan(z); pole = 1; break;
  case KILN_CMATH_SINH: r = csinh(z); break;
  case KILN_CMATH_COSH: r = ccosh(z); break;
  case KILN_CMATH_TANH: r = ctanh(z); break;
  case KILN_CMATH_ASINH: r = casinh(z); break;
  case KILN_CMATH_ACOSH: r = cacosh(z); break;
  case KILN_CMATH_ATANH: r = catanh(z); pole = 1; break;
  default:
    kiln_raise_msg("SystemError", "kiln_cmath: unknown function");
    return -1;
  }
  out[0] = creal(r);
  out[1] = cimag(r);
  if (numpy)
    return 0;
  int in_nan = isnan(re) || isnan(im), in_finite = isfinite(re) && isfinite(im);
  int out_nan = isnan(out[0]) || isnan(out[1]), out_inf = isinf(out[0]) || isinf(out[1]);
  if (out_nan && !in_nan) {
    kiln_raise_msg("ValueError", "math domain error");
    return -1;
  }
  if (out_inf && in_finite) {
    kiln_raise_msg(pole ? "ValueError" : "OverflowError",
                   pole ? "math domain error" : "math range error");
    return -1;
  }
  return 0;
}
