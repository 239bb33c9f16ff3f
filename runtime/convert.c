/*===- convert.c - Python objects <-> kiln_slot values --------------------===*
 *
 * Argument conversion (one Python object -> one slot) and result conversion
 * (slots -> one Python object), driven by parsed type strings.
 *
 * What each parameter type accepts:
 *   int64   int and bool; any object with __index__ (numpy integer scalars).
 *           Never float. Out of range -> OVERFLOW.
 *   float64 float (and subclasses, e.g. numpy.float64); int and bool (an int
 *           too large for a double -> OVERFLOW); objects whose type defines
 *           __float__ (numpy.float32, ...) or __index__. Never str, bytes or
 *           None (they define neither slot).
 *   bool    bool and numpy.bool_ only (not 0/1).
 *
 * Results: int64 -> int, float64 -> float, bool -> bool, none -> None,
 * tuple<...> -> tuple, read depth-first from consecutive slots.
 *
 * This file only classifies; call.c turns MISMATCH/OVERFLOW into messages
 * that name the function and the parameter.
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <stdio.h>
#include <string.h>

void kiln_type_name_of(PyObject *o, char *buf, size_t len) {
  PyObject *type = (PyObject *)Py_TYPE(o);
  PyObject *qual = PyType_GetQualName((PyTypeObject *)type);
  PyObject *mod = PyObject_GetAttrString(type, "__module__");
  const char *q = qual ? PyUnicode_AsUTF8AndSize(qual, NULL) : NULL;
  const char *m = (mod && PyUnicode_Check(mod)) ? PyUnicode_AsUTF8AndSize(mod, NULL) : NULL;
  if (!q)
    q = "?";
  if (m && strcmp(m, "builtins") != 0)
    snprintf(buf, len, "%s.%s", m, q);
  else
    snprintf(buf, len, "%s", q);
  Py_XDECREF(qual);
  Py_XDECREF(mod);
  PyErr_Clear(); /* a missing __module__ is not an error here */
}

/* numpy.bool_ (NumPy 1.x) / numpy.bool (NumPy 2.x), recognised without the
 * NumPy C API by the type's module and name. */
static int is_numpy_bool(PyObject *o) {
  PyObject *type = (PyObject *)Py_TYPE(o);
  int result = 0;
  PyObject *mod = PyObject_GetAttrString(type, "__module__");
  PyObject *name = PyType_GetName((PyTypeObject *)type);
  if (mod && name && PyUnicode_Check(mod) &&
      PyUnicode_CompareWithASCIIString(mod, "numpy") == 0 &&
      (PyUnicode_CompareWithASCIIString(name, "bool_") == 0 ||
       PyUnicode_CompareWithASCIIString(name, "bool") == 0))
    result = 1;
  Py_XDECREF(mod);
  Py_XDECREF(name);
  PyErr_Clear();
  return result;
}

int kiln_conv_is_exact(const kiln_type *t, PyObject *o) {
  switch (t->kind) {
  case KILN_T_INT64:
    return PyLong_Check(o) && !PyBool_Check(o);
  case KILN_T_FLOAT64:
    return PyFloat_Check(o);
  case KILN_T_BOOL:
    return PyBool_Check(o);
  case KILN_T_NONE:
  case KILN_T_TUPLE:
    return 0;
  }
  return 0;
}

/* Maps the exception set by an object's own conversion hook: TypeError means
 * "not this kind" (cleared), OverflowError "out of range" (cleared),
 * anything else is the object's own error and stays set. */
static kiln_conv_status classify_pending(void) {
  if (PyErr_ExceptionMatches(PyExc_TypeError)) {
    PyErr_Clear();
    return KILN_CONV_MISMATCH;
  }
  if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
    PyErr_Clear();
    return KILN_CONV_OVERFLOW;
  }
  return KILN_CONV_ERROR;
}

