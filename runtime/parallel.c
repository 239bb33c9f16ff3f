/*===- parallel.c - kiln_parallel_for on a pool of threads that never lose -===*
 *
 * Generated code calls kiln_parallel_for(begin, end, grain, body, env); this
 * file decides how the iterations run:
 *
 *  1. Chunking depends only on (begin, end, grain): chunk c covers
 *     [begin + c*grain, min(end, begin + (c+1)*grain)). grain <= 0 picks
 *     ceil(n / KILN_TARGET_CHUNKS) rounded up to a multiple of the
 *     alignment -grain (KILN_CHUNK_ALIGN for 0), again independent of the
 *     thread count, so per-chunk partial results (reductions) are
 *     reproducible. Codegen asks innermost vector loops to align to
 *     KILN_CHUNK_ALIGN: every piece such a body is given (a chunk, or the
 *     serial path's run of chunks) then starts at a multiple of it from
 *     begin, an element is computed by the vector body, or by the
 *     remainder, of every piece that holds it, whatever the thread count,
 *     and vector and scalar math functions (which may differ in the last
 *     bit) never trade elements between runs. Loops over rows align to 1.
 *  2. The caller never waits for a thread that has not started work. It
 *     publishes the loop to a pool of threads of our own and runs chunks
 *     itself at once; pool threads join as they wake. The chunks are cut
 *     into one part per thread (static first: part p goes to the caller for
 *     p = 0 and to pool thread p otherwise, the same part of the same loop
 *     every time, so a kernel sweeping the same arrays again and again
 *     finds its part in its core's cache); each thread claims runs of
 *     chunks from its own part's atomic counter, each run a share of what
 *     is left (guided: few claims, short last runs), then, dynamic for the
 *     remainder, from the other parts. Once every chunk is claimed, the
 *     caller waits only for the chunks still running.
 *     A pool thread that wakes late finds nothing left and goes back to
 *     sleep, so a parallel loop costs about what the serial loop costs even
 *     when every core is busy (an OpenMP team's join barrier waited for
 *     every thread of the team, scheduled or not: 70x slower on a loaded
 *     machine). The loop's record is reference-counted, freed by whoever
 *     leaves it last.
 *  3. A loop too short to gain from threads never pays for them: the
 *     caller runs chunks alone, in order, and publishes the rest of the
 *     loop to the pool only once KILN_PUBLISH_NS have passed (waking a pool
 *     thread costs microseconds; `np.zeros(10**5)` inside a loop took twice
 *     as long when every one was handed to the pool). Chunking does not
 *     change, so neither do results.
 *  4. One budget for the process's loops: the pool has threads - 1 threads,
 *     one loop at a time may use them; a loop started while another one
 *     holds the pool (another Python thread's call) runs on its caller
 *     alone. Nested loops (a body that runs a loop) run serially.
 *  5. Errors: each chunk reports a status. The error of the lowest failing
 *     chunk is kept (every chunk below it still runs; chunks above it are
 *     skipped) and moved to the calling thread's error state.
 *  6. It runs serially, chunk by chunk in order (merged into pieces of at
 *     least KILN_SERIAL_PIECE iterations), when: one thread is set, there is
 *     one chunk, the caller is inside a parallel loop, another loop holds
 *     the pool, or the process is a fork() child (kiln_get_num_threads()
 *     reports 1 there: a forked worker of a pool of processes should not
 *     start threads of its own).
 *  7. Between chunks the calling thread polls kiln_interrupt_flag
 *     (kiln_poll): on the main thread a Python signal handler runs, and its
 *     exception stops the loop like a failing chunk.
 *  8. Pool threads allocate (kiln_alloc) into the calling thread's arena:
 *     blocks belong to the exported call whichever thread made them.
 *  9. A pool thread the OS takes off its core in the middle of a chunk
 *     (other processes want the cores) makes the caller wait for that
 *     chunk. So the caller measures how long it waited once every chunk was
 *     claimed: when that is over a quarter of the loop (and over
 *     KILN_WAIT_MIN_NS), the machine is busy, and the next loops run alone
 *     for a while (KILN_BACKOFF_MIN_NS, doubling while loops keep losing,
 *     up to KILN_BACKOFF_MAX_NS), then try the pool again. Chunking does not
 *     change, so neither do results.
 *
 * Thread count: KILN_NUM_THREADS, then OMP_NUM_THREADS (its first entry),
 * then the number of CPUs this process may run on, bounded by its cgroup's
 * CPU quota (a container's share). A count set at run time (a module's
 * `_set_num_threads`, kiln.set_num_threads) holds for every Kiln module of
 * the process (it lives in the hub of interrupt.c). Each module links its
 * own copy of the runtime, so each has its own pool.
 *
 *===----------------------------------------------------------------------===*/
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* With grain <= 0, loops are cut into about this many chunks... */
#define KILN_TARGET_CHUNKS 1024
/* ...of a multiple of this many iterations: more than any vector loop's
 * step (vector width times interleave: 64 for float32 on AVX-512). */
