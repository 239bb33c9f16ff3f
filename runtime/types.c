/*===- types.c - Parsing Kiln IR type strings at the boundary -------------===*
 *
 * Function descriptors name parameter and result types as strings in Kiln
 * IR's type syntax. This file parses them once, at module creation, into a
 * small tree (kiln_type) that the conversion code walks on every call:
 *
 *   type  ::= "none" | scalar
 *           | "tuple" "<" [ type { "," type } ] ">"
 *           | "array" "<" scalar "," ndim [ "," "C" ] ">"
 *           | "list" "<" type ">"
 *   scalar ::= "bool" | "int64" | "float64" | "int8" | "int16" | "int32"
 *            | "uint8" | "uint16" | "uint32" | "uint64" | "float32"
 *            | "complex64" | "complex128"
 *   ndim  ::= a decimal integer, 1 .. KILN_ARRAY_MAX_NDIM
 *
 * Whitespace is allowed around every token. Tuples nest; a tuple value is
 * flattened depth-first into consecutive slots, and `none` occupies none.
 * An array of N dimensions occupies 1 + 2N slots (data, extents, strides);
 * a list one (a kiln_list pointer).
 * Nothing here touches Python, so it can be unit tested on its own.
 *
 *===----------------------------------------------------------------------===*/
#include "internal.h"

#include <limits.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tuples nested deeper than this are rejected (keeps recursion bounded). */
#define KILN_TYPE_MAX_DEPTH 32

typedef struct parser {
  const char *text; /* the whole string, for messages */
  const char *p;    /* the cursor */
  char *errbuf;
  size_t errlen;
} parser;

static void skip_ws(parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
    ++ps->p;
}

static int fail(parser *ps, const char *what) {
  if (ps->errbuf && ps->errlen)
    snprintf(ps->errbuf, ps->errlen, "%s at offset %d in type '%s'", what,
             (int)(ps->p - ps->text), ps->text);
  return -1;
}

/* Consumes `word` if it is next and is not the prefix of a longer word. */
static int accept_word(parser *ps, const char *word) {
  size_t n = strlen(word);
  if (strncmp(ps->p, word, n) != 0)
    return 0;
  char c = ps->p[n];
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
    return 0;
  ps->p += n;
  return 1;
}

static int parse_type(parser *ps, kiln_type *out, int depth);

/* NumPy's int64 is C long where long has 64 bits ('q' would give the
 * distinct longlong type). */
#if LONG_MAX == INT64_MAX
#define KILN_FMT_I64 "l"
#define KILN_FMT_U64 "L"
#define KILN_NPY_I64 7, 9 /* NPY_LONG, and NPY_LONGLONG of the same size */
#define KILN_NPY_U64 8, 10
#else
#define KILN_FMT_I64 "q"
#define KILN_FMT_U64 "Q"
#define KILN_NPY_I64 9, -1
#define KILN_NPY_U64 10, -1
#endif

/* NumPy's type numbers are the same in NumPy 1.x and 2.x (NPY_BOOL = 0 ...
 * NPY_CDOUBLE = 15). */
static const kiln_scalar_info scalars[] = {
    {KILN_T_BOOL, "bool", 1, 'b', 0, "?", 0, -1},
    {KILN_T_INT64, "int64", 8, 'i', 0, KILN_FMT_I64, KILN_NPY_I64},
    {KILN_T_FLOAT64, "float64", 8, 'f', 0, "d", 12, -1},
    {KILN_T_INT8, "int8", 1, 'i', 1, "b", 1, -1},
    {KILN_T_INT16, "int16", 2, 'i', 1, "h", 3, -1},
    {KILN_T_INT32, "int32", 4, 'i', 1, "i", 5, -1},
    {KILN_T_UINT8, "uint8", 1, 'u', 1, "B", 2, -1},
    {KILN_T_UINT16, "uint16", 2, 'u', 1, "H", 4, -1},
    {KILN_T_UINT32, "uint32", 4, 'u', 1, "I", 6, -1},
    {KILN_T_UINT64, "uint64", 8, 'u', 1, KILN_FMT_U64, KILN_NPY_U64},
    {KILN_T_FLOAT32, "float32", 4, 'f', 1, "f", 11, -1},
    {KILN_T_COMPLEX64, "complex64", 8, 'c', 1, "Zf", 14, -1},
    {KILN_T_COMPLEX128, "complex128", 16, 'c', 0, "Zd", 15, -1},
};

const kiln_scalar_info *kiln_scalar(kiln_type_kind kind) {
  for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; ++i)
    if (scalars[i].kind == kind)
      return &scalars[i];
  return NULL;
}

/* Consumes a scalar type's name; its kind, or KILN_T_NONE if none is next. */
static kiln_type_kind accept_scalar(parser *ps) {
  for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; ++i)
    if (accept_word(ps, scalars[i].name))
      return scalars[i].kind;
  return KILN_T_NONE;
}

