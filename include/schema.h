/* schema: the table of every scenario key (name, type, default, range, where
 * it lands in the struct).  One table drives filling in defaults, checking
 * values, writing the resolved scenario and the README's key reference, so
 * they cannot drift apart.  Internal to the scenario module. */
#ifndef LOCKIN_SCHEMA_H
#define LOCKIN_SCHEMA_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
  K_INT,    /* long */
  K_U64,    /* uint64_t, 0 .. 2^64 - 1 (a seed); a hex literal is read as its bits */
  K_FLOAT,  /* double; integers accepted */
  K_BOOL,   /* int 0/1 */
  K_NAME,   /* char[SCN_NAME_LEN], [a-z0-9_]+ */
  K_TEXT,   /* char[SCN_TEXT_LEN], any text */
  K_ENUM,   /* int, one of choices */
  K_VENDOR, /* int vendor index from a name; "" is -1 where allowed */
  K_HUB,    /* int hub index from a name; "" is -1 where allowed */
  K_VMAP,   /* group vendor name -> float, into double[SCN_MAX_VENDORS] */
  K_VLIST,  /* array of vendor names, into a uint32_t bit set */
  K_UOVR,   /* group of utility overrides, into an scn_utility */
  K_GROUP,  /* nested group, keys in sub */
  K_LIST,   /* list of groups, entries in sub */
  K_CALLER  /* read by the caller (a sweep's parameters): known, not extracted */
} key_kind;

enum {
  F_REQUIRED = 1u << 0, /* no default: must be given */
  F_LO_OPEN = 1u << 1,  /* lower bound exclusive */
  F_EMPTY_OK = 1u << 2, /* K_VENDOR/K_HUB: "" allowed, meaning none */
  F_NOSET = 1u << 3     /* not written by the resolver (derived default) */
};

typedef struct key_spec key_spec;
struct key_spec {
  const char *key;
  key_kind kind;
  size_t off;       /* offset of the field from the group's base */
  double def;       /* numeric default */
  const char *sdef; /* string default */
  double lo, hi;    /* inclusive range (lo exclusive with F_LO_OPEN) */
  unsigned flags;
  const char *const *choices;    /* K_ENUM: NULL-terminated */
  const key_spec *sub;           /* K_GROUP, K_LIST entries */
  size_t stride, count_off, max; /* K_LIST: entry size, count field, limit */
  const char *doc;               /* one line: meaning and unit */
};

#define KEY_END                                                                                    \
  {                                                                                                \
    NULL, K_INT, 0, 0, NULL, 0, 0, 0, NULL, NULL, 0, 0, 0, NULL                                    \
  }

extern const key_spec schema_root[];
/* The names of the enums, indexed by their values, NULL-terminated. */
extern const char *const schema_net_names[];      /* net_type */
extern const char *const schema_decision_names[]; /* decision_kind, "any" last */
extern const key_spec schema_utility_coefs[];
extern const char schema_default_text[];

const key_spec *schema_find(const key_spec *table, const char *key);

/* Whether the key at a libconfig path ("population.developers") is an
 * integer key; list indices are skipped. */
int schema_path_is_integer(const char *path);

/* Write the resolved tree under root in schema order (scenario_write.c). */
struct config_setting_t;
void schema_write(FILE *f, const struct config_setting_t *root);

#endif