#define KILN_CHUNK_ALIGN 256
/* Run on one thread, chunks are merged into pieces of at least this many
 * iterations. */
#define KILN_SERIAL_PIECE 65536
/* How long the caller spins for the last running chunks before it sleeps,
 * and a pool thread for the next loop (back-to-back loops then need no
 * wake-up call); short, so that a busy machine loses little to spinning. */
#define KILN_CALLER_SPIN 4000
/* A loop still running after this long is shared with the pool (rule 3). */
#define KILN_PUBLISH_NS 20000.0
#define KILN_POOL_SPIN 2000
/* Rule 2: at most this many parts (threads beyond it share parts). */
#define KILN_MAX_PARTS 64
/* Rule 9: how long loops run alone after one lost to a busy machine. */
#define KILN_WAIT_MIN_NS 100000.0
#define KILN_BACKOFF_MIN_NS 20e6
#define KILN_BACKOFF_MAX_NS 1e9

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int32_t g_num_threads = 1;  /* atomic access; set in init_once */
static volatile int g_forked_child; /* set by the atfork child handler */
static _Thread_local int tl_in_parallel;
static _Thread_local int32_t tl_part; /* rule 2: 0 for callers, p for pool thread p */

/* A positive thread count from an environment variable ("4" or, for
 * OMP_NUM_THREADS, "4,2"), or 0 if unset or invalid. */
static int32_t env_count(const char *var) {
  const char *s = getenv(var);
  if (!s || !*s)
    return 0;
  char *endp = NULL;
  errno = 0;
  long v = strtol(s, &endp, 10);
  if (errno || endp == s || v < 1)
    return 0;
  while (*endp == ' ')
    ++endp;
  if (*endp != '\0' && *endp != ',')
    return 0;
  return v > 4096 ? 4096 : (int32_t)v;
}

/* The CPUs a cgroup v2 quota ("200000 100000" in cpu.max) allows, rounded
 * up, or 0 when there is no quota. */
static int32_t cgroup_cpus(void) {
  FILE *f = fopen("/sys/fs/cgroup/cpu.max", "r");
  if (!f)
    return 0;
  char quota[32] = {0};
  long long period = 0;
  int got = fscanf(f, "%31s %lld", quota, &period);
  fclose(f);
  if (got != 2 || period <= 0 || strcmp(quota, "max") == 0)
    return 0;
  long long q = atoll(quota);
  if (q <= 0)
    return 0;
  long long n = (q + period - 1) / period;
  return n > 4096 ? 4096 : (int32_t)n;
}

static int32_t cpu_count(void) {
  int32_t n = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    n = CPU_COUNT(&set);
  if (n <= 0) {
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    n = c > 0 ? (int32_t)c : 1;
  }
  int32_t quota = cgroup_cpus();
  return quota > 0 && quota < n ? quota : n;
}

/* ---- The pool ---------------------------------------------------------------- */

