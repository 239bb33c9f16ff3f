/*===- module.c - Building a Python module from a kiln_module_desc --------===*
 *
 * A generated module's PyInit_<name> returns kiln_module_create(&desc). This
 * file turns the static descriptor table into a module object:
 *
 *  - one PyModuleDef per descriptor, built at run time and kept forever (the
 *    import machinery holds on to it), cached so re-creating the module (a
 *    re-import, a sub-interpreter) reuses it;
 *  - one callable per run of consecutive descriptors with the same name (a
 *    group of overloads). Each is a PyCFunction (METH_FASTCALL |
 *    METH_KEYWORDS, stable ABI since 3.10) whose `self` is a kiln_group_obj
 *    owning the kiln_group, which in turn owns the PyMethodDef the function
 *    points at, so both die together. That object pickles as its module, so
 *    functions pickle by reference (getattr(module, name));
 *  - `__doc__` from the signatures. A single-signature function also gets a
 *    text signature, so inspect.signature() shows its parameter names;
 *  - `__kiln_abi__` (int), `_set_num_threads(n)` and `_get_num_threads()`.
 *
 * Every type string is parsed here, once; a descriptor the runtime cannot
 * serve (bad ABI version, unknown type, duplicate names) fails the import
 * with ImportError instead of failing later inside a call.
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Module-level helpers: thread count ---------------------------------- */

#define KILN_MAX_THREADS 4096

static PyObject *py_set_num_threads(PyObject *module, PyObject *arg) {
  long n = PyLong_AsLong(arg);
  if (n == -1 && PyErr_Occurred())
    return NULL;
  if (n < 1 || n > KILN_MAX_THREADS) {
    PyErr_Format(PyExc_ValueError, "_set_num_threads(): n must be between 1 and %d, got %ld",
                 KILN_MAX_THREADS, n);
    return NULL;
  }
  kiln_set_num_threads((int32_t)n);
  Py_RETURN_NONE;
}

static PyObject *py_get_num_threads(PyObject *module, PyObject *unused) {
  return PyLong_FromLong(kiln_get_num_threads());
}

static PyObject *py_allocations(PyObject *module, PyObject *unused) {
  return PyLong_FromLongLong(kiln_allocation_count());
}

static PyMethodDef module_methods[] = {
    {"_allocations", py_allocations, METH_NOARGS,
     "_allocations()\n--\n\nHow many blocks compiled code of this module has allocated so far "
     "(arrays and temporaries)."},
    {"_set_num_threads", py_set_num_threads, METH_O,
     "_set_num_threads(n)\n--\n\nSets the number of threads the parallel loops of every Kiln module "
     "of the process use (kiln.set_num_threads does the same)."},
    {"_get_num_threads", py_get_num_threads, METH_NOARGS,
     "_get_num_threads()\n--\n\nThe number of threads the parallel loops of Kiln modules use."},
    {NULL, NULL, 0, NULL},
};

/* ---- The PyModuleDef cache ------------------------------------------------ */

typedef struct def_entry {
  const kiln_module_desc *desc;
  PyModuleDef def;
  struct def_entry *next;
} def_entry;

static def_entry *def_cache; /* guarded by the GIL; never freed */

static PyModuleDef *module_def_for(const kiln_module_desc *desc) {
  for (def_entry *e = def_cache; e; e = e->next)
    if (e->desc == desc)
      return &e->def;
  def_entry *e = calloc(1, sizeof *e);
  if (!e) {
    PyErr_NoMemory();
    return NULL;
  }
  PyModuleDef init = {
      PyModuleDef_HEAD_INIT,
      desc->name,      /* m_name */
      desc->doc,       /* m_doc */
      0,               /* m_size: no per-module state; PyInit may run again */
      module_methods,  /* m_methods */
      NULL, NULL, NULL, NULL,
  };
  e->desc = desc;
  e->def = init;
  e->next = def_cache;
  def_cache = e;
  return &e->def;
}

/* ---- Groups ----------------------------------------------------------------- */

static void group_free(kiln_group *g) {
  if (!g)
    return;
  if (g->sigs) {
    for (int32_t i = 0; i < g->nsigs; ++i) {
      kiln_sig *s = &g->sigs[i];
      if (s->param_types) {
        for (int32_t p = 0; p < s->desc->nparams; ++p)
          kiln_type_free(&s->param_types[p]);
        free(s->param_types);
      }
      kiln_type_free(&s->result_type);
    }
    free(g->sigs);
  }
  free(g->doc);
  free(g);
}

/* ---- kiln_group_obj: the `self` of each callable ------------------------- */

static PyTypeObject *group_type; /* created once, never freed (GIL-guarded) */

