/* scenario: defaults, the market rule, --set, the resolved file, and every
 * error path provoked on purpose with the exact message expected. */
#include "testutil.h"

#include <signal.h>

#include "schema.h"
#include "signals.h"

static int load_err(const char *text, const char *const *sets, size_t n, char *first, size_t len,
                    size_t *count)
{
  scenario *s = malloc(sizeof *s);
  scn_errors *err = malloc(sizeof *err);
  scn_overrides ov = {.sets = sets, .n_sets = n};
  int rc = scenario_load_string(text, "bad.cfg", &ov, s, NULL, err);
  snprintf(first, len, "%s", err->count ? err->msg[0] : "");
  *count = err->count;
  free(s);
  free(err);
  return rc;
}

static void test_builtin_default_matches_spec(void **state)
{
  (void)state;
  scenario s;
  load_ok("", &s, NULL, 0);
  assert_string_equal(s.name, "test");
  assert_int_equal(s.steps, 120);
  assert_int_equal(s.replications, 100);
  assert_int_equal(s.developers, 100000);
  assert_int_equal(s.initial_active, 100000);
  assert_close(s.revision_rate, 0.0417, 0);
  assert_close(s.utility.price_performance, 3.0, 0);
  assert_close(s.utility.vendor_switch_cost_per_step, 0.03, 0);
  assert_int_equal(s.utility.tenure_cap, 36);
  assert_close(s.multihoming, 0.6, 0);
  assert_int_equal(s.n_vendors, 5);
  assert_int_equal(s.n_hubs, 3);
  assert_int_equal(s.n_events, 1);
  assert_int_equal(s.n_segments, 1);
  assert_string_equal(s.vendors[0].name, "nvidia");
  assert_close(s.vendors[0].initial_share, 0.88, 0);
  assert_int_equal(s.hubs[1].owner, 0);
  assert_int_equal(s.hubs[1].launch, LAUNCH_ON_EVENT);
  assert_close(s.hubs[1].tilt[0], 0.8, 0);
  assert_close(s.hubs[1].subsidy[0], 0.5, 0);
  assert_close(s.hubs[1].monetization, 0.0, 0);
  assert_close(s.hubs[2].monetization, 1.0, 0);
  assert_close(s.hubs[2].subsidy[1], 0.3, 0);
  assert_int_equal(s.hubs[2].owner, -1);
  assert_int_equal(s.events[0].decision, DECISION_DECLINE);
  /* SPEC 8's responses, key for key. */
  assert_int_equal(s.events[0].n_responses, 2);
  const scn_response *r0 = &s.events[0].responses[0], *r1 = &s.events[0].responses[1];
  assert_int_equal(r0->hub, 1);
  assert_int_equal(r0->on, DECISION_DECLINE);
  assert_close(r0->probability, 0.5, 0);
  assert_int_equal(r0->delay, 12);
  assert_close(r0->mirror_fraction, 0.3, 0);
  assert_close(r0->default_fraction, 0.2, 0);
  assert_int_equal(r0->backers, 1u << 0);
  assert_int_equal(r1->hub, 2);
  assert_int_equal(r1->on, DECISION_ACCEPT);
  assert_close(r1->probability, 0.3, 0);
  assert_close(r1->default_fraction, 0.1, 0);
  assert_int_equal(r1->backers, 0x1eu); /* amd, intel, asic, cloud */
  assert_close(s.segments[0].revenue, 1000.0, 0);
  assert_int_equal(s.organisations, 0);
  assert_close(s.revenue_growth, 0.3, 0);
  assert_close(s.discount_rate, 0.1, 0);
  assert_close(s.terminal_multiple, 10.0, 0);
  assert_int_equal(s.focal_hub, 0);
  assert_close(s.segments[0].heterogeneity, 0.5, 0);
  /* The segment inherits the global utility. */
  assert_close(s.segments[0].u.maturity, 2.0, 0);

  scn_errors err;
  assert_int_equal(scenario_load(NULL, NULL, &s, NULL, &err), 0);
  assert_string_equal(s.name, "default");
  assert_string_equal(s.description, "Declined investment: the vendor may launch a rival hub");
}

static void test_entry_defaults_and_market_rule(void **state)
{
  (void)state;
  scenario s;
  load_ok("vendors = ( { name = \"x\"; } ); hubs = ( { name = \"h\"; } );", &s, NULL, 0);
  assert_int_equal(s.n_events, 0);
  assert_close(s.vendors[0].price_performance, 1.0, 0);
  assert_close(s.vendors[0].maturity, 0.5, 0);
  assert_close(s.hubs[0].neutrality, 1.0, 0);
  assert_int_equal(s.hubs[0].owner, -1);
  assert_int_equal(s.hubs[0].launch, LAUNCH_START);
  assert_close(s.hubs[0].monetization, 1.0, 0);
  assert_close(s.segments[0].revenue, 1000.0, 0); /* the default segment */
  assert_string_equal(s.hubs[s.focal_hub].name, "h");
}

/* A response's backers default to its hub's owner, or none; the resolved
 * scenario writes them out. */