typedef struct job {
  int64_t begin;
  uint64_t n, grain, nchunks;
  kiln_body_fn body;
  void *env;
  kiln_arena *arena;    /* the caller's current kiln_alloc arena */
  int32_t nparts;       /* rule 2's parts (a published loop's) */
  uint64_t *next;       /* each part's next chunk to hand out (atomic) */
  uint64_t *end;        /* each part's end */
  uint64_t done;        /* chunks finished or skipped (atomic) */
  uint64_t fail_chunk;  /* lowest failing chunk so far, UINT64_MAX if none (atomic) */
  int abandon;          /* a signal handler raised: run no more chunks (atomic) */
  int err_is_interrupt; /* err is the signal handler's (under lock) */
  int32_t refs;         /* the caller and the pool threads inside (atomic) */
  int32_t nthreads;     /* the threads that may work on it, caller included */
  int32_t helpers, max_helpers; /* pool threads that joined, and may (under g_lock) */
  pthread_mutex_t lock; /* guards err and waiting */
  pthread_cond_t finished;
  int waiting;          /* the caller sleeps on `finished` */
  kiln_error err;       /* the error of fail_chunk */
} job;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_wake = PTHREAD_COND_INITIALIZER;
static job *g_job;        /* the loop pool threads may join, or NULL */
static uint64_t g_gen;    /* bumped for every published loop */
static int32_t g_threads; /* pool threads started */

static void job_release(job *J) {
  if (__atomic_sub_fetch(&J->refs, 1, __ATOMIC_ACQ_REL) != 0)
    return;
  pthread_mutex_destroy(&J->lock);
  pthread_cond_destroy(&J->finished);
  free(J);
}

/* Runs chunks [c, c + k) in one call of the body; 1 if it failed (its
 * error is this thread's), 2 if a Python signal handler raised first. */
static int32_t run_piece(const job *J, uint64_t c, uint64_t k) {
  if (kiln_interrupt_flag && kiln_poll())
    return 2; /* the main thread's Python signal handler raised */
  uint64_t off = c * J->grain;
  uint64_t len = J->n - off < k * J->grain ? J->n - off : k * J->grain;
  int64_t lo = (int64_t)((uint64_t)J->begin + off);
  int64_t hi = (int64_t)((uint64_t)lo + len);
  int32_t st = J->body(lo, hi, J->env);
  if (st != 0 && !kiln_error_pending())
    kiln_raise_msg("SystemError", "parallel loop body reported an error but recorded no exception");
  return st != 0 || kiln_error_pending();
}

static int32_t run_chunk(const job *J, uint64_t c) { return run_piece(J, c, 1); }

/* Keeps this thread's pending error if chunk c is the lowest failure yet,
 * or if it is a Python signal handler's, which wins (once it is raised, the
 * chunks below it are not run). */
static void record_failure(job *J, uint64_t c, int interrupt) {
  pthread_mutex_lock(&J->lock);
  if (!J->err_is_interrupt && (interrupt || c < J->fail_chunk)) {
    J->err_is_interrupt = interrupt;
    kiln_error_take(&J->err);
    __atomic_store_n(&J->fail_chunk, c, __ATOMIC_RELAXED);
  } else {
    kiln_error_clear();
  }
  pthread_mutex_unlock(&J->lock);
}

static void finish_chunks(job *J, uint64_t k) {
  if (__atomic_add_fetch(&J->done, k, __ATOMIC_ACQ_REL) != J->nchunks)
    return;
  pthread_mutex_lock(&J->lock);
  if (J->waiting)
    pthread_cond_signal(&J->finished);
  pthread_mutex_unlock(&J->lock);
}

/* Claims runs of chunks of part p and runs them until none is left there. */
static void run_part(job *J, int32_t p) {
  uint64_t end = J->end[p];
  uint64_t c = __atomic_load_n(&J->next[p], __ATOMIC_RELAXED);
  for (;;) {
    if (c >= end)
      break;
    /* Guided: a share of what is left, so that few claims are made and the
     * last runs are short; a small share, so that a thread the OS stops
     * holds little work that the others must wait for. */
    uint64_t k = (end - c) / 8;
    if (k < 1)
      k = 1;
    if (!__atomic_compare_exchange_n(&J->next[p], &c, c + k, 1, __ATOMIC_RELAXED,
                                     __ATOMIC_RELAXED))
      continue; /* c now holds the current value */
    /* A chunk past the lowest failure so far is skipped, but counted (the
     * error kept is the lowest failing chunk's, and every chunk below it
     * runs). After a Ctrl-C every chunk not started is skipped: the
     * interrupt is raised now, not when the lower chunks are done. */
    for (uint64_t i = c; i < c + k; ++i) {
      if (i > __atomic_load_n(&J->fail_chunk, __ATOMIC_RELAXED) ||
          __atomic_load_n(&J->abandon, __ATOMIC_RELAXED))
        continue;
      int32_t r = run_chunk(J, i);
      if (r == 2)
        __atomic_store_n(&J->abandon, 1, __ATOMIC_RELAXED);
      if (r)
        record_failure(J, i, r == 2);
    }
    finish_chunks(J, k);
    c += k;
  }
}

