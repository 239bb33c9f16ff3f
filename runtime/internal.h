/*===- internal.h - Private declarations shared by the runtime's C files --===*
 *
 * Nothing here is part of the ABI in include/kiln/runtime.h: these are the
 * seams between the runtime's own translation units (type strings, value
 * conversion, the error state, array memory, the call path, parallel loops,
 * SIGINT).
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
  KILN_T_ARRAY,
  KILN_T_LIST, /* elems[0] is the element type */
  KILN_T_DICT, /* elems[0] the key type, elems[1] the value type */
  KILN_T_SET,  /* elems[0] the key type */
  /* NumPy's sized scalar types. */
  KILN_T_INT8,
  KILN_T_INT16,
  KILN_T_INT32,
  KILN_T_UINT8,
  KILN_T_UINT16,
  KILN_T_UINT32,
  KILN_T_UINT64,
  KILN_T_FLOAT32,
  KILN_T_COMPLEX64,
  KILN_T_COMPLEX128, /* Python's complex */
} kiln_type_kind;

/* What the boundary needs to know of a scalar kind: its name, its size in
 * bytes, NumPy's kind letter ('b' bool, 'i' signed, 'u' unsigned, 'f'
 * float, 'c' complex), and whether it is one of NumPy's sized types (not a
 * Python type: returned as a NumPy scalar). A complex value takes two
 * slots, its real and imaginary parts as doubles. */
typedef struct kiln_scalar_info {
  kiln_type_kind kind;
  const char *name;
  int itemsize;
  char np_kind;
  int sized;
  const char *format; /* the buffer protocol's format of a result array */
  int npy_type;       /* NumPy's type number (numpy_abi.c) */
  int npy_type_alt;   /* another number of the same type (C long vs long long), or -1 */
} kiln_scalar_info;
/* The scalar kind's entry, or NULL for a kind that is not a scalar. */
const kiln_scalar_info *kiln_scalar(kiln_type_kind kind);

#define KILN_ARRAY_MAX_NDIM 32

/* The alignment of every kiln_alloc block (and of aligned argument copies). */
#define KILN_ALLOC_ALIGN 64

/* A parsed type. Tuples own an array of `nelems` element types. Arrays have
 * an element kind (a scalar kind), a number of dimensions
 * (1..KILN_ARRAY_MAX_NDIM) and c_order = 1 for "array<T, N, C>". */
typedef struct kiln_type {
  kiln_type_kind kind;
  int32_t nelems;
  struct kiln_type *elems;
  kiln_type_kind elem; /* arrays only */
  int32_t ndim;        /* arrays only */
  int32_t c_order;     /* arrays only */
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
/* "ndarray[float64, ndim=2]" for an array type, as in conversion messages. */
size_t kiln_type_format_ndarray(const kiln_type *t, char *buf, size_t len);
/* 1 if `t` is an array or a tuple containing one (at any depth). */
int kiln_type_has_array(const kiln_type *t);

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
/* Whether `name` is a builtin exception class of kiln/exceptions.def. */
int kiln_exc_known(const char *name);

/* ---- Array memory of one call (memory.c) --------------------------------- */

/* One kiln_alloc block. `owner` is set (a PyObject*, borrowed) once a result
 * array has adopted the block; adopted blocks are not freed by the arena. */
typedef struct kiln_block {
  char *p;
  size_t size; /* bytes asked for */
  size_t cap;  /* bytes the block holds (more when it was reused) */
  void *owner;
} kiln_block;

/* Frees a block kiln_alloc made, keeping a large one for reuse (see
 * memory.c); `cap` is the block's capacity. */
void kiln_release_block(char *p, size_t cap);

#define KILN_ARENA_INLINE 8

/* Every block that kiln_alloc handed out during one exported call. Lives on
 * the caller's stack; the calling thread's "current arena" pointer refers to
 * it while the call runs (and parallel-loop workers borrow it, hence the
 * lock). */
typedef struct kiln_arena {
  kiln_block *blocks; /* inline[] or heap */
  size_t n, cap;
  int lock;           /* a spin lock (atomic), taken by kiln_alloc */
  kiln_block inline_blocks[KILN_ARENA_INLINE];
} kiln_arena;

/* Makes `a` (freshly initialised) this thread's current arena and returns the
 * previous one, to be handed back to kiln_arena_end. */
kiln_arena *kiln_arena_begin(kiln_arena *a);
/* Frees every block of `a` that no result adopted, and makes `prev` current
 * again. */
void kiln_arena_end(kiln_arena *a, kiln_arena *prev);
/* This thread's current arena (NULL outside a call) and its setter, used by
 * parallel-loop workers to allocate into their caller's arena. */
kiln_arena *kiln_arena_current(void);
/* Successful kiln_alloc calls so far (module._allocations()). */
int64_t kiln_allocation_count(void);
void kiln_arena_set_current(kiln_arena *a);
/* The block of `a` that holds bytes [lo, hi), or NULL. */
kiln_block *kiln_arena_find(kiln_arena *a, uintptr_t lo, uintptr_t hi);

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
  KILN_CONV_BADARRAY = 4, /* right dtype and rank, unusable layout: TypeError */
  KILN_CONV_READONLY = 5, /* right array, read-only but written: ValueError */
} kiln_conv_status;