static void test_response_defaults(void **state)
{
  (void)state;
  const char *text = "vendors = ( { name = \"a\"; }, { name = \"b\"; } );\n"
                     "hubs = ( { name = \"h\"; }, { name = \"r\"; owner = \"b\"; launch = "
                     "\"on_event\"; }, { name = \"o\"; launch = \"on_event\"; } );\n"
                     "events = ( { step = 1; type = \"investment\"; investor = \"b\"; hub = "
                     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\";\n"
                     "  responses = ( { hub = \"r\"; on = \"decline\"; probability = 0.5; },\n"
                     "                { hub = \"o\"; on = \"any\"; probability = 1; } ); } );\n";
  scenario s;
  scn_errors *err = malloc(sizeof *err);
  char *resolved = NULL;
  assert_int_equal(scenario_load_string(text, "t.cfg", NULL, &s, &resolved, err), 0);
  assert_int_equal(s.events[0].responses[0].backers, 1u << 1);
  assert_int_equal(s.events[0].responses[0].delay, 0);
  assert_close(s.events[0].responses[0].mirror_fraction, 0.0, 0);
  assert_int_equal(s.events[0].responses[1].backers, 0u);
  assert_int_equal(s.events[0].responses[1].on, DECISION_ANY);
  assert_non_null(strstr(resolved, "backers = [\"b\"];"));
  assert_non_null(strstr(resolved, "backers = [];"));
  /* The resolved text loads again to the same scenario. */
  scenario again;
  assert_int_equal(scenario_load_string(resolved, "r.cfg", NULL, &again, NULL, err), 0);
  assert_int_equal(again.events[0].responses[0].backers, s.events[0].responses[0].backers);
  assert_int_equal(again.events[0].responses[1].backers, 0u);
  free(resolved);
  free(err);
}

static void test_set_overrides(void **state)
{
  (void)state;
  const char *sets[] = {"vendors.[1].growth=0.4",       "utility.temperature=2",
                        "events.[0].decision=accept",   "population.developers=500",
                        "network.type=\"small_world\"", "segments.[0].utility.maturity=3.5",
                        "hubs.[0].tilt.amd=0.25"};
  scenario s;
  load_ok("", &s, sets, 7);
  assert_close(s.vendors[1].growth, 0.4, 0);
  assert_close(s.temperature, 2.0, 0);
  assert_int_equal(s.events[0].decision, DECISION_ACCEPT);
  assert_int_equal(s.developers, 500);
  assert_int_equal(s.initial_active, 500); /* the derived default follows */
  assert_int_equal(s.network, NET_SMALL_WORLD);
  assert_close(s.segments[0].u.maturity, 3.5, 0);
  assert_close(s.utility.maturity, 2.0, 0);
  assert_close(s.hubs[0].tilt[1], 0.25, 0);
}

static void test_resolved_text_reproduces(void **state)
{
  (void)state;
  const char *sets[] = {"vendors.[2].growth=0.1234567890123456789", "seed=77",
                        "dynamics.multihoming=0.3333333333333333"};
  scenario *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
  scn_errors err;
  char *text = NULL, *again = NULL;
  scn_overrides ov = {.sets = sets, .n_sets = 3};
  assert_int_equal(scenario_load_string("name = \"x\";", "a.cfg", &ov, a, &text, &err), 0);
  assert_int_equal(scenario_load_string(text, "b.cfg", NULL, b, &again, &err), 0);
  assert_memory_equal(a, b, sizeof *a);
  assert_string_equal(text, again); /* a fixed point */
  free(text);
  free(again);
  free(a);
  free(b);
}

typedef struct {
  const char *text;
  const char *set;
  const char *msg; /* the exact first message */
} bad_case;