static int parse_tuple_elems(parser *ps, kiln_type *out, int depth) {
  int32_t cap = 0;
  out->kind = KILN_T_TUPLE;
  out->nelems = 0;
  out->elems = NULL;
  skip_ws(ps);
  if (*ps->p != '<')
    return fail(ps, "expected '<' after 'tuple'");
  ++ps->p;
  skip_ws(ps);
  if (*ps->p == '>') { /* tuple<>: the empty tuple */
    ++ps->p;
    return 0;
  }
  for (;;) {
    if (out->nelems == cap) {
      int32_t ncap = cap ? cap * 2 : 4;
      kiln_type *n = realloc(out->elems, (size_t)ncap * sizeof(kiln_type));
      if (!n) {
        kiln_type_free(out);
        return fail(ps, "out of memory");
      }
      out->elems = n;
      cap = ncap;
    }
    if (parse_type(ps, &out->elems[out->nelems], depth + 1) != 0) {
      kiln_type_free(out);
      return -1;
    }
    ++out->nelems;
    skip_ws(ps);
    if (*ps->p == ',') {
      ++ps->p;
      continue;
    }
    if (*ps->p == '>') {
      ++ps->p;
      return 0;
    }
    kiln_type_free(out);
    return fail(ps, "expected ',' or '>' in tuple type");
  }
}

/* array<elem, N> / array<elem, N, C>; the cursor is just past "array". */
static int parse_array(parser *ps, kiln_type *out) {
  out->kind = KILN_T_ARRAY;
  skip_ws(ps);
  if (*ps->p != '<')
    return fail(ps, "expected '<' after 'array'");
  ++ps->p;
  skip_ws(ps);
  out->elem = accept_scalar(ps);
  if (out->elem == KILN_T_NONE)
    return fail(ps, "expected an array element type (bool, int64, float32, ...)");
  skip_ws(ps);
  if (*ps->p != ',')
    return fail(ps, "expected ',' after the array element type");
  ++ps->p;
  skip_ws(ps);
  if (*ps->p < '0' || *ps->p > '9')
    return fail(ps, "expected the number of array dimensions");
  long n = 0;
  while (*ps->p >= '0' && *ps->p <= '9') {
    n = n * 10 + (*ps->p - '0');
    if (n > KILN_ARRAY_MAX_NDIM)
      break;
    ++ps->p;
  }
  if (n < 1 || n > KILN_ARRAY_MAX_NDIM)
    return fail(ps, "the number of array dimensions must be between 1 and 32");
  out->ndim = (int32_t)n;
  skip_ws(ps);
  if (*ps->p == ',') {
    ++ps->p;
    skip_ws(ps);
    if (!accept_word(ps, "C"))
      return fail(ps, "expected 'C' (C order) as the array layout");
    out->c_order = 1;
    skip_ws(ps);
  }
  if (*ps->p != '>')
    return fail(ps, "expected '>' to close the array type");
  ++ps->p;
  return 0;
}

static int parse_type(parser *ps, kiln_type *out, int depth) {
  out->nelems = 0;
  out->elems = NULL;
  out->elem = KILN_T_NONE;
  out->ndim = 0;
  out->c_order = 0;
  if (depth > KILN_TYPE_MAX_DEPTH)
    return fail(ps, "tuple types nested too deeply");
  skip_ws(ps);
  if (accept_word(ps, "none")) {
    out->kind = KILN_T_NONE;
    return 0;
  }
  kiln_type_kind k = accept_scalar(ps);
  if (k != KILN_T_NONE) {
    out->kind = k;
    return 0;
  }
  if (accept_word(ps, "tuple"))
    return parse_tuple_elems(ps, out, depth);
  if (accept_word(ps, "array"))
    return parse_array(ps, out);
  int is_dict = accept_word(ps, "dict");
  if (is_dict || accept_word(ps, "set")) {
    out->kind = is_dict ? KILN_T_DICT : KILN_T_SET;
    skip_ws(ps);
    if (*ps->p != '<')
      return fail(ps, "expected '<' after 'dict' or 'set'");
    ++ps->p;
    int n = is_dict ? 2 : 1;
    out->elems = calloc((size_t)n, sizeof(kiln_type));
    if (!out->elems)
      return fail(ps, "out of memory");
    for (int i = 0; i < n; ++i) {
      if (i) {
        skip_ws(ps);
        if (*ps->p != ',') {
          kiln_type_free(out);
          return fail(ps, "expected ',' in a dict type");
        }
        ++ps->p;
      }
      if (parse_type(ps, &out->elems[i], depth + 1) != 0) {
        out->nelems = i;
        kiln_type_free(out);
        return -1;
      }
      out->nelems = i + 1;
    }
    skip_ws(ps);
    if (*ps->p != '>') {
      kiln_type_free(out);
      return fail(ps, "expected '>' to close a dict or set type");
    }
    ++ps->p;
    return 0;
  }
  if (accept_word(ps, "list")) {
    out->kind = KILN_T_LIST;
    skip_ws(ps);
    if (*ps->p != '<')
      return fail(ps, "expected '<' after 'list'");
    ++ps->p;
    out->elems = calloc(1, sizeof(kiln_type));
    if (!out->elems)
      return fail(ps, "out of memory");
    out->nelems = 1;
    if (parse_type(ps, &out->elems[0], depth + 1) != 0) {
      free(out->elems);
      out->elems = NULL;
      out->nelems = 0;
      return -1;
    }
    skip_ws(ps);
    if (*ps->p != '>') {
      kiln_type_free(out);
      return fail(ps, "expected '>' to close the list type");
    }
    ++ps->p;
    return 0;
  }
  return fail(ps, "unknown type");
}

