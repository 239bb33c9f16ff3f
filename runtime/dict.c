/*===- dict.c - Python dicts and sets of compiled code ---------------------===*
 *
 * A dict (or a set: a dict whose values take no bytes) keeps its entries in
 * insertion order, as CPython's does: an array of entries {key, value}
 * and an open-addressing index of entry numbers. Keys are fixed-size
 * blobs that compiled code lays out with zeroed padding and normalised
 * floats (-0.0 as 0.0), so equal keys are equal bytes. A removed entry
 * stays as a hole (its `live` byte 0) until the table is rebuilt.
 *
 * Memory comes from kiln_alloc, like lists: a dict lives as long as its
 * call; an argument's dict (`heap`) uses malloc, since it is made before
 * the call's arena exists, and is freed after the call. The boundary
 * conversions (dict and set arguments and results) are in list.c, beside
 * the lists'.
 *
 *===----------------------------------------------------------------------===*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Entry layout: [live byte, padding to 8][key (key_size, rounded to 8)][value]. */
static int64_t round8(int64_t n) { return (n + 7) & ~(int64_t)7; }
static int64_t entry_size(const kiln_dict *d) { return 8 + round8(d->key_size) + round8(d->val_size); }
static char *entry(const kiln_dict *d, int64_t i) { return d->entries + i * entry_size(d); }
static char *entry_key(const kiln_dict *d, int64_t i) { return entry(d, i) + 8; }
static char *entry_val(const kiln_dict *d, int64_t i) {
  return entry(d, i) + 8 + round8(d->key_size);
}

static uint64_t mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

static uint64_t hash_bytes(const void *p, int64_t n) {
  /* Whole words mixed in (keys are small: a number, a tuple of a few), the
   * last partial word zero-padded. */
  const unsigned char *s = p;
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n;
  for (; n >= 8; n -= 8, s += 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = mix64(h ^ w);
  }
  if (n > 0) {
    uint64_t w = 0;
    memcpy(&w, s, (size_t)n);
    h = mix64(h ^ w);
  }
  return h;
}

/* Equal keys are equal bytes. */
static int same_key(const char *a, const void *b, int64_t n) {
  if (n == 8) {
    uint64_t x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return x == y;
  }
  return memcmp(a, b, (size_t)n) == 0;
}

kiln_dict *kiln_dict_new(int64_t key_size, int64_t val_size) {
  kiln_dict *d = kiln_alloc((int64_t)sizeof(kiln_dict));
  if (!d)
    return NULL;
  memset(d, 0, sizeof *d);
  d->entries = NULL;
  d->index = NULL;
  d->key_size = key_size;
  d->val_size = val_size;
  return d;
}

/* The slot of the index holding key (an entry number + 1), or the empty
 * slot where it would go. */
static int64_t probe(const kiln_dict *d, const void *key, uint64_t h) {
  int64_t mask = d->index_cap - 1;
  for (int64_t s = (int64_t)(h & (uint64_t)mask);; s = (s + 1) & mask) {
    int64_t e = d->index[s];
    if (e == 0)
      return s;
    if (e > 0 && same_key(entry_key(d, e - 1), key, d->key_size))
      return s;
  }
}

/* Rebuilds entries (dropping holes) and the index, with room for n entries. */
static int rebuild(kiln_dict *d, int64_t n) {
  int64_t cap = 8;
  while (cap < n)
    cap *= 2;
  int64_t icap = cap * 2;
  int64_t es = entry_size(d);
  char *entries;
  int64_t *index;
  if (d->heap) {
    entries = malloc((size_t)(cap * es));
    index = malloc((size_t)icap * sizeof(int64_t));
    if (!entries || !index) {
      free(entries);
      free(index);
      kiln_raise_msg("MemoryError", "cannot allocate memory for a dict");
      return -1;
    }
  } else {
    entries = kiln_alloc(cap * es);
    index = kiln_alloc(icap * (int64_t)sizeof(int64_t));
    if (!entries || !index)
      return -1;
  }
  memset(index, 0, (size_t)icap * sizeof(int64_t));
  int64_t k = 0;
  for (int64_t i = 0; i < d->used; ++i)
    if (entry(d, i)[0])
      memcpy(entries + (k++) * es, entry(d, i), (size_t)es);
  if (d->heap) {
    free(d->entries);
    free(d->index);
  } else {
    kiln_free(d->entries);
    kiln_free(d->index);
  }
  d->entries = entries;
  d->entry_cap = cap;
  d->index = index;
  d->index_cap = icap;
  d->used = k;
  for (int64_t i = 0; i < k; ++i) {
    uint64_t h = hash_bytes(entry_key(d, i), d->key_size);
    d->index[probe(d, entry_key(d, i), h)] = i + 1;
  }
  return 0;
}

void *kiln_dict_find(kiln_dict *d, const void *key) {
  if (!d->len)
    return NULL;
  int64_t s = probe(d, key, hash_bytes(key, d->key_size));
  int64_t e = d->index[s];
  return e > 0 ? entry_val(d, e - 1) : NULL;
}

void *kiln_dict_slot(kiln_dict *d, const void *key, int32_t *added) {
  *added = 0;
  if (d->index_cap) {
    int64_t e = d->index[probe(d, key, hash_bytes(key, d->key_size))];
    if (e > 0)
      return entry_val(d, e - 1);
  }
  if (d->used + 1 > d->entry_cap && rebuild(d, 2 * (d->len + 1)) != 0)
    return NULL;
  uint64_t h = hash_bytes(key, d->key_size);
  int64_t s = probe(d, key, h);
  int64_t i = d->used++;
  memset(entry(d, i), 0, (size_t)entry_size(d));
  entry(d, i)[0] = 1;
  memcpy(entry_key(d, i), key, (size_t)d->key_size);
  d->index[s] = i + 1;
  ++d->len;
  ++d->mutations;
  *added = 1;
  return entry_val(d, i);
}

int32_t kiln_dict_remove(kiln_dict *d, const void *key) {
  if (!d->len)
    return 0;
  int64_t s = probe(d, key, hash_bytes(key, d->key_size));
  int64_t e = d->index[s];
  if (e <= 0)
    return 0;
  entry(d, e - 1)[0] = 0;
  d->index[s] = -1; /* a tombstone: probing goes on past it */
  --d->len;
  ++d->mutations;
  return 1;
}

int64_t kiln_dict_next(const kiln_dict *d, int64_t pos) {
  for (; pos < d->used; ++pos)
    if (entry(d, pos)[0])
      return pos;
  return -1;
}

void *kiln_dict_key_at(const kiln_dict *d, int64_t pos) { return entry_key(d, pos); }

kiln_dict *kiln_dict_new_heap(int64_t key_size, int64_t val_size) {
  kiln_dict *d = calloc(1, sizeof(kiln_dict));
  if (!d)
    return NULL;
  d->key_size = key_size;
  d->val_size = val_size;
  d->heap = 1;
  return d;
}

void kiln_dict_free_heap(kiln_dict *d) {
  if (!d)
    return;
  free(d->entries);
  free(d->index);
  free(d);
}
void *kiln_dict_val_at(const kiln_dict *d, int64_t pos) { return entry_val(d, pos); }
