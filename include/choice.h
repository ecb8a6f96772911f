/* choice: one developer's logit choice of a (vendor, hub) cell, and the
 * tables of a step that all choices share.  Internal to the model: the
 * market owns a choice workspace and calls these. */
#ifndef LOCKIN_CHOICE_H
#define LOCKIN_CHOICE_H

#include <stddef.h>
#include <stdint.h>

#include "market_internal.h"

#define PEER_TABLE_MAX  64 /* neighbour counts up to this use the factor table */
#define PEER_TABLE_SIZE ((PEER_TABLE_MAX + 1) * (PEER_TABLE_MAX + 2) / 2)

/* The step's shared utility parts and the peer-factor table: a workspace
 * for scenario s that choice allocates, fills and owns. */
typedef struct choice_ws choice_ws;

choice_ws *choice_alloc(const scenario *s);
void choice_free(choice_ws *w);

/* The step's shared utility parts, from market m's state at the start of
 * step t. */
void choice_precompute(choice_ws *w, const market *m, long t);

/* The cell developer i picks at step t; `first` for an entrant.  Reads only
 * m's start-of-step state and w's tables. */
uint8_t choice_pick(const choice_ws *w, const market *m, size_t i, int first, uint64_t key, long t);

/* Bytes of a choice workspace for s. */
size_t choice_bytes(const scenario *s);

#endif