static const bad_case bad[] = {
    {"steps = ", NULL, "bad.cfg:1: (syntax): syntax error"},
    {"stepz = 10;", NULL, "bad.cfg:1: stepz: unknown key (did you mean \"steps\"?)"},
    {"steps = 0;", NULL, "bad.cfg:1: steps: must be in [1, 100000] (got 0)"},
    {"steps = 1.5;", NULL, "bad.cfg:1: steps: must be a whole number"},
    {"steps = \"ten\";", NULL, "bad.cfg:1: steps: must be a number"},
    {"seed = -1;", NULL, "bad.cfg:1: seed: must be in [0, 18446744073709551615] (got -1)"},
    {"name = \"Bad Name\";", NULL,
     "bad.cfg:1: name: names use only a-z, 0-9 and _ (got \"Bad Name\")"},
    {"tipping_threshold = 1.5;", NULL, "bad.cfg:1: tipping_threshold: must be in [0, 1] (got 1.5)"},
    {"focal_hub = \"zz\";", NULL, "bad.cfg:1: focal_hub: no hub named \"zz\""},
    {"population = 5;", NULL, "bad.cfg:1: population: must be a group { ... }"},
    {"population: { revision_rate = 2.0; };", NULL,
     "bad.cfg:1: population.revision_rate: must be in [0, 1] (got 2)"},
    {"population: { developers = 10; initial_active = 11; };", NULL,
     "bad.cfg:1: population.initial_active: must be <= population.developers (10)"},
    {"population: { entry: { mode = \"logistic\"; }; };", NULL,
     "bad.cfg:1: population.entry.mode: must be one of none, bass, fixed (got \"logistic\")"},
    {"utility: { temperature = -0.1; };", NULL,
     "bad.cfg:1: utility.temperature: must be >= 0 (got -0.1)"},
    {"utility: { vendor_network = -1.0; vendor_network_form = \"log_share\"; };", NULL,
     "bad.cfg:1: utility.vendor_network: must be >= 0 with a log_* form"},
    {"utility: { vendor_switch_cost = -1.0; };", NULL,
     "bad.cfg:1: utility.vendor_switch_cost: must be >= 0 (got -1)"},
    {"dynamics: { multihoming = 1.1; };", NULL,
     "bad.cfg:1: dynamics.multihoming: must be in [0, 1] (got 1.1)"},
    {"network: { type = \"small_world\"; degree = 5; };", NULL,
     "bad.cfg:1: network.degree: small_world needs an even degree >= 2 (got 5)"},
    {"population: { developers = 10; }; network: { type = \"scale_free\"; degree = 10; };", NULL,
     "bad.cfg:1: network.degree: must be < population.developers (10) for a scale_free graph"},
    {"population: { developers = 11; }; network: { type = \"random_regular\"; degree = 3; };", NULL,
     "bad.cfg:1: network.degree: random_regular needs degree >= 1 and developers * degree even"},
    {"segments = ( { name = \"a\"; weight = 0.0; } );", NULL,
     "bad.cfg:1: segments: the segments' weights sum to 0"},
    {"segments = ( { weight = 1.0; } );", NULL,
     "bad.cfg:1: segments.[0].name: required key is missing"},
    {"segments = ( { name = \"a\"; utility = { temperature = 2.0; }; } );", NULL,
     "bad.cfg:1: segments.[0].utility.temperature: is global: set it in utility, not per segment"},
    {"segments = ( { name = \"a\"; vendor_bias = { nvidai = 1.0; }; } );", NULL,
     "bad.cfg:1: segments.[0].vendor_bias.nvidai: no vendor named \"nvidai\""},
    {"segments = ( );", NULL, "bad.cfg:1: segments: needs at least one segment"},
    {"hubs = ( { name = \"h\"; } );", NULL,
     "bad.cfg:1: hubs: a file that gives hubs or events must give vendors too"},
    {"vendors = ( { name = \"a\"; } );", NULL,
     "bad.cfg:1: vendors: a file that gives vendors or events must give hubs too"},
    {"vendors = ( { name = \"a\"; }, { name = \"a\"; } ); hubs = ( { name = \"h\"; } );", NULL,
     "bad.cfg:1: vendors.[1].name: duplicate name \"a\" (also entry [0])"},
    {"vendors = ( { name = \"a\"; price_performance = 0.0; } ); hubs = ( { name = \"h\"; } );",
     NULL, "bad.cfg:1: vendors.[0].price_performance: must be > 0 (got 0)"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; launch = \"on_event\"; } );", NULL,
     "bad.cfg:1: hubs: at least one hub must have launch = \"start\""},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; launch = \"on_decline\"; } );",
     NULL, "bad.cfg:1: hubs.[0].launch: must be one of start, on_event (got \"on_decline\")"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; owner = \"b\"; } );", NULL,
     "bad.cfg:1: hubs.[0].owner: no vendor named \"b\""},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; initial_share = 0.5; } );",
     NULL, "bad.cfg:1: hubs.[1].initial_share: must be 0 for a hub that launches on_event"},
    {"vendors = (); hubs = ( { name = \"h\"; } );", NULL,
     "bad.cfg:1: vendors: needs at least one vendor"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; } ); events = ( { step = 0; } );",
     NULL, "bad.cfg:1: events.[0].type: required key is missing"},
    {"steps = 5; vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; } ); events = ( { "
     "step = 5; type = \"investment\"; investor = \"a\"; hub = \"h\"; amount = 1.0; valuation = "
     "2.0; decision = \"accept\"; } );",
     NULL, "bad.cfg:1: events.[0].step: must be < steps (5)"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"h\"; "
     "on = \"decline\"; probability = 1; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].hub: hub \"h\" must have launch = \"on_event\""},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"x\"; "
     "on = \"decline\"; probability = 1; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].hub: no hub named \"x\""},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"later\"; probability = 1; } ); } );",
     NULL,
     "bad.cfg:1: events.[0].responses.[0].on: must be one of accept, decline, any (got \"later\")"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].probability: required key is missing"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; probability = 1.5; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].probability: must be in [0, 1] (got 1.5)"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; probability = 1; delay = -1; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].delay: must be in [0, 100000] (got -1)"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; probability = 1; delay = 1.5; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].delay: must be a whole number"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; probability = 1; mirror_fraction = 2; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].mirror_fraction: must be in [0, 1] (got 2)"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; probability = 1; default_fraction = -0.1; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].default_fraction: must be in [0, 1] (got -0.1)"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; probability = 1; backers = [\"zz\"]; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].backers: no vendor named \"zz\""},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; probability = 1; backers = [1]; } ); } );",
     NULL,
     "bad.cfg:1: events.[0].responses.[0].backers: must be a list of vendor names [\"a\", \"b\"]"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; probability = 1; backers = \"a\"; } ); } );",
     NULL,
     "bad.cfg:1: events.[0].responses.[0].backers: must be a list of vendor names [\"a\", \"b\"]"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = ( { hub = \"r\"; "
     "on = \"any\"; probability = 1; colour = 1; } ); } );",
     NULL, "bad.cfg:1: events.[0].responses.[0].colour: unknown key"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; rival_hub = \"r\"; } );",
     NULL,
     "bad.cfg:1: events.[0].rival_hub: unknown key: SPEC v1.2 replaced the rival_* keys by a list "
     "of responses (responses = ( { hub; on; probability; delay; mirror_fraction; "
     "default_fraction; backers; } ))"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; }, { name = \"r\"; launch = "
     "\"on_event\"; } ); events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = "
     "\"h\"; amount = 1.0; valuation = 2.0; decision = \"decline\"; responses = { hub = \"r\"; }; "
     "} );",
     NULL, "bad.cfg:1: events.[0].responses: must be a list ( { ... }, ... )"},
    {"value: { organisations = -1; };", NULL,
     "bad.cfg:1: value.organisations: must be in [0, 9007199254740992] (got -1)"},
    {"value: { organisations = 1.5; };", NULL,
     "bad.cfg:1: value.organisations: must be a whole number"},
    {"value: { revenue_growth = 3.0; };", NULL,
     "bad.cfg:1: value.revenue_growth: must be in [-1, 2] (got 3)"},
    {"value: { discount_rate = -0.1; };", NULL,
     "bad.cfg:1: value.discount_rate: must be in [0, 1] (got -0.1)"},
    {"value: { terminal_multiple = -1.0; };", NULL,
     "bad.cfg:1: value.terminal_multiple: must be >= 0 (got -1)"},
    {"value: { currency = \"eur\"; };", NULL, "bad.cfg:1: value.currency: unknown key"},
    {"segments = ( { name = \"a\"; revenue = -5.0; } );", NULL,
     "bad.cfg:1: segments.[0].revenue: must be >= 0 (got -5)"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; monetization = -1.0; } );", NULL,
     "bad.cfg:1: hubs.[0].monetization: must be >= 0 (got -1)"},
    {"vendors = ( { name = \"a\"; } ); hubs = ( { name = \"h\"; } ); events = ( { step = 0; "
     "type = \"investment\"; investor = \"a\"; hub = \"h\"; amount = 1e6; valuation = 1e-300; "
     "decision = \"accept\"; } );",
     NULL,
     "bad.cfg:1: events.[0].amount: the stake amount / valuation must be at most 1e6 (got 1e+306)"},
    {"", "utility.temprature=2",
     "--set:1: utility.temprature: no such key in the resolved scenario (did you mean "
     "\"utility.temperature\"?)"},
    {"", "segments.[0].utility.me =3",
     "--set:1: segments.[0].utility.me : not a path lockin takes: names and list indices [i] "
     "joined by '.', as in events.[0].step"},
    /* Spellings libconfig's lookup takes but lockin does not: a derived
     * default (initial_active) would otherwise win over the override. */
    {"", "population/initial_active=50",
     "--set:1: population/initial_active: not a path lockin takes: names and list indices [i] "
     "joined by '.', as in events.[0].step"},
    {"", "events.[00].step=3",
     "--set:1: events.[00].step: not a path lockin takes: names and list indices [i] joined by "
     "'.', as in events.[0].step"},
    {"", "population..developers=5",
     "--set:1: population..developers: not a path lockin takes: names and list indices [i] "
     "joined by '.', as in events.[0].step"},
    /* Nothing after a value is dropped. */
    {"", "steps=5; replications=3",
     "--set:1: steps: \"5; replications=3\" is more than one value; give the value alone, one "
     "--set per key"},
    {"", "steps=5 /* c */",
     "--set:1: steps: \"5 /* c */\" is more than one value; give the value alone, one --set per "
     "key"},
    {"", "description=\"a\" # b",
     "--set:1: description: \"\"a\" # b\" is more than one value; give the value alone, one "
     "--set per key"},
    {"", "seed=9999999999",
     "--set:1: seed: the integer 9999999999 does not fit in 32 bits, which libconfig would read "
     "wrong; write it with an L suffix (9999999999L)"},
    {"population: { developers = 3000000000; };", NULL,
     "bad.cfg:1: (value): the integer 3000000000 does not fit in 32 bits, which libconfig would "
     "read wrong; write it with an L suffix (3000000000L)"},
    {"@include \"other.cfg\"\n", NULL,
     "bad.cfg:1: (directive): @include is not supported; put the scenario in one file"},
    {"", "vendors.[9].growth=1",
     "--set:1: vendors.[9].growth: no such key in the resolved scenario"},
    {"", "steps", "--set:1: steps: expected PATH=VALUE"},
    {"", "utility=1", "--set:1: utility: not a scalar key; --set changes one value"},
    {"", "utility.temperature=fast", "--set:1: utility.temperature: must be a number"},
    {"", "events.[0].decision=maybe",
     "--set:1: events.[0].decision: must be one of accept, decline (got \"maybe\")"},
    {"", "steps=1e400", "--set:1: steps: must be a whole number"},
    {"", "dynamics.trust_speed=1e400", "--set:1: dynamics.trust_speed: must be finite"},
    /* In range one by one, overflowing together (scenario_bounds.c). */
    {"", "hubs.[0].catalog=1e308",
     "bad.cfg: hubs: a catalog can reach 1.69e+308 over the horizon; at most 1e+100, or figures "
     "built from it overflow a double"},
    {"utility: { temperature = 1e-310; };", NULL,
     "bad.cfg:1: utility.temperature: 1e-310 is so small that utilities (up to 2.51e+05) divided "
     "by it overflow; use 0 for the best cell or at least 2.51e-295"},
    {"utility: { temperature = 0.0; price_performance = 1e308; };", NULL,
     "bad.cfg:1: utility: a utility can reach more than the largest double over the horizon; at "
     "most 1e+100, or figures built from it overflow a double"},
    {"segments = ( { name = \"a\"; weight = 1e308; }, { name = \"b\"; weight = 1e308; } );", NULL,
     "bad.cfg:1: segments: the segments' weights sum to more than the largest double; scale them "
     "down (only their ratios matter)"},
    {"value: { revenue_growth = 2.0; };\nsteps = 100000;\n"
     "segments = ( { name = \"a\"; revenue = 1e300; } );",
     NULL,
     "bad.cfg:1: value: a hub's value in $M can reach more than the largest double over the "
     "horizon; at most 1e+100, or figures built from it overflow a double"},
};

