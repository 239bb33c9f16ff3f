/*===- fakemod.c - A hand-written stand-in for a generated Kiln module ----===*
 *
 * Written the way codegen's output looks: static kiln_func_desc /
 * kiln_module_desc tables, entry points `int32_t f(const kiln_slot *args,
 * kiln_slot *results)` that never touch Python, and a PyInit_fakemod that
 * only calls kiln_module_create. It deliberately does not include Python.h:
 * a generated module depends on include/kiln/runtime.h alone.
 *
 * test_runtime_abi.py drives every rule of the runtime through it. Extra
 * PyInit_fakemod_* entry points (loaded under other names through
 * importlib's ExtensionFileLoader) carry malformed descriptors, to test that
 * they fail the import cleanly.
 *
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE 1
#include "kiln/runtime.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

static void sleep_us(long us) {
  struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* ---- Scalars -------------------------------------------------------------- */

static int32_t add_ints(const kiln_slot *a, kiln_slot *r) {
  int64_t out;
  if (__builtin_add_overflow(a[0].i, a[1].i, &out)) {
    kiln_raise_msg("OverflowError", "integer overflow in add_ints");
    return 1;
  }
  r[0].i = out;
  return 0;
}

static int32_t scale(const kiln_slot *a, kiln_slot *r) {
  r[0].f = a[0].f * a[1].f;
  return 0;
}

/* Python's floor division and modulo, as a tuple<int64, int64>. */
static int32_t divmod_(const kiln_slot *a, kiln_slot *r) {
  int64_t x = a[0].i, y = a[1].i;
  if (y == 0) {
    kiln_raise_msg("ZeroDivisionError", "integer division or modulo by zero");
    return 1;
  }
  if (x == INT64_MIN && y == -1) {
    kiln_raise_msg("OverflowError", "integer overflow in floor division");
    return 1;
  }
  int64_t q = x / y, m = x % y;
  if (m != 0 && ((m < 0) != (y < 0))) {
    q -= 1;
    m += y;
  }
  r[0].i = q;
  r[1].i = m;
  return 0;
}

static int32_t flag(const kiln_slot *a, kiln_slot *r) {
  r[0].i = !a[0].i;
  return 0;
}

static int32_t nothing(const kiln_slot *a, kiln_slot *r) { return 0; }

static int32_t twice_i(const kiln_slot *a, kiln_slot *r) {
  r[0].i = a[0].i * 2;
  return 0;
}

static int32_t twice_f(const kiln_slot *a, kiln_slot *r) {
  r[0].f = a[0].f * 2;
  return 0;
}

/* three(a: int64, b: float64, c: bool) -> float64: a + b if c else a - b */
static int32_t three(const kiln_slot *a, kiln_slot *r) {
  r[0].f = a[2].i ? (double)a[0].i + a[1].f : (double)a[0].i - a[1].f;
  return 0;
}

/* 20 parameters / 20 result slots: the runtime's heap-buffer paths. */
static int32_t many(const kiln_slot *a, kiln_slot *r) {
  int64_t s = 0;
  for (int i = 0; i < 20; ++i)
    s += a[i].i * (i + 1);
  r[0].i = s;
  return 0;
}

static int32_t wide(const kiln_slot *a, kiln_slot *r) {
  for (int i = 0; i < 20; ++i)
    r[i].i = a[0].i + i;
  return 0;
}

/* (a, (x, a > 0), None) */
static int32_t nested_tuple(const kiln_slot *a, kiln_slot *r) {
  r[0].i = a[0].i;
  r[1].f = a[1].f;
  r[2].i = a[0].i > 0;
  return 0;
}

/* ---- Errors --------------------------------------------------------------- */

static int32_t fail(const kiln_slot *a, kiln_slot *r) {
  kiln_arg args[2] = {{'s', 0, {.s = "bad"}}, {'i', 0, {.i = a[0].i}}};
  kiln_raise("ValueError", 2, args);
  return 1;
}

