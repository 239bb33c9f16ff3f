/*===- call.c - Calling a compiled function from Python -------------------===*
 *
 * kiln_group_call is the one C function behind every callable of every Kiln
 * module (METH_FASTCALL | METH_KEYWORDS; `self` is a kiln_group_obj holding
 * the kiln_group). A call goes through four steps:
 *
 *  1. Binding: positional and keyword arguments are matched to parameter
 *     names with CPython's rules and CPython's wording for every failure
 *     ("takes 2 positional arguments but 3 were given", "missing 1 required
 *     positional argument: 'b'", "got an unexpected keyword argument 'x'",
 *     "got multiple values for argument 'a'").
 *  2. Conversion / dispatch: with one signature, every argument is converted
 *     or a TypeError / OverflowError names the parameter. With overloads, the
 *     first signature (in declaration order) whose arguments all have the
 *     exact Python kind (int for int64, float for float64, bool for bool,
 *     an array of the right dtype and rank for arrays) wins; failing that,
 *     the first one to which all arguments convert. A candidate whose
 *     conversion fails (including overflow) is skipped, and the buffers it
 *     had taken are released. If none fits: "f(): no matching signature for
 *     argument types (...); accepted: ...". (If every overload fails at
 *     binding with the same message, that CPython-worded message is raised
 *     instead; if an array had the right dtype and rank for some overload
 *     but an unusable layout or was read-only, that error is raised.)
 *  3. The call: the GIL is released around the entry point (not for a
 *     KILN_FUNC_SHORT function: no loop, so no work worth it); on the main
 *     thread, a Ctrl-C meanwhile runs Python's handler at the body's next
 *     poll (interrupt.c). A fresh kiln_alloc arena is this thread's current
 *     one during the call.
 *  4. Results: converted from slots (arrays adopt their kiln_alloc blocks or
 *     take their own export of the argument they view), or the body's
 *     pending error is raised unchanged (never replaced by a dispatch
 *     error). Then the arena frees every block no result adopted, and the
 *     argument buffers are released.
 *
 * Nothing allocated here outlives the call, on any path, except the memory
 * of returned arrays, which their numpy.ndarray objects own.
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Calls with at most this many parameters / result slots use stack buffers
 * (and at most KILN_SMALL_SLOTS argument slots: arrays take 1 + 2N). */
#define KILN_SMALL 16
#define KILN_SMALL_SLOTS 64
#define KILN_MSG_MAX 1024

/* ---- A small growable string for the dispatch-failure message ------------ */

typedef struct strbuf {
  char *data;
  size_t len, cap;
  int oom;
} strbuf;

static void sb_append(strbuf *sb, const char *fmt, ...) {
  if (sb->oom)
    return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = sb->cap - sb->len;
    int n = vsnprintf(sb->data ? sb->data + sb->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
      sb->oom = 1;
      return;
    }
    if ((size_t)n < room) {
      sb->len += (size_t)n;
      return;
    }
    size_t ncap = (sb->cap ? sb->cap * 2 : 256) + (size_t)n;
    char *nd = realloc(sb->data, ncap);
    if (!nd) {
      sb->oom = 1;
      return;
    }
    sb->data = nd;
    sb->cap = ncap;
  }
}

/* "f(a: int64, b: float64)" — a signature without its result, as listed in
 * "accepted: ..." */
static void sb_signature(strbuf *sb, const kiln_group *g, const kiln_sig *s) {
  sb_append(sb, "%s(", g->name);
  for (int32_t i = 0; i < s->desc->nparams; ++i) {
    char ty[128];
    /* Arrays in NumPy's terms, as the argument errors spell them. */
    if (s->param_types[i].kind == KILN_T_ARRAY)
      kiln_type_format_ndarray(&s->param_types[i], ty, sizeof ty);
    else
      kiln_type_format(&s->param_types[i], ty, sizeof ty);
    sb_append(sb, "%s%s: %s", i ? ", " : "", s->desc->param_names[i], ty);
  }
  sb_append(sb, ")");
}

