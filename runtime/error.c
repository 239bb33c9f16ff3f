/*===- error.c - The thread-local error state of compiled code ------------===*
 *
 * Compiled code never touches Python objects. When it must raise, it calls
 * kiln_raise*(), which records the exception class name and up to
 * KILN_ERR_MAX_ARGS arguments in a per-thread kiln_error, and then returns a
 * non-zero status up its call chain. Once the runtime holds the GIL again it
 * calls kiln_error_to_python(), which looks the class up among the builtins,
 * builds `cls(*args)` and sets it as the current Python exception, so that
 * `raise ValueError("bad", n)` in the source gives the same `args` and
 * `str()` as in CPython.
 *
 * Rules:
 *  1. The first error recorded on a thread wins until it is consumed (taken,
 *     converted or cleared); later kiln_raise calls are ignored.
 *  2. String arguments are copied into the state (bounded by
 *     KILN_ERR_TEXT_MAX bytes per error, truncated with "..."), so a caller
 *     may pass a temporary buffer even though the ABI promises constants.
 *  3. Converting always clears the state, on every path.
 *  4. An unknown class name becomes RuntimeError (naming the class).
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <string.h>

static _Thread_local kiln_error tl_err;

/* Copies `s` into e->text at *used, returning its offset. Truncates with
 * "..." when the buffer is full; never fails. */
static int64_t copy_text(kiln_error *e, size_t *used, const char *s) {
  static const char ellipsis[] = "...";
  size_t off = *used;
  size_t room = KILN_ERR_TEXT_MAX - off; /* >= 1 always: the final NUL */
  size_t n = s ? strlen(s) : 0;
  if (n + 1 > room) {
    /* Keep what fits, then mark the truncation. */
    size_t keep = room > sizeof ellipsis ? room - sizeof ellipsis : 0;
    memcpy(e->text + off, s, keep);
    size_t tail = room - 1 - keep < sizeof ellipsis - 1 ? room - 1 - keep : sizeof ellipsis - 1;
    memcpy(e->text + off + keep, ellipsis, tail);
    n = keep + tail;
  } else if (n) {
    memcpy(e->text + off, s, n);
  }
  e->text[off + n] = '\0';
  *used = off + n + 1 < KILN_ERR_TEXT_MAX ? off + n + 1 : KILN_ERR_TEXT_MAX - 1;
  return (int64_t)off;
}

void kiln_raise(const char *exc_name, int32_t nargs, const kiln_arg *args) {
  kiln_error *e = &tl_err;
  if (e->pending)
    return; /* first error wins */
  if (!exc_name)
    exc_name = "RuntimeError";
  size_t nlen = strlen(exc_name);
  if (nlen >= KILN_ERR_NAME_MAX)
    nlen = KILN_ERR_NAME_MAX - 1; /* will not name a builtin: RuntimeError */
  memcpy(e->name, exc_name, nlen);
  e->name[nlen] = '\0';
  if (nargs < 0 || !args)
    nargs = 0;
  if (nargs > KILN_ERR_MAX_ARGS)
    nargs = KILN_ERR_MAX_ARGS;
  size_t used = 0;
  for (int32_t i = 0; i < nargs; ++i) {
    e->args[i] = args[i];
    if (args[i].tag == 's')
      e->args[i].v.i = copy_text(e, &used, args[i].v.s);
  }
  e->nargs = nargs;
  e->pending = 1;
}

void kiln_raise_msg(const char *exc_name, const char *msg) {
  kiln_arg a;
  a.tag = 's';
  a.pad = 0;
  a.v.s = msg ? msg : "";
  kiln_raise(exc_name, 1, &a);
}

int32_t kiln_error_pending(void) { return tl_err.pending ? 1 : 0; }

void kiln_error_clear(void) { tl_err.pending = 0; }

void kiln_error_take(kiln_error *dst) {
  if (!tl_err.pending) {
    dst->pending = 0;
    return;
  }
  *dst = tl_err;
  tl_err.pending = 0;
}

void kiln_error_restore(const kiln_error *src) {
  if (!src->pending || tl_err.pending)
    return;
  tl_err = *src;
}

