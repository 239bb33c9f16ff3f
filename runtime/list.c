/*===- list.c - Python lists of compiled code ------------------------------===*
 *
 * The growable block behind a list value (kiln_list in runtime.h). Compiled
 * code reads and writes elements inline and calls here only to make a
 * list, to grow one, and to sort one. Memory comes from kiln_alloc, so a
 * list lives as long as the call that made it, like a temporary array.
 *
 * The second half converts lists at the boundary. A list argument becomes
 * a kiln_list in malloc memory the call owns (its block is replaced by a
 * kiln_alloc one if the function grows it); every item is converted and
 * checked first. The same Python list met twice becomes one kiln_list. After
 * the call, each argument whose `dirty` flag is set gets its new items
 * (list[:] = ...), so a function that sorts or appends to a list argument
 * behaves as in Python. A list result becomes a new Python list, except
 * that a list argument returned is that very object.
 *
 * Element layout (codegen/LowerList.cpp): bool one byte, the sized types
 * their width, complex two parts, a list a pointer, a tuple a C struct of
 * its elements with natural alignment (LLVM's layout on every target Kiln
 * builds for).
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

kiln_list *kiln_list_new(int64_t cap, int64_t elem_size) {
  kiln_list *l = kiln_alloc((int64_t)sizeof(kiln_list));
  if (!l)
    return NULL;
  if (cap < 0)
    cap = 0;
  if (elem_size > 0 && cap > INT64_MAX / elem_size) {
    kiln_raise_msg("MemoryError", "cannot allocate a list this long");
    return NULL;
  }
  l->data = kiln_alloc(cap * elem_size);
  if (!l->data)
    return NULL;
  l->len = 0;
  l->cap = cap;
  l->dirty = 0;
  return l;
}

int32_t kiln_list_reserve(kiln_list *l, int64_t n, int64_t elem_size) {
  if (n <= l->cap)
    return 0;
  /* CPython grows by about 1/8; doubling costs fewer copies here, where a
   * copy frees the old block through the arena's list. */
  int64_t cap = l->cap < INT64_MAX / 2 ? l->cap * 2 : INT64_MAX;
  if (cap < n)
    cap = n;
  if (cap < 8)
    cap = 8;
  if (elem_size > 0 && cap > INT64_MAX / elem_size) {
    kiln_raise_msg("MemoryError", "cannot allocate a list this long");
    return -1;
  }
  char *data = kiln_alloc(cap * elem_size);
  if (!data)
    return -1;
  if (l->len > 0)
    memcpy(data, l->data, (size_t)(l->len * elem_size));
  kiln_free(l->data);
  l->data = data;
  l->cap = cap;
  return 0;
}

/* ---- Sorting --------------------------------------------------------------- */

/* list.sort is stable, but among numbers stability is visible only for
 * values that compare equal yet differ: 0.0 and -0.0 (and NaN, which `<`
 * does not order at all; docs/language.md). So numbers are sorted by an
 * introsort (quicksort, median of three, heapsort when it recurses too
 * deep, insertion sort for short ranges), and the zeros of a float list are
 * given back their signs in their original order afterwards; NaNs are
 * moved to the end first, in their order. */
#define INTROSORT(name, type)                                                           \
  static void name##_heap_down(type *a, int64_t i, int64_t n) {                         \
    for (;;) {                                                                          \
      int64_t c = 2 * i + 1;                                                            \
      if (c >= n)                                                                       \
        return;                                                                         \
      if (c + 1 < n && a[c] < a[c + 1])                                                 \
        ++c;                                                                            \
      if (!(a[i] < a[c]))                                                               \
        return;                                                                         \
      type t = a[i];                                                                    \
      a[i] = a[c];                                                                      \
      a[c] = t;                                                                         \
      i = c;                                                                            \
    }                                                                                   \
  }                                                                                     \
  static void name(type *a, int64_t n, int depth) {                                     \
    while (n > 24) {                                                                    \
      if (depth-- == 0) { /* heapsort */                                                \
        for (int64_t i = n / 2; i-- > 0;)                                               \
          name##_heap_down(a, i, n);                                                    \
        for (int64_t e = n - 1; e > 0; --e) {                                           \
          type t = a[0];                                                                \
          a[0] = a[e];                                                                  \
          a[e] = t;                                                                     \
          name##_heap_down(a, 0, e);                                                    \
        }                                                                               \
        return;                                                                         \
      }                                                                                 \
      /* The median of the first, middle and last as the pivot. */                      \
      int64_t m = n / 2;                                                                \
      type x = a[0], y = a[m], z = a[n - 1], p;                                         \
      if (x < y)                                                                        \
        p = y < z ? y : (x < z ? z : x);                                                \
      else                                                                              \
        p = x < z ? x : (y < z ? z : y);                                                \
      /* Hoare partition: [0, j] <= p <= [j + 1, n). */                                 \
      int64_t i = -1, j = n;                                                            \
      for (;;) {                                                                        \
        do                                                                              \
          ++i;                                                                          \
        while (a[i] < p);                                                               \
        do                                                                              \
          --j;                                                                          \
        while (p < a[j]);                                                               \
        if (i >= j)                                                                     \
          break;                                                                        \
        type t = a[i];                                                                  \
        a[i] = a[j];                                                                    \
        a[j] = t;                                                                       \
      }                                                                                 \
      /* Recurse into the smaller side, loop on the larger. */                          \
      if (j + 1 < n - j - 1) {                                                          \
        name(a, j + 1, depth);                                                          \
        a += j + 1;                                                                     \
        n -= j + 1;                                                                     \
      } else {                                                                          \
        name(a + j + 1, n - j - 1, depth);                                              \
        n = j + 1;                                                                      \
      }                                                                                 \
    }                                                                                   \
    for (int64_t i = 1; i < n; ++i) {                                                   \
      type x = a[i];                                                                    \
      int64_t j = i;                                                                    \
      while (j > 0 && x < a[j - 1]) {                                                   \
        a[j] = a[j - 1];                                                                \
        --j;                                                                            \
      }                                                                                 \
      a[j] = x;                                                                         \
    }                                                                                   \
  }
