/*===- stack.c - Room on the thread's stack for compiled recursion --------===*
 *
 * A compiled function that is part of a cycle of calls compares the stack
 * pointer with kiln_stack_limit on entry and raises RecursionError below it
 * (codegen's checkStackRoom), so that unbounded or very deep recursion
 * reaches Python as CPython's RecursionError instead of a segfault, on the
 * main thread and on threads with small stacks alike.
 *
 * The limit is per thread: the lowest address of the thread's stack plus a
 * margin (KILN_STACK_MARGIN, or a quarter of a small stack) that leaves
 * room for the deepest frame's own callees (the runtime, libm, and a Python
 * signal handler that a poll may run there) and for unwinding. Frames
 * larger than a page are probed page by page (codegen), so a huge frame
 * stops at the guard page instead of stepping over it. kiln_stack_limit() computes it the first time a thread asks.
 * Generated code asks once per call from outside a cycle and passes the
 * value down the recursion as a hidden argument, so a recursive call costs
 * one compare of the stack pointer, not a thread-local lookup.
 *
 *===----------------------------------------------------------------------===*/
#include "internal.h"

#include <pthread.h>

#define KILN_STACK_MARGIN (256 * 1024)

static _Thread_local uintptr_t tl_limit;

uintptr_t kiln_stack_limit(void) {
  if (tl_limit)
    return tl_limit;
  uintptr_t limit = 1; /* unknown stack: never fires, and is not asked again */
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void *lo = NULL;
    size_t size = 0;
    char here;
    uintptr_t sp = (uintptr_t)&here;
    /* A stack we are not on (a coroutine's, a user-allocated one): unknown,
     * so no check rather than a RecursionError on every call. */
    if (pthread_attr_getstack(&attr, &lo, &size) == 0 && lo && size > 0 &&
        sp > (uintptr_t)lo && sp - (uintptr_t)lo < size) {
      size_t margin = size / 4 < KILN_STACK_MARGIN ? size / 4 : KILN_STACK_MARGIN;
      limit = (uintptr_t)lo + margin;
    }
    pthread_attr_destroy(&attr);
  }
  tl_limit = limit;
  return limit;
}
