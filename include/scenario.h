/* scenario: everything a run needs to know, read from a libconfig file (or
 * the built-in default), defaults filled in, --set overrides applied, every
 * value checked.  This module is the only one that reads libconfig and the
 * only one that validates: the simulation trusts the struct it is given.
 * Names are resolved to indices here; nothing downstream compares strings. */
#ifndef LOCKIN_SCENARIO_H
#define LOCKIN_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LOCKIN_VERSION "0.1.0"

#define SCN_MAX_VENDORS      16
#define SCN_MAX_HUBS         8
#define SCN_MAX_SEGMENTS     64
#define SCN_MAX_EVENTS       64
#define SCN_MAX_RESPONSES    8   /* responses per event */
#define SCN_NAME_LEN         32  /* names are at most 31 characters */
#define SCN_TEXT_LEN         256 /* description */
#define SCN_MAX_STEPS        100000
#define SCN_MAX_DEVELOPERS   2147483647L /* 2^31 - 1: indices fit 32 bits */
#define SCN_MAX_REPLICATIONS 10000000L
#define SCN_MAX_TENURE       1000000L

typedef enum { FORM_SHARE, FORM_COUNT, FORM_LOG_SHARE, FORM_LOG_COUNT } peer_form;
typedef enum { NET_MEAN_FIELD, NET_RANDOM_REGULAR, NET_SMALL_WORLD, NET_SCALE_FREE } net_type;
typedef enum { ENTRY_NONE, ENTRY_BASS, ENTRY_FIXED } entry_mode;
typedef enum { LAUNCH_START, LAUNCH_ON_EVENT } launch_mode;
typedef enum { DECISION_ACCEPT, DECISION_DECLINE, DECISION_ANY } decision_kind;

/* The coefficients a segment may override (SPEC 3); utility units. */
typedef struct {
  double price_performance;           /* beta_pp, per unit of ln price-performance */
  double maturity;                    /* beta_s, per unit of maturity S in [0,1] */
  double vendor_network;              /* gamma_v, per unit of the peer vendor term */
  double catalog;                     /* beta_C, per unit of ln(1 + catalog) */
  double hub_network;                 /* gamma_h, per unit of the peer hub term */
  double neutrality;                  /* beta_n, per unit of perceived neutrality */
  double tilt;                        /* beta_theta, per unit of hub tilt */
  double vendor_switch_cost;          /* c0, paid once on a vendor switch */
  double vendor_switch_cost_per_step; /* c1, per step of vendor tenure */
  double hub_switch_cost;             /* d0, paid once on a hub switch */
  double hub_switch_cost_per_step;    /* d1, per step of hub tenure */
  long tenure_cap;                    /* tau_max, steps */
} scn_utility;

typedef struct {
  char name[SCN_NAME_LEN];
  double price_performance; /* pp0 > 0 at t = 0, relative units */
  double growth;            /* g, log growth of pp per year */
  double maturity;          /* S(0) in [0,1] */
  double maturity_rate;     /* eta in [0,1], per step */
  double initial_share;     /* >= 0, normalised over vendors */
} scn_vendor;

typedef struct {
  char name[SCN_NAME_LEN];
  double neutrality;    /* n in [0,1] */
  double catalog;       /* C(0) >= 0, models */
  double initial_share; /* >= 0, over hubs live at t = 0 */
  int owner;            /* vendor index, -1 for none */
  launch_mode launch;
  double tilt[SCN_MAX_VENDORS];    /* theta_kj in [0,1] */
  double subsidy[SCN_MAX_VENDORS]; /* sub_kj >= 0, utility units */
  double monetization;             /* share of its users' revenue the hub collects, >= 0 */
} scn_hub;

typedef struct {
  char name[SCN_NAME_LEN];
  double weight;                       /* >= 0, relative */
  double heterogeneity;                /* sigma >= 0 of the log-normal multipliers */
  double publisher_prob;               /* in [0,1] */
  double revenue;                      /* $ per organisation per year to the hub it uses */
  double vendor_bias[SCN_MAX_VENDORS]; /* alpha_sj, utility units */
  scn_utility u;                       /* the global utility with this segment's overrides */
} scn_segment;

/* A response to an investment (SPEC 6): launches an on_event hub. */
typedef struct {
  int hub;                 /* hub index; the hub has launch = on_event */
  decision_kind on;        /* the decision that provokes it (or any) */
  double probability;      /* of launching, one counter-based coin */
  long delay;              /* steps from the event to the launch */
  double mirror_fraction;  /* share of the event hub's catalog copied at launch */
  double default_fraction; /* chance a backer's developer is moved at launch */
  uint32_t backers;        /* bit j: vendor j's developers may be moved */
} scn_response;

typedef struct {
  long step;        /* 0 <= step < steps */
  int investor;     /* vendor index */
  int hub;          /* hub index */
  double amount;    /* $M */
  double valuation; /* $M, > 0 */
  decision_kind decision;
  double neutrality_loss; /* per unit of stake */
  int board_seat;
  double board_seat_loss;
  double tilt;         /* added to theta_{hub,investor} */
  double growth_boost; /* catalog growth boost per $1000M */
  long boost_steps;
  double neutrality_gain; /* added to perceived neutrality on decline */
  int type;               /* always investment for now */
  size_t n_responses;
  scn_response responses[SCN_MAX_RESPONSES];
} scn_event;