INTROSORT(sort_i8, int8_t)
INTROSORT(sort_i16, int16_t)
INTROSORT(sort_i32, int32_t)
INTROSORT(sort_i64, int64_t)
INTROSORT(sort_u8, uint8_t)
INTROSORT(sort_u16, uint16_t)
INTROSORT(sort_u32, uint32_t)
INTROSORT(sort_u64, uint64_t)
INTROSORT(sort_f32, float)
INTROSORT(sort_f64, double)
#undef INTROSORT

static int depth_limit(int64_t n) {
  int d = 0;
  while (n > 1) {
    n >>= 1;
    ++d;
  }
  return 2 * d + 4;
}

/* Floats: NaNs to the end (in order), the rest sorted, then the zeros'
 * signs restored in their original order. -1 when scratch memory is
 * lacking. */
#define SORT_FLOATS(name, type, sorter)                                                 \
  static int name(type *a, int64_t n) {                                                 \
    int64_t zeros = 0, negzeros = 0, k = 0;                                             \
    for (int64_t i = 0; i < n; ++i) {                                                   \
      zeros += a[i] == 0;                                                               \
      negzeros += a[i] == 0 && signbit(a[i]);                                           \
    }                                                                                   \
    unsigned char *signs = NULL;                                                        \
    if (negzeros && negzeros < zeros) {                                                 \
      signs = malloc((size_t)zeros);                                                    \
      if (!signs)                                                                       \
        return -1;                                                                      \
      for (int64_t i = 0; i < n; ++i)                                                   \
        if (a[i] == 0)                                                                  \
          signs[k++] = (unsigned char)(signbit(a[i]) != 0);                             \
    }                                                                                   \
    int64_t m = 0; /* stable partition: numbers first, NaNs after */                    \
    type *nan_tmp = NULL;                                                               \
    int64_t nans = 0;                                                                   \
    for (int64_t i = 0; i < n; ++i)                                                     \
      nans += a[i] != a[i];                                                             \
    if (nans) {                                                                         \
      nan_tmp = malloc((size_t)nans * sizeof(type));                                    \
      if (!nan_tmp) {                                                                   \
        free(signs);                                                                    \
        return -1;                                                                      \
      }                                                                                 \
      int64_t q = 0;                                                                    \
      for (int64_t i = 0; i < n; ++i)                                                   \
        if (a[i] != a[i])                                                               \
          nan_tmp[q++] = a[i];                                                          \
        else                                                                            \
          a[m++] = a[i];                                                                \
      memcpy(a + m, nan_tmp, (size_t)nans * sizeof(type));                              \
      free(nan_tmp);                                                                    \
    } else {                                                                            \
      m = n;                                                                            \
    }                                                                                   \
    sorter(a, m, depth_limit(m));                                                       \
    if (signs) {                                                                        \
      int64_t first = 0;                                                                \
      while (first < m && !(a[first] == 0))                                             \
        ++first;                                                                        \
      for (int64_t z = 0; z < zeros; ++z)                                               \
        a[first + z] = signs[z] ? -(type)0 : (type)0;                                   \
      free(signs);                                                                      \
    }                                                                                   \
    return 0;                                                                           \
  }
SORT_FLOATS(sort_floats_f32, float, sort_f32)
SORT_FLOATS(sort_floats_f64, double, sort_f64)
#undef SORT_FLOATS

int32_t kiln_list_sort(kiln_list *l, int32_t kind) {
  if (l->len < 2)
    return 0;
  int32_t k = kind & 0xff, bytes = kind >> 8;
  void *a = l->data;
  int64_t n = l->len;
  int d = depth_limit(n);
  if (k == 0 || (k == 2 && bytes == 1)) /* bool: False < True */
    sort_u8(a, n, d);
  else if (k == 1)
    bytes == 1 ? sort_i8(a, n, d) : bytes == 2 ? sort_i16(a, n, d)
    : bytes == 4 ? sort_i32(a, n, d) : sort_i64(a, n, d);
  else if (k == 2)
    bytes == 2 ? sort_u16(a, n, d) : bytes == 4 ? sort_u32(a, n, d) : sort_u64(a, n, d);
  else if ((bytes == 4 ? sort_floats_f32(a, n) : sort_floats_f64(a, n)) != 0) {
    kiln_raise_msg("MemoryError", "cannot allocate memory to sort a list");
    return -1;
  }
  return 0;
}

/* ---- Sorting by keys: indices, by (key, index) pairs ---------------------- */

typedef struct key_index {
  double f;  /* floating keys */
  int64_t i; /* integer keys (and bools) */
  int64_t at;
} key_index;

static int ki_less_f(const key_index *a, const key_index *b, int rev) {
  if (a->f != b->f && !(a->f != a->f) && !(b->f != b->f))
    return rev ? a->f > b->f : a->f < b->f;
  return a->at < b->at; /* equal (or unordered) keys: their order */
}

