/*===- interrupt.c - Ctrl-C while compiled code runs without the GIL ------===*
 *
 * Python's own SIGINT handler only records the signal; the interpreter runs
 * the Python-level handler (KeyboardInterrupt by default, or the user's
 * `signal.signal(SIGINT, h)`) later, on the main thread, between bytecodes.
 * A long compiled loop would therefore not notice Ctrl-C until it finished.
 * Kiln keeps CPython's semantics while staying interruptible:
 *
 *  1. One C handler for the whole process (the "hub", shared by every Kiln
 *     module through a capsule in `sys._kiln_hub`), chained in front of
 *     whatever function handler was installed (Python's). It marks the
 *     signal in every Kiln module's kiln_interrupt_flag and then calls the
 *     previous handler, so Python records the signal exactly as it would
 *     have without Kiln. Only function handlers are chained: while SIGINT
 *     is ignored or default, nothing is installed and Ctrl-C does what it
 *     does in CPython.
 *  2. Only the main thread is interrupted, as in CPython: long loops poll
 *     the flag (one load) and call kiln_poll() when it is non-zero; on any
 *     other thread that returns 0 and the loop goes on.
 *  3. On the main thread, kiln_poll() takes the GIL back and calls
 *     PyErr_CheckSignals(), which runs the Python-level handler. If it
 *     raises (KeyboardInterrupt, or the user handler's own exception), the
 *     compiled call fails with that very exception; if it returns, the
 *     call carries on where it was.
 *  4. No system call on a call's fast path. Python moves its own handler
 *     back in front of the hub's whenever `signal.signal` runs, so the hub
 *     wraps the C function under it, `_signal.signal` (once per process, at
 *     the first import; `signal.signal` looks it up on every call, so a
 *     `signal.signal` imported before Kiln goes through the wrap too): after
 *     the original has run, the wrapper chains the hub's handler again, on
 *     the main thread, with the GIL. For handlers changed by C code calling
 *     sigaction, a main-thread call also marks its module's flag "verify" (a
 *     plain byte store) when the last check is 100 ms old or more (a vDSO
 *     clock read); the first poll of such a call checks with one sigaction()
 *     query. A call without loops never polls and never makes the query.
 *  5. The flag is four bytes, written bytewise: byte 0 by the signal
 *     handler (any thread), byte 1 by the main thread. Plain byte stores to
 *     different bytes never lose each other's update, and generated code
 *     reads the word with one load.
 *  6. The hub also holds the thread count set by any module's
 *     `_set_num_threads` (kiln.set_num_threads in Python): one setting for
 *     every Kiln module of the process.
 *
 * "Main thread" is the thread whose id equals the process id (Linux), which
 * also holds in a fork() child, where the forking thread is Python's main;
 * each thread works the answer out once.
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef union kiln_intr_word {
  volatile int32_t word; /* what generated code loads */
  struct {
    volatile uint8_t signal; /* SIGINT arrived (written by the hub's handler) */
    volatile uint8_t verify; /* a main-thread call began: check the handler */
    uint8_t pad[2];
  } b;
} kiln_intr_word;

/* This module's flag, under the name generated code and runtime.h use. */
volatile int32_t kiln_interrupt_flag __attribute__((aligned(4))) = 0;
#define FLAG ((kiln_intr_word *)&kiln_interrupt_flag)

/* ---- The process-wide hub -------------------------------------------------- */

#define KILN_HUB_CAPSULE "kiln.hub"
/* Later versions only append fields: a module accepts a hub of its version
 * or later, so two hubs never chain to each other. */
#define KILN_HUB_VERSION 3
#define KILN_HUB_MAX_MODULES 1024

typedef struct kiln_hub {
  int32_t version;
  int32_t nflags;                              /* atomic */
  void (*handler)(int, siginfo_t *, void *);   /* lives in the creating module */
  struct sigaction prev;                       /* what the handler chains to */
  int32_t num_threads; /* set_num_threads for every module (atomic), 0 if never set */
  kiln_intr_word *flags[KILN_HUB_MAX_MODULES]; /* every module's flag */
  /* version 3 */
  int32_t signal_wrapped;   /* _signal.signal is wrapped (GIL-guarded) */
  int64_t last_verify_ms;   /* CLOCK_MONOTONIC_COARSE of the last check (atomic) */
} kiln_hub;

