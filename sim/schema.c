/* schema: every scenario key of SPEC section 8 with its type, default, range
 * and field.  The built-in default scenario is these defaults plus the market
 * and segment lists in schema_default_text. */
#include "schema.h"

#include <float.h>
#include <string.h>

#include "scenario.h"

#define INF   DBL_MAX
#define S_(f) offsetof(scenario, f)
#define U_(f) offsetof(scn_utility, f)

static const char *const forms[] = {"share", "count", "log_share", "log_count", NULL};
const char *const schema_net_names[] = {"mean_field", "random_regular", "small_world", "scale_free",
                                        NULL};
static const char *const entries[] = {"none", "bass", "fixed", NULL};
static const char *const launches[] = {"start", "on_event", NULL};
/* An event's decision: the first two of schema_decision_names. */
static const char *const decisions[] = {"accept", "decline", NULL};
const char *const schema_decision_names[] = {"accept", "decline", "any", NULL};
static const char *const event_types[] = {"investment", NULL};

#define FLT(k, o, d, l, h, fl, doc_)                                                               \
  {                                                                                                \
    .key = k, .kind = K_FLOAT, .off = o, .def = d, .lo = l, .hi = h, .flags = fl, .doc = doc_      \
  }
#define INT(k, o, d, l, h, fl, doc_)                                                               \
  {                                                                                                \
    .key = k, .kind = K_INT, .off = o, .def = d, .lo = l, .hi = h, .flags = fl, .doc = doc_        \
  }
#define ENUM(k, o, d, ch, doc_)                                                                    \
  {                                                                                                \
    .key = k, .kind = K_ENUM, .off = o, .sdef = d, .choices = ch, .doc = doc_                      \
  }

/* The coefficients a segment may override, offsets within scn_utility. */
#define UTILITY_COEFS(B)                                                                           \
  FLT("price_performance", B + U_(price_performance), 3.0, -INF, INF, 0,                           \
      "beta_pp: weight of ln price-performance"),                                                  \
      FLT("maturity", B + U_(maturity), 2.0, -INF, INF, 0,                                         \
          "beta_s: weight of software maturity S in [0,1]"),                                       \
      FLT("vendor_network", B + U_(vendor_network), 1.5, -INF, INF, 0,                             \
          "gamma_v: weight of the peer vendor term (>= 0 with a log form)"),                       \
      FLT("catalog", B + U_(catalog), 1.0, -INF, INF, 0, "beta_C: weight of ln(1 + catalog)"),     \
      FLT("hub_network", B + U_(hub_network), 1.0, -INF, INF, 0,                                   \
          "gamma_h: weight of the peer hub term (>= 0 with a log form)"),                          \
      FLT("neutrality", B + U_(neutrality), 1.0, -INF, INF, 0,                                     \
          "beta_n: weight of perceived neutrality m in [0,1]"),                                    \
      FLT("tilt", B + U_(tilt), 1.0, -INF, INF, 0,                                                 \
          "beta_theta: weight of a hub's tilt toward the vendor"),                                 \
      FLT("vendor_switch_cost", B + U_(vendor_switch_cost), 1.0, 0, INF, 0,                        \
          "c0: utility cost of changing vendor"),                                                  \
      FLT("vendor_switch_cost_per_step", B + U_(vendor_switch_cost_per_step), 0.03, 0, INF, 0,     \
          "c1: extra vendor switching cost per step of tenure"),                                   \
      FLT("hub_switch_cost", B + U_(hub_switch_cost), 0.3, 0, INF, 0,                              \
          "d0: utility cost of changing hub"),                                                     \
      FLT("hub_switch_cost_per_step", B + U_(hub_switch_cost_per_step), 0.0, 0, INF, 0,            \
          "d1: extra hub switching cost per step of hub tenure"),                                  \
      INT("tenure_cap", B + U_(tenure_cap), 36, 0, SCN_MAX_TENURE, 0,                              \
          "tau_max: tenure beyond which switching costs stop growing, steps")

const key_spec schema_utility_coefs[] = {UTILITY_COEFS(0), KEY_END};

static const key_spec utility_keys[] = {
    FLT("temperature", S_(temperature), 1.0, 0, INF, 0,
        "mu: logit temperature; 0 is deterministic best choice"),
    UTILITY_COEFS(S_(utility)),
    ENUM("vendor_network_form", S_(vendor_form), "share", forms,
         "form f_v of the peer vendor term"),
    ENUM("hub_network_form", S_(hub_form), "share", forms, "form f_h of the peer hub term"),
    KEY_END};