/* What a call holds while it runs: the buffers of its array arguments (one
 * per parameter; held[i] says whether views[i] must be released) and its
 * kiln_alloc arena. Results may be views of either. */
/* An argument NumPy accepts but compiled code cannot read in place (data
 * not aligned to its item size, or strides that are not whole elements, as
 * in packed record fields and arrays Dask's distributed scheduler delivers):
 * the call runs on an aligned C-order copy, written back after the call if
 * the function writes the parameter. */
typedef struct kiln_arg_copy {
  char *data; /* NULL: no copy */
  size_t nbytes;
  int written;
  /* Results that view the copy view one kiln_alloc block holding its values
   * at the end of the call (shared by all of them, as views of one array),
   * made by the first such result. */
  char *results;
  /* The same buffer passed for an earlier parameter that has a copy
   * (f(a, a)): this one uses that copy (data stays NULL); index + 1, or 0. */
  int32_t same_as;
} kiln_arg_copy;

typedef struct kiln_call_ctx {
  int32_t nparams;
  Py_buffer *views; /* a view filled by numpy_abi.c is released by kiln_view_release */
  unsigned char *held;
  Py_ssize_t *dims; /* extents and strides of fast views (numpy_abi.c), by slot offset */
  kiln_arg_copy *copies; /* one per parameter */
  kiln_arena *arena;
  struct kiln_list_args *lists; /* list arguments (list.c), or NULL */
} kiln_call_ctx;

/* ---- numpy_abi.c: NumPy's stable binary interface, when NumPy is there ---- */

/* 1 once NumPy is imported and its interface checked (the GIL is held). */
int kiln_np_ready(void);
/* An exact numpy.ndarray that fits array type `t` as it is (the common
 * case): fills *view (a reference to `o`; release with kiln_view_release),
 * dims (2 * ndim extents and byte strides, the call's copy) and the 1 + 2N
 * slots, and returns 1. Returns 0, holding nothing and raising nothing, for
 * everything else: the buffer path then decides, with its messages. */
int kiln_np_fast_arg(const kiln_type *t, PyObject *o, int written, Py_buffer *view,
                     Py_ssize_t *dims, kiln_slot *out);
int kiln_np_is_fast_view(const Py_buffer *view);
/* Releases an argument view of either path. */
void kiln_view_release(Py_buffer *view);
/* With kiln_np_ready(): a numpy.ndarray over `data` whose base is `owner`
 * (taken, on failure too); NULL with an exception on failure. */
PyObject *kiln_np_new_array(kiln_type_kind elem, int32_t nd, const Py_ssize_t *shape,
                            const Py_ssize_t *byte_strides, char *data, int writable,
                            PyObject *owner);
/* With kiln_np_ready(): NumPy's scalar of a sized real type (not complex). */
PyObject *kiln_np_scalar(kiln_type_kind kind, kiln_slot v);

/* 1 if `o` is exactly the Python kind that `t` corresponds to (int for int64,
 * float for float64, bool for bool), the first pass of overload dispatch. */
int kiln_conv_is_exact(const kiln_type *t, PyObject *o);
/* Converts `o` to one slot of scalar type `t`. On MISMATCH and OVERFLOW no
 * Python error is left set; on ERROR the object's exception is left set. */
