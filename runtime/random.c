/*===- random.c - Python's random and NumPy's legacy np.random streams ----===*
 *
 * Compiled code draws random numbers from two Mersenne Twister (MT19937)
 * generators of its own, one per thread: KILN_RNG_PY gives the numbers of
 * CPython's `random` module and KILN_RNG_NP those of NumPy's legacy
 * `np.random` functions (RandomState), bit for bit, for the same seed:
 *
 *   - seeding: CPython's random.seed(n) takes |n| as little-endian 32-bit
 *     words through init_by_array; NumPy's np.random.seed(n) (0 <= n <
 *     2**32) uses init_genrand(n). Unseeded, a generator starts from the
 *     operating system's entropy.
 *   - doubles: (a * 2**26 + b) / 2**53 with a = next >> 5, b = next >> 6,
 *     in both.
 *   - integers below n: CPython's _randbelow (getrandbits(n.bit_length())
 *     until one is < n, words little-endian); NumPy's masked rejection on
 *     32-bit draws (64-bit ones when n - 1 does not fit 32 bits).
 *   - normal deviates: CPython's gauss() (Box-Muller with a cached second
 *     value); NumPy's legacy polar method (also caching).
 *
 * The state is not Python's: seeding in compiled code does not seed the
 * interpreter's generators, and the other way round (docs/language.md).
 *
 *===----------------------------------------------------------------------===*/
#include "kiln/runtime.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define MT_N 624
#define MT_M 397

typedef struct mt_state {
  uint32_t mt[MT_N];
  int index;
  int seeded;
  int has_gauss;
  double gauss;
} mt_state;

static _Thread_local mt_state tl_rng[2];

static void init_genrand(mt_state *s, uint32_t seed) {
  s->mt[0] = seed;
  for (int i = 1; i < MT_N; ++i)
    s->mt[i] = 1812433253u * (s->mt[i - 1] ^ (s->mt[i - 1] >> 30)) + (uint32_t)i;
  s->index = MT_N;
}