/* Builds the args tuple of a recorded error. New reference or NULL. */
static PyObject *args_tuple(const kiln_error *e) {
  PyObject *t = PyTuple_New(e->nargs);
  if (!t)
    return NULL;
  for (int32_t i = 0; i < e->nargs; ++i) {
    const kiln_arg *a = &e->args[i];
    PyObject *v;
    switch (a->tag) {
    case 's': {
      const char *s = e->text + a->v.i;
      v = PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
      break;
    }
    case 'i':
      v = PyLong_FromLongLong(a->v.i);
      break;
    case 'f':
      v = PyFloat_FromDouble(a->v.f);
      break;
    case 'b':
      v = PyBool_FromLong(a->v.i != 0);
      break;
    default:
      v = PyUnicode_FromFormat("<invalid kiln_arg tag %d>", (int)a->tag);
      break;
    }
    if (!v || PyTuple_SetItem(t, i, v) != 0) {
      Py_DECREF(t);
      return NULL;
    }
  }
  return t;
}

/* The builtin exception class called `name`, or NULL (no exception set) if
 * there is none. New reference. */
static PyObject *builtin_exception(const char *name) {
  PyObject *builtins = PyImport_ImportModule("builtins");
  if (!builtins) {
    PyErr_Clear();
    return NULL;
  }
  PyObject *cls = PyObject_GetAttrString(builtins, name);
  Py_DECREF(builtins);
  if (!cls) {
    PyErr_Clear();
    return NULL;
  }
  if (!PyType_Check(cls) || PyObject_IsSubclass(cls, PyExc_BaseException) != 1) {
    PyErr_Clear();
    Py_DECREF(cls);
    return NULL;
  }
  return cls;
}

PyObject *kiln_error_to_python(void) {
  kiln_error e;
  kiln_error_take(&e); /* rule 3: the state is clear from here on */
  if (!e.pending) {
    PyErr_SetString(PyExc_SystemError,
                    "compiled code reported an error but recorded no exception");
    return NULL;
  }
  if (strcmp(e.name, KILN_PYERR_PENDING) == 0) {
    /* A Python signal handler's exception, already in the thread state. */
    if (!PyErr_Occurred())
      PyErr_SetString(PyExc_SystemError, "a signal handler's exception was lost");
    return NULL;
  }
  /* A later error wins over a handler's exception in a higher chunk. */
  PyErr_Clear();
  PyObject *args = args_tuple(&e);
  if (!args)
    return NULL;
  PyObject *cls = builtin_exception(e.name);
  if (!cls) {
    PyErr_Format(PyExc_RuntimeError, "compiled code raised unknown exception class '%s' with args %R",
                 e.name, args);
    Py_DECREF(args);
    return NULL;
  }
  PyObject *exc = PyObject_CallObject(cls, args);
  Py_DECREF(cls);
  Py_DECREF(args);
  if (!exc)
    return NULL; /* the constructor's own exception */
  PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
  Py_DECREF(exc);
  return NULL;
}

/*===----------------------------------------------------------------------===*
 * try / except
 *===----------------------------------------------------------------------===*/

_Static_assert(sizeof(kiln_error) <= KILN_EXC_SLOT_SIZE,
               "KILN_EXC_SLOT_SIZE must hold a kiln_error");

/* The base class of builtin exception `name` (exceptions.def), "" for
 * BaseException, or NULL for a name the table does not know. */
static const char *exc_parent(const char *name) {
#define EXC(Name, Parent)                                                                 \
  if (strcmp(name, #Name) == 0)                                                          \
    return Parent;
#include "kiln/exceptions.def"
  return NULL;
}

/* Whether `wanted` (n bytes, not NUL-terminated) is `cls` or a base of it. */
static int is_subclass(const char *cls, const char *wanted, size_t n) {
  for (int depth = 0; cls && *cls && depth < 16; ++depth) {
    if (strlen(cls) == n && memcmp(cls, wanted, n) == 0)
      return 1;
    cls = exc_parent(cls);
  }
  return 0;
}

int kiln_exc_known(const char *name) { return exc_parent(name) != NULL; }

int32_t kiln_exc_matches(const char *names) {
  const kiln_error *e = &tl_err;
  if (!e->pending || strcmp(e->name, KILN_PYERR_PENDING) == 0)
    return 0;
  if (!names || !*names)
    return 1; /* a bare `except:` */
  /* An unknown class becomes RuntimeError when it reaches Python. */
  const char *cls = exc_parent(e->name) ? e->name : "RuntimeError";
  while (*names) {
    const char *end = strchr(names, ',');
    size_t n = end ? (size_t)(end - names) : strlen(names);
    if (is_subclass(cls, names, n))
      return 1;
    if (!end)
      break;
    names = end + 1;
  }
  return 0;
}

void kiln_exc_catch(void *slot) { kiln_error_take((kiln_error *)slot); }

void kiln_exc_reraise(const void *slot) { kiln_error_restore((const kiln_error *)slot); }