static int32_t fail_mixed(const kiln_slot *a, kiln_slot *r) {
  kiln_arg args[4] = {
      {'s', 0, {.s = "msg"}}, {'f', 0, {.f = 2.5}}, {'b', 0, {.i = 1}}, {'i', 0, {.i = -7}}};
  kiln_raise("ArithmeticError", 4, args);
  return 1;
}

static int32_t fail_unknown(const kiln_slot *a, kiln_slot *r) {
  kiln_raise_msg("NoSuchError", "what");
  return 1;
}

static int32_t fail_silent(const kiln_slot *a, kiln_slot *r) { return 1; }

/* Recorded but status 0: must still surface. */
static int32_t fail_status0(const kiln_slot *a, kiln_slot *r) {
  kiln_raise_msg("ValueError", "recorded with status 0");
  return 0;
}

/* The message lives in a stack buffer that is overwritten afterwards: the
 * runtime must have copied it (and bounded it). */
static int32_t fail_long_msg(const kiln_slot *a, kiln_slot *r) {
  char buf[10000];
  memset(buf, 'x', sizeof buf - 1);
  buf[sizeof buf - 1] = '\0';
  memcpy(buf, "long:", 5);
  kiln_raise_msg("ValueError", buf);
  memset(buf, 'Z', sizeof buf - 1);
  return 1;
}

static int32_t first_wins(const kiln_slot *a, kiln_slot *r) {
  kiln_raise_msg("ValueError", "first");
  kiln_raise_msg("TypeError", "second");
  return kiln_error_pending() ? 1 : 0;
}

static int32_t too_many_args(const kiln_slot *a, kiln_slot *r) {
  kiln_arg args[10];
  for (int i = 0; i < 10; ++i) {
    args[i].tag = 'i';
    args[i].pad = 0;
    args[i].v.i = i;
  }
  kiln_raise("ValueError", 10, args);
  return 1;
}

static int32_t raise_interrupt(const kiln_slot *a, kiln_slot *r) {
  kiln_raise("KeyboardInterrupt", 0, NULL);
  return 1;
}

/* checked(x) raises ValueError for x < 0; overloaded, so a body error must
 * not be mistaken for a dispatch failure. */
static int32_t checked_i(const kiln_slot *a, kiln_slot *r) {
  if (a[0].i < 0) {
    kiln_raise_msg("ValueError", "negative int");
    return 1;
  }
  r[0].i = a[0].i;
  return 0;
}

static int32_t checked_f(const kiln_slot *a, kiln_slot *r) {
  if (a[0].f < 0) {
    kiln_raise_msg("ValueError", "negative float");
    return 1;
  }
  r[0].f = a[0].f;
  return 0;
}

/* ---- Threads and signals ---------------------------------------------------- */

/* Sleeps `ms` milliseconds in 1 ms steps, polling the interrupt flag. */
static int32_t nap(const kiln_slot *a, kiln_slot *r) {
  for (int64_t i = 0; i < a[0].i; ++i) {
    if (kiln_interrupt_flag && kiln_poll())
      return 1;
    sleep_us(1000);
  }
  r[0].i = a[0].i;
  return 0;
}

/* Sleeps without polling: Ctrl-C must reach Python after it returns. */
static int32_t nap_deaf(const kiln_slot *a, kiln_slot *r) {
  sleep_us(a[0].i * 1000);
  r[0].i = a[0].i;
  return 0;
}

/* ---- Parallel loops --------------------------------------------------------- */

typedef struct sum_env {
  int64_t total;     /* atomic */
  int64_t sleep_us;  /* per chunk */
  pthread_mutex_t lock;
  pthread_t seen[256];
  int nseen;
} sum_env;

static int32_t sum_body(int64_t lo, int64_t hi, void *p) {
  sum_env *e = p;
  int64_t s = 0;
  for (int64_t i = lo; i < hi; ++i)
    s += i;
  __atomic_fetch_add(&e->total, s, __ATOMIC_RELAXED);
  if (e->sleep_us)
    sleep_us(e->sleep_us);
  pthread_t self = pthread_self();
  pthread_mutex_lock(&e->lock);
  int known = 0;
  for (int i = 0; i < e->nseen; ++i)
    known |= pthread_equal(e->seen[i], self);
  if (!known && e->nseen < 256)
    e->seen[e->nseen++] = self;
  pthread_mutex_unlock(&e->lock);
  return 0;
}