static const key_spec entry_keys[] = {
    ENUM("mode", S_(entry), "none", entries, "how inactive developers become active"),
    FLT("p", S_(entry_p), 0.03, 0, INF, 0, "Bass innovation rate, per year"),
    FLT("q", S_(entry_q), 0.38, 0, INF, 0, "Bass imitation rate, per year"),
    INT("per_step", S_(entry_per_step), 1, 0, SCN_MAX_DEVELOPERS, 0,
        "fixed mode: entrants per step, lowest indices first"),
    KEY_END};

static const key_spec population_keys[] = {
    INT("developers", S_(developers), 100000, 1, SCN_MAX_DEVELOPERS, 0,
        "N: developers, active or not"),
    INT("initial_active", S_(initial_active), 100000, 0, SCN_MAX_DEVELOPERS, F_NOSET,
        "developers active before step 0 (default N)"),
    INT("initial_tenure", S_(initial_tenure), 0, 0, SCN_MAX_TENURE, 0,
        "vendor and hub tenure of the initially active, steps"),
    FLT("revision_rate", S_(revision_rate), 0.0417, 0, 1, 0,
        "lambda: probability an active developer revises, per step"),
    {.key = "entry", .kind = K_GROUP, .sub = entry_keys, .doc = "entry of inactive developers"},
    KEY_END};

static const key_spec dynamics_keys[] = {
    FLT("maturity_network", S_(maturity_network), 0.02, 0, INF, 0,
        "zeta: extra maturity growth per unit of vendor share, per step"),
    FLT("catalog_decay", S_(catalog_decay), 0.005, 0, 1, 0,
        "delta: fraction of a catalog lost per step"),
    FLT("uploads_per_publisher", S_(uploads_per_publisher), 20.0, 0, INF, 0,
        "u: models a publisher uploads per step"),
    FLT("multihoming", S_(multihoming), 0.6, 0, 1, 0,
        "rho: share of other hubs' publishers that also upload here"),
    FLT("trust_speed", S_(trust_speed), 0.1, 0, 1, 0,
        "omega: speed at which perceived neutrality follows true neutrality"),
    KEY_END};

static const key_spec network_keys[] = {
    ENUM("type", S_(network), "mean_field", schema_net_names, "who a developer's peers are"),
    INT("degree", S_(degree), 10, 0, SCN_MAX_DEVELOPERS, 0,
        "neighbours per developer (graph types), < N"),
    FLT("rewire", S_(rewire), 0.1, 0, 1, 0, "small_world rewiring probability"), KEY_END};

static const key_spec value_keys[] = {
    INT("organisations", S_(organisations), 0, 0, 9007199254740992.0, 0,
        "O: real organisations the N developers stand for (0: N)"),
    FLT("revenue_growth", S_(revenue_growth), 0.3, -1, 2, 0,
        "g_R: log growth per year of what an organisation pays"),
    FLT("discount_rate", S_(discount_rate), 0.1, 0, 1, 0, "r: discount rate per year"),
    FLT("terminal_multiple", S_(terminal_multiple), 10.0, 0, INF, 0,
        "M: years of the current revenue rate added as terminal value"),
    KEY_END};

#define V_(f) offsetof(scn_vendor, f)
static const key_spec vendor_keys[] = {
    {.key = "name", .kind = K_NAME, .off = V_(name), .flags = F_REQUIRED, .doc = "vendor name"},
    FLT("price_performance", V_(price_performance), 1.0, 0, INF, F_LO_OPEN,
        "pp0: price-performance at t = 0, relative units"),
    FLT("growth", V_(growth), 0.0, -1, 10, 0, "g: log growth of price-performance per year"),
    FLT("maturity", V_(maturity), 0.5, 0, 1, 0, "S(0): software maturity at t = 0"),
    FLT("maturity_rate", V_(maturity_rate), 0.0, 0, 1, 0,
        "eta: share of the maturity gap closed per step"),
    FLT("initial_share", V_(initial_share), 0.0, 0, INF, 0,
        "weight in the initial assignment (all 0: equal)"),
    KEY_END};

