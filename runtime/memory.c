/*===- memory.c - Array memory: kiln_alloc and the arrays results become --===*
 *
 * Two halves:
 *
 *  1. kiln_alloc, the allocator of compiled code. Every block belongs to the
 *     exported call that is running on this thread: call.c puts a kiln_arena
 *     on its stack and makes it the thread's current arena around the entry
 *     point (saving and restoring the previous one, so calls on several
 *     Python threads never mix). Blocks are 64-byte aligned; a block of 0
 *     bytes is still a valid, unique pointer. When the call is over, blocks
 *     that a result array adopted live on as that array's memory and every
 *     other block is freed: on success and on every error path alike.
 *     Parallel-loop workers borrow their caller's arena (parallel.c), so the
 *     arena takes a small lock.
 *     Large freed blocks (1 MiB and up) are kept, a few for the whole
 *     process, and handed out again, to any thread: `y = y * x + c` in a
 *     loop, a kernel called again after its last result died, or a thread
 *     pool whose results the caller frees, then reuses warm memory instead
 *     of faulting in fresh pages from the system every time (glibc returns
 *     blocks this large to the system at once).
 *
 *  2. Result arrays without the NumPy C API. A small object type
 *     ("kiln.ArrayMemory", built with PyType_FromSpec) owns the memory (an
 *     adopted block, or a fresh export of the argument the data lies in) and
 *     exports exactly the result's data pointer, shape, byte strides and
 *     format through the buffer protocol; numpy.asarray() of it is a real
 *     numpy.ndarray over the same memory, whose .base chain keeps the owner
 *     alive. Several results over one block share the first one's owner.
 *     NumPy is imported lazily, the first time an array is returned.
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

/* ---- The arena ------------------------------------------------------------ */

/* Blocks of at least KILN_HUGE_MIN bytes ask for huge pages. */
#define KILN_HUGE_PAGE ((size_t)2 << 20)
#define KILN_HUGE_MIN ((size_t)4 << 20)
/* Larger requests fail without asking the system (and nbytes + padding can
 * never overflow). NumPy needs the byte size of an array to fit Py_ssize_t. */
#define KILN_ALLOC_MAX ((int64_t)PTRDIFF_MAX - 4096)

static _Thread_local kiln_arena *tl_arena;

/* ---- Reuse of large blocks -------------------------------------------------- */

/* One pool for the whole process (this module's runtime), not one per
 * thread: a thread pool's workers make result arrays that the caller's
 * thread frees, and only a shared pool lets the next worker reuse them
 * instead of faulting in fresh pages. At most KILN_REUSE_SLOTS blocks, of
 * at most KILN_REUSE_MAX bytes in all, kept until reused or pushed out. */
#define KILN_REUSE_MIN ((size_t)1 << 20)
/* Blocks of at most this many bytes come from malloc, aligned by hand, with
 * malloc's pointer in the word before the block (kiln_alloc). */
#define KILN_SMALL_BLOCK ((size_t)1024)
#define KILN_REUSE_SLOTS 16
#define KILN_REUSE_MAX ((size_t)256 << 20)

typedef struct reuse_slot {
  char *p;
  size_t cap;
} reuse_slot;
static reuse_slot g_reuse[KILN_REUSE_SLOTS];
static pthread_mutex_t g_reuse_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t reuse_once = PTHREAD_ONCE_INIT;

/* Off under MALLOC_PERTURB_ (the tests that look for use after free want
 * every freed block scribbled on by malloc) and KILN_NO_BLOCK_REUSE. */
static int reuse_off;

/* In a fork() child, the lock may have been held by a thread that does not
 * exist there. */
static void reuse_after_fork(void) { pthread_mutex_init(&g_reuse_lock, NULL); }

static void reuse_init(void) {
  reuse_off = getenv("MALLOC_PERTURB_") != NULL || getenv("KILN_NO_BLOCK_REUSE") != NULL;
  pthread_atfork(NULL, NULL, reuse_after_fork);
}

/* A kept block that holds `size` bytes without wasting more than half of
 * itself (the smallest such), or NULL. */