/* psum(n, grain) -> sum(range(n)) */
static int32_t psum(const kiln_slot *a, kiln_slot *r) {
  sum_env e = {0, 0, PTHREAD_MUTEX_INITIALIZER, {0}, 0};
  if (kiln_parallel_for(0, a[0].i, a[1].i, sum_body, &e) != 0)
    return 1;
  r[0].i = e.total;
  return 0;
}

/* pthreads_used(n, grain, sleep_us) -> (sum(range(n)), distinct threads) */
static int32_t pthreads_used(const kiln_slot *a, kiln_slot *r) {
  sum_env e = {0, a[2].i, PTHREAD_MUTEX_INITIALIZER, {0}, 0};
  if (kiln_parallel_for(0, a[0].i, a[1].i, sum_body, &e) != 0)
    return 1;
  r[0].i = e.total;
  r[1].i = e.nseen;
  return 0;
}

typedef struct fail_env {
  int64_t bad1, bad2;
} fail_env;

static int32_t fail_body(int64_t lo, int64_t hi, void *p) {
  fail_env *e = p;
  for (int64_t i = lo; i < hi; ++i) {
    if (i == e->bad1 || i == e->bad2) {
      kiln_arg args[2] = {{'s', 0, {.s = "bad index"}}, {'i', 0, {.i = i}}};
      kiln_raise("IndexError", 2, args);
      return 1;
    }
  }
  sleep_us(100);
  return 0;
}

/* pfail(n, bad1, bad2): grain 1; the lowest bad index must be reported. */
static int32_t pfail(const kiln_slot *a, kiln_slot *r) {
  fail_env e = {a[1].i, a[2].i};
  if (kiln_parallel_for(0, a[0].i, 1, fail_body, &e) != 0)
    return 1;
  r[0].i = 0;
  return 0;
}

typedef struct nest_env {
  int64_t n;
  int64_t total; /* atomic */
} nest_env;

static int32_t nest_inner(int64_t lo, int64_t hi, void *p) {
  nest_env *e = p;
  int64_t s = 0;
  for (int64_t i = lo; i < hi; ++i)
    s += i;
  __atomic_fetch_add(&e->total, s, __ATOMIC_RELAXED);
  return 0;
}

static int32_t nest_outer(int64_t lo, int64_t hi, void *p) {
  nest_env *e = p;
  for (int64_t row = lo; row < hi; ++row)
    if (kiln_parallel_for(0, e->n, 1, nest_inner, e) != 0)
      return 1;
  return 0;
}

/* pnested(n) -> n * sum(range(n)), an inner parallel loop per outer row. */
static int32_t pnested(const kiln_slot *a, kiln_slot *r) {
  nest_env e = {a[0].i, 0};
  if (kiln_parallel_for(0, a[0].i, 1, nest_outer, &e) != 0)
    return 1;
  r[0].i = e.total;
  return 0;
}

static int32_t deaf_body(int64_t lo, int64_t hi, void *p) {
  sleep_us(1000 * (hi - lo));
  return 0;
}

/* pnap(ms): a parallel loop of 1 ms chunks whose body never polls; the
 * runtime checks the interrupt flag between chunks. */
static int32_t pnap(const kiln_slot *a, kiln_slot *r) {
  if (kiln_parallel_for(0, a[0].i, 1, deaf_body, NULL) != 0)
    return 1;
  r[0].i = a[0].i;
  return 0;
}

static int32_t nthreads(const kiln_slot *a, kiln_slot *r) {
  r[0].i = kiln_get_num_threads();
  return 0;
}


/* ---- Arrays ------------------------------------------------------------------
 * An N-dimensional array argument takes 1 + 2N slots: data (.p), N extents,
 * N strides in elements. Results are written the same way. */

#define AT(a, i, s) ((a)[(i) * (s)])

/* sum1d(a: array<float64, 1>) -> float64, through the stride */
static int32_t sum1d(const kiln_slot *a, kiln_slot *r) {
  const double *p = a[0].p;
  int64_t n = a[1].i, s = a[2].i;
  double t = 0;
  for (int64_t i = 0; i < n; ++i)
    t += AT(p, i, s);
  r[0].f = t;
  return 0;
}