#define H_(f) offsetof(scn_hub, f)
static const key_spec hub_keys[] = {
    {.key = "name", .kind = K_NAME, .off = H_(name), .flags = F_REQUIRED, .doc = "hub name"},
    FLT("neutrality", H_(neutrality), 1.0, 0, 1, 0, "n: true neutrality"),
    FLT("catalog", H_(catalog), 0.0, 0, INF, 0, "C(0): models in the catalog"),
    FLT("initial_share", H_(initial_share), 0.0, 0, INF, 0,
        "weight in the initial assignment (hubs live at t = 0 only)"),
    {.key = "owner",
     .kind = K_VENDOR,
     .off = H_(owner),
     .sdef = "",
     .flags = F_EMPTY_OK,
     .doc = "owning vendor, \"\" for none"},
    ENUM("launch", H_(launch), "start", launches, "when the hub becomes live"),
    {.key = "tilt",
     .kind = K_VMAP,
     .off = H_(tilt),
     .lo = 0,
     .hi = 1,
     .doc = "theta by vendor name, in [0,1]"},
    {.key = "subsidy",
     .kind = K_VMAP,
     .off = H_(subsidy),
     .lo = 0,
     .hi = INF,
     .doc = "utility bonus for users of a vendor, by vendor name"},
    FLT("monetization", H_(monetization), 1.0, 0, INF, 0,
        "share of its users' revenue the hub collects (0: free)"),
    KEY_END};

#define G_(f) offsetof(scn_segment, f)
static const key_spec segment_keys[] = {
    {.key = "name", .kind = K_NAME, .off = G_(name), .flags = F_REQUIRED, .doc = "segment name"},
    FLT("weight", G_(weight), 1.0, 0, INF, 0, "relative size of the segment"),
    FLT("heterogeneity", G_(heterogeneity), 0.0, 0, 5, 0,
        "sigma of the log-normal taste multipliers (0: none)"),
    FLT("publisher_prob", G_(publisher_prob), 0.0, 0, 1, 0,
        "probability a developer publishes models"),
    FLT("revenue", G_(revenue), 0.0, 0, INF, 0,
        "$ per organisation per year paid to the hub it uses"),
    {.key = "vendor_bias",
     .kind = K_VMAP,
     .off = G_(vendor_bias),
     .lo = -INF,
     .hi = INF,
     .doc = "alpha: intrinsic preference by vendor name"},
    {.key = "utility",
     .kind = K_UOVR,
     .off = G_(u),
     .sub = schema_utility_coefs,
     .doc = "overrides of utility coefficients (not temperature or forms)"},
    KEY_END};

#define R_(f) offsetof(scn_response, f)
static const key_spec response_keys[] = {
    {.key = "hub",
     .kind = K_HUB,
     .off = R_(hub),
     .flags = F_REQUIRED,
     .doc = "hub launched (launch = on_event)"},
    {.key = "on",
     .kind = K_ENUM,
     .off = R_(on),
     .choices = schema_decision_names,
     .flags = F_REQUIRED,
     .doc = "the decision that provokes it"},
    FLT("probability", R_(probability), 0, 0, 1, F_REQUIRED, "probability of the launch"),
    INT("delay", R_(delay), 0, 0, SCN_MAX_STEPS, 0, "steps from the event to the launch"),
    FLT("mirror_fraction", R_(mirror_fraction), 0, 0, 1, 0,
        "share of the event hub's catalog copied at launch"),
    FLT("default_fraction", R_(default_fraction), 0, 0, 1, 0,
        "chance a backer's developer is moved to the hub at launch"),
    {.key = "backers",
     .kind = K_VLIST,
     .off = R_(backers),
     .flags = F_NOSET,
     .doc = "vendors whose developers the launch may move (default: the hub's owner)"},
    KEY_END};