kiln_conv_status kiln_conv_arg(const kiln_type *t, PyObject *o, kiln_slot *out);
/* Converts `o` for an array parameter of type `t` into 1 + 2*ndim slots.
 * `written`: the function may write the array. On OK, *view holds a buffer
 * the caller must kiln_view_release after the call (dims: room for 2 * ndim
 * values the view may point to, alive as long as it), and, if copy->data is
 * set, the slots point to that aligned copy (see kiln_arg_copy), which the
 * caller writes back and frees. On MISMATCH, BADARRAY and
 * READONLY nothing is held, no Python error is set, and `detail` receives
 * what follows "f() argument 'a': " in the message (left empty for MISMATCH
 * when quiet_mismatch: overload dispatch does not need it, and describing the
 * object costs more than the check). On ERROR the object's exception is left
 * set. */
kiln_conv_status kiln_conv_array_arg(const kiln_type *t, PyObject *o, int written,
                                     Py_ssize_t *dims, Py_buffer *view, kiln_arg_copy *copy,
                                     kiln_slot *out, int quiet_mismatch, char *detail,
                                     size_t detail_len);
/* The checks an array argument passes to be read in place: NumPy's ALIGNED
 * with strides of whole elements, and NumPy's C_CONTIGUOUS (an empty array
 * passes both). */
int kiln_buffer_is_aligned(const Py_buffer *v, int empty, int complex);
int kiln_buffer_is_c_contiguous(const Py_buffer *v, int empty);
/* The 1 + 2N slots of array type `t` for buffer v's extents and strides
 * (dense C strides if `dense`, or `t` demands C order) over `data`. */
void kiln_array_slots(const kiln_type *t, const Py_buffer *v, void *data, int dense,
                      kiln_slot *out);
/* The byte stride of an axis of a buffer (dense C order when it has none). */
Py_ssize_t kiln_buffer_stride(const Py_buffer *v, int axis);
/* [lo, hi): the bytes a buffer's elements span (lo == hi if it is empty). */
void kiln_view_span(const Py_buffer *v, uintptr_t *lo, uintptr_t *hi);
/* Copies between an argument's buffer and its aligned copy (to_copy: from
 * the buffer), element by element. */
void kiln_copy_strided(const Py_buffer *v, char *dense, int to_copy);
/* Builds the Python value of type `t` from slots starting at *cursor,
 * advancing it. Array results become numpy.ndarray objects over memory of
 * ctx's arena or of its argument buffers. New reference, or NULL with an
 * exception set. */
PyObject *kiln_conv_result(const kiln_type *t, const kiln_slot *slots, int32_t *cursor,
                           kiln_call_ctx *ctx);
/* ---- list.c: lists across the boundary ------------------------------------ */

/* Converts Python list, dict or set `o` for a parameter of type `t`
 * (list<T>, dict<K, V>, set<K>) into one slot: a kiln_list or kiln_dict the
 * call owns, recorded in *lists (made on first use). Every item is
 * converted and checked; an object met twice (as two arguments, or as two
 * items) becomes one compiled object, so writes through either are seen by
 * both, as in Python. On MISMATCH and OVERFLOW `detail` receives the
 * message tail; on ERROR the item's exception is left set. */
kiln_conv_status kiln_conv_container_arg(const kiln_type *t, PyObject *o,
                                         struct kiln_list_args **lists, kiln_slot *out,
                                         char *detail, size_t detail_len);
/* Whether `o` is a list whose every item has exactly the kind of `t`'s
 * items (overload dispatch's first pass). */
int kiln_list_is_exact(const kiln_type *t, PyObject *o);
/* Converts tuple `o` for a parameter of tuple type `t` (numbers, lists
 * and tuples of those) into kiln_type_slot_count(t) consecutive slots, as
 * kiln_conv_container_arg for its lists, dicts and sets. */
kiln_conv_status kiln_conv_tuple_arg(const kiln_type *t, PyObject *o, struct kiln_list_args **lists,
                                     kiln_slot *out, char *detail, size_t detail_len);
/* A dict whose tables come from malloc (an argument's, made before the
 * call's arena exists), and its release. */
kiln_dict *kiln_dict_new_heap(int64_t key_size, int64_t val_size);
void kiln_dict_free_heap(kiln_dict *d);
/* A dict or set result as a Python dict or set. */
PyObject *kiln_dict_result(const kiln_type *t, const kiln_dict *d, kiln_call_ctx *ctx);
/* After the call: every list argument the function changed gets its new
 * items (also after an error: changes made before it stay, as in Python).
 * -1 with a Python error if that failed. */