static void test_bad_inputs(void **state)
{
  (void)state;
  size_t wrong = 0;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char first[400];
    size_t count;
    const char *sets[1] = {bad[i].set};
    int rc = load_err(bad[i].text, sets, bad[i].set ? 1 : 0, first, sizeof first, &count);
    if (rc != 2 || strcmp(first, bad[i].msg) != 0 || count < 1) {
      print_error("case %zu (%s %s):\n  got  %d \"%s\"\n  want 2 \"%s\"\n", i, bad[i].text,
                  bad[i].set ? bad[i].set : "", rc, first, bad[i].msg);
      wrong++;
    }
  }
  assert_int_equal(wrong, 0);
}

static void test_all_problems_in_one_pass(void **state)
{
  (void)state;
  char first[400];
  size_t count;
  int rc = load_err("steps = 0;\nreplications = 0;\nutility: { temperature = -1; };", NULL, 0,
                    first, sizeof first, &count);
  assert_int_equal(rc, 2);
  assert_int_equal(count, 3);
}

static void test_line_numbers(void **state)
{
  (void)state;
  char first[400];
  size_t count;
  load_err("steps = 10;\n\npopulation: {\n  developers = 100;\n  revision_rate = -1.0;\n};", NULL,
           0, first, sizeof first, &count);
  assert_string_equal(first, "bad.cfg:5: population.revision_rate: must be in [0, 1] (got -1)");
}