/* sum2d(a: array<float64, 2>) -> sum of a[i, j] * (i * ncols + j) */
static int32_t sum2d(const kiln_slot *a, kiln_slot *r) {
  const double *p = a[0].p;
  int64_t n0 = a[1].i, n1 = a[2].i, s0 = a[3].i, s1 = a[4].i;
  double t = 0;
  for (int64_t i = 0; i < n0; ++i)
    for (int64_t j = 0; j < n1; ++j)
      t += p[i * s0 + j * s1] * (double)(i * n1 + j);
  r[0].f = t;
  return 0;
}

/* csum(a: array<float64, 2, C>): the same, reading the memory as dense. */
static int32_t csum(const kiln_slot *a, kiln_slot *r) {
  const double *p = a[0].p;
  int64_t n = a[1].i * a[2].i;
  double t = 0;
  for (int64_t k = 0; k < n; ++k)
    t += p[k] * (double)k;
  r[0].f = t;
  return 0;
}

/* scale_inplace(a: array<float64, 1> (written), k: float64) -> none */
static int32_t scale_inplace(const kiln_slot *a, kiln_slot *r) {
  double *p = a[0].p;
  int64_t n = a[1].i, s = a[2].i;
  for (int64_t i = 0; i < n; ++i)
    AT(p, i, s) *= a[3].f;
  return 0;
}

/* reversed_view(a: array<float64, 1> (written)) -> array<float64, 1>: a[::-1] */
static int32_t reversed_view(const kiln_slot *a, kiln_slot *r) {
  double *p = a[0].p;
  int64_t n = a[1].i, s = a[2].i;
  r[0].p = n > 0 ? p + (n - 1) * s : p;
  r[1].i = n;
  r[2].i = -s;
  return 0;
}

/* first_row(a: array<float64, 2>) -> array<float64, 1>: a view of a[0] */
static int32_t first_row(const kiln_slot *a, kiln_slot *r) {
  if (a[1].i == 0) {
    kiln_arg args[1] = {{'s', 0, {.s = "index 0 is out of bounds for axis 0 with size 0"}}};
    kiln_raise("IndexError", 1, args);
    return 1;
  }
  r[0].p = a[0].p;
  r[1].i = a[2].i;
  r[2].i = a[4].i;
  return 0;
}

/* make_range(n: int64) -> array<int64, 1, C>: [0, 1, ..., n-1] */
static int32_t make_range(const kiln_slot *a, kiln_slot *r) {
  int64_t n = a[0].i;
  if (n < 0) {
    kiln_raise_msg("ValueError", "negative dimensions are not allowed");
    return 1;
  }
  int64_t *p = kiln_alloc(n * 8);
  if (!p)
    return 1;
  for (int64_t i = 0; i < n; ++i)
    p[i] = i;
  r[0].p = p;
  r[1].i = n;
  r[2].i = 1;
  return 0;
}

/* make_grid(n: int64, m: int64) -> array<float64, 2>: x[i, j] = 10 i + j, in
 * Fortran order (strides 1, n) */
static int32_t make_grid(const kiln_slot *a, kiln_slot *r) {
  int64_t n = a[0].i, m = a[1].i;
  double *p = kiln_alloc(n * m * 8);
  if (!p)
    return 1;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < m; ++j)
      p[i + j * n] = 10.0 * (double)i + (double)j;
  r[0].p = p;
  r[1].i = n;
  r[2].i = m;
  r[3].i = 1;
  r[4].i = n;
  return 0;
}

/* halves(n: int64) -> tuple<array<float64, 1, C>, array<float64, 1, C>>: one
 * block of n values 0..n-1, cut into [0, n/2) and [n/2, n). */
static int32_t halves(const kiln_slot *a, kiln_slot *r) {
  int64_t n = a[0].i;
  double *p = kiln_alloc(n * 8);
  if (!p)
    return 1;
  for (int64_t i = 0; i < n; ++i)
    p[i] = (double)i;
  r[0].p = p;
  r[1].i = n / 2;
  r[2].i = 1;
  r[3].p = p + n / 2;
  r[4].i = n - n / 2;
  r[5].i = 1;
  return 0;
}