int kiln_list_args_write_back(struct kiln_list_args *lists);
/* Frees what kiln_conv_container_arg made, and drops its references. */
void kiln_list_args_free(struct kiln_list_args *lists);
/* A kiln_list result as a Python list (a list argument as that object). */
PyObject *kiln_list_result(const kiln_type *t, const kiln_list *l, kiln_call_ctx *ctx);

/* "str", "float", "numpy.int64": the name used in messages for `o`'s type.
 * Writes into buf (always NUL-terminated). */
void kiln_type_name_of(PyObject *o, char *buf, size_t len);
/* Like kiln_type_name_of, but NumPy arrays are described with their dtype
 * and rank: "ndarray[int32, ndim=1]". */
void kiln_describe_object(PyObject *o, char *buf, size_t len);

/* ---- Result arrays (memory.c) -------------------------------------------- */

/* A numpy.ndarray over `data` (no copy), described by element `elem`,
 * `ndim` extents and ELEMENT strides. Exactly one of these owns the memory:
 *  - `block` (not NULL): an arena block; the first array over it adopts it
 *    (the block's owner is set), later ones share that owner;
 *  - `base_view` (not NULL): the argument buffer the data lies in; the new
 *    array holds a fresh export of base_view->obj;
 *  - neither: an empty array (some extent is 0), given its own memory.
 * New reference, or NULL with an exception set. */
/* numpy.<type>(value) for a sized scalar kind; the slot holds an int64
 * (uint64: its bit pattern), a double, or for complex64 a borrowed Python
 * complex. New reference, or NULL with an exception set. */
PyObject *kiln_make_numpy_scalar(kiln_type_kind kind, kiln_slot v);
PyObject *kiln_make_ndarray(kiln_type_kind elem, int32_t ndim, char *data,
                            const int64_t *extents, const int64_t *strides, kiln_block *block,
                            const Py_buffer *base_view);

/* ---- Functions and calls (call.c) ---------------------------------------- */

/* One signature of a callable: the generated descriptor plus parsed types. */
typedef struct kiln_sig {
  const kiln_func_desc *desc;
  kiln_type *param_types; /* desc->nparams entries */
  kiln_type result_type;
  int32_t nresult_slots;
  int32_t nparam_slots; /* argument slots: 1 per scalar, 1 + 2N per array */
  int32_t bind_as;      /* the first overload whose arguments bind alike (same
                           names, defaults and positional-only ones): binding
                           for one is binding for all of them */
} kiln_sig;

/* All consecutive descriptors that share one Python name. Owned by the
 * kiln_group_obj that is the `self` of the callable. */
typedef struct kiln_group {
  const char *name; /* borrowed from the first desc */
  int32_t nsigs;
  kiln_sig *sigs;
  int32_t max_params;      /* the largest nparams of sigs */
  int32_t max_param_slots; /* the largest nparam_slots of sigs */
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

/* What kiln_call_begin changed, for kiln_call_end. */
typedef struct kiln_call_signals {
  int main;           /* the call runs on the main thread */
  void *outer; /* the PyThreadState saved by an enclosing call, if any */
} kiln_call_signals;

/* Registers this module's kiln_interrupt_flag with the process's hub (made
 * by the first Kiln module imported). At import, GIL held. */
void kiln_interrupt_attach(void);
/* The process-wide thread count in the hub (0: never set), or NULL before
 * kiln_interrupt_attach. */
int32_t *kiln_hub_num_threads(void);
/* With the GIL held, just before a call releases it: on the main thread,
 * runs the Python handler of a Ctrl-C that arrived since Python last looked
 * (-1 with its exception set), and arms the handler check and kiln_poll. */
int kiln_call_begin(kiln_call_signals *st);
/* Around a call that keeps the GIL (KILN_FUNC_SHORT): its polls must not
 * take the GIL. Returns what kiln_interrupt_unhold restores. */
void *kiln_interrupt_hold(void);
void kiln_interrupt_unhold(void *outer);
/* After the call took the GIL back. */
void kiln_call_end(const kiln_call_signals *st);
/* Error class name meaning "the exception is already set in this thread's
 * Python state" (a Python signal handler raised it during the call). */
#define KILN_PYERR_PENDING "<python>"

#endif /* KILN_RUNTIME_INTERNAL_H */
