/* choice: one developer's logit choice of a (vendor, hub) cell, and the
 * tables of a step that all choices share.  Internal to the market. */
#ifndef LOCKIN_CHOICE_H
#define LOCKIN_CHOICE_H

#include <stddef.h>
#include <stdint.h>

#include "market.h"

#define PEER_TABLE_MAX  64 /* neighbour counts up to this use the factor table */
#define PEER_TABLE_SIZE ((PEER_TABLE_MAX + 1) * (PEER_TABLE_MAX + 2) / 2)

/* Fill m->peer_table (it depends on the scenario only). */
void choice_fill_peer_table(market *m);

/* The step's shared utility parts, from the state at the start of step t. */
void choice_precompute(market *m, long t);

/* The cell developer i picks at step t; `first` for an entrant.  Reads only
 * the start-of-step state and the tables of choice_precompute. */
uint8_t choice_pick(const market *m, size_t i, int first, uint64_t key, long t);

#endif