/* mask(n: int64) -> tuple<int64, array<bool, 1, C>, float64>: (n, [i % 3 == 0], 0.5) */
static int32_t mask(const kiln_slot *a, kiln_slot *r) {
  int64_t n = a[0].i;
  unsigned char *p = kiln_alloc(n);
  if (!p)
    return 1;
  for (int64_t i = 0; i < n; ++i)
    p[i] = i % 3 == 0;
  r[0].i = n;
  r[1].p = p;
  r[2].i = n;
  r[3].i = 1;
  r[4].f = 0.5;
  return 0;
}

/* alloc_fail(n: int64) -> array<float64, 1>: n small blocks, then a request
 * for 2**62 bytes, which must fail with MemoryError. */
static int32_t alloc_fail(const kiln_slot *a, kiln_slot *r) {
  for (int64_t i = 0; i < a[0].i; ++i)
    if (!kiln_alloc(1000))
      return 1;
  void *p = kiln_alloc((int64_t)1 << 62);
  if (!p)
    return 1;
  r[0].p = p;
  r[1].i = 1;
  r[2].i = 1;
  return 0;
}

/* alloc_then_raise(n: int64) -> array<float64, 1>: allocates n bytes, raises. */
static int32_t alloc_then_raise(const kiln_slot *a, kiln_slot *r) {
  if (!kiln_alloc(a[0].i))
    return 1;
  kiln_raise_msg("ValueError", "after allocating");
  return 1;
}

/* alloc_sizes() -> tuple<int64, int64, int64, int64>: the alignment checks of
 * blocks of 0, 1, 8 and 1000 bytes (0 if 64-byte aligned), plus distinctness
 * of two empty blocks folded into the first. */
static int32_t alloc_sizes(const kiln_slot *a, kiln_slot *r) {
  static const int64_t sizes[4] = {0, 1, 8, 1000};
  void *first = NULL;
  for (int i = 0; i < 4; ++i) {
    void *p = kiln_alloc(sizes[i]);
    if (!p)
      return 1;
    if (i == 0)
      first = p;
    r[i].i = (int64_t)((uintptr_t)p % 64);
  }
  void *again = kiln_alloc(0);
  if (!again)
    return 1;
  if (again == first)
    r[0].i = -1;
  return 0;
}

/* stray() -> array<float64, 1>: points at memory the call does not own. */
static double stray_data[4];
static int32_t stray(const kiln_slot *a, kiln_slot *r) {
  r[0].p = stray_data;
  r[1].i = 4;
  r[2].i = 1;
  return 0;
}

/* count_true(a: array<bool, 1>) -> int64 */
static int32_t count_true(const kiln_slot *a, kiln_slot *r) {
  const unsigned char *p = a[0].p;
  int64_t n = a[1].i, s = a[2].i, c = 0;
  for (int64_t i = 0; i < n; ++i)
    c += AT(p, i, s) != 0;
  r[0].i = c;
  return 0;
}

/* asum(a: array<int64, 1>) -> int64 / asum(a: array<float64, 1>) -> float64 */
static int32_t asum_i(const kiln_slot *a, kiln_slot *r) {
  const int64_t *p = a[0].p;
  int64_t n = a[1].i, s = a[2].i, t = 0;
  for (int64_t i = 0; i < n; ++i)
    t += AT(p, i, s);
  r[0].i = t;
  return 0;
}

/* axpy(a: array<float64, 1>, x: float64, y: array<float64, 1> (written)) -> none:
 * y += x * a */
static int32_t axpy(const kiln_slot *a, kiln_slot *r) {
  const double *pa = a[0].p;
  double x = a[3].f;
  double *py = a[4].p;
  int64_t n = a[1].i < a[5].i ? a[1].i : a[5].i;
  for (int64_t i = 0; i < n; ++i)
    AT(py, i, a[6].i) += x * AT(pa, i, a[2].i);
  return 0;
}

