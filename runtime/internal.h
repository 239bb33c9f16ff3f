/*===- internal.h - Private declarations shared by the runtime's C files --===*
 *
 * Nothing here is part of the ABI in include/kiln/runtime.h: these are the
 * seams between the runtime's own translation units (type strings, value
 * conversion, the error state, the call path, parallel loops, SIGINT).
 *
 * Files that include this header must include <Python.h> first when they
 * need the Python-facing declarations (guarded by Py_PYTHON_H).
 *
 *===----------------------------------------------------------------------===*/
#ifndef KILN_RUNTIME_INTERNAL_H
#define KILN_RUNTIME_INTERNAL_H

#include "kiln/runtime.h"

#include <stddef.h>
#include <stdint.h>

/* ---- Type strings (types.c) ---------------------------------------------- */

/* The kinds of Kiln IR types the boundary understands. */
typedef enum kiln_type_kind {
  KILN_T_NONE,
  KILN_T_BOOL,
  KILN_T_INT64,
  KILN_T_FLOAT64,
  KILN_T_TUPLE,
} kiln_type_kind;

/* A parsed type. Tuples own an array of `nelems` element types. */
typedef struct kiln_type {
  kiln_type_kind kind;
  int32_t nelems;
  struct kiln_type *elems;
} kiln_type;

/* Parses `text` into `*out`. Returns 0, or -1 and writes a description of the
 * problem (NUL-terminated) into errbuf. Never touches Python. */
int kiln_type_parse(const char *text, kiln_type *out, char *errbuf, size_t errlen);
/* Frees what kiln_type_parse allocated inside `t` (not `t` itself). */
void kiln_type_free(kiln_type *t);
/* Number of kiln_slot values a value of type `t` occupies when flattened. */
int32_t kiln_type_slot_count(const kiln_type *t);
/* Canonical spelling, e.g. "tuple<int64, float64>". Returns the length that
 * was needed (like snprintf). */
size_t kiln_type_format(const kiln_type *t, char *buf, size_t len);

/* ---- Error state (error.c) ----------------------------------------------- */

#define KILN_ERR_MAX_ARGS 8
#define KILN_ERR_NAME_MAX 64
#define KILN_ERR_TEXT_MAX 4096 /* all string arguments of one error together */

/* A self-contained copy of one pending error: it owns its strings (stored as
 * offsets, so the struct can be copied by value) and can move between
 * threads (parallel_for) without dangling pointers. */
typedef struct kiln_error {
  int32_t pending;
  int32_t nargs;
  char name[KILN_ERR_NAME_MAX];
  kiln_arg args[KILN_ERR_MAX_ARGS]; /* for tag 's', v.i is an offset into text[] */
  char text[KILN_ERR_TEXT_MAX];
} kiln_error;

/* Moves this thread's pending error into *dst (dst->pending = 0 if none) and
 * clears this thread's state. */
void kiln_error_take(kiln_error *dst);
/* Makes *src this thread's pending error unless one is already pending
 * (first error wins). */
void kiln_error_restore(const kiln_error *src);
/* Discards this thread's pending error, if any. */
void kiln_error_clear(void);

#ifdef Py_PYTHON_H
/* Converts this thread's pending error into the current Python exception and
 * clears the pending state. Needs the GIL. Always returns NULL (so that
 * callers can `return kiln_error_to_python();`). If nothing is pending, sets
 * SystemError: compiled code reported failure without saying why. */
PyObject *kiln_error_to_python(void);

/* ---- Conversion (convert.c) ---------------------------------------------- */

/* Outcome of converting one argument. */
typedef enum kiln_conv_status {
  KILN_CONV_OK = 0,
  KILN_CONV_MISMATCH = 1, /* wrong kind of object: a TypeError candidate */
  KILN_CONV_OVERFLOW = 2, /* right kind, value out of range */
  KILN_CONV_ERROR = 3,    /* the object's own __index__/__float__ raised */
} kiln_conv_status;

/* 1 if `o` is exactly the Python kind that `t` corresponds to (int for int64,
 * float for float64, bool for bool), the first pass of overload dispatch. */
int kiln_conv_is_exact(const kiln_type *t, PyObject *o);
/* Converts `o` to one slot of scalar type `t`. On MISMATCH and OVERFLOW no
 * Python error is left set; on ERROR the object's exception is left set. */
kiln_conv_status kiln_conv_arg(const kiln_type *t, PyObject *o, kiln_slot *out);
/* Builds the Python value of type `t` from slots starting at *cursor,
 * advancing it. New reference, or NULL with an exception set. */
PyObject *kiln_conv_result(const kiln_type *t, const kiln_slot *slots, int32_t *cursor);
/* "str", "float", "numpy.int64": the name used in messages for `o`'s type.
 * Writes into buf (always NUL-terminated). */
void kiln_type_name_of(PyObject *o, char *buf, size_t len);

/* ---- Functions and calls (call.c) ---------------------------------------- */

/* One signature of a callable: the generated descriptor plus parsed types. */
typedef struct kiln_sig {
  const kiln_func_desc *desc;
  kiln_type *param_types; /* desc->nparams entries */
  kiln_type result_type;
  int32_t nresult_slots;
} kiln_sig;

/* All consecutive descriptors that share one Python name. Owned by the
 * kiln_group_obj that is the `self` of the callable. */
typedef struct kiln_group {
  const char *name; /* borrowed from the first desc */
  int32_t nsigs;
  kiln_sig *sigs;
  char *doc;        /* owned */
  PyMethodDef ml;   /* must outlive the function object: lives here */
} kiln_group;

/* The `self` of every callable: owns its group. Pickles as the module it
 * belongs to, so that pickling a function (getattr(self, name)) works for
 * multiprocessing, Dask and friends. */
typedef struct kiln_group_obj {
  PyObject_HEAD
  kiln_group *group;
  PyObject *modname; /* str */
} kiln_group_obj;

/* The METH_FASTCALL|METH_KEYWORDS implementation shared by every callable. */
PyObject *kiln_group_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames);
#endif /* Py_PYTHON_H */

/* ---- Parallel loops (parallel.c) ----------------------------------------- */

/* 1 in a child process created by fork() (everything then runs serially). */
int kiln_parallel_is_forked_child(void);
/* Registers the fork handlers; idempotent. */
void kiln_parallel_init(void);

/* ---- SIGINT while native code runs (interrupt.c) ------------------------- */

/* Opaque record of what kiln_sigint_enter changed. */
typedef struct kiln_sigint_state {
  int installed;
  unsigned char saved[256]; /* a struct sigaction, kept opaque here */
} kiln_sigint_state;

/* Called with the GIL held just before releasing it: on the main thread, and
 * only while Python's own SIGINT handler is installed, installs a handler
 * that sets kiln_interrupt_flag. */
void kiln_sigint_enter(kiln_sigint_state *st);
/* Called after reacquiring the GIL: restores Python's handler. Returns 1 if
 * SIGINT arrived meanwhile (the flag is cleared again). */
int kiln_sigint_leave(kiln_sigint_state *st);

#endif /* KILN_RUNTIME_INTERNAL_H */