static void test_missing_file(void **state)
{
  (void)state;
  scenario s;
  scn_errors err;
  assert_int_equal(scenario_load("/nonexistent/x.cfg", NULL, &s, NULL, &err), 2);
  assert_string_equal(err.msg[0], "/nonexistent/x.cfg: cannot read: No such file or directory");
}

/* A folder is named as one; a UTF-8 byte-order mark is skipped, and the
 * line numbers after it stay right. */
static void test_folder_and_bom(void **state)
{
  (void)state;
  scenario s;
  scn_errors err;
  assert_int_equal(scenario_load("tests", NULL, &s, NULL, &err), 2);
  assert_string_equal(err.msg[0], "tests: is a folder, not a scenario or sweep file");
  FILE *f = fopen("build/bom.cfg", "wb");
  assert_non_null(f);
  fputs("\xef\xbb\xbfsteps = 7;\nutility: { temperature = -1.0; };\n", f);
  fclose(f);
  assert_int_equal(scenario_load("build/bom.cfg", NULL, &s, NULL, &err), 2);
  assert_string_equal(err.msg[0], "build/bom.cfg:2: utility.temperature: must be >= 0 (got -1)");
  f = fopen("build/bom.cfg", "wb");
  fputs("\xef\xbb\xbfsteps = 7;\n", f);
  fclose(f);
  assert_int_equal(scenario_load("build/bom.cfg", NULL, &s, NULL, &err), 0);
  assert_int_equal(s.steps, 7);
  remove("build/bom.cfg");
}

/* The README's key table is `lockin keys`: every key in it must be there. */
static void test_readme_lists_every_key(void **state)
{
  (void)state;
  FILE *f = fopen("README.md", "r");
  if (!f)
    skip(); /* run from the repository root, as make test does */
  char *readme = malloc(1 << 20);
  size_t n = fread(readme, 1, (1 << 20) - 1, f);
  readme[n] = '\0';
  fclose(f);
  char *table = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&table, &len);
  scenario_print_keys(m);
  fclose(m);
  size_t keys = 0;
  for (char *line = strtok(table, "\n"); line; line = strtok(NULL, "\n")) {
    if (strncmp(line, "| `", 3) != 0)
      continue;
    keys++;
    if (!strstr(readme, line))
      fail_msg("README.md lacks the row: %s", line);
  }
  assert_true(keys > 80);
  free(table);
  free(readme);
}