static kiln_hub g_own_hub; /* used when this module is the first */
static kiln_hub *g_hub;    /* the process's hub; set at import, GIL held */

static void hub_handler(int signo, siginfo_t *info, void *uctx) {
  /* A chain that comes back here (another library, or a hub of another
   * Kiln version, chained in front of this one after it chained to them)
   * must not recurse without end. */
  static volatile sig_atomic_t inside;
  if (inside)
    return;
  inside = 1;
  kiln_hub *h = &g_own_hub; /* only the creating module's handler is installed */
  /* Python's handler first: when the main thread sees the flag, Python
   * already knows of the signal (else its check could find nothing and the
   * Ctrl-C would be lost). */
  const struct sigaction *p = &h->prev;
  if (p->sa_flags & SA_SIGINFO) {
    if (p->sa_sigaction)
      p->sa_sigaction(signo, info, uctx);
  } else if (p->sa_handler != SIG_IGN && p->sa_handler != SIG_DFL) {
    p->sa_handler(signo);
  }
  int32_t n = __atomic_load_n(&h->nflags, __ATOMIC_ACQUIRE);
  for (int32_t i = 0; i < n && i < KILN_HUB_MAX_MODULES; ++i)
    h->flags[i]->b.signal = 1;
  inside = 0;
}

static void wrap_signal_signal(void);

void kiln_interrupt_attach(void) {
  if (g_hub)
    return;
  PyObject *cap = PySys_GetObject("_kiln_hub"); /* borrowed; no error if absent */
  if (cap && PyCapsule_IsValid(cap, KILN_HUB_CAPSULE)) {
    kiln_hub *h = PyCapsule_GetPointer(cap, KILN_HUB_CAPSULE);
    if (h && h->version >= KILN_HUB_VERSION)
      g_hub = h;
  }
  PyErr_Clear();
  if (!g_hub) {
    g_own_hub.version = KILN_HUB_VERSION;
    g_own_hub.handler = hub_handler;
    g_hub = &g_own_hub;
    /* An older hub is left where it is (its modules keep using it). */
    PyObject *c = cap ? NULL : PyCapsule_New(g_hub, KILN_HUB_CAPSULE, NULL);
    if (c && PySys_SetObject("_kiln_hub", c) != 0)
      PyErr_Clear(); /* this module still works with a hub of its own */
    Py_XDECREF(c);
    PyErr_Clear();
  }
  int32_t i = __atomic_load_n(&g_hub->nflags, __ATOMIC_RELAXED);
  if (i < KILN_HUB_MAX_MODULES) {
    g_hub->flags[i] = FLAG;
    __atomic_store_n(&g_hub->nflags, i + 1, __ATOMIC_RELEASE);
  }
  wrap_signal_signal();
}

int32_t *kiln_hub_num_threads(void) { return g_hub ? &g_hub->num_threads : NULL; }

/* Rule 4: installs the hub's handler in front of the current one unless it
 * is there already (or SIGINT is ignored or default). Returns 1 if it had
 * to: a SIGINT may have reached only Python's handler meanwhile. */
static int64_t coarse_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts); /* vDSO: no system call */
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int ensure_handler(void) {
  if (!g_hub)
    return 0;
  __atomic_store_n(&g_hub->last_verify_ms, coarse_ms(), __ATOMIC_RELAXED);
  struct sigaction cur;
  if (sigaction(SIGINT, NULL, &cur) != 0)
    return 0;
  if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == g_hub->handler)
    return 0;
  if (!(cur.sa_flags & SA_SIGINFO) && (cur.sa_handler == SIG_IGN || cur.sa_handler == SIG_DFL))
    return 0;
  g_hub->prev = cur;
  struct sigaction ours;
  memset(&ours, 0, sizeof ours);
  ours.sa_sigaction = g_hub->handler;
  ours.sa_mask = cur.sa_mask;
  ours.sa_flags = SA_SIGINFO | (cur.sa_flags & (SA_ONSTACK | SA_RESTART));
  sigaction(SIGINT, &ours, NULL);
  return 1;
}

/* Rule 4: _signal.signal, then the hub's handler in front of what it set. */
static PyObject *g_orig_signal; /* the original _signal.signal, kept for the process */

static PyObject *wrapped_signal(PyObject *self, PyObject *args, PyObject *kwargs) {
  (void)self;
  PyObject *r = PyObject_Call(g_orig_signal, args, kwargs);
  if (r)
    ensure_handler();
  return r;
}

