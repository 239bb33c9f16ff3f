/*===- parallel.c - kiln_parallel_for over OpenMP (libgomp) ---------------===*
 *
 * The only place in Kiln that uses OpenMP. Generated code calls
 * kiln_parallel_for(begin, end, grain, body, env); this file decides how the
 * iterations run:
 *
 *  1. Chunking depends only on (begin, end, grain): chunk c covers
 *     [begin + c*grain, min(end, begin + (c+1)*grain)). grain <= 0 picks
 *     ceil(n / KILN_TARGET_CHUNKS) rounded up to a multiple of
 *     KILN_CHUNK_ALIGN, again independent of the thread count, so per-chunk
 *     partial results (reductions) are reproducible. The alignment makes
 *     every piece a loop body is given (a chunk, or the serial path's run
 *     of chunks) start at a multiple of KILN_CHUNK_ALIGN from begin: an
 *     element is then computed by the vector body, or by the remainder, of
 *     every piece that holds it, whatever the thread count, and vector and
 *     scalar math functions (which may differ in the last bit) never trade
 *     elements between runs.
 *  2. Chunks are handed out dynamically (an atomic counter, in increasing
 *     order) to an OpenMP team of min(threads, chunks) threads.
 *  3. Errors: each chunk reports a status. The error of the lowest failing
 *     chunk is kept (every chunk below it still runs; chunks above it are
 *     skipped) and moved to the calling thread's error state.
 *  4. It runs serially, chunk by chunk in order, when: one thread is set,
 *     there is one chunk, the caller is already inside a parallel region
 *     (thread-local flag or omp_in_parallel(): nested loops never
 *     oversubscribe), or the process is a fork() child (libgomp hangs in a
 *     child whose parent had started its thread pool; a pthread_atfork child
 *     handler therefore makes every loop of the child serial, and
 *     kiln_get_num_threads() reports 1 there).
 *  5. Between chunks, a set kiln_interrupt_flag makes the calling thread
 *     poll (kiln_poll): on the main thread a Python signal handler runs, and
 *     its exception stops the loop
 *     KeyboardInterrupt even if the body never polls it.
 *  6. Pool threads allocate (kiln_alloc) into the calling thread's arena:
 *     blocks belong to the exported call whichever thread made them.
 *
 * Thread count: KILN_NUM_THREADS, then OMP_NUM_THREADS (its first entry),
 * then the number of CPUs this process may run on. Each module links its own
 * copy of the runtime, so the setting is per module.
 *
 *===----------------------------------------------------------------------===*/
#include "internal.h"

#include <errno.h>
#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* With grain <= 0, loops are cut into about this many chunks... */
#define KILN_TARGET_CHUNKS 1024
/* ...of a multiple of this many iterations: more than any vector loop's
 * step (vector width times interleave: 64 for float32 on AVX-512). */
#define KILN_CHUNK_ALIGN 256
/* Run on one thread, chunks are merged into pieces of at least this many
 * iterations. */
#define KILN_SERIAL_PIECE 65536

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int32_t g_num_threads = 1;  /* atomic access; set in init_once */
static volatile int g_forked_child; /* set by the atfork child handler */
static _Thread_local int tl_in_parallel;

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

static int32_t cpu_count(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0)
      return n;
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int32_t)n : 1;
}

static void atfork_child(void) { g_forked_child = 1; }

static void init_once(void) {
  pthread_atfork(NULL, NULL, atfork_child);
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
  return __atomic_load_n(&g_num_threads, __ATOMIC_RELAXED);
}

void kiln_set_num_threads(int32_t n) {
  kiln_parallel_init();
  if (n < 1)
    n = 1;
  if (n > 4096)
    n = 4096;
  __atomic_store_n(&g_num_threads, n, __ATOMIC_RELAXED);
}

/* ---- The loop ------------------------------------------------------------ */

typedef struct loop {
  int64_t begin;
  uint64_t n, grain, nchunks;
  kiln_body_fn body;
  void *env;
  kiln_arena *arena;   /* the caller's current kiln_alloc arena */
  uint64_t next;       /* next chunk to hand out (atomic) */
  uint64_t fail_chunk; /* lowest failing chunk so far, UINT64_MAX if none (atomic) */
  pthread_mutex_t lock;
  kiln_error err;      /* the error of fail_chunk, guarded by lock */
} loop;