static int ki_less_i(const key_index *a, const key_index *b, int rev) {
  if (a->i != b->i)
    return rev ? a->i > b->i : a->i < b->i;
  return a->at < b->at;
}

static void ki_sort(key_index *a, key_index *tmp, int64_t n, int flt, int rev) {
  /* A merge sort: pairs are distinct, so the order is total. */
  if (n < 2)
    return;
  int64_t h = n / 2;
  ki_sort(a, tmp, h, flt, rev);
  ki_sort(a + h, tmp, n - h, flt, rev);
  memcpy(tmp, a, (size_t)h * sizeof *a);
  int64_t i = 0, j = h, k = 0;
  while (i < h && j < n) {
    int take_right = flt ? ki_less_f(&a[j], &tmp[i], rev) : ki_less_i(&a[j], &tmp[i], rev);
    a[k++] = take_right ? a[j++] : tmp[i++];
  }
  while (i < h)
    a[k++] = tmp[i++];
}

kiln_list *kiln_list_argsort(const kiln_list *keys, int32_t kind, int32_t reverse) {
  int64_t n = keys->len;
  int32_t k = kind & 0xff, bytes = kind >> 8;
  kiln_list *out = kiln_list_new(n, 8);
  if (!out)
    return NULL;
  key_index *a = malloc((size_t)(n ? n : 1) * sizeof *a);
  key_index *tmp = malloc((size_t)(n / 2 + 1) * sizeof *a);
  if (!a || !tmp) {
    free(a);
    free(tmp);
    kiln_raise_msg("MemoryError", "cannot allocate memory to sort a list");
    return NULL;
  }
  for (int64_t i = 0; i < n; ++i) {
    const char *p = keys->data + i * bytes;
    a[i].at = i;
    a[i].f = 0;
    a[i].i = 0;
    if (k == 3) {
      if (bytes == 4) {
        float x;
        memcpy(&x, p, 4);
        a[i].f = x;
      } else {
        memcpy(&a[i].f, p, 8);
      }
    } else if (k == 0 || bytes == 1) {
      a[i].i = k == 1 ? (int64_t)(int8_t)p[0] : (int64_t)(uint8_t)p[0];
    } else if (bytes == 2) {
      int16_t x;
      memcpy(&x, p, 2);
      a[i].i = k == 1 ? x : (int64_t)(uint16_t)x;
    } else if (bytes == 4) {
      int32_t x;
      memcpy(&x, p, 4);
      a[i].i = k == 1 ? x : (int64_t)(uint32_t)x;
    } else {
      memcpy(&a[i].i, p, 8);
      if (k == 2) /* uint64: flipping the top bit keeps the order as int64 */
        a[i].i = (int64_t)((uint64_t)a[i].i ^ ((uint64_t)1 << 63));
    }
  }
  ki_sort(a, tmp, n, k == 3, reverse);
  for (int64_t i = 0; i < n; ++i)
    memcpy(out->data + i * 8, &a[i].at, 8);
  out->len = n;
  free(a);
  free(tmp);
  return out;
}

/* ---- Lists across the boundary --------------------------------------------- */

/* Size and alignment of one element of type t in a list's block. */
static void elem_layout(const kiln_type *t, size_t *size, size_t *align) {
  switch (t->kind) {
  case KILN_T_LIST:
  case KILN_T_DICT:
  case KILN_T_SET:
    *size = *align = sizeof(void *);
    return;
  case KILN_T_COMPLEX64:
    *size = 8;
    *align = 4;
    return;
  case KILN_T_COMPLEX128:
    *size = 16;
    *align = 8;
    return;
  case KILN_T_TUPLE: {
    size_t off = 0, a = 1;
    for (int32_t i = 0; i < t->nelems; ++i) {
      size_t es, ea;
      elem_layout(&t->elems[i], &es, &ea);
      off = (off + ea - 1) / ea * ea;
      off += es;
      if (ea > a)
        a = ea;
    }
    *size = (off + a - 1) / a * a;
    *align = a;
    return;
  }
  case KILN_T_NONE:
    *size = *align = 1; /* list<none>: always empty */
    return;
  default: {
    const kiln_scalar_info *info = kiln_scalar(t->kind);
    *size = *align = info ? (size_t)info->itemsize : 1;
    return;
  }
  }
}

/* Offset of tuple element k. */
static size_t tuple_offset(const kiln_type *t, int32_t k) {
  size_t off = 0;
  for (int32_t i = 0;; ++i) {
    size_t es, ea;
    elem_layout(&t->elems[i], &es, &ea);
    off = (off + ea - 1) / ea * ea;
    if (i == k)
      return off;
    off += es;
  }
}

/* One Python list argument and the kiln_list it became. */
typedef struct list_arg {
  PyObject *obj; /* a strong reference */
  kiln_list *kl; /* an argument: malloc'd header; a result: compiled code's
                  * (a kiln_dict * when `dict` is set) */
  char *data;    /* an argument: the malloc'd block it started with */
  const kiln_type *elem; /* lists: the item type; dicts and sets: their type */
  int is_arg;    /* 0: a result list met once already (kept shared) */
  int dict;      /* a dict or a set */
} list_arg;

typedef struct kiln_list_args {
  list_arg *items;
  int32_t n, cap;
  int32_t *by_obj; /* open addressing on obj: index + 1, 0 empty */
  int32_t *by_kl;  /* the same on kl */
  int32_t mask;    /* table size - 1 */
} kiln_list_args;

static size_t hash_ptr(const void *p) {
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= (uintptr_t)0xed5ad4bbU;
  x ^= x >> 11;
  return (size_t)x;
}