/* -r and -s are typed overrides applied after every --set; a problem with
 * them names the option. */
static void test_typed_replications_and_seed(void **state)
{
  (void)state;
  scenario s;
  scn_errors *err = malloc(sizeof *err);
  const char *sets[] = {"replications=7", "seed=3"};
  scn_overrides ov = {.sets = sets, .n_sets = 2, .replications = 9, .has_seed = 1, .seed = 0};
  assert_int_equal(scenario_load_string("", "t.cfg", &ov, &s, NULL, err), 0);
  assert_int_equal(s.replications, 9); /* -r after --set */
  assert_int_equal(s.seed, 0);         /* -s 0 is a seed, not "none" */
  ov.replications = 99999999;
  assert_int_equal(scenario_load_string("", "t.cfg", &ov, &s, NULL, err), 2);
  assert_string_equal(err->msg[0], "-r: replications: must be in [1, 10000000] (got 99999999)");
  free(err);
}

/* Seeds are any 64-bit whole number, in files, --set and -s alike; whole
 * numbers are compared as whole numbers (2^53 + 1 is not 2^53). */
static void test_seeds_64_bits(void **state)
{
  (void)state;
  scenario s;
  scn_errors *err = malloc(sizeof *err);
  static const struct {
    const char *text;
    uint64_t seed;
  } ok[] = {{"seed = 18446744073709551615L;", UINT64_MAX},
            {"seed = 0xFFFFFFFFFFFFFFFFL;", UINT64_MAX},
            {"seed = 9223372036854775808L; # 2^63", 9223372036854775808u},
            {"seed=18446744073709551614L;", UINT64_MAX - 1},
            {"seed = 9007199254740993L;", 9007199254740993u},
            {"seed = 0; // a comment ends the text", 0}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    if (scenario_load_string(ok[i].text, "t.cfg", NULL, &s, NULL, err) != 0)
      fail_msg("case %zu: %s", i, err->msg[0]);
    assert_true(s.seed == ok[i].seed);
  }
  static const char *const wrong[][2] = {
      {"seed = 18446744073709551616L;",
       "t.cfg:1: (value): the integer 18446744073709551616 does not fit in 64 bits"},
      {"seed = 0x10000000000000000L;",
       "t.cfg:1: (value): the integer 0x10000000000000000 does not fit in 64 bits"},
      {"seed = -1;", "t.cfg:1: seed: must be in [0, 18446744073709551615] (got -1)"},
      {"seed = -9223372036854775809L;",
       "t.cfg:1: (value): the integer -9223372036854775809 does not fit in 64 bits"},
      {"value = { organisations = 9007199254740993L; };",
       "t.cfg:1: value.organisations: must be in [0, 9007199254740992] (got 9007199254740993)"},
      {"steps = 0xFFFFFFFFFFFFFFFFL;",
       "t.cfg:1: steps: must be in [1, 100000] (got 18446744073709551615)"}};
  for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
    assert_int_equal(scenario_load_string(wrong[i][0], "t.cfg", NULL, &s, NULL, err), 2);
    assert_string_equal(err->msg[0], wrong[i][1]);
  }
  /* -s and --set: the resolved text loads back to the same seed. */
  scn_overrides ov = {.has_seed = 1, .seed = UINT64_MAX};
  char *resolved;
  assert_int_equal(scenario_load_string("", "t.cfg", &ov, &s, &resolved, err), 0);
  assert_true(s.seed == UINT64_MAX);
  assert_non_null(strstr(resolved, "\nseed = 18446744073709551615L;\n"));
  s.seed = 0;
  assert_int_equal(scenario_load_string(resolved, "r.cfg", NULL, &s, NULL, err), 0);
  assert_true(s.seed == UINT64_MAX);
  free(resolved);
  const char *sets[] = {"seed=18446744073709551615L"};
  scn_overrides ov2 = {.sets = sets, .n_sets = 1};
  assert_int_equal(scenario_load_string("", "t.cfg", &ov2, &s, NULL, err), 0);
  assert_true(s.seed == UINT64_MAX);
  /* The whole seed reaches the generator: neighbours differ. */
  assert_true(rng_replication_seed(UINT64_MAX, 0) != rng_replication_seed(UINT64_MAX - 1, 0));
  assert_true(rng_replication_seed(1ull << 63, 0) != rng_replication_seed(0, 0));
  free(err);
}