typedef struct palloc_env {
  int64_t ok; /* atomic */
} palloc_env;

static int32_t palloc_body(int64_t lo, int64_t hi, void *p) {
  palloc_env *e = p;
  for (int64_t i = lo; i < hi; ++i) {
    int64_t *q = kiln_alloc(64);
    if (!q)
      return 1;
    q[7] = i;
    __atomic_fetch_add(&e->ok, 1, __ATOMIC_RELAXED);
  }
  return 0;
}

/* palloc(n: int64) -> int64: n kiln_alloc calls from parallel-loop workers. */
static int32_t palloc(const kiln_slot *a, kiln_slot *r) {
  palloc_env e = {0};
  if (kiln_parallel_for(0, a[0].i, 1, palloc_body, &e) != 0)
    return 1;
  r[0].i = e.ok;
  return 0;
}

/* ---- Descriptor tables ------------------------------------------------------ */

static const char *const N_ab[] = {"a", "b"};
static const char *const N_xk[] = {"x", "k"};
static const char *const N_b[] = {"b"};
static const char *const N_x[] = {"x"};
static const char *const N_n[] = {"n"};
static const char *const N_ms[] = {"ms"};
static const char *const N_ax[] = {"a", "x"};
static const char *const N_abc[] = {"a", "b", "c"};
static const char *const N_ngrain[] = {"n", "grain"};
static const char *const N_ngs[] = {"n", "grain", "sleep_us"};
static const char *const N_nbb[] = {"n", "bad1", "bad2"};
static const char *const N_many[] = {"p0",  "p1",  "p2",  "p3",  "p4",  "p5",  "p6",
                                     "p7",  "p8",  "p9",  "p10", "p11", "p12", "p13",
                                     "p14", "p15", "p16", "p17", "p18", "p19"};

static const char *const T_ii[] = {"int64", "int64"};
static const char *const T_ff[] = {"float64", "float64"};
static const char *const T_b[] = {"bool"};
static const char *const T_i[] = {"int64"};
static const char *const T_f[] = {"float64"};
static const char *const T_iii[] = {"int64", "int64", "int64"};
static const char *const T_if[] = {"int64", "float64"};
static const char *const T_ifb[] = {"int64", "float64", "bool"};
static const char *const T_many[] = {"int64", "int64", "int64", "int64", "int64",
                                     "int64", "int64", "int64", "int64", "int64",
                                     "int64", "int64", "int64", "int64", "int64",
                                     "int64", "int64", "int64", "int64", "int64"};


static const char *const N_a[] = {"a"};
static const char *const N_ak[] = {"a", "k"};
static const char *const N_nm[] = {"n", "m"};
static const char *const N_axy[] = {"a", "x", "y"};
static const char *const T_a1[] = {"array<float64, 1>"};
static const char *const T_a2[] = {"array<float64, 2>"};
static const char *const T_a2c[] = {"array<float64,2,C>"};
static const char *const T_a1f[] = {"array<float64, 1>", "float64"};
static const char *const T_ab1[] = {"array<bool, 1>"};
static const char *const T_ai1[] = {"array<int64, 1>"};
static const char *const T_afa[] = {"array<float64, 1>", "float64", "array<float64, 1>"};
static const uint8_t W_1[] = {KILN_PARAM_WRITTEN};
static const uint8_t W_10[] = {KILN_PARAM_WRITTEN, 0};
static const uint8_t W_001[] = {0, 0, KILN_PARAM_WRITTEN};

#define WIDE_T                                                                             \
  "tuple<int64, int64, int64, int64, int64, int64, int64, int64, int64, int64, int64, "  \
  "int64, int64, int64, int64, int64, int64, int64, int64, int64>"