/* Rule 2: this thread's own part first, then the others' remainders. */
static void run_chunks(job *J) {
  kiln_arena *own_arena = kiln_arena_current();
  kiln_arena_set_current(J->arena);
  int32_t own = tl_part % J->nparts;
  for (int32_t i = 0; i < J->nparts; ++i)
    run_part(J, (own + i) % J->nparts);
  kiln_arena_set_current(own_arena);
}

static void *pool_thread(void *index) {
  tl_part = (int32_t)(intptr_t)index; /* 1, 2, ...: rule 2's part */
  tl_in_parallel = 1;                 /* loops inside bodies run serially */
  uint64_t seen = 0;
  pthread_mutex_lock(&g_lock);
  for (;;) {
    if (!g_job || g_gen == seen) {
      /* Rule 2's cheap wake-up: spin a little for the next loop first. */
      pthread_mutex_unlock(&g_lock);
      for (int i = 0; i < KILN_POOL_SPIN && __atomic_load_n(&g_gen, __ATOMIC_RELAXED) == seen; ++i)
        cpu_relax();
      pthread_mutex_lock(&g_lock);
    }
    while (!g_job || g_gen == seen)
      pthread_cond_wait(&g_wake, &g_lock);
    seen = g_gen;
    job *J = g_job;
    if (J->helpers >= J->max_helpers)
      continue;
    ++J->helpers;
    __atomic_add_fetch(&J->refs, 1, __ATOMIC_ACQ_REL); /* J stays while g_job is J */
    pthread_mutex_unlock(&g_lock);
    kiln_error_clear(); /* leftovers of an earlier loop */
    run_chunks(J);
    job_release(J);
    pthread_mutex_lock(&g_lock);
  }
  return NULL;
}

/* Starts pool threads up to `want` (under g_lock). */
static void grow_pool(int32_t want) {
  while (g_threads < want) {
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    int err = pthread_create(&t, &a, pool_thread, (void *)(intptr_t)(g_threads + 1));
    pthread_attr_destroy(&a);
    if (err != 0)
      break; /* fewer threads; the caller still runs every chunk left */
    ++g_threads;
  }
}

/* fork(): the child has no pool threads, and g_lock must not be left held
 * by one of the parent's. */
static void atfork_prepare(void) { pthread_mutex_lock(&g_lock); }
static void atfork_parent(void) { pthread_mutex_unlock(&g_lock); }
static void atfork_child(void) {
  pthread_mutex_unlock(&g_lock); /* taken by atfork_prepare in this thread */
  pthread_cond_init(&g_wake, NULL);
  g_job = NULL;
  g_threads = 0;
  g_forked_child = 1;
}

static void init_once(void) {
  pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
  int32_t n = env_count("KILN_NUM_THREADS");
  if (!n)
    n = env_count("OMP_NUM_THREADS");
  if (!n)
    n = cpu_count();
  __atomic_store_n(&g_num_threads, n, __ATOMIC_RELAXED);
}

void kiln_parallel_init(void) { pthread_once(&g_once, init_once); }

int kiln_parallel_is_forked_child(void) { return g_forked_child; }

int32_t kiln_get_num_threads(void) {
  kiln_parallel_init();
  if (g_forked_child)
    return 1;
  int32_t *shared = kiln_hub_num_threads(); /* one setting for all modules */
  int32_t n = shared ? __atomic_load_n(shared, __ATOMIC_RELAXED) : 0;
  return n > 0 ? n : __atomic_load_n(&g_num_threads, __ATOMIC_RELAXED);
}