#define E_(f) offsetof(scn_event, f)
static const key_spec event_keys[] = {
    INT("step", E_(step), 0, 0, SCN_MAX_STEPS, F_REQUIRED, "step at which it fires, < steps"),
    {.key = "type",
     .kind = K_ENUM,
     .off = E_(type),
     .choices = event_types,
     .flags = F_REQUIRED,
     .doc = "event kind"},
    {.key = "investor",
     .kind = K_VENDOR,
     .off = E_(investor),
     .flags = F_REQUIRED,
     .doc = "investing vendor"},
    {.key = "hub", .kind = K_HUB, .off = E_(hub), .flags = F_REQUIRED, .doc = "hub invested in"},
    FLT("amount", E_(amount), 0, 0, 1e9, F_REQUIRED, "offer, $M"),
    FLT("valuation", E_(valuation), 0, 0, 1e9, F_REQUIRED | F_LO_OPEN, "hub valuation, $M"),
    {.key = "decision",
     .kind = K_ENUM,
     .off = E_(decision),
     .choices = decisions,
     .flags = F_REQUIRED,
     .doc = "the hub's answer"},
    FLT("neutrality_loss", E_(neutrality_loss), 0, 0, INF, 0,
        "accept: neutrality lost per unit of stake"),
    {.key = "board_seat",
     .kind = K_BOOL,
     .off = E_(board_seat),
     .doc = "accept: investor gets a board seat"},
    FLT("board_seat_loss", E_(board_seat_loss), 0, 0, 1, 0,
        "accept: neutrality lost to a board seat"),
    FLT("tilt", E_(tilt), 0, 0, 1, 0, "accept: tilt toward the investor added"),
    FLT("growth_boost", E_(growth_boost), 0, 0, INF, 0, "accept: catalog growth boost per $1000M"),
    INT("boost_steps", E_(boost_steps), 0, 0, SCN_MAX_STEPS, 0, "accept: steps the boost lasts"),
    FLT("neutrality_gain", E_(neutrality_gain), 0, 0, 1, 0,
        "decline: perceived neutrality gained at once"),
    {.key = "responses",
     .kind = K_LIST,
     .off = E_(responses),
     .sub = response_keys,
     .stride = sizeof(scn_response),
     .count_off = E_(n_responses),
     .max = SCN_MAX_RESPONSES,
     .doc = "hubs launched in response to the decision"},
    KEY_END};

#define LIST(k, sub_, field, cnt, mx, fl, doc_)                                                    \
  {                                                                                                \
    .key = k, .kind = K_LIST, .off = S_(field), .sub = sub_,                                       \
    .stride = sizeof(((scenario *)0)->field[0]), .count_off = S_(cnt), .max = mx, .flags = fl,     \
    .doc = doc_                                                                                    \
  }

const key_spec schema_root[] = {
    {.key = "name",
     .kind = K_NAME,
     .off = S_(name),
     .flags = F_NOSET,
     .doc = "output folder name (default: the file's name)"},
    {.key = "description", .kind = K_TEXT, .off = S_(description), .sdef = "", .doc = "free text"},
    INT("steps", S_(steps), 120, 1, SCN_MAX_STEPS, 0, "T: steps per replication"),
    INT("steps_per_year", S_(steps_per_year), 12, 1, 100000, 0, "steps in a year"),
    INT("replications", S_(replications), 100, 1, SCN_MAX_REPLICATIONS, 0, "R"),
    {.key = "seed",
     .kind = K_U64,
     .off = S_(seed),
     .def = 1,
     .lo = 0,
     .hi = 18446744073709551615.0,
     .doc = "scenario seed, any whole number in [0, 2^64 - 1]"},
    {.key = "focal_hub",
     .kind = K_HUB,
     .off = S_(focal_hub),
     .flags = F_NOSET,
     .doc = "hub whose share defines tipping (default: the first hub)"},
    FLT("tipping_threshold", S_(tipping_threshold), 0.5, 0, 1, 0,
        "tip_step: first step the focal hub's share is below this"),
    {.key = "population", .kind = K_GROUP, .sub = population_keys, .doc = "developers"},
    LIST("segments", segment_keys, segments, n_segments, SCN_MAX_SEGMENTS, 0, "developer segments"),
    {.key = "utility", .kind = K_GROUP, .sub = utility_keys, .doc = "choice utility"},
    {.key = "dynamics", .kind = K_GROUP, .sub = dynamics_keys, .doc = "vendor and hub dynamics"},
    {.key = "network", .kind = K_GROUP, .sub = network_keys, .doc = "peer network"},
    {.key = "value", .kind = K_GROUP, .sub = value_keys, .doc = "revenue and value of hubs"},
    LIST("vendors", vendor_keys, vendors, n_vendors, SCN_MAX_VENDORS, 0, "hardware vendors"),
    LIST("hubs", hub_keys, hubs, n_hubs, SCN_MAX_HUBS, 0, "model hubs"),
    LIST("events", event_keys, events, n_events, SCN_MAX_EVENTS, 0, "investment events"),
    KEY_END};