static const kiln_func_desc funcs[] = {
    {"add_ints", 2, N_ab, T_ii, "int64", add_ints, "add_ints(a: int64, b: int64) -> int64", 0},
    {"scale", 2, N_xk, T_ff, "float64", scale, "scale(x: float64, k: float64) -> float64", 0},
    {"divmod_", 2, N_ab, T_ii, "tuple<int64, int64>", divmod_,
     "divmod_(a: int64, b: int64) -> tuple<int64, int64>", 0},
    {"flag", 1, N_b, T_b, "bool", flag, "flag(b: bool) -> bool", 0},
    {"nothing", 0, NULL, NULL, "none", nothing, "nothing() -> none", 0},
    {"twice", 1, N_x, T_i, "int64", twice_i, "twice(x: int64) -> int64", 0},
    {"twice", 1, N_x, T_f, "float64", twice_f, "twice(x: float64) -> float64", 0},
    {"pair", 2, N_ab, T_ii, "int64", add_ints, "pair(a: int64, b: int64) -> int64", 0},
    {"pair", 2, N_ab, T_ff, "float64", scale, "pair(a: float64, b: float64) -> float64", 0},
    {"three", 3, N_abc, T_ifb, "float64", three, NULL, 0},
    {"many", 20, N_many, T_many, "int64", many, NULL, 0},
    {"wide", 1, N_n, T_i, WIDE_T, wide, NULL, 0},
    {"nested_tuple", 2, N_ax, T_if, " tuple< int64 ,tuple<float64,bool>, none > ", nested_tuple,
     NULL, 0},
    {"fail", 1, N_n, T_i, "int64", fail, "fail(n: int64) -> int64", 0},
    {"fail_mixed", 0, NULL, NULL, "none", fail_mixed, NULL, 0},
    {"fail_unknown", 0, NULL, NULL, "none", fail_unknown, NULL, 0},
    {"fail_silent", 0, NULL, NULL, "none", fail_silent, NULL, 0},
    {"fail_status0", 0, NULL, NULL, "none", fail_status0, NULL, 0},
    {"fail_long_msg", 0, NULL, NULL, "none", fail_long_msg, NULL, 0},
    {"first_wins", 0, NULL, NULL, "none", first_wins, NULL, 0},
    {"too_many_args", 0, NULL, NULL, "none", too_many_args, NULL, 0},
    {"raise_interrupt", 0, NULL, NULL, "none", raise_interrupt, NULL, 0},
    {"checked", 1, N_x, T_i, "int64", checked_i, "checked(x: int64) -> int64", 0},
    {"checked", 1, N_x, T_f, "float64", checked_f, "checked(x: float64) -> float64", 0},
    {"nap", 1, N_ms, T_i, "int64", nap, "nap(ms: int64) -> int64", 0},
    {"nap_deaf", 1, N_ms, T_i, "int64", nap_deaf, NULL, 0},
    {"psum", 2, N_ngrain, T_ii, "int64", psum, "psum(n: int64, grain: int64) -> int64", 0},
    {"pthreads_used", 3, N_ngs, T_iii, "tuple<int64, int64>", pthreads_used, NULL, 0},
    {"pfail", 3, N_nbb, T_iii, "int64", pfail, NULL, 0},
    {"pnested", 1, N_n, T_i, "int64", pnested, NULL, 0},
    {"pnap", 1, N_ms, T_i, "int64", pnap, NULL, 0},
    {"nthreads", 0, NULL, NULL, "int64", nthreads, NULL, 0},

    {"sum1d", 1, N_a, T_a1, "float64", sum1d, "sum1d(a: array<float64, 1>) -> float64", 0},
    {"sum2d", 1, N_a, T_a2, "float64", sum2d, NULL, 0},
    {"csum", 1, N_a, T_a2c, "float64", csum, NULL, 0},
    {"scale_inplace", 2, N_ak, T_a1f, "none", scale_inplace, NULL, 0, 0, NULL, W_10},
    {"reversed_view", 1, N_a, T_a1, "array<float64, 1>", reversed_view, NULL, 0, 0, NULL, W_1},
    {"first_row", 1, N_a, T_a2, "array<float64, 1>", first_row, NULL, 0},
    {"make_range", 1, N_n, T_i, "array<int64, 1, C>", make_range, NULL, 0},
    {"make_grid", 2, N_nm, T_ii, "array<float64, 2>", make_grid, NULL, 0},
    {"halves", 1, N_n, T_i, "tuple<array<float64, 1, C>, array<float64, 1, C>>", halves, NULL, 0},
    {"mask", 1, N_n, T_i, "tuple<int64, array<bool, 1, C>, float64>", mask, NULL, 0},
    {"alloc_fail", 1, N_n, T_i, "array<float64, 1>", alloc_fail, NULL, 0},
    {"alloc_then_raise", 1, N_n, T_i, "array<float64, 1>", alloc_then_raise, NULL, 0},
    {"alloc_sizes", 0, NULL, NULL, "tuple<int64, int64, int64, int64>", alloc_sizes, NULL, 0},
    {"stray", 0, NULL, NULL, "array<float64, 1>", stray, NULL, 0},
    {"count_true", 1, N_a, T_ab1, "int64", count_true, NULL, 0},
    {"asum", 1, N_a, T_ai1, "int64", asum_i, NULL, 0},
    {"asum", 1, N_a, T_a1, "float64", sum1d, NULL, 0},
    {"axpy", 3, N_axy, T_afa, "none", axpy, NULL, 0, 0, NULL, W_001},
    {"palloc", 1, N_n, T_i, "int64", palloc, NULL, 0},
};

