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
  kiln_raise_interrupt();
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
    if (kiln_interrupt_flag) {
      kiln_raise_interrupt();
      return 1;
    }
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