static void init_by_array(mt_state *s, const uint32_t *key, size_t len) {
  init_genrand(s, 19650218u);
  size_t i = 1, j = 0;
  for (size_t k = MT_N > len ? MT_N : len; k; --k) {
    s->mt[i] = (s->mt[i] ^ ((s->mt[i - 1] ^ (s->mt[i - 1] >> 30)) * 1664525u)) + key[j] +
               (uint32_t)j;
    if (++i >= MT_N) {
      s->mt[0] = s->mt[MT_N - 1];
      i = 1;
    }
    if (++j >= len)
      j = 0;
  }
  for (size_t k = MT_N - 1; k; --k) {
    s->mt[i] = (s->mt[i] ^ ((s->mt[i - 1] ^ (s->mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
    if (++i >= MT_N) {
      s->mt[0] = s->mt[MT_N - 1];
      i = 1;
    }
  }
  s->mt[0] = 0x80000000u;
}

static void reset(mt_state *s) {
  s->seeded = 1;
  s->has_gauss = 0;
  s->gauss = 0.0;
}

/* A forked child draws new numbers from `random`, as CPython reseeds its
 * generator after fork (os.register_at_fork); NumPy's stream is inherited,
 * as NumPy's is. */
static void after_fork_in_child(void) { tl_rng[KILN_RNG_PY].seeded = 0; }

static void install_fork_handler(void) { pthread_atfork(NULL, NULL, after_fork_in_child); }

static void register_fork_handler(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, install_fork_handler);
}

/* An unseeded generator starts from the system's entropy, as both
 * libraries do when nothing seeds them. */
static mt_state *rng(int32_t gen) {
  mt_state *s = &tl_rng[gen == KILN_RNG_NP];
  if (!s->seeded) {
    register_fork_handler();
    uint32_t key[MT_N];
    size_t got = 0;
    while (got < sizeof key) {
      ssize_t n = getrandom((char *)key + got, sizeof key - got, 0);
      if (n <= 0)
        break;
      got += (size_t)n;
    }
    if (got < sizeof key) { /* no entropy source: the time, at least */
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      key[0] = (uint32_t)ts.tv_nsec;
      key[1] = (uint32_t)ts.tv_sec;
      got = 2 * sizeof(uint32_t);
    }
    init_by_array(s, key, got / sizeof(uint32_t));
    reset(s);
  }
  return s;
}

static uint32_t next32(mt_state *s) {
  static const uint32_t mag01[2] = {0x0u, 0x9908b0dfu};
  if (s->index >= MT_N) {
    int kk;
    uint32_t y;
    for (kk = 0; kk < MT_N - MT_M; kk++) {
      y = (s->mt[kk] & 0x80000000u) | (s->mt[kk + 1] & 0x7fffffffu);
      s->mt[kk] = s->mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 0x1u];
    }
    for (; kk < MT_N - 1; kk++) {
      y = (s->mt[kk] & 0x80000000u) | (s->mt[kk + 1] & 0x7fffffffu);
      s->mt[kk] = s->mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 0x1u];
    }
    y = (s->mt[MT_N - 1] & 0x80000000u) | (s->mt[0] & 0x7fffffffu);
    s->mt[MT_N - 1] = s->mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 0x1u];
    s->index = 0;
  }
  uint32_t y = s->mt[s->index++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= (y >> 18);
  return y;
}

static double next_double(mt_state *s) {
  uint32_t a = next32(s) >> 5, b = next32(s) >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

void kiln_random_seed(int32_t gen, int64_t seed) {
  register_fork_handler();
  mt_state *s = &tl_rng[gen == KILN_RNG_NP];
  if (gen == KILN_RNG_NP) {
    init_genrand(s, (uint32_t)seed); /* the caller checked 0 <= seed < 2**32 */
  } else {
    /* |seed| as little-endian 32-bit words; 0 is one word. */
    uint64_t m = seed < 0 ? (uint64_t)0 - (uint64_t)seed : (uint64_t)seed;
    uint32_t key[2] = {(uint32_t)m, (uint32_t)(m >> 32)};
    init_by_array(s, key, key[1] ? 2 : 1);
  }
  reset(s);
}


/* CPython's getrandbits(k), 1 <= k <= 64. */
static uint64_t getrandbits(mt_state *s, int k) {
  if (k <= 32)
    return next32(s) >> (32 - k);
  uint64_t lo = next32(s);
  uint64_t hi = next32(s) >> (64 - k);
  return lo | (hi << 32);
}

int64_t kiln_random_below(int32_t gen, int64_t n) {
  mt_state *s = rng(gen);
  uint64_t un = (uint64_t)n; /* a width up to 2**64 - 1 (the caller's wrapped difference) */
  if (un == 0)
    return 0; /* the caller raised */
  if (gen == KILN_RNG_NP) {
    if (un == 1)
      return 0; /* NumPy draws nothing for a one-value range */
    /* RandomState.randint: masked rejection on rng = n - 1. */
    uint64_t r = un - 1, mask = r;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    uint64_t v;
    if (r <= 0xffffffffu) {
      if (r == 0xffffffffu)
        return (int64_t)next32(s);
      while ((v = (next32(s) & mask)) > r)
        ;
    } else {
      do {
        uint64_t hi = next32(s);
        v = ((hi << 32) | next32(s)) & mask;
      } while (v > r);
    }
    return (int64_t)v;
  }
  /* random._randbelow: k = n.bit_length() bits until one is below n. */
  int k = 64 - __builtin_clzll(un);
  uint64_t v;
  do
    v = getrandbits(s, k);
  while (v >= un);
  return (int64_t)v;
}

double kiln_random_gauss(int32_t gen) {
  mt_state *s = rng(gen);
  if (s->has_gauss) {
    s->has_gauss = 0;
    return s->gauss;
  }
  if (gen == KILN_RNG_NP) {
    /* NumPy's legacy_gauss: the polar method. */
    double x1, x2, r2;
    do {
      x1 = 2.0 * next_double(s) - 1.0;
      x2 = 2.0 * next_double(s) - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    s->gauss = f * x1;
    s->has_gauss = 1;
    return f * x2;
  }
  /* random.gauss: Box-Muller, the second value kept for the next call. */
  double x2pi = next_double(s) * (2.0 * M_PI);
  double g2rad = sqrt(-2.0 * log(1.0 - next_double(s)));
  s->gauss = sin(x2pi) * g2rad;
  s->has_gauss = 1;
  return cos(x2pi) * g2rad;
}

double kiln_random_normalvariate(int32_t gen) {
  /* random.normalvariate: Kinderman and Monahan's ratio of uniforms. */
  mt_state *s = rng(gen);
  const double nv_magicconst = 4 * exp(-0.5) / sqrt(2.0);
  double z;
  for (;;) {
    double u1 = next_double(s);
    double u2 = 1.0 - next_double(s);
    z = nv_magicconst * (u1 - 0.5) / u2;
    double zz = z * z / 4.0;
    if (zz <= -log(u2))
      break;
  }
  return z;
}

/* The same draws through a state pointer fetched once per compiled
 * function (kiln_random_state): no thread-local lookup per draw. */
void *kiln_random_state(int32_t gen) { return rng(gen); }

double kiln_random_double_s(void *state) { return next_double((mt_state *)state); }