int kiln_type_parse(const char *text, kiln_type *out, char *errbuf, size_t errlen) {
  parser ps = {text ? text : "", text ? text : "", errbuf, errlen};
  out->kind = KILN_T_NONE;
  out->nelems = 0;
  out->elems = NULL;
  out->elem = KILN_T_NONE;
  out->ndim = 0;
  out->c_order = 0;
  if (!text)
    return fail(&ps, "missing type");
  if (parse_type(&ps, out, 0) != 0)
    return -1;
  skip_ws(&ps);
  if (*ps.p != '\0') {
    kiln_type_free(out);
    return fail(&ps, "unexpected text after type");
  }
  return 0;
}

void kiln_type_free(kiln_type *t) {
  if (t->kind == KILN_T_TUPLE || t->kind == KILN_T_LIST || t->kind == KILN_T_DICT ||
      t->kind == KILN_T_SET) {
    for (int32_t i = 0; i < t->nelems; ++i)
      kiln_type_free(&t->elems[i]);
    free(t->elems);
  }
  t->elems = NULL;
  t->nelems = 0;
}

int32_t kiln_type_slot_count(const kiln_type *t) {
  switch (t->kind) {
  case KILN_T_NONE:
    return 0;
  case KILN_T_ARRAY:
    return 1 + 2 * t->ndim;
  case KILN_T_COMPLEX64:
  case KILN_T_COMPLEX128:
    return 2;
  case KILN_T_TUPLE: {
    int32_t n = 0;
    for (int32_t i = 0; i < t->nelems; ++i)
      n += kiln_type_slot_count(&t->elems[i]);
    return n;
  }
  default:
    return 1; /* a scalar */
  }
}

/* Appends `s` to buf[*pos..len), counting what would have been written. */
static void put(char *buf, size_t len, size_t *pos, const char *s) {
  for (; *s; ++s, ++*pos)
    if (*pos + 1 < len)
      buf[*pos] = *s;
}

static const char *scalar_name(kiln_type_kind k) {
  const kiln_scalar_info *info = kiln_scalar(k);
  return info ? info->name : "?";
}

static void format_into(const kiln_type *t, char *buf, size_t len, size_t *pos) {
  switch (t->kind) {
  case KILN_T_ARRAY: {
    char tmp[48];
    snprintf(tmp, sizeof tmp, "array<%s, %d%s>", scalar_name(t->elem), (int)t->ndim,
             t->c_order ? ", C" : "");
    put(buf, len, pos, tmp);
    return;
  }
  case KILN_T_NONE:
    put(buf, len, pos, "none");
    return;
  case KILN_T_LIST:
  case KILN_T_SET:
    put(buf, len, pos, t->kind == KILN_T_LIST ? "list<" : "set<");
    format_into(&t->elems[0], buf, len, pos);
    put(buf, len, pos, ">");
    return;
  case KILN_T_DICT:
    put(buf, len, pos, "dict<");
    format_into(&t->elems[0], buf, len, pos);
    put(buf, len, pos, ", ");
    format_into(&t->elems[1], buf, len, pos);
    put(buf, len, pos, ">");
    return;
  case KILN_T_TUPLE:
    put(buf, len, pos, "tuple<");
    for (int32_t i = 0; i < t->nelems; ++i) {
      if (i)
        put(buf, len, pos, ", ");
      format_into(&t->elems[i], buf, len, pos);
    }
    put(buf, len, pos, ">");
    return;
  default:
    put(buf, len, pos, scalar_name(t->kind));
    return;
  }
}

size_t kiln_type_format_ndarray(const kiln_type *t, char *buf, size_t len) {
  int n = snprintf(buf, len, "ndarray[%s, ndim=%d]", scalar_name(t->elem), (int)t->ndim);
  return n < 0 ? 0 : (size_t)n;
}

int kiln_type_has_array(const kiln_type *t) {
  if (t->kind == KILN_T_ARRAY)
    return 1;
  if (t->kind == KILN_T_TUPLE)
    for (int32_t i = 0; i < t->nelems; ++i)
      if (kiln_type_has_array(&t->elems[i]))
        return 1;
  return 0;
}

size_t kiln_type_format(const kiln_type *t, char *buf, size_t len) {
  size_t pos = 0;
  format_into(t, buf, len, &pos);
  if (len)
    buf[pos < len ? pos : len - 1] = '\0';
  return pos;
}