static void group_obj_dealloc(PyObject *self) {
  kiln_group_obj *o = (kiln_group_obj *)self;
  PyTypeObject *tp = Py_TYPE(self);
  group_free(o->group);
  Py_XDECREF(o->modname);
  freefunc tp_free = (freefunc)PyType_GetSlot(tp, Py_tp_free);
  tp_free(self);
  Py_DECREF(tp); /* instances of heap types own a reference to the type */
}

/* __reduce__: (importlib.import_module, (module name,)). */
static PyObject *group_obj_reduce(PyObject *self, PyObject *unused) {
  kiln_group_obj *o = (kiln_group_obj *)self;
  PyObject *importlib = PyImport_ImportModule("importlib");
  if (!importlib)
    return NULL;
  PyObject *import_module = PyObject_GetAttrString(importlib, "import_module");
  Py_DECREF(importlib);
  if (!import_module)
    return NULL;
  PyObject *r = Py_BuildValue("N(O)", import_module, o->modname);
  return r;
}

static PyMethodDef group_obj_methods[] = {
    {"__reduce__", group_obj_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot group_obj_slots[] = {
    {Py_tp_dealloc, (void *)group_obj_dealloc},
    {Py_tp_methods, group_obj_methods},
    {Py_tp_doc, (void *)"The overloads behind one function of a Kiln module."},
    {0, NULL},
};

static PyType_Spec group_obj_spec = {
    "kiln.group",
    (int)sizeof(kiln_group_obj),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    group_obj_slots,
};

/* A new kiln_group_obj that takes ownership of g (freed on failure too). */
static PyObject *group_obj_new(kiln_group *g, PyObject *modname) {
  if (!group_type) {
    group_type = (PyTypeObject *)PyType_FromSpec(&group_obj_spec);
    if (!group_type) {
      group_free(g);
      return NULL;
    }
  }
  allocfunc alloc = (allocfunc)PyType_GetSlot(group_type, Py_tp_alloc);
  kiln_group_obj *o = (kiln_group_obj *)alloc(group_type, 0);
  if (!o) {
    group_free(g);
    return NULL;
  }
  o->group = g;
  Py_INCREF(modname);
  o->modname = modname;
  return (PyObject *)o;
}

/* Raises ImportError "kiln module 'm': <fmt with a, b>"; returns -1. */
static int import_error(const char *module, const char *fmt, const char *a, const char *b) {
  char detail[768];
  snprintf(detail, sizeof detail, fmt, a ? a : "", b ? b : "");
  PyErr_Format(PyExc_ImportError, "kiln module '%s': %s", module, detail);
  return -1;
}

/* Parses the types of one descriptor into `s`. */
static int sig_init(const kiln_module_desc *md, const kiln_func_desc *d, kiln_sig *s) {
  char err[512];
  s->desc = d;
  if (!d->entry)
    return import_error(md->name, "function '%s' has no entry point%s", d->name, NULL);
  if (d->nparams < 0 || (d->nparams > 0 && (!d->param_names || !d->param_types)))
    return import_error(md->name, "function '%s' has a malformed parameter list%s", d->name,
                        NULL);
  if (d->nparams > 0) {
    s->param_types = calloc((size_t)d->nparams, sizeof(kiln_type));
    if (!s->param_types) {
      PyErr_NoMemory();
      return -1;
    }
  }
  for (int32_t p = 0; p < d->nparams; ++p) {
    if (!d->param_names[p])
      return import_error(md->name, "function '%s' has an unnamed parameter%s", d->name, NULL);
    for (int32_t q = 0; q < p; ++q)
      if (strcmp(d->param_names[q], d->param_names[p]) == 0)
        return import_error(md->name, "function '%s' has two parameters named '%s'", d->name,
                            d->param_names[p]);
    if (kiln_type_parse(d->param_types[p], &s->param_types[p], err, sizeof err) != 0)
      return import_error(md->name, "function '%s': %s", d->name, err);
    kiln_type_kind k = s->param_types[p].kind;
    if (k != KILN_T_ARRAY && k != KILN_T_LIST && k != KILN_T_TUPLE && k != KILN_T_DICT &&
        k != KILN_T_SET && !kiln_scalar(k))
      return import_error(md->name, "function '%s': parameter type '%s' is not supported",
                          d->name, d->param_types[p]);
    if (k == KILN_T_TUPLE && kiln_type_has_array(&s->param_types[p]))
      return import_error(md->name, "function '%s': parameter type '%s' is not supported",
                          d->name, d->param_types[p]);
    if ((k == KILN_T_ARRAY || k == KILN_T_LIST || k == KILN_T_TUPLE || k == KILN_T_DICT ||
         k == KILN_T_SET || kiln_type_slot_count(&s->param_types[p]) != 1) &&
        p >= d->nparams - d->ndefaults)
      return import_error(md->name, "function '%s': parameter '%s' cannot have a default",
                          d->name, d->param_names[p]);
    s->nparam_slots += kiln_type_slot_count(&s->param_types[p]);
  }
  if (kiln_type_parse(d->result_type, &s->result_type, err, sizeof err) != 0)
    return import_error(md->name, "function '%s': %s", d->name, err);
  s->nresult_slots = kiln_type_slot_count(&s->result_type);
  return 0;
}

/* Writes "f(a: int64) -> float64" for a descriptor without a signature. */
static void synth_signature(const kiln_sig *s, char *buf, size_t len) {
  size_t pos = (size_t)snprintf(buf, len, "%s(", s->desc->name);
  for (int32_t p = 0; p < s->desc->nparams && pos < len; ++p) {
    char ty[128];
    kiln_type_format(&s->param_types[p], ty, sizeof ty);
    pos += (size_t)snprintf(buf + pos, len - pos, "%s%s: %s", p ? ", " : "",
                            s->desc->param_names[p], ty);
  }
  if (pos < len) {
    char ty[256];
    kiln_type_format(&s->result_type, ty, sizeof ty);
    snprintf(buf + pos, len - pos, ") -> %s", ty);
  }
}

/* The docstring: "f($self, a, b)\n--\n\n<signature>" for one signature (a
 * text signature for inspect), the signatures one per line for overloads. */
static char *make_doc(const kiln_group *g) {
  size_t cap = 256;
  for (int32_t i = 0; i < g->nsigs; ++i) {
    const kiln_func_desc *d = g->sigs[i].desc;
    cap += 1024 + (d->signature ? strlen(d->signature) : 0);
    for (int32_t p = 0; p < d->nparams; ++p)
      cap += strlen(d->param_names[p]) + 4;
  }
  char *doc = malloc(cap);
  if (!doc)
    return NULL;
  size_t pos = 0;
  if (g->nsigs == 1) {
    const kiln_func_desc *d = g->sigs[0].desc;
    pos += (size_t)snprintf(doc + pos, cap - pos, "%s($self", g->name);
    for (int32_t p = 0; p < d->nparams; ++p)
      pos += (size_t)snprintf(doc + pos, cap - pos, ", %s", d->param_names[p]);
    pos += (size_t)snprintf(doc + pos, cap - pos, ")\n--\n\n");
  }
  for (int32_t i = 0; i < g->nsigs && pos < cap; ++i) {
    const kiln_sig *s = &g->sigs[i];
    if (i)
      pos += (size_t)snprintf(doc + pos, cap - pos, "\n");
    if (s->desc->signature)
      pos += (size_t)snprintf(doc + pos, cap - pos, "%s", s->desc->signature);
    else {
      char sig[1024];
      synth_signature(s, sig, sizeof sig);
      pos += (size_t)snprintf(doc + pos, cap - pos, "%s", sig);
    }
  }
  return doc;
}

/* Builds the group for descs[first, first+n) and adds its callable to m. */

/* 1 if arguments bind to the parameters of a and b alike (call.c binds once
 * for such overloads): the same names, positional-only ones and number of
 * defaults. */
static int binds_alike(const kiln_func_desc *a, const kiln_func_desc *b) {
  if (a->nparams != b->nparams || a->ndefaults != b->ndefaults)
    return 0;
  for (int32_t i = 0; i < a->nparams; ++i) {
    uint8_t fa = a->param_flags ? a->param_flags[i] : 0;
    uint8_t fb = b->param_flags ? b->param_flags[i] : 0;
    if (strcmp(a->param_names[i], b->param_names[i]) != 0 ||
        (fa & KILN_PARAM_POSONLY) != (fb & KILN_PARAM_POSONLY))
      return 0;
  }
  return 1;
}

static int add_group(PyObject *m, PyObject *modname, const kiln_module_desc *md, int32_t first,
                     int32_t n) {
  kiln_group *g = calloc(1, sizeof *g);
  if (!g) {
    PyErr_NoMemory();
    return -1;
  }
  g->name = md->funcs[first].name;
  g->sigs = calloc((size_t)n, sizeof(kiln_sig));
  if (!g->sigs) {
    group_free(g);
    PyErr_NoMemory();
    return -1;
  }
  for (int32_t i = 0; i < n; ++i) {
    ++g->nsigs; /* count before init so that group_free frees partial work */
    if (sig_init(md, &md->funcs[first + i], &g->sigs[i]) != 0) {
      group_free(g);
      return -1;
    }
  }
  for (int32_t i = 0; i < n; ++i) {
    g->sigs[i].bind_as = i;
    for (int32_t j = 0; j < i; ++j)
      if (binds_alike(g->sigs[j].desc, g->sigs[i].desc)) {
        g->sigs[i].bind_as = g->sigs[j].bind_as;
        break;
      }
    if (g->sigs[i].desc->nparams > g->max_params)
      g->max_params = g->sigs[i].desc->nparams;
    if (g->sigs[i].nparam_slots > g->max_param_slots)
      g->max_param_slots = g->sigs[i].nparam_slots;
  }
  g->doc = make_doc(g);
  if (!g->doc) {
    group_free(g);
    PyErr_NoMemory();
    return -1;
  }
  g->ml.ml_name = g->name;
  g->ml.ml_meth = (PyCFunction)(void (*)(void))kiln_group_call;
  g->ml.ml_flags = METH_FASTCALL | METH_KEYWORDS;
  g->ml.ml_doc = g->doc;

  PyObject *self = group_obj_new(g, modname); /* owns g from here, or freed it */
  if (!self)
    return -1;
  PyObject *fn = PyCFunction_NewEx(&g->ml, self, modname);
  Py_DECREF(self);
  if (!fn)
    return -1;
  int rc = PyModule_AddObjectRef(m, g->name, fn);
  Py_DECREF(fn);
  return rc;
}

/* The module's constants as attributes (the functions, added after them,
 * win a name clash, as the later definition does in Python). */
static int add_globals(PyObject *m, const kiln_module_desc *desc) {
  if (desc->nglobals > 0 && !desc->globals) {
    import_error(desc->name, "malformed table of constants%s%s", "", NULL);
    return -1;
  }
  for (int32_t i = 0; i < desc->nglobals; ++i) {
    const kiln_global_desc *g = &desc->globals[i];
    PyObject *v = NULL;
    switch (g->kind) {
    case 'i': v = PyLong_FromLongLong((long long)g->i); break;
    case 'f': v = PyFloat_FromDouble(g->f); break;
    case 'b': v = PyBool_FromLong(g->i != 0); break;
    case 's': v = g->s ? PyUnicode_FromString(g->s) : NULL; break;
    default: break;
    }
    if (!v) {
      if (!PyErr_Occurred())
        import_error(desc->name, "constant '%s' is malformed%s", g->name ? g->name : "?", NULL);
      return -1;
    }
    int rc = g->name ? PyModule_AddObjectRef(m, g->name, v) : -1;
    Py_DECREF(v);
    if (rc != 0)
      return -1;
  }
  return 0;
}

void *kiln_module_create(const kiln_module_desc *desc) {
  if (!desc || !desc->name) {
    PyErr_SetString(PyExc_ImportError, "kiln: module descriptor is missing");
    return NULL;
  }
  if (desc->abi_version != KILN_ABI_VERSION) {
    PyErr_Format(PyExc_ImportError,
                 "kiln module '%s' was compiled for runtime ABI %d, this runtime has ABI %d",
                 desc->name, (int)desc->abi_version, KILN_ABI_VERSION);
    return NULL;
  }
  if (desc->nfuncs < 0 || (desc->nfuncs > 0 && !desc->funcs)) {
    PyErr_Format(PyExc_ImportError, "kiln module '%s': malformed function table", desc->name);
    return NULL;
  }
  for (int32_t i = 0; i < desc->nfuncs; ++i)
    if (!desc->funcs[i].name) {
      PyErr_Format(PyExc_ImportError, "kiln module '%s': function %d has no name", desc->name,
                   (int)i);
      return NULL;
    }
  kiln_parallel_init();
  kiln_interrupt_attach();

  PyModuleDef *def = module_def_for(desc);
  if (!def)
    return NULL;
  PyObject *m = PyModule_Create(def);
  if (!m)
    return NULL;
  PyObject *modname = PyModule_GetNameObject(m);
  if (!modname)
    goto fail;
  if (PyModule_AddIntConstant(m, "__kiln_abi__", KILN_ABI_VERSION) != 0)
    goto fail;
  if (add_globals(m, desc) != 0)
    goto fail;

  for (int32_t i = 0; i < desc->nfuncs;) {
    const char *name = desc->funcs[i].name;
    int32_t j = i + 1;
    while (j < desc->nfuncs && strcmp(desc->funcs[j].name, name) == 0)
      ++j;
    /* Overloads must be consecutive: a later run with the same name would
     * silently replace this one. */
    for (int32_t k = j; k < desc->nfuncs; ++k)
      if (strcmp(desc->funcs[k].name, name) == 0) {
        import_error(desc->name, "overloads of '%s' are not consecutive%s", name, NULL);
        goto fail;
      }
    if (add_group(m, modname, desc, i, j - i) != 0)
      goto fail;
    i = j;
  }
  Py_DECREF(modname);
  return m;

fail:
  Py_XDECREF(modname);
  Py_DECREF(m);
  return NULL;
}