static int32_t run_chunk(const loop *L, uint64_t c) {
  if (kiln_interrupt_flag && kiln_poll())
    return 1; /* the main thread's Python signal handler raised */
  uint64_t off = c * L->grain;
  uint64_t len = L->n - off < L->grain ? L->n - off : L->grain;
  int64_t lo = (int64_t)((uint64_t)L->begin + off);
  int64_t hi = (int64_t)((uint64_t)lo + len);
  int32_t st = L->body(lo, hi, L->env);
  if (st != 0 && !kiln_error_pending())
    kiln_raise_msg("SystemError", "parallel loop body reported an error but recorded no exception");
  return st != 0 || kiln_error_pending();
}

/* Keeps this thread's pending error if chunk c is the lowest failure yet. */
static void record_failure(loop *L, uint64_t c) {
  pthread_mutex_lock(&L->lock);
  if (c < L->fail_chunk) {
    kiln_error_take(&L->err);
    __atomic_store_n(&L->fail_chunk, c, __ATOMIC_RELAXED);
  } else {
    kiln_error_clear();
  }
  pthread_mutex_unlock(&L->lock);
}

static void worker(loop *L) {
  int outer = tl_in_parallel;
  tl_in_parallel = 1;
  kiln_arena *own_arena = kiln_arena_current();
  kiln_arena_set_current(L->arena);
  if (omp_get_thread_num() != 0)
    kiln_error_clear(); /* a pool thread's leftovers from an earlier loop */
  for (;;) {
    uint64_t c = __atomic_fetch_add(&L->next, 1, __ATOMIC_RELAXED);
    /* Chunks come out in increasing order, so once one lies past a failure
     * every later one does too. */
    if (c >= L->nchunks || c > __atomic_load_n(&L->fail_chunk, __ATOMIC_RELAXED))
      break;
    if (run_chunk(L, c))
      record_failure(L, c);
  }
  kiln_arena_set_current(own_arena);
  tl_in_parallel = outer;
}

int32_t kiln_parallel_for(int64_t begin, int64_t end, int64_t grain, kiln_body_fn body,
                          void *env) {
  if (end <= begin)
    return 0;
  loop L;
  L.begin = begin;
  L.n = (uint64_t)end - (uint64_t)begin;
  if (grain <= 0) {
    uint64_t g = L.n / KILN_TARGET_CHUNKS + (L.n % KILN_TARGET_CHUNKS != 0);
    grain = (int64_t)((g + KILN_CHUNK_ALIGN - 1) / KILN_CHUNK_ALIGN * KILN_CHUNK_ALIGN);
  }
  L.grain = (uint64_t)grain;
  L.nchunks = L.n / L.grain + (L.n % L.grain != 0);
  L.body = body;
  L.env = env;

  int32_t nt = kiln_get_num_threads(); /* 1 in a fork() child */
  if (nt <= 1 || L.nchunks <= 1 || tl_in_parallel || g_forked_child || omp_in_parallel()) {
    /* Serially, in pieces of at least KILN_SERIAL_PIECE iterations (fewer
     * calls; Ctrl-C is still seen between pieces). */
    uint64_t per = (KILN_SERIAL_PIECE + L.grain - 1) / L.grain;
    loop S = L;
    S.grain = L.grain * per;
    S.nchunks = S.n / S.grain + (S.n % S.grain != 0);
    for (uint64_t c = 0; c < S.nchunks; ++c)
      if (run_chunk(&S, c))
        return 1; /* the error is already this thread's */
    return 0;
  }
  if ((uint64_t)nt > L.nchunks)
    nt = (int32_t)L.nchunks;

  /* The caller's own pending error (if any) must survive, and win. */
  kiln_error outer;
  kiln_error_take(&outer);

  L.arena = kiln_arena_current();
  L.next = 0;
  L.fail_chunk = UINT64_MAX;
  L.err.pending = 0;
  pthread_mutex_init(&L.lock, NULL);
#pragma omp parallel num_threads(nt)
  worker(&L);
  pthread_mutex_destroy(&L.lock);

  kiln_error_restore(&outer);
  if (L.fail_chunk == UINT64_MAX)
    return 0;
  kiln_error_restore(&L.err);
  return 1;
}