/* Whether two element types are the same type. */
static int same_type(const kiln_type *a, const kiln_type *b) {
  if (a->kind != b->kind || a->nelems != b->nelems)
    return 0;
  if (a->kind == KILN_T_TUPLE || a->kind == KILN_T_LIST || a->kind == KILN_T_DICT ||
      a->kind == KILN_T_SET)
    for (int32_t i = 0; i < a->nelems; ++i)
      if (!same_type(&a->elems[i], &b->elems[i]))
        return 0;
  return 1;
}

static int32_t find_entry(const kiln_list_args *la, const int32_t *table, const void *key,
                          int by_obj) {
  if (!la || !la->cap)
    return -1;
  for (size_t h = hash_ptr(key) & (size_t)la->mask;; h = (h + 1) & (size_t)la->mask) {
    int32_t e = table[h];
    if (!e)
      return -1;
    const list_arg *a = &la->items[e - 1];
    if ((by_obj ? (const void *)a->obj : (const void *)a->kl) == key)
      return e - 1;
  }
}

static void insert_entry(kiln_list_args *la, int32_t *table, const void *key, int32_t idx) {
  size_t h = hash_ptr(key) & (size_t)la->mask;
  while (table[h])
    h = (h + 1) & (size_t)la->mask;
  table[h] = idx + 1;
}

/* Room for one more entry (tables at most half full). 0 or -1. */
static int grow_args(kiln_list_args *la) {
  if (la->n < la->cap)
    return 0;
  int32_t cap = la->cap ? la->cap * 2 : 8;
  list_arg *items = realloc(la->items, (size_t)cap * sizeof(list_arg));
  if (!items)
    return -1;
  la->items = items;
  int32_t size = cap * 2;
  int32_t *bo = calloc((size_t)size, sizeof(int32_t)), *bk = calloc((size_t)size, sizeof(int32_t));
  if (!bo || !bk) {
    free(bo);
    free(bk);
    return -1;
  }
  free(la->by_obj);
  free(la->by_kl);
  la->by_obj = bo;
  la->by_kl = bk;
  la->mask = size - 1;
  la->cap = cap;
  for (int32_t i = 0; i < la->n; ++i) {
    insert_entry(la, la->by_obj, la->items[i].obj, i);
    insert_entry(la, la->by_kl, la->items[i].kl, i);
  }
  return 0;
}

static kiln_conv_status elem_from_py(const kiln_type *t, PyObject *o, char *dst,
                                     kiln_list_args *la, char *detail, size_t detail_len,
                                     int depth);

static kiln_conv_status dict_from_py(const kiln_type *t, PyObject *o, kiln_list_args *la,
                                     kiln_dict **out, char *detail, size_t detail_len,
                                     int depth);

static kiln_conv_status list_from_py(const kiln_type *t, PyObject *o, kiln_list_args *la,
                                     kiln_list **out, char *detail, size_t detail_len,
                                     int depth) {
  if (!PyList_Check(o))
    return KILN_CONV_MISMATCH;
  int32_t e = find_entry(la, la->by_obj, o, 1);
  if (e >= 0) { /* met before: the same list, which must have one type */
    if (!same_type(la->items[e].elem, &t->elems[0])) {
      char a[96], b[96];
      kiln_type_format(la->items[e].elem, a, sizeof a);
      kiln_type_format(&t->elems[0], b, sizeof b);
      snprintf(detail, detail_len,
               "the same list is passed where items of type %.40s and of type %.40s are expected "
               "(pass a copy)", a, b);
      return KILN_CONV_MISMATCH;
    }
    *out = la->items[e].kl;
    return KILN_CONV_OK;
  }
  if (depth > 32) {
    snprintf(detail, detail_len, "lists nested too deeply (or a list that contains itself)");
    return KILN_CONV_MISMATCH;
  }
  const kiln_type *et = &t->elems[0];
  size_t es, ea;
  elem_layout(et, &es, &ea);
  Py_ssize_t n = PyList_Size(o);
  kiln_list *kl = malloc(sizeof(kiln_list));
  char *data = malloc((size_t)(n ? n : 1) * es);
  if (!kl || !data || grow_args(la) != 0) {
    free(kl);
    free(data);
    PyErr_NoMemory();
    return KILN_CONV_ERROR;
  }
  memset(data, 0, (size_t)(n ? n : 1) * es);
  kl->data = data;
  kl->len = n;
  kl->cap = n;
  kl->dirty = 0;
  int32_t idx = la->n++;
  Py_INCREF(o);
  la->items[idx] = (list_arg){o, kl, data, et, 1, 0};
  insert_entry(la, la->by_obj, o, idx);
  insert_entry(la, la->by_kl, kl, idx);
  for (Py_ssize_t i = 0; i < n && i < PyList_Size(o); ++i) {
    PyObject *item = PyList_GetItem(o, i);
    Py_INCREF(item); /* an __index__ may run Python code */
    kiln_conv_status st = elem_from_py(et, item, data + (size_t)i * es, la, detail, detail_len,
                                       depth + 1);
    char got[96];
    if (st != KILN_CONV_OK && st != KILN_CONV_ERROR)
      kiln_type_name_of(item, got, sizeof got);
    Py_DECREF(item);
    if (st != KILN_CONV_OK) {
      if (st != KILN_CONV_ERROR && detail_len) {
        char tail[200];
        snprintf(tail, sizeof tail, "%s", detail);
        if (!tail[0] && st == KILN_CONV_OVERFLOW)
          snprintf(tail, sizeof tail, "Python int too large to convert");
        else if (!tail[0])
          snprintf(tail, sizeof tail, "a %s", got);
        snprintf(detail, detail_len, "item %zd of the list: %s", (Py_ssize_t)i, tail);
      }
      return st;
    }
  }
  if (PyList_Size(o) != n) { /* changed under us by an __index__ */
    snprintf(detail, detail_len, "the list changed size while it was converted");
    return KILN_CONV_MISMATCH;
  }
  *out = kl;
  return KILN_CONV_OK;
}