static char *reuse_take(size_t size, size_t *cap) {
  if (size < KILN_REUSE_MIN || size > KILN_REUSE_MAX)
    return NULL;
  pthread_once(&reuse_once, reuse_init);
  if (reuse_off)
    return NULL;
  char *p = NULL;
  pthread_mutex_lock(&g_reuse_lock);
  int best = -1;
  for (int i = 0; i < KILN_REUSE_SLOTS; ++i) {
    reuse_slot *s = &g_reuse[i];
    if (s->p && s->cap >= size && s->cap / 2 <= size && (best < 0 || s->cap < g_reuse[best].cap))
      best = i;
  }
  if (best >= 0) {
    p = g_reuse[best].p;
    *cap = g_reuse[best].cap;
    g_reuse[best].p = NULL;
    g_reuse[best].cap = 0;
  }
  pthread_mutex_unlock(&g_reuse_lock);
  return p;
}

void kiln_release_block(char *p, size_t cap) {
  if (!p)
    return;
  if (cap <= KILN_SMALL_BLOCK) { /* kiln_alloc's small blocks */
    free(((char **)p)[-1]);
    return;
  }
  if (cap >= KILN_REUSE_MIN && cap <= KILN_REUSE_MAX &&
      (pthread_once(&reuse_once, reuse_init), !reuse_off)) {
    char *evicted[KILN_REUSE_SLOTS];
    int nevicted = 0;
    pthread_mutex_lock(&g_reuse_lock);
    /* Make room, smallest blocks first: a free slot, and the total within
     * KILN_REUSE_MAX. */
    for (;;) {
      size_t total = 0;
      int used = 0, smallest = -1;
      for (int i = 0; i < KILN_REUSE_SLOTS; ++i) {
        if (!g_reuse[i].p)
          continue;
        total += g_reuse[i].cap;
        ++used;
        if (smallest < 0 || g_reuse[i].cap < g_reuse[smallest].cap)
          smallest = i;
      }
      if (used < KILN_REUSE_SLOTS && total + cap <= KILN_REUSE_MAX)
        break;
      evicted[nevicted++] = g_reuse[smallest].p;
      g_reuse[smallest].p = NULL;
      g_reuse[smallest].cap = 0;
    }
    for (int i = 0; i < KILN_REUSE_SLOTS; ++i)
      if (!g_reuse[i].p) {
        g_reuse[i].p = p;
        g_reuse[i].cap = cap;
        break;
      }
    pthread_mutex_unlock(&g_reuse_lock);
    for (int i = 0; i < nevicted; ++i) /* outside the lock */
      free(evicted[i]);
    return;
  }
  free(p);
}

static void arena_lock(kiln_arena *a) {
  while (__atomic_exchange_n(&a->lock, 1, __ATOMIC_ACQUIRE))
    while (__atomic_load_n(&a->lock, __ATOMIC_RELAXED))
      ;
}

static void arena_unlock(kiln_arena *a) { __atomic_store_n(&a->lock, 0, __ATOMIC_RELEASE); }

kiln_arena *kiln_arena_begin(kiln_arena *a) {
  a->blocks = a->inline_blocks;
  a->n = 0;
  a->cap = KILN_ARENA_INLINE;
  a->lock = 0;
  kiln_arena *prev = tl_arena;
  tl_arena = a;
  return prev;
}

void kiln_arena_end(kiln_arena *a, kiln_arena *prev) {
  for (size_t i = 0; i < a->n; ++i)
    if (!a->blocks[i].owner)
      kiln_release_block(a->blocks[i].p, a->blocks[i].cap);
  if (a->blocks != a->inline_blocks)
    free(a->blocks);
  a->blocks = a->inline_blocks;
  a->n = 0;
  tl_arena = prev;
}

void kiln_free(void *p) {
  kiln_arena *a = tl_arena;
  if (!a || !p)
    return;
  arena_lock(a);
  /* The entry stays (arena marks are indices), empty. */
  for (size_t i = a->n; i-- > 0;)
    if (a->blocks[i].p == p && !a->blocks[i].owner) {
      kiln_release_block(p, a->blocks[i].cap);
      a->blocks[i].p = NULL;
      a->blocks[i].size = 0;
      a->blocks[i].cap = 0;
      break;
    }
  arena_unlock(a);
}

kiln_arena *kiln_arena_current(void) { return tl_arena; }

void kiln_arena_set_current(kiln_arena *a) { tl_arena = a; }