static PyMethodDef g_signal_def = {
    "signal", (PyCFunction)(void (*)(void))wrapped_signal, METH_VARARGS | METH_KEYWORDS,
    "signal(signalnum, handler, /)\n--\n\n"
    "Set the action for the given signal (the standard _signal.signal; Kiln\n"
    "keeps its Ctrl-C handler chained in front of the one installed)."};

static void wrap_signal_signal(void) {
  if (g_hub != &g_own_hub || g_hub->signal_wrapped)
    return;
  g_hub->signal_wrapped = 1;
  PyObject *mod = PyImport_ImportModule("_signal");
  PyObject *orig = mod ? PyObject_GetAttrString(mod, "signal") : NULL;
  PyObject *name = mod ? PyUnicode_FromString("_signal") : NULL;
  PyObject *w = orig && name ? PyCFunction_NewEx(&g_signal_def, NULL, name) : NULL;
  if (w && PyObject_SetAttrString(mod, "signal", w) == 0) {
    g_orig_signal = orig;
    orig = NULL;
  }
  Py_XDECREF(w);
  Py_XDECREF(name);
  Py_XDECREF(orig);
  Py_XDECREF(mod);
  PyErr_Clear(); /* without the wrap, the 100 ms check still chains again */
}

/* ---- The main thread ---------------------------------------------------- */

static _Thread_local int tl_is_main = -1;
/* The main thread's saved Python thread state while it runs compiled code. */
static _Thread_local void *tl_tstate; /* a PyThreadState */
static pthread_once_t g_atfork_once = PTHREAD_ONCE_INIT;

static void forget_main(void) { tl_is_main = -1; } /* the forking thread, in the child */
static void register_atfork(void) { pthread_atfork(NULL, NULL, forget_main); }

static int on_main_thread(void) {
  if (tl_is_main < 0) {
    pthread_once(&g_atfork_once, register_atfork);
    tl_is_main = (pid_t)syscall(SYS_gettid) == getpid();
  }
  return tl_is_main;
}

/* Rule 3. Returns 1 with the handler's exception set in the thread state
 * (and recorded as KILN_PYERR_PENDING), 0 if the call may go on. */
static int32_t run_python_handlers(void) {
  PyThreadState *ts = tl_tstate;
  if (!ts)
    return 0;
  PyEval_RestoreThread(ts);
  int r = PyErr_CheckSignals();
  PyEval_SaveThread();
  /* The handler may have called signal.signal (a handler that restores the
   * default for the next Ctrl-C): chain again, or the next one is missed. */
  ensure_handler();
  if (r >= 0)
    return 0;
  kiln_raise(KILN_PYERR_PENDING, 0, NULL);
  return 1;
}

int32_t kiln_poll(void) {
  if (!on_main_thread()) /* rule 2 */
    return 0;
  int check = 0;
  if (FLAG->b.verify) {
    FLAG->b.verify = 0;
    check = ensure_handler();
  }
  if (FLAG->b.signal) {
    FLAG->b.signal = 0;
    check = 1;
  }
  return check ? run_python_handlers() : 0;
}

int kiln_call_begin(kiln_call_signals *st) {
  st->main = on_main_thread();
  if (!st->main)
    return 0;
  if (FLAG->b.signal) {
    /* A Ctrl-C the hub saw while this thread ran Python: Python runs its
     * handler now, before a long call could hide it. */
    FLAG->b.signal = 0;
    if (PyErr_CheckSignals() < 0)
      return -1;
  }
  if (g_hub && coarse_ms() - __atomic_load_n(&g_hub->last_verify_ms, __ATOMIC_RELAXED) >= 100)
    FLAG->b.verify = 1;
  st->outer = tl_tstate; /* a Python handler may itself call compiled code */
  tl_tstate = PyThreadState_Get();
  return 0;
}

/* A KILN_FUNC_SHORT call holds the GIL: a poll inside it must not try to
 * take the GIL back to run Python's handlers (run_python_handlers sees no
 * saved thread state and leaves the signal to the interpreter). */
void *kiln_interrupt_hold(void) {
  void *outer = tl_tstate;
  tl_tstate = NULL;
  return outer;
}

void kiln_interrupt_unhold(void *outer) { tl_tstate = outer; }

void kiln_call_end(const kiln_call_signals *st) {
  if (!st->main)
    return;
  tl_tstate = st->outer;
  FLAG->b.verify = 0;
}