static kiln_conv_status elem_from_py(const kiln_type *t, PyObject *o, char *dst,
                                     kiln_list_args *la, char *detail, size_t detail_len,
                                     int depth) {
  detail[0] = '\0';
  if (t->kind == KILN_T_LIST) {
    kiln_list *kl = NULL;
    kiln_conv_status st = list_from_py(t, o, la, &kl, detail, detail_len, depth);
    if (st == KILN_CONV_OK)
      memcpy(dst, &kl, sizeof kl);
    return st;
  }
  if (t->kind == KILN_T_DICT || t->kind == KILN_T_SET) {
    kiln_dict *kd = NULL;
    kiln_conv_status st = dict_from_py(t, o, la, &kd, detail, detail_len, depth);
    if (st == KILN_CONV_OK)
      memcpy(dst, &kd, sizeof kd);
    return st;
  }
  if (t->kind == KILN_T_TUPLE) {
    if (!PyTuple_Check(o) || PyTuple_Size(o) != t->nelems)
      return KILN_CONV_MISMATCH;
    for (int32_t k = 0; k < t->nelems; ++k) {
      kiln_conv_status st = elem_from_py(&t->elems[k], PyTuple_GetItem(o, k),
                                         dst + tuple_offset(t, k), la, detail, detail_len, depth);
      if (st != KILN_CONV_OK)
        return st;
    }
    return KILN_CONV_OK;
  }
  kiln_slot v[2];
  kiln_conv_status st = kiln_conv_arg(t, o, v);
  if (st != KILN_CONV_OK)
    return st;
  switch (t->kind) {
  case KILN_T_BOOL:
  case KILN_T_INT8:
  case KILN_T_UINT8: {
    uint8_t x = (uint8_t)v[0].i;
    memcpy(dst, &x, 1);
    break;
  }
  case KILN_T_INT16:
  case KILN_T_UINT16: {
    uint16_t x = (uint16_t)v[0].i;
    memcpy(dst, &x, 2);
    break;
  }
  case KILN_T_INT32:
  case KILN_T_UINT32: {
    uint32_t x = (uint32_t)v[0].i;
    memcpy(dst, &x, 4);
    break;
  }
  case KILN_T_FLOAT32: {
    float x = (float)v[0].f;
    memcpy(dst, &x, 4);
    break;
  }
  case KILN_T_COMPLEX64: {
    float x[2] = {(float)v[0].f, (float)v[1].f};
    memcpy(dst, x, 8);
    break;
  }
  case KILN_T_COMPLEX128:
    memcpy(dst, v, 16);
    break;
  default: /* int64, uint64, float64: the slot's 8 bytes */
    memcpy(dst, v, 8);
    break;
  }
  return KILN_CONV_OK;
}

/* The items of tuple `o` into consecutive slots (depth-first). */
static kiln_conv_status tuple_slots(const kiln_type *t, PyObject *o, kiln_list_args **lists,
                                    kiln_slot *out, int32_t *off, char *tail, size_t tail_len) {
  if (!PyTuple_Check(o) || PyTuple_Size(o) != t->nelems)
    return KILN_CONV_MISMATCH;
  for (int32_t k = 0; k < t->nelems; ++k) {
    const kiln_type *et = &t->elems[k];
    PyObject *item = PyTuple_GetItem(o, k);
    kiln_conv_status st;
    if (et->kind == KILN_T_TUPLE) {
      st = tuple_slots(et, item, lists, out, off, tail, tail_len);
    } else if (et->kind == KILN_T_LIST || et->kind == KILN_T_DICT || et->kind == KILN_T_SET) {
      st = kiln_conv_container_arg(et, item, lists, &out[*off], tail, tail_len);
      *off += 1;
    } else {
      st = kiln_conv_arg(et, item, &out[*off]);
      *off += kiln_type_slot_count(et);
    }
    if (st != KILN_CONV_OK) {
      if (st == KILN_CONV_OVERFLOW && !tail[0]) {
        char ty[64];
        kiln_type_format(et, ty, sizeof ty);
        snprintf(tail, tail_len, "item %d of the tuple: Python int too large to convert to %s",
                 (int)k, ty);
      } else if (st != KILN_CONV_ERROR && !tail[0]) {
        char got[96];
        kiln_type_name_of(item, got, sizeof got);
        snprintf(tail, tail_len, "item %d of the tuple: a %s", (int)k, got);
      }
      return st;
    }
  }
  return KILN_CONV_OK;
}

/* "expected list<int64>, got list (item 3 of the list: a str)": the
 * message tail of a failed container argument. */
static void conversion_detail(const kiln_type *t, PyObject *o, const char *tail, char *detail,
                              size_t detail_len) {
  char ty[128], got[160];
  kiln_type_format(t, ty, sizeof ty);
  kiln_describe_object(o, got, sizeof got);
  if (tail[0])
    snprintf(detail, detail_len, "expected %s, got %s (%s)", ty, got, tail);
  else
    snprintf(detail, detail_len, "expected %s, got %s", ty, got);
}