kiln_block *kiln_arena_find(kiln_arena *a, uintptr_t lo, uintptr_t hi) {
  if (!a)
    return NULL;
  /* Most recent first: results are usually the last allocations. */
  for (size_t i = a->n; i-- > 0;) {
    uintptr_t s = (uintptr_t)a->blocks[i].p;
    if (lo >= s && hi <= s + a->blocks[i].size && lo <= hi)
      return &a->blocks[i];
  }
  return NULL;
}

static void raise_no_memory(int64_t nbytes) {
  char msg[96];
  snprintf(msg, sizeof msg, "cannot allocate %lld bytes for an array", (long long)nbytes);
  kiln_raise_msg("MemoryError", msg);
}

/* Successful kiln_alloc calls since the module was loaded (tests read it
 * through the module's _allocations() to check that array expressions are
 * fused: one allocation per result, none per temporary). */
static int64_t g_allocations;

int64_t kiln_allocation_count(void) { return __atomic_load_n(&g_allocations, __ATOMIC_RELAXED); }

void *kiln_alloc(int64_t nbytes) {
  kiln_arena *a = tl_arena;
  if (!a) {
    kiln_raise_msg("SystemError", "kiln_alloc called outside a call of a compiled function");
    return NULL;
  }
  if (nbytes < 0 || nbytes > KILN_ALLOC_MAX) {
    raise_no_memory(nbytes);
    return NULL;
  }
  void *p = NULL;
  /* 0 bytes: one aligned unit still gives a unique pointer. */
  size_t size = nbytes ? (size_t)nbytes : 1, cap = size;
  if ((p = reuse_take(size, &cap)) != NULL)
    goto have_block;
  if (size <= KILN_SMALL_BLOCK) {
    /* Small: malloc's per-thread cache, aligned by hand (posix_memalign is
     * several times slower, and small results are made on every call). */
    char *raw = malloc(size + KILN_ALLOC_ALIGN);
    if (!raw) {
      raise_no_memory(nbytes);
      return NULL;
    }
    p = (void *)(((uintptr_t)raw + KILN_ALLOC_ALIGN) & ~(uintptr_t)(KILN_ALLOC_ALIGN - 1));
    ((char **)p)[-1] = raw;
    goto have_block;
  }
  if (posix_memalign(&p, KILN_ALLOC_ALIGN, size) != 0 || !p) {
    raise_no_memory(nbytes);
    return NULL;
  }
#ifdef MADV_HUGEPAGE
  /* Where the kernel leaves huge pages to the program (THP "madvise"), the
   * huge-page-aligned inside of a large block asks for them, as NumPy does:
   * a fresh 16 MB array then takes a few faults instead of 4096. (The block
   * itself stays where malloc put it, so freed memory is reused as before.) */
  if (size >= KILN_HUGE_MIN) {
    uintptr_t lo = ((uintptr_t)p + KILN_HUGE_PAGE - 1) & ~(uintptr_t)(KILN_HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + size) & ~(uintptr_t)(KILN_HUGE_PAGE - 1);
    if (hi > lo)
      (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* a hint only */
  }
#endif
have_block:
  __atomic_add_fetch(&g_allocations, 1, __ATOMIC_RELAXED);
  arena_lock(a);
  if (a->n == a->cap) {
    size_t ncap = a->cap * 2;
    kiln_block *nb = NULL;
    if (ncap <= SIZE_MAX / sizeof(kiln_block)) {
      if (a->blocks == a->inline_blocks) {
        nb = malloc(ncap * sizeof(kiln_block));
        if (nb)
          memcpy(nb, a->blocks, a->n * sizeof(kiln_block));
      } else {
        nb = realloc(a->blocks, ncap * sizeof(kiln_block));
      }
    }
    if (!nb) {
      arena_unlock(a);
      kiln_release_block(p, cap);
      raise_no_memory(nbytes);
      return NULL;
    }
    a->blocks = nb;
    a->cap = ncap;
  }
  a->blocks[a->n].p = p;
  a->blocks[a->n].size = (size_t)nbytes;
  a->blocks[a->n].cap = cap;
  a->blocks[a->n].owner = NULL;
  ++a->n;
  arena_unlock(a);
  return p;
}

/* ---- kiln.ArrayMemory: the owner / exporter behind a result array -------- */

typedef struct kiln_mem {
  PyObject_HEAD
  PyObject *weakrefs;
  char *block;     /* owned: freed in dealloc */
  size_t block_cap; /* its capacity (kiln_release_block keeps large ones) */
  PyObject *owner; /* the kiln_mem that owns our block, or NULL */
  Py_buffer base;  /* an export of an argument, held while base.obj != NULL */
  char *data;
  Py_ssize_t len, itemsize;
  int ndim, readonly;
  char format[4];
  Py_ssize_t shape[KILN_ARRAY_MAX_NDIM];
  Py_ssize_t strides[KILN_ARRAY_MAX_NDIM]; /* bytes */
} kiln_mem;

static PyTypeObject *mem_type; /* created once, never freed (GIL-guarded) */
static PyObject *np_asarray;   /* numpy.asarray, imported once */

/* A zero-size array still needs an address; nothing is ever read there. */
static _Alignas(KILN_ALLOC_ALIGN) char empty_data[KILN_ALLOC_ALIGN];

static void mem_dealloc(PyObject *self) {
  kiln_mem *m = (kiln_mem *)self;
  PyTypeObject *tp = Py_TYPE(self);
  if (m->weakrefs)
    PyObject_ClearWeakRefs(self);
  if (m->base.obj)
    PyBuffer_Release(&m->base);
  kiln_release_block(m->block, m->block_cap);
  m->block = NULL;
  Py_CLEAR(m->owner);
  freefunc tp_free = (freefunc)PyType_GetSlot(tp, Py_tp_free);
  tp_free(self);
  Py_DECREF(tp);
}

static int is_c_contiguous(const kiln_mem *m) {
  Py_ssize_t expect = m->itemsize;
  for (int i = m->ndim - 1; i >= 0; --i) {
    if (m->shape[i] == 0)
      return 1;
    if (m->shape[i] != 1 && m->strides[i] != expect)
      return 0;
    expect *= m->shape[i];
  }
  return 1;
}

static int is_f_contiguous(const kiln_mem *m) {
  Py_ssize_t expect = m->itemsize;
  for (int i = 0; i < m->ndim; ++i) {
    if (m->shape[i] == 0)
      return 1;
    if (m->shape[i] != 1 && m->strides[i] != expect)
      return 0;
    expect *= m->shape[i];
  }
  return 1;
}

static int mem_getbuffer(PyObject *self, Py_buffer *view, int flags) {
  kiln_mem *m = (kiln_mem *)self;
  view->obj = NULL;
  if ((flags & PyBUF_WRITABLE) == PyBUF_WRITABLE && m->readonly) {
    PyErr_SetString(PyExc_BufferError, "kiln array memory is read-only");
    return -1;
  }
  int needs_c = (flags & PyBUF_STRIDES) != PyBUF_STRIDES ||
                (flags & PyBUF_C_CONTIGUOUS) == PyBUF_C_CONTIGUOUS;
  if (needs_c && !is_c_contiguous(m)) {
    PyErr_SetString(PyExc_BufferError, "kiln array memory is not C-contiguous");
    return -1;
  }
  if ((flags & PyBUF_F_CONTIGUOUS) == PyBUF_F_CONTIGUOUS && !is_f_contiguous(m)) {
    PyErr_SetString(PyExc_BufferError, "kiln array memory is not Fortran-contiguous");
    return -1;
  }
  if ((flags & PyBUF_ANY_CONTIGUOUS) == PyBUF_ANY_CONTIGUOUS && !is_c_contiguous(m) &&
      !is_f_contiguous(m)) {
    PyErr_SetString(PyExc_BufferError, "kiln array memory is not contiguous");
    return -1;
  }
  view->buf = m->data;
  view->len = m->len;
  view->readonly = m->readonly;
  view->itemsize = m->itemsize;
  view->format = (flags & PyBUF_FORMAT) ? m->format : NULL;
  if ((flags & PyBUF_ND) == PyBUF_ND) {
    view->ndim = m->ndim;
    view->shape = m->shape;
  } else {
    view->ndim = 1;
    view->shape = NULL;
  }
  view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? m->strides : NULL;
  view->suboffsets = NULL;
  view->internal = NULL;
  Py_INCREF(self);
  view->obj = self;
  return 0;
}

static PyMemberDef mem_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(kiln_mem, weakrefs), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot mem_slots[] = {
    {Py_tp_dealloc, (void *)mem_dealloc},
    {Py_bf_getbuffer, (void *)mem_getbuffer},
    {Py_tp_members, mem_members},
    {Py_tp_doc, (void *)"Memory of an array returned by a Kiln function (the base of the "
                        "numpy.ndarray)."},
    {0, NULL},
};

static PyType_Spec mem_spec = {
    "kiln.ArrayMemory",
    (int)sizeof(kiln_mem),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    mem_slots,
};

static kiln_mem *mem_new(void) {
  if (!mem_type) {
    mem_type = (PyTypeObject *)PyType_FromSpec(&mem_spec);
    if (!mem_type)
      return NULL;
  }
  allocfunc alloc = (allocfunc)PyType_GetSlot(mem_type, Py_tp_alloc);
  kiln_mem *m = (kiln_mem *)alloc(mem_type, 0); /* zero-filled */
  return m;
}

/* numpy.asarray, imported on first use. Borrowed, or NULL with ImportError. */
static PyObject *get_asarray(void) {
  if (np_asarray)
    return np_asarray;
  PyObject *np = PyImport_ImportModule("numpy");
  if (!np) {
    if (PyErr_ExceptionMatches(PyExc_ImportError)) {
      PyObject *type, *value, *tb;
      PyErr_Fetch(&type, &value, &tb);
      PyObject *why = value ? PyObject_Str(value) : NULL;
      const char *w = why ? PyUnicode_AsUTF8AndSize(why, NULL) : NULL;
      PyErr_Clear();
      PyErr_Format(PyExc_ImportError,
                   "Kiln functions that return arrays need NumPy, which could not be "
                   "imported (%s)",
                   w ? w : "unknown reason");
      Py_XDECREF(why);
      Py_XDECREF(type);
      Py_XDECREF(value);
      Py_XDECREF(tb);
    }
    return NULL;
  }
  PyObject *f = PyObject_GetAttrString(np, "asarray");
  Py_DECREF(np);
  if (!f)
    return NULL;
  np_asarray = f; /* kept for the life of the process */
  return np_asarray;
}

static int elem_info(kiln_type_kind elem, Py_ssize_t *itemsize, char *format) {
  const kiln_scalar_info *info = kiln_scalar(elem);
  if (!info)
    return -1;
  *itemsize = info->itemsize;
  strcpy(format, info->format);
  return 0;
}

PyObject *kiln_make_numpy_scalar(kiln_type_kind kind, kiln_slot v) {
  const kiln_scalar_info *info = kiln_scalar(kind);
  if (!info) {
    PyErr_SetString(PyExc_SystemError, "kiln: unknown scalar result type");
    return NULL;
  }
  if (info->np_kind != 'c' && kiln_np_ready())
    return kiln_np_scalar(kind, v);
  PyObject *value = info->np_kind == 'c'   ? (Py_INCREF((PyObject *)v.p), (PyObject *)v.p)
                    : info->np_kind == 'f' ? PyFloat_FromDouble(v.f)
                    : info->np_kind == 'u' ? PyLong_FromUnsignedLongLong((uint64_t)v.i)
                                           : PyLong_FromLongLong(v.i);
  if (!value)
    return NULL;
  /* numpy.<name>, looked up once per type (the GIL is held), as
   * numpy.asarray is: results are on every call's path. */
  static PyObject *types[KILN_T_COMPLEX128 + 1]; /* kept for the process */
  if (!types[kind]) {
    PyObject *np = PyImport_ImportModule("numpy");
    types[kind] = np ? PyObject_GetAttrString(np, info->name) : NULL;
    Py_XDECREF(np);
  }
  PyObject *r = types[kind] ? PyObject_CallFunctionObjArgs(types[kind], value, NULL) : NULL;
  Py_DECREF(value);
  return r;
}

PyObject *kiln_make_ndarray(kiln_type_kind elem, int32_t ndim, char *data,
                            const int64_t *extents, const int64_t *strides, kiln_block *block,
                            const Py_buffer *base_view) {
  PyObject *asarray = get_asarray();
  if (!asarray)
    return NULL;
  if (ndim < 1 || ndim > KILN_ARRAY_MAX_NDIM) {
    PyErr_SetString(PyExc_SystemError, "kiln: result array has an invalid rank");
    return NULL;
  }
  kiln_mem *m = mem_new();
  if (!m)
    return NULL;
  if (elem_info(elem, &m->itemsize, m->format) != 0) {
    Py_DECREF(m);
    PyErr_SetString(PyExc_SystemError, "kiln: result array has an invalid element type");
    return NULL;
  }
  m->ndim = ndim;
  int empty = 0;
  Py_ssize_t count = 1;
  for (int32_t i = 0; i < ndim; ++i) {
    if (extents[i] < 0) {
      Py_DECREF(m);
      PyErr_SetString(PyExc_SystemError, "kiln: compiled code returned an array with a "
                                         "negative extent");
      return NULL;
    }
    m->shape[i] = (Py_ssize_t)extents[i];
    empty |= extents[i] == 0;
  }
  if (empty) {
    /* Nothing to point at: a fresh empty C-order array. */
    Py_ssize_t s = m->itemsize;
    for (int32_t i = ndim - 1; i >= 0; --i) {
      m->strides[i] = s;
      if (m->shape[i] > 0 && s <= PY_SSIZE_T_MAX / m->shape[i])
        s *= m->shape[i];
    }
    m->data = empty_data;
    m->len = 0;
    /* An empty view of a read-only argument is read-only, as NumPy's. */
    m->readonly = base_view ? base_view->readonly : 0;
  } else {
    for (int32_t i = 0; i < ndim; ++i) {
      Py_ssize_t bs;
      if (__builtin_mul_overflow((Py_ssize_t)strides[i], m->itemsize, &bs) ||
          __builtin_mul_overflow(count, m->shape[i], &count)) {
        Py_DECREF(m);
        PyErr_SetString(PyExc_SystemError, "kiln: result array is too large");
        return NULL;
      }
      m->strides[i] = bs;
    }
    m->data = data;
    m->len = count * m->itemsize;
    if (block) {
      if (block->owner) {
        Py_INCREF((PyObject *)block->owner);
        m->owner = (PyObject *)block->owner;
      } else {
        m->block = block->p; /* adopted: the arena no longer frees it */
        m->block_cap = block->cap;
        block->owner = m;
      }
    } else if (base_view && kiln_np_is_fast_view(base_view)) {
      /* A view of an exact ndarray argument: the argument is its base, as
       * for NumPy's own views (no export, no ArrayMemory). */
      Py_ssize_t shape[KILN_ARRAY_MAX_NDIM], bstr[KILN_ARRAY_MAX_NDIM];
      memcpy(shape, m->shape, (size_t)ndim * sizeof(Py_ssize_t));
      memcpy(bstr, m->strides, (size_t)ndim * sizeof(Py_ssize_t));
      Py_DECREF(m);
      Py_INCREF(base_view->obj);
      return kiln_np_new_array(elem, ndim, shape, bstr, data, !base_view->readonly,
                               base_view->obj);
    } else if (base_view) {
      if (PyObject_GetBuffer(base_view->obj, &m->base, PyBUF_STRIDES | PyBUF_FORMAT) != 0) {
        m->base.obj = NULL;
        Py_DECREF(m);
        return NULL;
      }
      m->readonly = m->base.readonly;
    } else {
      Py_DECREF(m);
      PyErr_SetString(PyExc_SystemError, "kiln: result array has no owner");
      return NULL;
    }
  }
  if (kiln_np_ready()) /* the ArrayMemory is the array's base */
    return kiln_np_new_array(elem, ndim, m->shape, m->strides, m->data, !m->readonly,
                             (PyObject *)m);
  PyObject *arr = PyObject_CallFunctionObjArgs(asarray, (PyObject *)m, NULL);
  Py_DECREF(m);
  return arr;
}

/* ---- Loop temporaries -------------------------------------------------------- */

int64_t kiln_arena_mark(void) {
  kiln_arena *a = tl_arena;
  return a ? (int64_t)a->n : 0;
}

void kiln_arena_release(int64_t mark) {
  kiln_arena *a = tl_arena;
  if (!a || mark < 0)
    return;
  arena_lock(a);
  while (a->n > (size_t)mark) {
    --a->n;
    if (!a->blocks[a->n].owner)
      kiln_release_block(a->blocks[a->n].p, a->blocks[a->n].cap);
  }
  arena_unlock(a);
}