/* ---- Step 1: binding ------------------------------------------------------ */

/* Binds args/kwnames to the parameters of `s`, filling bound[] with borrowed
 * references. Returns 0, or -1 with a CPython-worded message in msg. Order of
 * checks as in CPython: keywords, then too many positionals, then missing. */
static int bind_args(const kiln_group *g, const kiln_sig *s, PyObject *const *args,
                     Py_ssize_t nargs, PyObject *kwnames, PyObject **bound, char *msg,
                     size_t msglen) {
  int32_t np = s->desc->nparams;
  const char *const *names = s->desc->param_names;
  for (int32_t i = 0; i < np; ++i)
    bound[i] = i < nargs ? args[i] : NULL;

  Py_ssize_t nkw = kwnames ? PyTuple_Size(kwnames) : 0;
  const uint8_t *flags = s->desc->param_flags;
  /* Positional-only parameters passed by keyword: CPython names them all. */
  if (flags && nkw) {
    size_t pos = 0;
    int nposonly_kw = 0;
    for (int32_t j = 0; j < np && (flags[j] & KILN_PARAM_POSONLY); ++j) /* in order */
      for (Py_ssize_t k = 0; k < nkw; ++k)
        if (PyUnicode_CompareWithASCIIString(PyTuple_GetItem(kwnames, k), names[j]) == 0) {
          if (nposonly_kw++ == 0)
            pos = (size_t)snprintf(msg, msglen,
                                   "%s() got some positional-only arguments passed as keyword "
                                   "arguments: '%s",
                                   g->name, names[j]);
          else if (pos < msglen)
            pos += (size_t)snprintf(msg + pos, msglen - pos, ", %s", names[j]);
        }
    if (nposonly_kw) {
      if (pos < msglen)
        snprintf(msg + pos, msglen - pos, "'");
      return -1;
    }
  }
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject *key = PyTuple_GetItem(kwnames, k);
    int32_t j = 0;
    for (; j < np; ++j)
      if (PyUnicode_CompareWithASCIIString(key, names[j]) == 0)
        break;
    const char *kname = PyUnicode_AsUTF8AndSize(key, NULL);
    if (!kname) {
      PyErr_Clear();
      kname = "?";
    }
    if (j == np) {
      snprintf(msg, msglen, "%s() got an unexpected keyword argument '%s'", g->name, kname);
      return -1;
    }
    if (bound[j]) {
      snprintf(msg, msglen, "%s() got multiple values for argument '%s'", g->name, kname);
      return -1;
    }
    bound[j] = args[nargs + k];
  }

  if (nargs > np) {
    snprintf(msg, msglen, "%s() takes %d positional argument%s but %zd %s given", g->name,
             (int)np, np == 1 ? "" : "s", nargs, nargs == 1 ? "was" : "were");
    return -1;
  }

  /* Parameters with defaults may stay unbound (NULL); convert_all fills them. */
  int32_t first_default = np - s->desc->ndefaults;
  int32_t nmissing = 0;
  for (int32_t i = 0; i < first_default; ++i)
    nmissing += bound[i] == NULL;
  if (nmissing) {
    size_t pos = (size_t)snprintf(msg, msglen, "%s() missing %d required positional argument%s: ",
                                  g->name, (int)nmissing, nmissing == 1 ? "" : "s");
    int32_t seen = 0;
    for (int32_t i = 0; i < first_default && pos < msglen; ++i) {
      if (bound[i])
        continue;
      /* 'a' | 'a' and 'b' | 'a', 'b', and 'c' (CPython's format_missing) */
      const char *sep = "";
      if (seen > 0)
        sep = nmissing == 2 ? " and " : (seen == nmissing - 1 ? ", and " : ", ");
      pos += (size_t)snprintf(msg + pos, msglen - pos, "%s'%s'", sep, names[i]);
      ++seen;
    }
    return -1;
  }
  return 0;
}

/* ---- Step 2: conversion ----------------------------------------------------- */