kiln_conv_status kiln_conv_tuple_arg(const kiln_type *t, PyObject *o, kiln_list_args **lists,
                                     kiln_slot *out, char *detail, size_t detail_len) {
  char tail[200] = "";
  int32_t off = 0;
  kiln_conv_status st = tuple_slots(t, o, lists, out, &off, tail, sizeof tail);
  if (st != KILN_CONV_OK && st != KILN_CONV_ERROR && detail_len)
    conversion_detail(t, o, tail, detail, detail_len);
  return st;
}

kiln_conv_status kiln_conv_container_arg(const kiln_type *t, PyObject *o, kiln_list_args **lists,
                                         kiln_slot *out, char *detail, size_t detail_len) {
  if (!*lists) {
    *lists = calloc(1, sizeof(kiln_list_args));
    if (!*lists) {
      PyErr_NoMemory();
      return KILN_CONV_ERROR;
    }
  }
  char tail[256] = "";
  /* As an item: the kiln_list or kiln_dict pointer written into the slot. */
  kiln_conv_status st = elem_from_py(t, o, (char *)out, *lists, tail, sizeof tail, 0);
  if (st != KILN_CONV_OK && st != KILN_CONV_ERROR && detail_len)
    conversion_detail(t, o, tail, detail, detail_len);
  return st;
}

int kiln_list_is_exact(const kiln_type *t, PyObject *o) {
  if (t->kind == KILN_T_LIST) {
    if (!PyList_Check(o))
      return 0;
    Py_ssize_t n = PyList_Size(o);
    for (Py_ssize_t i = 0; i < n; ++i)
      if (!kiln_list_is_exact(&t->elems[0], PyList_GetItem(o, i)))
        return 0;
    return 1;
  }
  if (t->kind == KILN_T_TUPLE) {
    if (!PyTuple_Check(o) || PyTuple_Size(o) != t->nelems)
      return 0;
    for (int32_t k = 0; k < t->nelems; ++k)
      if (!kiln_list_is_exact(&t->elems[k], PyTuple_GetItem(o, k)))
        return 0;
    return 1;
  }
  return kiln_conv_is_exact(t, o);
}


static PyObject *elem_to_py(const kiln_type *t, const char *src, kiln_call_ctx *ctx) {
  if (t->kind == KILN_T_DICT || t->kind == KILN_T_SET) {
    kiln_dict *kd;
    memcpy(&kd, src, sizeof kd);
    return kiln_dict_result(t, kd, ctx);
  }
  if (t->kind == KILN_T_LIST) {
    kiln_list *kl;
    memcpy(&kl, src, sizeof kl);
    return kiln_list_result(t, kl, ctx);
  }
  if (t->kind == KILN_T_TUPLE) {
    PyObject *tup = PyTuple_New(t->nelems);
    if (!tup)
      return NULL;
    for (int32_t k = 0; k < t->nelems; ++k) {
      PyObject *v = elem_to_py(&t->elems[k], src + tuple_offset(t, k), ctx);
      if (!v) {
        Py_DECREF(tup);
        return NULL;
      }
      PyTuple_SetItem(tup, k, v);
    }
    return tup;
  }
  kiln_slot v[2];
  switch (t->kind) {
  case KILN_T_BOOL:
  case KILN_T_UINT8:
    v[0].i = *(const uint8_t *)src;
    break;
  case KILN_T_INT8:
    v[0].i = *(const int8_t *)src;
    break;
  case KILN_T_INT16: {
    int16_t x;
    memcpy(&x, src, 2);
    v[0].i = x;
    break;
  }
  case KILN_T_UINT16: {
    uint16_t x;
    memcpy(&x, src, 2);
    v[0].i = x;
    break;
  }
  case KILN_T_INT32: {
    int32_t x;
    memcpy(&x, src, 4);
    v[0].i = x;
    break;
  }
  case KILN_T_UINT32: {
    uint32_t x;
    memcpy(&x, src, 4);
    v[0].i = x;
    break;
  }
  case KILN_T_FLOAT32: {
    float x;
    memcpy(&x, src, 4);
    v[0].f = x;
    break;
  }
  case KILN_T_COMPLEX64: {
    float x[2];
    memcpy(x, src, 8);
    v[0].f = x[0];
    v[1].f = x[1];
    break;
  }
  case KILN_T_COMPLEX128:
    memcpy(v, src, 16);
    break;
  case KILN_T_NONE:
    Py_RETURN_NONE;
  default:
    memcpy(v, src, 8);
    break;
  }
  /* Items are Python numbers, as they were given (not NumPy scalars). */
  const kiln_scalar_info *info = kiln_scalar(t->kind);
  if (info && info->sized) {
    if (info->np_kind == 'f')
      return PyFloat_FromDouble(v[0].f);
    if (info->np_kind == 'c')
      return PyComplex_FromDoubles(v[0].f, v[1].f);
    if (t->kind == KILN_T_UINT64)
      return PyLong_FromUnsignedLongLong((unsigned long long)v[0].i);
    return PyLong_FromLongLong(v[0].i);
  }
  int32_t cursor = 0;
  return kiln_conv_result(t, v, &cursor, ctx);
}