static kiln_conv_status long_to_int64(PyObject *l, kiln_slot *out) {
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(l, &overflow);
  if (overflow)
    return KILN_CONV_OVERFLOW;
  if (v == -1 && PyErr_Occurred())
    return classify_pending();
  out->i = (int64_t)v;
  return KILN_CONV_OK;
}

static kiln_conv_status long_to_float64(PyObject *l, kiln_slot *out) {
  double d = PyLong_AsDouble(l);
  if (d == -1.0 && PyErr_Occurred())
    return classify_pending();
  out->f = d;
  return KILN_CONV_OK;
}

static kiln_conv_status to_int64(PyObject *o, kiln_slot *out) {
  if (PyLong_Check(o))
    return long_to_int64(o, out);
  if (PyFloat_Check(o) || !PyIndex_Check(o))
    return KILN_CONV_MISMATCH;
  PyObject *idx = PyNumber_Index(o);
  if (!idx)
    return classify_pending();
  kiln_conv_status st = long_to_int64(idx, out);
  Py_DECREF(idx);
  return st;
}

static kiln_conv_status to_float64(PyObject *o, kiln_slot *out) {
  if (PyFloat_Check(o)) {
    out->f = PyFloat_AsDouble(o);
    return KILN_CONV_OK;
  }
  if (PyLong_Check(o))
    return long_to_float64(o, out);
  if (PyType_GetSlot(Py_TYPE(o), Py_nb_float)) {
    PyObject *f = PyNumber_Float(o);
    if (!f)
      return classify_pending();
    out->f = PyFloat_AsDouble(f);
    Py_DECREF(f);
    return KILN_CONV_OK;
  }
  if (PyIndex_Check(o)) {
    PyObject *idx = PyNumber_Index(o);
    if (!idx)
      return classify_pending();
    kiln_conv_status st = long_to_float64(idx, out);
    Py_DECREF(idx);
    return st;
  }
  return KILN_CONV_MISMATCH;
}

static kiln_conv_status to_bool(PyObject *o, kiln_slot *out) {
  if (PyBool_Check(o)) {
    out->i = (o == Py_True);
    return KILN_CONV_OK;
  }
  if (!is_numpy_bool(o))
    return KILN_CONV_MISMATCH;
  int v = PyObject_IsTrue(o);
  if (v < 0)
    return classify_pending();
  out->i = v;
  return KILN_CONV_OK;
}

kiln_conv_status kiln_conv_arg(const kiln_type *t, PyObject *o, kiln_slot *out) {
  switch (t->kind) {
  case KILN_T_INT64:
    return to_int64(o, out);
  case KILN_T_FLOAT64:
    return to_float64(o, out);
  case KILN_T_BOOL:
    return to_bool(o, out);
  case KILN_T_NONE:
  case KILN_T_TUPLE:
    /* Rejected at module creation; never reached. */
    return KILN_CONV_MISMATCH;
  }
  return KILN_CONV_MISMATCH;
}

PyObject *kiln_conv_result(const kiln_type *t, const kiln_slot *slots, int32_t *cursor) {
  switch (t->kind) {
  case KILN_T_NONE:
    Py_INCREF(Py_None);
    return Py_None;
  case KILN_T_BOOL:
    return PyBool_FromLong(slots[(*cursor)++].i != 0);
  case KILN_T_INT64:
    return PyLong_FromLongLong(slots[(*cursor)++].i);
  case KILN_T_FLOAT64:
    return PyFloat_FromDouble(slots[(*cursor)++].f);
  case KILN_T_TUPLE: {
    PyObject *tup = PyTuple_New(t->nelems);
    if (!tup)
      return NULL;
    for (int32_t i = 0; i < t->nelems; ++i) {
      PyObject *v = kiln_conv_result(&t->elems[i], slots, cursor);
      if (!v || PyTuple_SetItem(tup, i, v) != 0) {
        Py_DECREF(tup);
        return NULL;
      }
    }
    return tup;
  }
  }
  PyErr_SetString(PyExc_SystemError, "kiln: unknown result type");
  return NULL;
}
