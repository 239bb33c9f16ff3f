/*===- interrupt.c - Ctrl-C while compiled code runs without the GIL ------===*
 *
 * Python's own SIGINT handler only sets a flag that the interpreter checks
 * between bytecodes, so a long native loop would not notice Ctrl-C until it
 * finished. While compiled code runs, the call path therefore swaps in a
 * handler that sets kiln_interrupt_flag, which long loops (and
 * kiln_parallel_for, between chunks) poll; they then raise KeyboardInterrupt
 * through kiln_raise_interrupt().
 *
 * Rules that keep this safe:
 *  1. Only the main thread swaps handlers (Python runs signal handlers only
 *     there, and two threads swapping the process-wide handler could leave
 *     ours installed). Other threads' calls see the flag but never touch the
 *     handler.
 *  2. Only Python's handler is replaced: if SIGINT is ignored or default
 *     (embedding, `signal.signal(SIGINT, SIG_IGN)`), it is left alone.
 *  3. The exact previous sigaction is restored after the call, with the GIL
 *     held. If SIGINT arrived but the body finished (or failed otherwise),
 *     PyErr_SetInterrupt() passes it on to Python, so that no Ctrl-C is lost
 *     and a Python-level handler still runs.
 *  4. The handler only stores to a volatile int32: async-signal-safe.
 *
 * "Main thread" is the thread whose id equals the process id (Linux), which
 * also holds in a fork() child, where the forking thread is Python's main.
 *
 *===----------------------------------------------------------------------===*/
#include "internal.h"

#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

volatile int32_t kiln_interrupt_flag = 0;

_Static_assert(sizeof(struct sigaction) <= sizeof(((kiln_sigint_state *)0)->saved),
               "kiln_sigint_state too small for struct sigaction");

/* Cached per thread: pid for which the answer holds (a fork changes pid). */
static _Thread_local pid_t tl_main_pid = -1;
static _Thread_local int tl_is_main;

static int on_main_thread(void) {
  pid_t pid = getpid();
  if (tl_main_pid != pid) {
    tl_main_pid = pid;
    tl_is_main = (pid_t)syscall(SYS_gettid) == pid;
  }
  return tl_is_main;
}

static void on_sigint(int signo) {
  (void)signo;
  kiln_interrupt_flag = 1;
}

void kiln_sigint_enter(kiln_sigint_state *st) {
  st->installed = 0;
  if (!on_main_thread())
    return;
  struct sigaction ours, old;
  memset(&ours, 0, sizeof ours);
  ours.sa_handler = on_sigint;
  sigemptyset(&ours.sa_mask);
  ours.sa_flags = SA_ONSTACK;
  if (sigaction(SIGINT, &ours, &old) != 0)
    return;
  if (!(old.sa_flags & SA_SIGINFO) && (old.sa_handler == SIG_IGN || old.sa_handler == SIG_DFL)) {
    sigaction(SIGINT, &old, NULL); /* rule 2: not Python's handler */
    return;
  }
  kiln_interrupt_flag = 0; /* a stale Ctrl-C was already passed to Python */
  memcpy(st->saved, &old, sizeof old);
  st->installed = 1;
}

int kiln_sigint_leave(kiln_sigint_state *st) {
  if (!st->installed)
    return 0;
  struct sigaction old;
  memcpy(&old, st->saved, sizeof old);
  sigaction(SIGINT, &old, NULL);
  int hit = kiln_interrupt_flag != 0;
  kiln_interrupt_flag = 0;
  return hit;
}