/* The items of kl as a new Python list. */
static PyObject *new_list_of(const kiln_type *t, const kiln_list *kl, kiln_call_ctx *ctx) {
  const kiln_type *et = &t->elems[0];
  size_t es, ea;
  elem_layout(et, &es, &ea);
  PyObject *r = PyList_New((Py_ssize_t)kl->len);
  if (!r)
    return NULL;
  for (int64_t i = 0; i < kl->len; ++i) {
    PyObject *v = elem_to_py(et, kl->data + (size_t)i * es, ctx);
    if (!v) {
      Py_DECREF(r);
      return NULL;
    }
    PyList_SetItem(r, (Py_ssize_t)i, v);
  }
  return r;
}

/* Records result object `r` made from compiled code's container `c` (the
 * call's registry), so that a container met again gives the same object.
 * Returns r (NULL stays NULL). */
static PyObject *remember_result(kiln_call_ctx *ctx, PyObject *r, const void *c,
                                 const kiln_type *t, int dict) {
  if (!r || !ctx)
    return r;
  if (!ctx->lists)
    ctx->lists = calloc(1, sizeof(kiln_list_args));
  if (!ctx->lists || grow_args(ctx->lists) != 0) {
    Py_DECREF(r);
    return PyErr_NoMemory();
  }
  kiln_list_args *la = ctx->lists;
  int32_t idx = la->n++;
  Py_INCREF(r);
  la->items[idx] = (list_arg){r, (kiln_list *)c, NULL, t, 0, dict};
  insert_entry(la, la->by_obj, r, idx);
  insert_entry(la, la->by_kl, c, idx);
  return r;
}

PyObject *kiln_list_result(const kiln_type *t, const kiln_list *kl, kiln_call_ctx *ctx) {
  if (!kl) {
    PyErr_SetString(PyExc_SystemError, "kiln: compiled code returned a null list");
    return NULL;
  }
  int32_t e = ctx ? find_entry(ctx->lists, ctx->lists ? ctx->lists->by_kl : NULL, kl, 0) : -1;
  if (e >= 0) { /* an argument (written back already), or a list met before */
    PyObject *o = ctx->lists->items[e].obj;
    Py_INCREF(o);
    return o;
  }
  /* Remembered: a list met again (`[[0] * 3] * 3`) is the same object. */
  return remember_result(ctx, new_list_of(t, kl, ctx), kl, &t->elems[0], 0);
}

static PyObject *dict_to_py(const kiln_type *t, const kiln_dict *kd, kiln_call_ctx *ctx);
static int _kiln_set_update(PyObject *set, PyObject *items);

int kiln_list_args_write_back(kiln_list_args *la) {
  if (!la)
    return 0;
  int failed = 0;
  kiln_call_ctx ctx = {0};
  ctx.lists = la;
  int32_t nargs = la->n;
  for (int32_t i = 0; i < nargs; ++i) {
    /* (new_list_of may add entries: no pointer into items is kept.) */
    if (la->items[i].is_arg && la->items[i].dict) {
      kiln_dict *kd = (kiln_dict *)la->items[i].kl;
      if (!kd->dirty)
        continue;
      PyObject *obj = la->items[i].obj;
      PyObject *fresh = dict_to_py(la->items[i].elem, kd, &ctx);
      int bad = !fresh;
      if (!bad && PyDict_Check(obj)) {
        PyDict_Clear(obj);
        bad = PyDict_Update(obj, fresh) != 0;
      } else if (!bad) {
        bad = PySet_Clear(obj) != 0 || _kiln_set_update(obj, fresh) != 0;
      }
      Py_XDECREF(fresh);
      if (bad) {
        failed = 1;
        break;
      }
      continue;
    }
    if (!la->items[i].is_arg || !la->items[i].kl->dirty)
      continue;
    PyObject *obj = la->items[i].obj;
    kiln_type lt = {.kind = KILN_T_LIST, .nelems = 1, .elems = (kiln_type *)la->items[i].elem};
    /* Items that are list arguments stay those objects (written back in
     * their own turn); new lists met twice are one object. */
    PyObject *items = new_list_of(&lt, la->items[i].kl, &ctx);
    if (!items || PyList_SetSlice(obj, 0, PY_SSIZE_T_MAX, items) != 0)
      failed = 1;
    Py_XDECREF(items);
    if (failed)
      break;
  }
  return failed ? -1 : 0;
}

void kiln_list_args_free(kiln_list_args *la) {
  if (!la)
    return;
  for (int32_t i = 0; i < la->n; ++i) {
    Py_DECREF(la->items[i].obj);
    if (la->items[i].is_arg && la->items[i].dict) {
      kiln_dict_free_heap((kiln_dict *)la->items[i].kl);
    } else if (la->items[i].is_arg) {
      free(la->items[i].data);
      free(la->items[i].kl);
    }
  }
  free(la->items);
  free(la->by_obj);
  free(la->by_kl);
  free(la);
}

/* ---- Dicts and sets across the boundary ------------------------------------ */

/* A key blob as compiled code writes it: floats' -0.0 as 0.0. */
static void normalise_key(const kiln_type *t, char *p) {
  if (t->kind == KILN_T_TUPLE) {
    for (int32_t k = 0; k < t->nelems; ++k)
      normalise_key(&t->elems[k], p + tuple_offset(t, k));
  } else if (t->kind == KILN_T_FLOAT64) {
    double x;
    memcpy(&x, p, 8);
    if (x == 0) {
      x = 0.0;
      memcpy(p, &x, 8);
    }
  } else if (t->kind == KILN_T_FLOAT32) {
    float x;
    memcpy(&x, p, 4);
    if (x == 0) {
      x = 0.0f;
      memcpy(p, &x, 4);
    }
  }
}