void kiln_set_num_threads(int32_t n) {
  kiln_parallel_init();
  if (n < 1)
    n = 1;
  if (n > 4096)
    n = 4096;
  __atomic_store_n(&g_num_threads, n, __ATOMIC_RELAXED);
  int32_t *shared = kiln_hub_num_threads();
  if (shared)
    __atomic_store_n(shared, n, __ATOMIC_RELAXED);
}

/* ---- The loop ------------------------------------------------------------ */

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Rule 9, process-wide (every calling thread's loops share the cores).
 * Plain atomics, no lock: a heuristic that tolerates racing updates, and
 * nothing a fork() could leave held. */
static int64_t g_alone_until;                      /* now_ns() before which loops run alone */
static int64_t g_backoff_ns = KILN_BACKOFF_MIN_NS; /* the next time alone */

static int machine_busy(double now) {
  return now < (double)__atomic_load_n(&g_alone_until, __ATOMIC_RELAXED);
}

/* After a shared loop: `wait` of its `total` ns went to waiting for chunks
 * pool threads held. */
static void note_wait(double wait, double total, double now) {
  int64_t backoff = __atomic_load_n(&g_backoff_ns, __ATOMIC_RELAXED);
  if (wait > 0.25 * total && wait > KILN_WAIT_MIN_NS) {
    __atomic_store_n(&g_alone_until, (int64_t)now + backoff, __ATOMIC_RELAXED);
    int64_t next = backoff * 2 < (int64_t)KILN_BACKOFF_MAX_NS ? backoff * 2
                                                              : (int64_t)KILN_BACKOFF_MAX_NS;
    __atomic_store_n(&g_backoff_ns, next, __ATOMIC_RELAXED);
  } else if (wait < 0.05 * total) {
    __atomic_store_n(&g_backoff_ns, (int64_t)KILN_BACKOFF_MIN_NS, __ATOMIC_RELAXED);
  }
}

/* Runs chunks [c, nchunks) on this thread, in pieces of whole chunks of at
 * least KILN_SERIAL_PIECE iterations (few calls; Ctrl-C is still seen
 * between pieces). 1 if one failed: the error is already this thread's. */
static int32_t run_alone(const job *L, uint64_t c) {
  uint64_t piece = (KILN_SERIAL_PIECE + L->grain - 1) / L->grain;
  while (c < L->nchunks) {
    uint64_t k = L->nchunks - c < piece ? L->nchunks - c : piece;
    if (run_piece(L, c, k))
      return 1;
    c += k;
  }
  return 0;
}

int32_t kiln_parallel_for(int64_t begin, int64_t end, int64_t grain, kiln_body_fn body,
                          void *env) {
  if (end <= begin)
    return 0;
  uint64_t n = (uint64_t)end - (uint64_t)begin;
  if (grain <= 0) {
    uint64_t align = grain < 0 ? (uint64_t)-grain : KILN_CHUNK_ALIGN;
    uint64_t g = n / KILN_TARGET_CHUNKS + (n % KILN_TARGET_CHUNKS != 0);
    grain = (int64_t)((g + align - 1) / align * align);
  }
  uint64_t nchunks = n / (uint64_t)grain + (n % (uint64_t)grain != 0);

  int32_t nt = kiln_get_num_threads(); /* 1 in a fork() child */
  job L;
  memset(&L, 0, sizeof L);
  L.begin = begin;
  L.n = n;
  L.grain = (uint64_t)grain;
  L.nchunks = nchunks;
  L.body = body;
  L.env = env;
  if (nt <= 1 || nchunks <= 1 || tl_in_parallel || g_forked_child)
    return run_alone(&L, 0);

  /* Rule 3: alone first, in order, until the loop proves long. */
  /* Runs of 1, 2, 4, ... chunks between two looks at the clock: few looks
   * (a short loop's chunks are a few hundred nanoseconds), and the loop is
   * shared at most about 2 x KILN_PUBLISH_NS after it started. */
  uint64_t c = 0, run = 1;
  double t0 = now_ns();
  while (c < nchunks) {
    uint64_t k = nchunks - c < run ? nchunks - c : run;
    if (run_piece(&L, c, k)) /* one call: merged chunks compute as each alone */
      return 1; /* the serial loop's error: already this thread's */
    c += k;
    run *= 2;
    if (c + 1 < nchunks && now_ns() - t0 > KILN_PUBLISH_NS)
      break;
  }
  if (c + 1 >= nchunks) /* at most one chunk left: not worth sharing */
    return c < nchunks ? (run_chunk(&L, c) ? 1 : 0) : 0;
  /* Alone, in pieces as rule 6, when the machine is busy (rule 9), or in
   * a child that a Python signal handler fork()ed at a poll of the serial
   * start (it must start no threads: rule 6). */
  if (g_forked_child || machine_busy(now_ns()))
    return run_alone(&L, c);

  int32_t nparts = nt < KILN_MAX_PARTS ? nt : KILN_MAX_PARTS;
  job *J = malloc(sizeof *J + 2 * (size_t)nparts * sizeof(uint64_t));
  if (!J)
    return run_alone(&L, c);
  *J = L;
  J->arena = kiln_arena_current();
  /* Rule 2's parts, over the whole loop (the same for every run of it);
   * the chunks the caller ran alone are done. */
  J->nparts = nparts;
  J->next = (uint64_t *)(J + 1);
  J->end = J->next + nparts;
  uint64_t q = nchunks / (uint64_t)nparts, extra = nchunks % (uint64_t)nparts;
  for (int32_t p = 0; p < nparts; ++p) {
    uint64_t start = q * (uint64_t)p + ((uint64_t)p < extra ? (uint64_t)p : extra);
    J->end[p] = start + q + ((uint64_t)p < extra);
    J->next[p] = start > c ? start : (c < J->end[p] ? c : J->end[p]);
  }
  J->done = c;
  J->fail_chunk = UINT64_MAX;
  J->abandon = 0;
  J->err_is_interrupt = 0;
  J->refs = 1;
  J->nthreads = nt;
  J->helpers = 0;
  J->max_helpers = (int32_t)((uint64_t)(nt - 1) < nchunks - c ? (uint64_t)(nt - 1) : nchunks - c);
  J->waiting = 0;
  J->err.pending = 0;
  pthread_mutex_init(&J->lock, NULL);
  pthread_cond_init(&J->finished, NULL);

  /* Rule 4: one loop holds the pool at a time; another runs alone. */
  pthread_mutex_lock(&g_lock);
  int busy = g_job != NULL;
  if (!busy) {
    grow_pool(nt - 1);
    g_job = J;
    __atomic_add_fetch(&g_gen, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&g_wake);
  }
  pthread_mutex_unlock(&g_lock);

  /* No error is pending here: the serial start would have stopped on it. */
  tl_in_parallel = 1;
  run_chunks(J);
  tl_in_parallel = 0;
  double t_claimed = now_ns(); /* every chunk is claimed now */

  /* Every chunk is claimed: no one else may join, and only the chunks
   * still running are waited for (rule 2). */
  if (!busy) {
    pthread_mutex_lock(&g_lock);
    g_job = NULL;
    pthread_mutex_unlock(&g_lock);
  }
  if (g_forked_child) {
    /* A Python signal handler called fork() while this loop ran: in the
     * child, the chunks the parent's pool threads held will never finish
     * (the record is left to leak rather than waited for). */
    kiln_raise_msg("RuntimeError", "fork() was called while a parallel loop was running; "
                                   "the loop cannot finish in the child process");
    return 1;
  }
  for (int spin = 0; spin < KILN_CALLER_SPIN; ++spin) {
    if (__atomic_load_n(&J->done, __ATOMIC_ACQUIRE) == J->nchunks)
      break;
    cpu_relax();
  }
  pthread_mutex_lock(&J->lock);
  J->waiting = 1;
  while (__atomic_load_n(&J->done, __ATOMIC_ACQUIRE) != J->nchunks)
    pthread_cond_wait(&J->finished, &J->lock);
  pthread_mutex_unlock(&J->lock);
  if (!busy) {
    double t_end = now_ns();
    note_wait(t_end - t_claimed, t_end - t0, t_end);
  }

  int32_t failed = J->fail_chunk != UINT64_MAX;
  if (failed)
    kiln_error_restore(&J->err);
  job_release(J);
  return failed;
}