/* Raises the TypeError / OverflowError for a failed conversion of parameter i
 * (single-signature path). KILN_CONV_ERROR leaves the object's own error. */
static void raise_conv_error(const kiln_group *g, const kiln_sig *s, int32_t i, PyObject *o,
                             kiln_conv_status st, const char *detail) {
  const char *pname = s->desc->param_names[i];
  if (s->param_types[i].kind == KILN_T_ARRAY || s->param_types[i].kind == KILN_T_LIST ||
      s->param_types[i].kind == KILN_T_TUPLE || s->param_types[i].kind == KILN_T_DICT ||
      s->param_types[i].kind == KILN_T_SET) {
    if (st == KILN_CONV_ERROR)
      return;
    PyErr_Format(st == KILN_CONV_READONLY   ? PyExc_ValueError
                 : st == KILN_CONV_OVERFLOW ? PyExc_OverflowError
                                            : PyExc_TypeError,
                 "%s() argument '%s': %s", g->name, pname, detail);
    return;
  }
  char ty[128];
  kiln_type_format(&s->param_types[i], ty, sizeof ty);
  if (st == KILN_CONV_OVERFLOW) {
    const kiln_scalar_info *info = kiln_scalar(s->param_types[i].kind);
    if (s->param_types[i].kind == KILN_T_FLOAT64)
      PyErr_Format(PyExc_OverflowError, "%s() argument '%s': int too large to convert to %s",
                   g->name, pname, ty);
    else if (info && info->sized && o) /* NumPy's wording */
      PyErr_Format(PyExc_OverflowError, "%s() argument '%s': Python integer %S out of bounds for %s",
                   g->name, pname, o, ty);
    else
      PyErr_Format(PyExc_OverflowError,
                   "%s() argument '%s': Python int too large to convert to %s", g->name, pname,
                   ty);
  } else if (st == KILN_CONV_MISMATCH) {
    char got[160];
    kiln_describe_object(o, got, sizeof got);
    PyErr_Format(PyExc_TypeError, "%s() argument '%s': expected %s, got %s", g->name, pname, ty,
                 got);
  }
}

/* Releases the argument buffers a conversion or a call holds, and frees
 * the aligned copies (kiln_arg_copy). */
static void release_views(kiln_call_ctx *ctx) {
  kiln_list_args_free(ctx->lists);
  ctx->lists = NULL;
  for (int32_t i = 0; i < ctx->nparams; ++i)
    if (ctx->held[i]) {
      free(ctx->copies[i].data);
      ctx->copies[i].data = NULL;
      kiln_view_release(&ctx->views[i]);
      ctx->held[i] = 0;
    }
}

/* After the call (failed or not: writes before an error stay, as in
 * Python), the aligned copies of written arguments go back where they came
 * from. */
static void write_back_copies(kiln_call_ctx *ctx) {
  for (int32_t i = 0; i < ctx->nparams; ++i)
    if (ctx->held[i] && ctx->copies[i].data && ctx->copies[i].written)
      kiln_copy_strided(&ctx->views[i], ctx->copies[i].data, 0);
}