static int _kiln_set_update(PyObject *set, PyObject *items) {
  PyObject *it = PyObject_GetIter(items);
  if (!it)
    return -1;
  PyObject *x;
  while ((x = PyIter_Next(it))) {
    int r = PySet_Add(set, x);
    Py_DECREF(x);
    if (r != 0) {
      Py_DECREF(it);
      return -1;
    }
  }
  Py_DECREF(it);
  return PyErr_Occurred() ? -1 : 0;
}

static kiln_conv_status dict_from_py(const kiln_type *t, PyObject *o, kiln_list_args *la,
                                     kiln_dict **out, char *detail, size_t detail_len,
                                     int depth) {
  int is_dict = t->kind == KILN_T_DICT;
  if (is_dict ? !PyDict_Check(o) : !PySet_Check(o)) /* (a frozenset cannot be written back) */
    return KILN_CONV_MISMATCH;
  int32_t e = find_entry(la, la->by_obj, o, 1);
  if (e >= 0) {
    if (!la->items[e].dict || !same_type(la->items[e].elem, t)) {
      snprintf(detail, detail_len, "the same object is passed as two different types (pass a copy)");
      return KILN_CONV_MISMATCH;
    }
    *out = (kiln_dict *)la->items[e].kl;
    return KILN_CONV_OK;
  }
  if (depth > 32) {
    snprintf(detail, detail_len, "containers nested too deeply");
    return KILN_CONV_MISMATCH;
  }
  const kiln_type *kt = &t->elems[0], *vt = is_dict ? &t->elems[1] : NULL;
  size_t ks, ka, vs = 0, va;
  elem_layout(kt, &ks, &ka);
  if (vt)
    elem_layout(vt, &vs, &va);
  kiln_dict *kd = kiln_dict_new_heap((int64_t)ks, (int64_t)vs);
  char *key = calloc(1, ks ? ks : 1);
  if (!kd || !key || grow_args(la) != 0) {
    kiln_dict_free_heap(kd);
    free(key);
    PyErr_NoMemory();
    return KILN_CONV_ERROR;
  }
  int32_t idx = la->n++;
  Py_INCREF(o);
  la->items[idx] = (list_arg){o, (kiln_list *)kd, NULL, t, 1, 1};
  insert_entry(la, la->by_obj, o, idx);
  insert_entry(la, la->by_kl, kd, idx);
  kiln_conv_status st = KILN_CONV_OK;
  PyObject *it = PyObject_GetIter(o);
  PyObject *k = NULL;
  while (it && (k = PyIter_Next(it))) {
    memset(key, 0, ks ? ks : 1);
    st = elem_from_py(kt, k, key, la, detail, detail_len, depth + 1);
    if (st == KILN_CONV_OK) {
      normalise_key(kt, key);
      int32_t added;
      char *slot = kiln_dict_slot(kd, key, &added);
      if (!slot) {
        kiln_error_clear();
        PyErr_NoMemory();
        st = KILN_CONV_ERROR;
      } else if (vt) {
        PyObject *v = PyDict_GetItemWithError(o, k); /* borrowed */
        st = v ? elem_from_py(vt, v, slot, la, detail, detail_len, depth + 1) : KILN_CONV_ERROR;
      }
    }
    if (st != KILN_CONV_OK && st != KILN_CONV_ERROR && detail_len) {
      char got[96], tail[200];
      kiln_type_name_of(k, got, sizeof got);
      snprintf(tail, sizeof tail, "%s", detail);
      snprintf(detail, detail_len, "a key or value that is not of the right type (%s)",
               tail[0] ? tail : got);
    }
    Py_DECREF(k);
    if (st != KILN_CONV_OK)
      break;
  }
  Py_XDECREF(it);
  free(key);
  if (st == KILN_CONV_OK && PyErr_Occurred())
    st = KILN_CONV_ERROR;
  kd->dirty = 0;
  if (st == KILN_CONV_OK)
    *out = kd;
  return st;
}


static PyObject *dict_to_py(const kiln_type *t, const kiln_dict *kd, kiln_call_ctx *ctx) {
  int is_dict = t->kind == KILN_T_DICT;
  PyObject *r = is_dict ? PyDict_New() : PySet_New(NULL);
  if (!r)
    return NULL;
  for (int64_t pos = kiln_dict_next(kd, 0); pos >= 0; pos = kiln_dict_next(kd, pos + 1)) {
    PyObject *k = elem_to_py(&t->elems[0], kiln_dict_key_at(kd, pos), ctx);
    PyObject *v = k && is_dict ? elem_to_py(&t->elems[1], kiln_dict_val_at(kd, pos), ctx) : NULL;
    int bad = !k || (is_dict && !v) ||
              (is_dict ? PyDict_SetItem(r, k, v) : PySet_Add(r, k)) != 0;
    Py_XDECREF(k);
    Py_XDECREF(v);
    if (bad) {
      Py_DECREF(r);
      return NULL;
    }
  }
  return r;
}

PyObject *kiln_dict_result(const kiln_type *t, const kiln_dict *kd, kiln_call_ctx *ctx) {
  if (!kd) {
    PyErr_SetString(PyExc_SystemError, "kiln: compiled code returned a null dict");
    return NULL;
  }
  int32_t e = ctx ? find_entry(ctx->lists, ctx->lists ? ctx->lists->by_kl : NULL, kd, 0) : -1;
  if (e >= 0) { /* an argument (written back already), or one met before */
    PyObject *o = ctx->lists->items[e].obj;
    Py_INCREF(o);
    return o;
  }
  return remember_result(ctx, dict_to_py(t, kd, ctx), kd, t, 1);
}