const key_spec *schema_find(const key_spec *table, const char *key)
{
  for (const key_spec *k = table; k->key; k++)
    if (strcmp(k->key, key) == 0)
      return k;
  return NULL;
}

/* The built-in default scenario's non-scalar part (SPEC 8): the market and
 * the one default segment.  Scalars come from the tables above. */
const char schema_default_text[] =
    "name = \"default\";\n"
    "description = \"Declined investment: the vendor may launch a rival hub\";\n"
    "segments = (\n"
    "  { name = \"all\"; weight = 1.0; heterogeneity = 0.5; publisher_prob = 0.05;\n"
    "    revenue = 1000.0; vendor_bias = { }; utility = { }; }\n"
    ");\n"
    "vendors = (\n"
    "  { name = \"nvidia\"; price_performance = 1.0; growth = 0.25; maturity = 1.0;\n"
    "    maturity_rate = 0.0; initial_share = 0.88; },\n"
    "  { name = \"amd\"; price_performance = 1.0; growth = 0.25; maturity = 0.6;\n"
    "    maturity_rate = 0.0; initial_share = 0.06; },\n"
    "  { name = \"intel\"; price_performance = 1.0; growth = 0.25; maturity = 0.3;\n"
    "    maturity_rate = 0.0; initial_share = 0.01; },\n"
    "  { name = \"asic\"; price_performance = 1.0; growth = 0.25; maturity = 0.5;\n"
    "    maturity_rate = 0.0; initial_share = 0.03; },\n"
    "  { name = \"cloud\"; price_performance = 1.0; growth = 0.25; maturity = 0.5;\n"
    "    maturity_rate = 0.0; initial_share = 0.02; }\n"
    ");\n"
    "hubs = (\n"
    "  { name = \"hf\"; neutrality = 0.95; catalog = 2500000.0; initial_share = 1.0;\n"
    "    owner = \"\"; launch = \"start\"; tilt = { }; subsidy = { }; monetization = 1.0; },\n"
    "  { name = \"nvidia_hub\"; neutrality = 0.2; catalog = 0.0; initial_share = 0.0;\n"
    "    owner = \"nvidia\"; launch = \"on_event\";\n"
    "    tilt = { nvidia = 0.8; }; subsidy = { nvidia = 0.5; }; monetization = 0.0; },\n"
    "  { name = \"open_hub\"; neutrality = 0.9; catalog = 0.0; initial_share = 0.0;\n"
    "    owner = \"\"; launch = \"on_event\"; tilt = { };\n"
    "    subsidy = { amd = 0.3; intel = 0.3; asic = 0.3; cloud = 0.3; }; monetization = 1.0; }\n"
    ");\n"
    "events = (\n"
    "  { step = 0; type = \"investment\"; investor = \"nvidia\"; hub = \"hf\";\n"
    "    amount = 500.0; valuation = 7000.0; decision = \"decline\";\n"
    "    neutrality_loss = 3.0; board_seat = false; board_seat_loss = 0.2;\n"
    "    tilt = 0.2; growth_boost = 0.5; boost_steps = 24;\n"
    "    neutrality_gain = 0.0;\n"
    "    responses = (\n"
    "      { hub = \"nvidia_hub\"; on = \"decline\"; probability = 0.5; delay = 12;\n"
    "        mirror_fraction = 0.3; default_fraction = 0.2; backers = [\"nvidia\"]; },\n"
    "      { hub = \"open_hub\"; on = \"accept\"; probability = 0.3; delay = 12;\n"
    "        mirror_fraction = 0.3; default_fraction = 0.1;\n"
    "        backers = [\"amd\", \"intel\", \"asic\", \"cloud\"]; }\n"
    "    ); }\n"
    ");\n";

int schema_path_is_integer(const char *path)
{
  const key_spec *table = schema_root;
  const key_spec *k = NULL;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *part = strtok(buf, "."); part; part = strtok(NULL, ".")) {
    if (part[0] == '[')
      continue; /* a list index */
    if (!table)
      return 0; /* inside a map: numbers */
    k = schema_find(table, part);
    if (!k)
      return 0;
    table = (k->kind == K_GROUP || k->kind == K_LIST || k->kind == K_UOVR) ? k->sub : NULL;
  }
  return k && (k->kind == K_INT || k->kind == K_U64);
}