/* A scenario with every list at its limit and every map full. */
static char *maximal_scenario(void)
{
  size_t cap = 1 << 20, n = 0;
  char *t = malloc(cap);
#define PUT(...) (n += (size_t)snprintf(t + n, cap - n, __VA_ARGS__))
  PUT("steps = 20;\npopulation = { developers = 500; };\nvendors = (\n");
  for (int j = 0; j < SCN_MAX_VENDORS; j++)
    PUT("%s{ name = \"v%d\"; initial_share = 1.0; }\n", j ? "," : "", j);
  PUT(");\nhubs = (\n");
  for (int k = 0; k < SCN_MAX_HUBS; k++) {
    PUT("%s{ name = \"h%d\"; launch = \"%s\"; initial_share = %s; tilt = {", k ? "," : "", k,
        k ? "on_event" : "start", k ? "0.0" : "1.0");
    for (int j = 0; j < SCN_MAX_VENDORS; j++)
      PUT(" v%d = 0.1;", j);
    PUT(" }; subsidy = {");
    for (int j = 0; j < SCN_MAX_VENDORS; j++)
      PUT(" v%d = 0.1;", j);
    PUT(" }; }\n");
  }
  PUT(");\nsegments = (\n");
  for (int g = 0; g < SCN_MAX_SEGMENTS; g++) {
    PUT("%s{ name = \"s%d\"; vendor_bias = {", g ? "," : "", g);
    for (int j = 0; j < SCN_MAX_VENDORS; j++)
      PUT(" v%d = 0.1;", j);
    PUT(" }; utility = {");
    for (const key_spec *k = schema_utility_coefs; k->key; k++)
      PUT(" %s = %s;", k->key, k->kind == K_INT ? "5" : "0.5");
    PUT(" }; }\n");
  }
  PUT(");\nevents = (\n");
  for (int x = 0; x < SCN_MAX_EVENTS; x++) {
    PUT("%s{ step = %d; type = \"investment\"; investor = \"v0\"; hub = \"h0\"; "
        "amount = 1.0; valuation = 100.0; decision = \"decline\"; "
        "responses = (",
        x ? "," : "", x % 20);
    for (int y = 0; y < SCN_MAX_RESPONSES; y++)
      PUT("%s{ hub = \"h%d\"; on = \"any\"; probability = 0.1; backers = [\"v1\"]; }", y ? "," : "",
          1 + y % (SCN_MAX_HUBS - 1));
    PUT("); }\n");
  }
  PUT(");\n");
#undef PUT
  return t;
}

/* A packed scenario unpacks to the very bytes the load produced (a sweep
 * runs its points from them): the default, every shipped scenario, and one
 * at every list's limit. */
static void test_pack_unpack_same_bytes(void **state)
{
  (void)state;
  scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
  scn_errors *err = malloc(sizeof *err);
  const char *files[] = {NULL, "scenarios/hf_offer.cfg", "scenarios/accept.cfg",
                         "scenarios/rival_exists.cfg", "scenarios/no_event.cfg"};
  char *max = maximal_scenario();
  for (size_t i = 0; i <= sizeof files / sizeof files[0]; i++) {
    int rc = i < sizeof files / sizeof files[0]
                 ? scenario_load(files[i], NULL, a, NULL, err)
                 : scenario_load_string(max, "max.cfg", NULL, a, NULL, err);
    assert_int_equal(rc, 0);
    size_t n = scenario_packed_size(a);
    assert_true(n <= sizeof *a);
    if (i == 0) /* the default: five vendors, three hubs, one segment, one event */
      assert_true(n < sizeof *a / 8);
    unsigned char *buf = malloc(n);
    scenario_pack(a, buf);
    memset(b, 0xAB, sizeof *b); /* whatever was there before */
    scenario_unpack(buf, b);
    assert_memory_equal(a, b, sizeof *a);
    free(buf);
  }
  free(max);
  free(a);
  free(b);
  free(err);
}

/* libconfig's parser takes time in the square of a group's settings: more
 * than 1,000 in a group (or 20,000 in all) are refused before it runs, and
 * a scenario at every limit (about 7,100 settings) is far inside that and
 * round-trips.  A signal during a load stops it. */
static void test_load_limits_and_signal(void **state)
{
  (void)state;
  scenario *s = malloc(sizeof *s);
  scn_errors *err = malloc(sizeof *err);
  char *max = maximal_scenario(), *resolved = NULL, *again = NULL;
  if (scenario_load_string(max, "max.cfg", NULL, s, &resolved, err) != 0)
    fail_msg("%s", err->msg[0]);
  assert_int_equal(s->n_segments, SCN_MAX_SEGMENTS);
  assert_int_equal(s->n_events, SCN_MAX_EVENTS);
  size_t settings = 0;
  for (const char *c = resolved; *c; c++)
    settings += *c == '=';
  assert_in_range(settings, 7000, 20000);
  assert_int_equal(scenario_load_string(resolved, "r.cfg", NULL, s, &again, err), 0);
  assert_string_equal(resolved, again);
  free(max);
  free(resolved);
  free(again);
  size_t cap = 20000, n = 0;
  char *big = malloc(cap);
  for (int i = 0; i < 1001; i++)
    n += (size_t)snprintf(big + n, cap - n, "k%d = %d;\n", i, i);
  assert_int_equal(scenario_load_string(big, "big.cfg", NULL, s, NULL, err), 2);
  assert_string_equal(err->msg[0], "big.cfg:1001: (settings): more than 1000 settings in one group "
                                   "or 20000 in all; libconfig's parser takes time growing with "
                                   "their square");
  free(big);
  signals_install();
  raise(SIGTERM);
  assert_int_equal(scenario_load_string("steps = 5;", "sig.cfg", NULL, s, NULL, err), 2);
  assert_string_equal(err->msg[0], "sig.cfg: stopped by signal 15 while loading");
  signals_reset();
  assert_int_equal(scenario_load_string("steps = 5;", "sig.cfg", NULL, s, NULL, err), 0);
  free(s);
  free(err);
}