static Py_ssize_t gcd(Py_ssize_t a, Py_ssize_t b) {
  a = a < 0 ? -a : a;
  b = b < 0 ? -b : b;
  while (b) {
    Py_ssize_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* 1 if two buffers share a byte. Their spans are compared first; then, as
 * for two fields of one packed record array, whose spans interleave: every
 * element of either starts at its base plus a multiple of g, the gcd of all
 * strides, so they are disjoint when, modulo g, one's element bytes end
 * before the other's begin. */
static int buffers_overlap(const Py_buffer *a, const Py_buffer *b) {
  uintptr_t al, ah, bl, bh;
  kiln_view_span(a, &al, &ah);
  kiln_view_span(b, &bl, &bh);
  if (al == ah || bl == bh || !(al < bh && bl < ah))
    return 0;
  Py_ssize_t g = 0;
  for (int i = 0; i < a->ndim; ++i)
    if (a->shape[i] > 1)
      g = gcd(g, kiln_buffer_stride(a, i));
  for (int i = 0; i < b->ndim; ++i)
    if (b->shape[i] > 1)
      g = gcd(g, kiln_buffer_stride(b, i));
  if (g == 0)
    return 1; /* one element each, and the spans overlap */
  Py_ssize_t r = (Py_ssize_t)(((intptr_t)b->buf - (intptr_t)a->buf) % g);
  if (r < 0)
    r += g; /* b's elements start r bytes (mod g) after a's */
  return !(r >= a->itemsize && r + b->itemsize <= g);
}

/* 1 if two buffers are the same array: data, rank, extents and strides. */
static int same_array(const Py_buffer *a, const Py_buffer *b) {
  if (a->buf != b->buf || a->ndim != b->ndim || a->itemsize != b->itemsize)
    return 0;
  for (int d = 0; d < a->ndim; ++d)
    if (a->shape[d] != b->shape[d] || kiln_buffer_stride(a, d) != kiln_buffer_stride(b, d))
      return 0;
  return 1;
}

/* The same unaligned array passed for two parameters (f(a, a)) runs on one
 * copy, as the function would see one array in Python: parameter i, just
 * copied, drops its copy for an earlier one of the same array. */
static void share_copy(kiln_call_ctx *ctx, int32_t i, int written, kiln_slot *data_slot) {
  kiln_arg_copy *c = &ctx->copies[i];
  if (!c->data)
    return;
  for (int32_t j = 0; j < i; ++j) {
    kiln_arg_copy *e = &ctx->copies[j];
    if (ctx->held[j] && e->data && same_array(&ctx->views[i], &ctx->views[j])) {
      free(c->data);
      c->data = NULL;
      c->same_as = j + 1;
      e->written |= written;
      data_slot->p = e->data;
      return;
    }
  }
}

/* A copied argument must not share memory with another array argument when
 * either is written: the call would not see its writes through the other.
 * Returns the index of such a copied parameter (and the other in *other), or
 * -1. */
static int32_t copy_overlapping(const kiln_sig *s, const kiln_call_ctx *ctx, int32_t *other) {
  const uint8_t *pf = s->desc->param_flags;
  for (int32_t i = 0; i < ctx->nparams; ++i) {
    if (!ctx->held[i] || !ctx->copies[i].data)
      continue;
    for (int32_t j = 0; j < ctx->nparams; ++j) {
      if (j == i || !ctx->held[j] || ctx->copies[j].same_as == i + 1)
        continue; /* (a parameter using i's very copy sees i's writes) */
      int written = pf && ((pf[i] | pf[j]) & KILN_PARAM_WRITTEN);
      if (written && buffers_overlap(&ctx->views[i], &ctx->views[j])) {
        *other = j;
        return i;
      }
    }
  }
  return -1;
}

/* Converts all bound arguments for `s` into slots (arrays take 1 + 2N).
 * exact_only: fail (MISMATCH) unless every argument already has the exact
 * kind. Returns the first non-OK status and its parameter index in *bad (for
 * arrays, the message tail in detail, except for MISMATCH when quiet); then
 * no buffer is held. On OK the
 * array arguments' buffers are held in ctx. */
static kiln_conv_status convert_all(const kiln_sig *s, PyObject **bound, int exact_only,
                                    int quiet, kiln_slot *slots, kiln_call_ctx *ctx,
                                    int32_t *bad, char *detail, size_t detail_len) {
  int32_t first_default = s->desc->nparams - s->desc->ndefaults;
  for (int32_t i = 0; i < s->desc->nparams; ++i) {
    if (!bound[i])
      continue; /* a default: already of the parameter's type */
    if (exact_only && !kiln_conv_is_exact(&s->param_types[i], bound[i])) {
      *bad = i;
      return KILN_CONV_MISMATCH;
    }
  }
  int32_t off = 0;
  for (int32_t i = 0; i < s->desc->nparams; ++i) {
    const kiln_type *t = &s->param_types[i];
    if (!bound[i]) {
      slots[off++] = s->desc->defaults[i - first_default]; /* scalars only */
      continue;
    }
    kiln_conv_status st;
    if (t->kind == KILN_T_ARRAY) {
      int written = s->desc->param_flags && (s->desc->param_flags[i] & KILN_PARAM_WRITTEN);
      st = kiln_conv_array_arg(t, bound[i], written, &ctx->dims[off], &ctx->views[i],
                               &ctx->copies[i], &slots[off], quiet, detail, detail_len);
      if (st == KILN_CONV_OK) {
        ctx->held[i] = 1;
        share_copy(ctx, i, written, &slots[off]);
      }
      off += 1 + 2 * t->ndim;
    } else if (t->kind == KILN_T_LIST || t->kind == KILN_T_DICT || t->kind == KILN_T_SET) {
      st = kiln_conv_container_arg(t, bound[i], &ctx->lists, &slots[off], detail, detail_len);
      off += 1;
    } else if (t->kind == KILN_T_TUPLE) {
      st = kiln_conv_tuple_arg(t, bound[i], &ctx->lists, &slots[off], detail, detail_len);
      off += kiln_type_slot_count(t);
    } else {
      st = kiln_conv_arg(t, bound[i], &slots[off]);
      off += kiln_type_slot_count(t); /* 2 for complex */
    }
    if (st != KILN_CONV_OK) {
      *bad = i;
      release_views(ctx);
      return st;
    }
  }
  int32_t other = 0, c = copy_overlapping(s, ctx, &other);
  if (c >= 0) {
    snprintf(detail, detail_len,
             "an array not aligned to its item size is passed as a copy, and it shares memory "
             "with argument '%s' while the function writes one of them; pass an aligned array "
             "(e.g. a.copy())",
             s->desc->param_names[other]);
    *bad = c;
    release_views(ctx);
    return KILN_CONV_BADARRAY;
  }
  return KILN_CONV_OK;
}

/* Raises "f(): no matching signature for argument types (...); accepted: ..." */
static void raise_no_match(const kiln_group *g, PyObject *const *args, Py_ssize_t nargs,
                           PyObject *kwnames) {
  strbuf sb = {0};
  char tn[160];
  sb_append(&sb, "%s(): no matching signature for argument types (", g->name);
  for (Py_ssize_t i = 0; i < nargs; ++i) {
    kiln_describe_object(args[i], tn, sizeof tn);
    sb_append(&sb, "%s%s", i ? ", " : "", tn);
  }
  Py_ssize_t nkw = kwnames ? PyTuple_Size(kwnames) : 0;
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    const char *kname = PyUnicode_AsUTF8AndSize(PyTuple_GetItem(kwnames, k), NULL);
    if (!kname) {
      PyErr_Clear();
      kname = "?";
    }
    kiln_describe_object(args[nargs + k], tn, sizeof tn);
    sb_append(&sb, "%s%s=%s", (nargs + k) ? ", " : "", kname, tn);
  }
  sb_append(&sb, "); accepted: ");
  for (int32_t i = 0; i < g->nsigs; ++i) {
    if (i)
      sb_append(&sb, ", ");
    sb_signature(&sb, g, &g->sigs[i]);
  }
  if (sb.oom)
    PyErr_NoMemory();
  else
    PyErr_SetString(PyExc_TypeError, sb.data);
  free(sb.data);
}

/* ---- Steps 3 and 4: the call and its results ----------------------------- */

static PyObject *invoke(const kiln_sig *s, const kiln_slot *argslots, kiln_call_ctx *ctx) {
  kiln_slot small[KILN_SMALL];
  kiln_slot *results = small;
  int32_t nres = s->nresult_slots;
  if (nres > KILN_SMALL) {
    results = PyMem_Calloc((size_t)nres, sizeof(kiln_slot));
    if (!results)
      return PyErr_NoMemory();
  } else {
    memset(small, 0, sizeof small);
  }

  kiln_error_clear(); /* never let a stale state swallow this call's error */
  kiln_arena arena;
  kiln_arena *prev_arena = kiln_arena_begin(&arena);
  ctx->arena = &arena;
  kiln_call_signals sig;
  int32_t status = 0;
  if (s->desc->flags & KILN_FUNC_SHORT) {
    /* Short: keeps the GIL; a Ctrl-C meanwhile is for the interpreter's
     * next check, right after the call (its few polls run no handler). */
    void *outer = kiln_interrupt_hold();
    status = s->desc->entry(argslots, results);
    kiln_interrupt_unhold(outer);
  } else if (kiln_call_begin(&sig) != 0) {
    status = -1; /* a pending Python signal handler raised */
    kiln_raise(KILN_PYERR_PENDING, 0, NULL);
  } else {
    PyThreadState *ts = PyEval_SaveThread();
    status = s->desc->entry(argslots, results);
    PyEval_RestoreThread(ts);
    kiln_call_end(&sig);
  }

  PyObject *ret;
  /* Changes to list arguments reach the caller's lists, error or not. */
  if (kiln_list_args_write_back(ctx->lists) != 0) {
    kiln_error_clear();
    ret = NULL;
  } else if (status != 0 || kiln_error_pending()) {
    ret = kiln_error_to_python();
  } else {
    int32_t cursor = 0;
    ret = kiln_conv_result(&s->result_type, results, &cursor, ctx);
  }
  kiln_arena_end(&arena, prev_arena); /* frees what no result adopted */
  ctx->arena = NULL;
  if (results != small)
    PyMem_Free(results);
  return ret;
}

PyObject *kiln_group_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames) {
  const kiln_group *g = ((kiln_group_obj *)self)->group; /* self is always ours */

  /* Room for the largest parameter list of the group. */
  int32_t maxp = g->max_params, maxslots = g->max_param_slots;
  PyObject *bound_small[KILN_SMALL];
  kiln_slot slots_small[KILN_SMALL_SLOTS];
  Py_buffer views_small[KILN_SMALL];
  unsigned char held_small[KILN_SMALL];
  Py_ssize_t dims_small[KILN_SMALL_SLOTS];
  kiln_arg_copy copies_small[KILN_SMALL];
  PyObject **bound = bound_small;
  kiln_slot *slots = slots_small;
  Py_buffer *views = views_small;
  unsigned char *held = held_small;
  Py_ssize_t *dims = dims_small;
  kiln_arg_copy *copies = copies_small;
  int heap = maxp > KILN_SMALL || maxslots > KILN_SMALL_SLOTS;
  if (heap) {
    bound = PyMem_Malloc((size_t)(maxp ? maxp : 1) * sizeof(PyObject *));
    slots = PyMem_Malloc((size_t)(maxslots ? maxslots : 1) * sizeof(kiln_slot));
    views = PyMem_Malloc((size_t)(maxp ? maxp : 1) * sizeof(Py_buffer));
    held = PyMem_Malloc((size_t)(maxp ? maxp : 1));
    dims = PyMem_Malloc((size_t)(maxslots ? maxslots : 1) * sizeof(Py_ssize_t));
    copies = PyMem_Malloc((size_t)(maxp ? maxp : 1) * sizeof(kiln_arg_copy));
    if (!bound || !slots || !views || !held || !dims || !copies) {
      PyMem_Free(bound);
      PyMem_Free(slots);
      PyMem_Free(views);
      PyMem_Free(held);
      PyMem_Free(dims);
      PyMem_Free(copies);
      return PyErr_NoMemory();
    }
  }
  if (maxp) {
    memset(held, 0, (size_t)maxp);
    memset(copies, 0, (size_t)maxp * sizeof(kiln_arg_copy));
  }
  kiln_call_ctx ctx = {maxp, views, held, dims, copies, NULL, NULL};

  PyObject *ret = NULL;
  char msg[KILN_MSG_MAX];
  char detail[KILN_MSG_MAX];
  const kiln_sig *chosen = NULL;

  if (g->nsigs == 1) {
    const kiln_sig *s = &g->sigs[0];
    int32_t bad = 0;
    if (bind_args(g, s, args, nargs, kwnames, bound, msg, sizeof msg) != 0) {
      PyErr_SetString(PyExc_TypeError, msg);
    } else {
      kiln_conv_status st = convert_all(s, bound, 0, 0, slots, &ctx, &bad, detail, sizeof detail);
      if (st == KILN_CONV_OK)
        chosen = s;
      else
        raise_conv_error(g, s, bad, bound[bad], st, detail);
    }
  } else {
    /* Overloads: exact kinds first, then convertible, declaration order. */
    char first_msg[KILN_MSG_MAX];
    int all_bind_same = 1, nbind_fail = 0;
    /* The first array that matched an overload's dtype and rank but not its
     * layout / writability: its error beats "no matching signature". */
    const kiln_sig *layout_sig = NULL;
    int32_t layout_bad = 0;
    kiln_conv_status layout_st = KILN_CONV_OK;
    char layout_detail[KILN_MSG_MAX];
    int32_t bound_ok = -1, bound_bad = -1; /* the bind_as last bound, and failed */
    for (int pass = 0; pass < 2 && !chosen; ++pass) {
      for (int32_t i = 0; i < g->nsigs && !chosen; ++i) {
        const kiln_sig *s = &g->sigs[i];
        int32_t bad = 0;
        int bind_failed;
        if (s->bind_as == bound_ok) {
          bind_failed = 0; /* bound[] already holds this binding */
        } else if (s->bind_as == bound_bad) {
          bind_failed = 1; /* msg already holds its message */
        } else {
          /* bind_args overwrites bound[] (and msg, when it fails) */
          bind_failed = bind_args(g, s, args, nargs, kwnames, bound, msg, sizeof msg) != 0;
          bound_ok = bind_failed ? -1 : s->bind_as;
          bound_bad = bind_failed ? s->bind_as : -1;
        }
        if (bind_failed) {
          if (pass == 0) {
            if (nbind_fail == 0)
              memcpy(first_msg, msg, sizeof msg);
            else if (strcmp(first_msg, msg) != 0)
              all_bind_same = 0;
            ++nbind_fail;
          }
          continue;
        }
        kiln_conv_status st =
            convert_all(s, bound, pass == 0, 1, slots, &ctx, &bad, detail, sizeof detail);
        if (st == KILN_CONV_OK) {
          chosen = s;
        } else if (st == KILN_CONV_ERROR) {
          if (PyErr_ExceptionMatches(PyExc_MemoryError)) {
            pass = 2; /* no memory for an argument's copy: not a mismatch */
            break;
          }
          PyErr_Clear(); /* the object's own error just rules this one out */
        } else if ((st == KILN_CONV_BADARRAY || st == KILN_CONV_READONLY) && !layout_sig) {
          layout_sig = s;
          layout_bad = bad;
          layout_st = st;
          memcpy(layout_detail, detail, sizeof detail);
        }
      }
    }
    if (!chosen) {
      if (PyErr_Occurred())
        ; /* fail: MemoryError from an argument's copy */
      else if (layout_sig)
        raise_conv_error(g, layout_sig, layout_bad, NULL, layout_st, layout_detail);
      else if (nbind_fail == g->nsigs && all_bind_same)
        PyErr_SetString(PyExc_TypeError, first_msg);
      else
        raise_no_match(g, args, nargs, kwnames);
    }
  }

  if (chosen) {
    ret = invoke(chosen, slots, &ctx);
    write_back_copies(&ctx);
  }
  release_views(&ctx); /* after the results: they may have viewed them */

  if (heap) {
    PyMem_Free(bound);
    PyMem_Free(slots);
    PyMem_Free(views);
    PyMem_Free(held);
    PyMem_Free(dims);
    PyMem_Free(copies);
  }
  return ret;
}