typedef struct {
  char name[SCN_NAME_LEN];
  char description[SCN_TEXT_LEN];
  long steps, steps_per_year, replications;
  uint64_t seed;
  int focal_hub;
  double tipping_threshold;

  long developers, initial_active, initial_tenure;
  double revision_rate; /* lambda per step */
  entry_mode entry;
  double entry_p, entry_q; /* Bass, per year */
  long entry_per_step;

  double temperature; /* mu >= 0 */
  peer_form vendor_form, hub_form;
  scn_utility utility; /* global coefficients */

  double maturity_network, catalog_decay, uploads_per_publisher;
  double multihoming, trust_speed;

  net_type network;
  long degree;
  double rewire;

  long organisations;       /* real organisations the N developers stand for (0: N) */
  double revenue_growth;    /* g_R, log growth per year of what an organisation pays */
  double discount_rate;     /* r per year */
  double terminal_multiple; /* M: years of the final revenue rate in the value */

  size_t n_vendors, n_hubs, n_segments, n_events;
  scn_vendor vendors[SCN_MAX_VENDORS];
  scn_hub hubs[SCN_MAX_HUBS];
  scn_segment segments[SCN_MAX_SEGMENTS];
  scn_event events[SCN_MAX_EVENTS];
} scenario;

/* Problems found while loading, each "FILE:LINE: PATH: what is wrong", and
 * warnings about settings that can have no effect (the load succeeds). */
#define SCN_MAX_ERRORS   64
#define SCN_MAX_WARNINGS 16
typedef struct {
  size_t count; /* problems found (may exceed those kept) */
  char msg[SCN_MAX_ERRORS][320];
  size_t n_warnings; /* warnings found (may exceed those kept) */
  char warning[SCN_MAX_WARNINGS][400];
} scn_errors;

/* Everything a load needs besides the file: overrides, in order, then the
 * command line's typed -r and -s (problems with them name the option). */
typedef struct {
  const char *const *sets; /* "PATH=VALUE" strings */
  size_t n_sets;
  long replications; /* -r: > 0 to set */
  int has_seed;      /* -s given */
  uint64_t seed;
} scn_overrides;

/* Load FILE (NULL: the built-in default scenario), apply overrides, validate.
 * On success returns 0 and fills *s; if `resolved` is not NULL it receives
 * the resolved scenario as libconfig text (caller frees).  On failure returns
 * 2 with the problems in *err. */
int scenario_load(const char *file, const scn_overrides *ov, scenario *s, char **resolved,
                  scn_errors *err);

/* The same from text in memory; `file` names it in messages. */
int scenario_load_string(const char *text, const char *file, const scn_overrides *ov, scenario *s,
                         char **resolved, scn_errors *err);

void scn_errors_print(const scn_errors *err, FILE *f);
/* The warnings, one line each, starting "warning: ". */
void scn_warnings_print(const scn_errors *err, FILE *f);

/* Add one problem (printf-style) to err; past SCN_MAX_ERRORS it is counted,
 * not kept. */
void scn_errors_add(scn_errors *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The text of a file (malloc'd), or NULL with the problem in err: not
 * readable, not text, or too large. */
char *scenario_read_text(const char *file, scn_errors *err);

/* Whether path is written the one way lockin takes: names of a-z, 0-9 and
 * _ and list indices [i] (decimal, no sign, no leading zero) joined by
 * single dots, as in events.[0].step.  libconfig's lookup would also take
 * '/' and ':' for '.', empty parts and [00]; a path spelled so could miss
 * the checks that compare paths as text, so it is refused. */
int scenario_path_ok(const char *path);
#define SCN_PATH_RULE "names and list indices [i] joined by '.', as in events.[0].step"

/* A loaded scenario without the unused tails of its lists (a few KB where
 * the struct is 54 KB), for a sweep to keep every point it checked:
 * scenario_unpack gives back the very bytes scenario_load produced. */
size_t scenario_packed_size(const scenario *s);
void scenario_pack(const scenario *s, unsigned char *buf);
void scenario_unpack(const unsigned char *buf, scenario *s);

/* Problems in a libconfig text that libconfig 1.5 would not report, or
 * would exit the process on: integers beyond 32 bits without L or beyond 64
 * bits with it, @include.  Adds them to err, prefixed "FILE:LINE: (value)"
 * (or just `file` when lines is 0); returns how many.  Rewrites in place
 * each decimal literal in (2^63 - 1, 2^64 - 1] with L in hex, padded with
 * spaces (libconfig would saturate it; a seed reads the hex bits as
 * unsigned). */
int scenario_lint_text(char *text, const char *file, int lines, scn_errors *err);

/* scenario_lint_text on a copy of text, then libconfig's parser.  0, or -1
 * with the problems in err. */
struct config_t;
int scenario_parse_text(struct config_t *cfg, const char *text, const char *file, scn_errors *err);

/* Of a NULL-terminated list of words, the one closest to key by edit
 * distance if it is close enough to be a typo, else NULL. */
const char *scenario_suggest(const char *const *words, const char *key);

/* Whether v is a name: [a-z0-9_]+ (the one rule for vendors, hubs,
 * segments, scenarios, sweeps, policies and --set's new keys). */
int scenario_name_ok(const char *v);

/* The name a file gives a scenario or sweep when it names none: its base
 * name up to the first '.', lower-cased, other characters made '_'
 * ("MyRun.cfg" -> "myrun"); `fallback` when that is empty. */
void scenario_name_from_file(const char *file, const char *fallback, char *name, size_t size);

/* The Markdown table of every scenario key: default, range, meaning. */
void scenario_print_keys(FILE *f);

/* Peer-term and option names, for messages and output. */
const char *scenario_net_name(net_type t);

#endif