/* The warnings of SPEC-silent no-effect settings (README: check warns). */
static void test_warnings_no_effect(void **state)
{
  (void)state;
  scenario s;
  scn_errors *err = malloc(sizeof *err);
  /* Every segment overrides tilt: the global tilt has no effect. */
  const char *seg = "segments = ( { name = \"a\"; utility = { tilt = 2.0; }; },\n"
                    "             { name = \"b\"; utility = { tilt = 0.5; maturity = 1.0; }; } );\n"
                    "steps = 30;\n";
  assert_int_equal(scenario_load_string(seg, "w.cfg", NULL, &s, NULL, err), 0);
  for (size_t i = 0; i < err->n_warnings; i++)
    print_message("%s\n", err->warning[i]);
  assert_int_equal(err->n_warnings, 2); /* and the default's accept response */
  assert_string_equal(err->warning[0], "w.cfg: utility.tilt: every segment overrides it, so "
                                       "it has no effect");
  /* A response beyond the horizon, one that never matches, and the one
   * hub left; probability 0 too. */
  const char *sets[] = {"steps=10", "events.[0].responses.[1].probability=0",
                        "events.[0].responses.[1].on=any"};
  scn_overrides ov = {.sets = sets, .n_sets = 3};
  assert_int_equal(scenario_load_string("", "d.cfg", &ov, &s, NULL, err), 0);
  assert_int_equal(err->n_warnings, 3);
  assert_string_equal(err->warning[0], "d.cfg: events.[0].responses.[0]: step + delay = 12 is "
                                       "beyond the last step (9): nvidia_hub cannot launch this "
                                       "way");
  assert_string_equal(err->warning[1], "d.cfg: events.[0].responses.[1]: probability 0: "
                                       "open_hub cannot launch this way");
  assert_non_null(strstr(err->warning[2], "hubs: only hf can ever be live, so hub-side settings "
                                          "change no choice (only the catalog and neutrality "
                                          "metrics): utility.catalog, utility.hub_network, "
                                          "utility.neutrality, utility.hub_switch_cost, "
                                          "dynamics.multihoming"));
  /* The default: only the accept response cannot fire. */
  assert_int_equal(scenario_load_string("", "d.cfg", NULL, &s, NULL, err), 0);
  assert_int_equal(err->n_warnings, 1);
  free(err);
}

/* accept, decline, decline_rival and no_event are hf_offer.cfg with one
 * change each: loaded with that change as --set, hf_offer gives the same
 * scenario (but for name and description). */
static void test_scenario_variants_follow_hf_offer(void **state)
{
  (void)state;
  static const struct {
    const char *file, *set;
  } v[] = {{"scenarios/accept.cfg", "events.[0].decision=accept"},
           {"scenarios/decline.cfg", NULL},
           {"scenarios/decline_rival.cfg", "events.[0].responses.[0].probability=1.0"}};
  scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
  scn_errors *err = malloc(sizeof *err);
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    const char *sets[1] = {v[i].set};
    scn_overrides ov = {.sets = sets, .n_sets = v[i].set ? 1 : 0};
    assert_int_equal(scenario_load("scenarios/hf_offer.cfg", &ov, a, NULL, err), 0);
    assert_int_equal(scenario_load(v[i].file, NULL, b, NULL, err), 0);
    memcpy(a->name, b->name, sizeof a->name);
    memcpy(a->description, b->description, sizeof a->description);
    if (memcmp(a, b, sizeof *a) != 0)
      fail_msg("%s is no longer hf_offer.cfg with %s", v[i].file, v[i].set ? v[i].set : "its name");
  }
  assert_int_equal(scenario_load("scenarios/no_event.cfg", NULL, b, NULL, err), 0);
  assert_int_equal(b->n_events, 0);
  free(a);
  free(b);
  free(err);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builtin_default_matches_spec),
      cmocka_unit_test(test_entry_defaults_and_market_rule),
      cmocka_unit_test(test_response_defaults),
      cmocka_unit_test(test_typed_replications_and_seed),
      cmocka_unit_test(test_seeds_64_bits),
      cmocka_unit_test(test_load_limits_and_signal),
      cmocka_unit_test(test_pack_unpack_same_bytes),
      cmocka_unit_test(test_warnings_no_effect),
      cmocka_unit_test(test_scenario_variants_follow_hf_offer),
      cmocka_unit_test(test_set_overrides),
      cmocka_unit_test(test_resolved_text_reproduces),
      cmocka_unit_test(test_bad_inputs),
      cmocka_unit_test(test_all_problems_in_one_pass),
      cmocka_unit_test(test_line_numbers),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_folder_and_bom),
      cmocka_unit_test(test_readme_lists_every_key),
  };
  return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