static const kiln_module_desc desc = {
    KILN_ABI_VERSION, "fakemod", "A hand-written Kiln module for runtime tests.",
    (int32_t)(sizeof funcs / sizeof funcs[0]), funcs,
};

EXPORT void *PyInit_fakemod(void) { return kiln_module_create(&desc); }

/* ---- Malformed descriptors: each must fail the import with ImportError ---- */

static const kiln_module_desc bad_abi = {KILN_ABI_VERSION + 1, "fakemod_badabi", NULL, 1, funcs};
EXPORT void *PyInit_fakemod_badabi(void) { return kiln_module_create(&bad_abi); }

static const char *const T_bad[] = {"int65"};
static const kiln_func_desc bad_type_funcs[] = {
    {"f", 1, N_n, T_bad, "int64", twice_i, NULL, 0},
};
static const kiln_module_desc bad_type = {KILN_ABI_VERSION, "fakemod_badtype", NULL, 1,
                                          bad_type_funcs};
EXPORT void *PyInit_fakemod_badtype(void) { return kiln_module_create(&bad_type); }

static const kiln_func_desc bad_result_funcs[] = {
    {"f", 1, N_n, T_i, "tuple<int64, float64", twice_i, NULL, 0},
};
static const kiln_module_desc bad_result = {KILN_ABI_VERSION, "fakemod_badresult", NULL, 1,
                                            bad_result_funcs};
EXPORT void *PyInit_fakemod_badresult(void) { return kiln_module_create(&bad_result); }

static const kiln_func_desc split_funcs[] = {
    {"f", 1, N_n, T_i, "int64", twice_i, NULL, 0},
    {"g", 1, N_n, T_i, "int64", twice_i, NULL, 0},
    {"f", 1, N_x, T_f, "float64", twice_f, NULL, 0},
};
static const kiln_module_desc split = {KILN_ABI_VERSION, "fakemod_split", NULL, 3, split_funcs};
EXPORT void *PyInit_fakemod_split(void) { return kiln_module_create(&split); }

static const char *const T_bad_arr[] = {"array<float64, 33>"};
static const kiln_func_desc bad_ndim_funcs[] = {
    {"f", 1, N_a, T_bad_arr, "int64", twice_i, NULL, 0},
};
static const kiln_module_desc bad_ndim = {KILN_ABI_VERSION, "fakemod_badndim", NULL, 1,
                                          bad_ndim_funcs};
EXPORT void *PyInit_fakemod_badndim(void) { return kiln_module_create(&bad_ndim); }

static const kiln_slot no_array_default[] = {{.i = 0}};
static const kiln_func_desc bad_default_funcs[] = {
    {"f", 1, N_a, T_a1, "float64", sum1d, NULL, 0, 1, no_array_default},
};
static const kiln_module_desc bad_default = {KILN_ABI_VERSION, "fakemod_baddefault", NULL, 1,
                                             bad_default_funcs};
EXPORT void *PyInit_fakemod_baddefault(void) { return kiln_module_create(&bad_default); }
