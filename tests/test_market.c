/* market: invariants of the step loop and three analytic results
 * (Polya urn, Bass diffusion, Klemperer switching), plus the logit's cell
 * probabilities against a direct softmax.  Every Monte Carlo check allows
 * N_SE standard errors and uses a fixed seed. */
#include "testutil.h"

#include "market_internal.h" /* these tests look inside the market */

/* Two identical vendors and one hub, every utility term off. */
static const char *const quiet_market =
    "vendors = ( { name = \"a\"; }, { name = \"b\"; } );\n"
    "hubs = ( { name = \"h\"; } );\n"
    "segments = ( { name = \"s\"; } );\n"
    "utility: { temperature = 1.0; price_performance = 0.0; maturity = 0.0;\n"
    "  vendor_network = 0.0; catalog = 0.0; hub_network = 0.0; neutrality = 0.0;\n"
    "  tilt = 0.0; vendor_switch_cost = 0.0; vendor_switch_cost_per_step = 0.0;\n"
    "  hub_switch_cost = 0.0; };\n"
    "dynamics: { maturity_network = 0.0; };\n";

static char *with(const char *base, const char *extra)
{
  size_t n = strlen(base) + strlen(extra) + 1;
  char *t = malloc(n);
  snprintf(t, n, "%s%s", base, extra);
  return t;
}

/* Polya urn: each entrant picks a vendor with probability proportional to
 * its count (log_count, gamma 1, mu 1).  The share after T entrants is
 * (1 + X) / (T + 2) with X uniform on 0..T: mean 1/2, variance
 * T / (12 (T + 2)), which tends to the Beta(1,1) variance 1/12. */
static void test_polya_urn(void **state)
{
  (void)state;
  const size_t T = 200, R = test_quick() ? 200 : 2000;
  char *text =
      with(quiet_market, "steps = 200; seed = 11;\n"
                         "population: { developers = 202; initial_active = 2; "
                         "revision_rate = 0.0;\n entry: { mode = \"fixed\"; per_step = 1; }; };\n");
  const char *sets[] = {"utility.vendor_network=1.0", "utility.vendor_network_form=log_count"};
  scenario s;
  load_ok(text, &s, sets, 2);
  metric_layout l;
  metric_layout_init(&l, &s);
  double sum = 0, sum2 = 0;
  for (size_t r = 0; r < R; r++) {
    double *out = run_rep(&s, r, NULL);
    const double *last = out + (T - 1) * l.n;
    assert_close(last[M_ACTIVE], 202, 0);
    double x = last[l.vendor_share];
    sum += x;
    sum2 += x * x;
    free(out);
  }
  double mean = sum / (double)R, var = (sum2 - (double)R * mean * mean) / (double)(R - 1);
  double var_exact = (double)T / (12.0 * (double)(T + 2));
  print_message("polya: mean %.4f (exact 0.5), variance %.4f (exact %.4f, Beta(1,1) 1/12)\n", mean,
                var, var_exact);
  assert_close(mean, 0.5, N_SE * sqrt(var_exact / (double)R));
  /* sd of a sample variance of a uniform: sqrt((mu4 - sigma^4) / R),
   * mu4 = 1/80 and sigma^4 = 1/144 for U(0,1). */
  assert_close(var, var_exact, N_SE * sqrt((1.0 / 80 - 1.0 / 144) / (double)R));
  free(text);
}

/* Bass diffusion: the active fraction follows
 * F(t+1) = F + (1 - F)(1 - exp(-(p + q F) / 12)). */
static void test_bass_diffusion(void **state)
{
  (void)state;
  const size_t R = test_quick() ? 5 : 20;
  char *text = with(quiet_market,
                    "steps = 120; seed = 3;\n"
                    "population: { developers = 100000; initial_active = 0; revision_rate = 0.0;\n"
                    "  entry: { mode = \"bass\"; p = 0.03; q = 0.38; }; };\n");
  const char *quick[] = {"population.developers=10000"};
  scenario s;
  load_ok(text, &s, quick, test_quick() ? 1 : 0);
  double N = (double)s.developers;
  metric_layout l;
  metric_layout_init(&l, &s);
  double F[121] = {0};
  for (size_t t = 0; t < 120; t++)
    F[t + 1] = F[t] + (1 - F[t]) * (1 - exp(-(0.03 + 0.38 * F[t]) / 12.0));
  assert_close(F[60], 0.324, 0.001);
  assert_close(F[120], 0.806, 0.001);
  const size_t check[2] = {59, 119};
  for (int c = 0; c < 2; c++) {
    double sum = 0, sum2 = 0;
    for (size_t r = 0; r < R; r++) {
      double *out = run_rep(&s, r, NULL);
      double f = out[check[c] * l.n + M_ACTIVE] / N;
      sum += f;
      sum2 += f * f;
      free(out);
    }
    double mean = sum / (double)R;
    double sd = sqrt((sum2 - (double)R * mean * mean) / (double)(R - 1));
    assert_true(sd > 0);
    print_message("bass: F(%zu) = %.4f +- %.4f (recursion %.4f)\n", check[c] + 1, mean,
                  sd / sqrt((double)R), F[check[c] + 1]);
    assert_close(mean, F[check[c] + 1], N_SE * sd / sqrt((double)R));
  }
  free(text);
}

/* Klemperer: a reviser facing two identical vendors and a switching cost of
 * 2 switches with probability e^-2 / (1 + e^-2) = 1 / (1 + e^2). */
static void test_switching_cost(void **state)
{
  (void)state;
  char *text = with(quiet_market, "steps = 20; seed = 5;\n"
                                  "population: { developers = 10000; revision_rate = 0.5; };\n");
  const char *sets[] = {"utility.vendor_switch_cost=2"};
  scenario s;
  load_ok(text, &s, sets, 1);
  metric_layout l;
  metric_layout_init(&l, &s);
  double rev = 0, sw = 0;
  for (size_t r = 0; r < 5; r++) {
    double *out = run_rep(&s, r, NULL);
    for (size_t t = 0; t < 20; t++) {
      rev += out[t * l.n + M_REVISIONS];
      sw += out[t * l.n + M_VENDOR_SWITCHES];
      assert_close(out[t * l.n + M_HUB_SWITCHES], 0, 0);
    }
    free(out);
  }
  double p = 1.0 / (1.0 + exp(2.0));
  assert_close(rev, 0.5 * 10000 * 20 * 5, N_SE * sqrt(10000 * 20 * 5 * 0.25));
  print_message("klemperer: switches per revision %.4f +- %.4f (exact %.4f)\n", sw / rev,
                sqrt(p * (1 - p) / rev), p);
  assert_close(sw / rev, p, N_SE * sqrt(p * (1 - p) / rev));
  free(text);
}

/* First choices of 200000 entrants over 2 vendors x 2 hubs with maturity,
 * catalog, neutrality, tilt and subsidy terms: cell shares against the
 * softmax of U_jk computed here by hand. */
static void test_logit_cell_probabilities(void **state)
{
  (void)state;
  const char *text =
      "steps = 1; seed = 9;\n"
      "population: { developers = 200000; initial_active = 0; revision_rate = 0.0;\n"
      "  entry: { mode = \"fixed\"; per_step = 200000; }; };\n"
      "segments = ( { name = \"s\"; } );\n"
      "utility: { temperature = 0.7; price_performance = 2.0; maturity = 1.5;\n"
      "  vendor_network = 0.0; catalog = 0.2; hub_network = 0.0; neutrality = 1.0;\n"
      "  tilt = 0.8; };\n"
      "vendors = ( { name = \"a\"; price_performance = 1.5; maturity = 0.9; },\n"
      "            { name = \"b\"; price_performance = 1.0; maturity = 0.4; } );\n"
      "hubs = ( { name = \"h\"; neutrality = 0.9; catalog = 1000.0; },\n"
      "         { name = \"v\"; neutrality = 0.3; catalog = 50.0; tilt = { b = 0.7; };\n"
      "           subsidy = { b = 1.2; }; } );\n";
  scenario s;
  load_ok(text, &s, NULL, 0);
  double pp[2] = {1.5, 1.0}, S[2] = {0.9, 0.4}, C[2] = {1000, 50}, n[2] = {0.9, 0.3};
  double U[4], Z = 0;
  for (int j = 0; j < 2; j++)
    for (int k = 0; k < 2; k++) {
      /* Relative tilt (SPEC 3): hub v favours b by 0.7, so it is worth
       * +0.7 to b's users and 0.7 less to a's (the most-favoured other). */
      double tilt = k == 1 ? (j == 1 ? 0.7 : -0.7) : 0, sub = (j == 1 && k == 1) ? 1.2 : 0;
      U[j * 2 + k] =
          exp((2.0 * log(pp[j]) + 1.5 * S[j] + 0.2 * log1p(C[k]) + n[k] + 0.8 * tilt + sub) / 0.7);
      Z += U[j * 2 + k];
    }
  long tip;
  double *out = run_rep(&s, 0, &tip);
  metric_layout l;
  metric_layout_init(&l, &s);
  /* Vendor and hub shares are sums of cells. */
  double pa = (U[0] + U[1]) / Z, ph = (U[0] + U[2]) / Z, N = 200000;
  print_message("logit: vendor a %.4f (exact %.4f), hub h %.4f (exact %.4f)\n", out[l.vendor_share],
                pa, out[l.hub_share], ph);
  assert_close(out[l.vendor_share], pa, N_SE * sqrt(pa * (1 - pa) / N));
  assert_close(out[l.hub_share], ph, N_SE * sqrt(ph * (1 - ph) / N));
  /* cell_d1 = exp(entropy of the cells), close to its probability value. */
  double ent = 0;
  for (int c = 0; c < 4; c++)
    ent -= U[c] / Z * log(U[c] / Z);
  assert_close(out[l.cell_d1], exp(ent), 0.01);
  free(out);
}

/* Temperature 0: everyone takes the best cell. */
static void test_temperature_zero_is_argmax(void **state)
{
  (void)state;
  char *text = with(quiet_market, "steps = 3; population: { developers = 1000; "
                                  "revision_rate = 1.0; };\n");
  const char *sets[] = {"utility.temperature=0", "utility.maturity=1", "vendors.[1].maturity=0.9"};
  scenario s;
  load_ok(text, &s, sets, 3);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = run_rep(&s, 0, NULL);
  assert_close(out[l.vendor_share], 0.0, 0); /* b has higher maturity */
  assert_close(out[l.vendor_share + 1], 1.0, 0);
  assert_close(out[M_REVISIONS], 1000, 0);
  assert_close(out[M_VENDOR_SWITCHES], 500, 0); /* half started on a */
  free(out);
  free(text);
}

/* Conservation and accounting along a default-like run with entry. */
static void check_invariants(const scenario *s, const double *out)
{
  metric_layout l;
  metric_layout_init(&l, s);
  double prev_active = -1;
  for (long t = 0; t < s->steps; t++) {
    const double *row = out + (size_t)t * l.n;
    double A = row[M_ACTIVE], vs = 0, hs = 0;
    for (size_t j = 0; j < s->n_vendors; j++)
      vs += row[l.vendor_share + j];
    for (size_t k = 0; k < s->n_hubs; k++)
      hs += row[l.hub_share + k];
    if (A > 0) {
      assert_close(vs, 1.0, 1e-12);
      assert_close(hs, 1.0, 1e-12);
      assert_true(row[l.vendor_conc + 2] >= 1.0 - 1e-12);                   /* D1 >= 1 */
      assert_true(row[l.vendor_conc + 3] <= row[l.vendor_conc + 2] + 1e-9); /* D2 <= D1 */
    }
    assert_true(A >= prev_active && A <= (double)s->developers);
    for (size_t k = 0; k < s->n_hubs; k++) { /* money: no accepted investment here */
      assert_true(row[l.revenue + k] >= 0 && row[l.value + k] >= 0);
      if (s->events[0].decision == DECISION_DECLINE)
        assert_true(row[l.owners_value + k] == row[l.value + k]);
      if (row[l.hub_share + k] == 0)
        assert_true(row[l.revenue + k] == 0);
    }
    assert_true(row[M_VENDOR_SWITCHES] <= row[M_REVISIONS]);
    assert_true(row[M_MEAN_TENURE] >= 0 &&
                row[M_MEAN_TENURE] <= (double)t + 1 + (double)s->initial_tenure);
    prev_active = A;
  }
}

static void test_invariants_default_and_graphs(void **state)
{
  (void)state;
  const char *nets[] = {"mean_field", "random_regular", "small_world", "scale_free"};
  for (int n = 0; n < 4; n++) {
    char net[64];
    snprintf(net, sizeof net, "network.type=%s", nets[n]);
    const char *sets[] = {net,
                          "population.developers=3000",
                          "population.initial_active=1000",
                          "population.entry.mode=bass",
                          "steps=40",
                          "events.[0].responses.[0].delay=3",
                          "events.[0].responses.[0].probability=1.0",
                          "events.[0].responses.[1].on=any",
                          "events.[0].responses.[1].probability=1.0"};
    scenario s;
    load_ok("", &s, sets, 9);
    market_outcome oc;
    double *out = run_rep_oc(&s, 0, &oc);
    check_invariants(&s, out);
    assert_int_equal(oc.launch[0], 0);
    assert_int_equal(oc.launch[1], 3);
    assert_int_equal(oc.launch[2], 12);
    free(out);
  }
}

/* The rival hub has no users and no catalog before its launch at step 12,
 * and takes default_fraction of the owner's users at launch. */
static void test_rival_launch(void **state)
{
  (void)state;
  const char *sets[] = {"population.developers=20000", "steps=20",
                        "events.[0].responses.[0].probability=1.0", "population.revision_rate=0.0"};
  scenario s;
  load_ok("", &s, sets, 4);
  metric_layout l;
  metric_layout_init(&l, &s);
  market_outcome oc;
  double *out = run_rep_oc(&s, 0, &oc);
  assert_int_equal(oc.launch[1], 12);
  assert_int_equal(oc.launch[2], -1);
  for (size_t t = 0; t < 12; t++) {
    assert_close(out[t * l.n + l.hub_share + 1], 0, 0);
    assert_close(out[t * l.n + l.catalog + 1], 0, 0);
    assert_close(out[t * l.n + M_HUB_SWITCHES], 0, 0);
  }
  const double *at = out + 12 * l.n;
  /* nvidia users (88%) move with probability 0.2: share 0.176 */
  double p = 0.88 * 0.2;
  assert_close(at[l.hub_share + 1], p, N_SE * sqrt(p * (1 - p) / 20000));
  assert_close(at[M_HUB_SWITCHES], at[l.hub_share + 1] * 20000, 0.5);
  assert_close(at[M_REVISIONS], 0, 0);
  free(out);
  /* probability 0: never launches. */
  const char *never[] = {"population.developers=2000", "steps=20",
                         "events.[0].responses.[0].probability=0"};
  load_ok("", &s, never, 3);
  out = run_rep_oc(&s, 0, &oc);
  for (size_t t = 0; t < 20; t++)
    assert_close(out[t * l.n + l.hub_share + 1], 0, 0);
  assert_int_equal(oc.launch[1], -1);
  free(out);
}

/* A launch moves exactly the developers on a backer's hardware whose own
 * uniform (keyed by developer, event and response) is below the response's
 * default_fraction, each keeping its vendor; with one thread and two, over
 * a population that is not a whole number of the launch's blocks. */
static void test_launch_moves_by_own_draw(void **state)
{
  (void)state;
  const char *sets[] = {"population.developers=3001", "population.initial_active=3001", "steps=13",
                        "events.[0].responses.[0].probability=1.0", "population.revision_rate=0.0"};
  scenario s;
  load_ok("", &s, sets, 5);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = malloc((size_t)s.steps * l.n * sizeof *out);
  const scn_response *r = &s.events[0].responses[0];
  for (int th = 1; th <= 2; th++) {
    market *m = market_alloc(&s, th);
    uint64_t key = rng_replication_seed((uint64_t)s.seed, 3);
    assert_int_equal(market_start(m, key), 0);
    uint8_t *before = malloc(m->n);
    memcpy(before, m->cell, m->n);
    market_outcome oc;
    assert_int_equal(market_steps(m, key, out, &oc), 0);
    assert_int_equal(oc.launch[r->hub], 12);
    size_t moved = 0;
    for (size_t i = 0; i < m->n; i++) {
      size_t j = m->cell_vendor[before[i]];
      double u[2];
      rng_uniform2(key, RNG_DEFAULT, 0, (uint32_t)i, 0, u);
      uint8_t want = (r->backers >> j & 1u) && u[0] < r->default_fraction
                         ? (uint8_t)(j * m->K + (size_t)r->hub)
                         : before[i];
      assert_int_equal(m->cell[i], want);
      moved += want != before[i];
    }
    /* nvidia's 88% move with probability 0.2: about 528 */
    assert_in_range(moved, 400, 660);
    assert_close(out[12 * l.n + M_HUB_SWITCHES], (double)moved, 0);
    free(before);
    market_free(m);
  }
  free(out);
}

/* After an accept, the other vendors back a neutral hub: it launches at
 * step + delay with its own catalog plus mirror_fraction of the event hub's,
 * and each developer on a backer's hardware moves to it with probability
 * default_fraction, keeping its vendor; the investor's users never move. */
static void test_accept_response_with_backers(void **state)
{
  (void)state;
  const char *sets[] = {
      "population.developers=20000",      "steps=6",
      "population.revision_rate=0.0",     "dynamics.uploads_per_publisher=0",
      "events.[0].decision=accept",       "events.[0].responses.[1].probability=1.0",
      "events.[0].responses.[1].delay=2", "hubs.[2].catalog=1000.0"};
  scenario s;
  load_ok("", &s, sets, 8);
  metric_layout l;
  metric_layout_init(&l, &s);
  market_outcome oc;
  double *out = run_rep_oc(&s, 0, &oc);
  assert_int_equal(oc.launch[0], 0);
  assert_int_equal(oc.launch[1], -1); /* the decline response cannot fire */
  assert_int_equal(oc.launch[2], 2);
  for (size_t t = 0; t < 2; t++) {
    assert_close(out[t * l.n + l.hub_share + 2], 0, 0);
    assert_close(out[t * l.n + l.catalog + 2], 0, 0);
  }
  const double *at = out + 2 * l.n, *before = out + 1 * l.n;
  /* amd, intel, asic, cloud hold 12% of developers; 10% of them move. */
  double p = 0.12 * 0.1;
  assert_close(at[l.hub_share + 2], p, N_SE * sqrt(p * (1 - p) / 20000));
  assert_close(at[M_HUB_SWITCHES], at[l.hub_share + 2] * 20000, 0.5);
  for (size_t j = 0; j < s.n_vendors; j++) /* vendors kept */
    assert_close(at[l.vendor_share + j], before[l.vendor_share + j], 0);
  /* catalog: (1 + mirror * C_hf at launch), then one step of decay */
  double c = (1000.0 + 0.3 * before[l.catalog]) * (1 - 0.005);
  assert_close(at[l.catalog + 2], c, 1e-9 * c);
  free(out);
}

/* on = "any" fires under either decision, and a response's coin is keyed by
 * (replication, event, response): accept and decline see the same coin. */
static void test_response_any_same_coin(void **state)
{
  (void)state;
  const char *dec[] = {"population.developers=500", "steps=14", "events.[0].responses.[1].on=any",
                       "events.[0].responses.[1].probability=0.5", "events.[0].decision=decline"};
  const char *acc[] = {"population.developers=500", "steps=14", "events.[0].responses.[1].on=any",
                       "events.[0].responses.[1].probability=0.5", "events.[0].decision=accept"};
  scenario sd, sa;
  load_ok("", &sd, dec, 5);
  load_ok("", &sa, acc, 5);
  size_t launched = 0;
  for (size_t r = 0; r < 40; r++) {
    market_outcome od, oa;
    free(run_rep_oc(&sd, r, &od));
    free(run_rep_oc(&sa, r, &oa));
    assert_int_equal(od.launch[2], oa.launch[2]);
    assert_true(od.launch[2] == -1 || od.launch[2] == 12);
    assert_int_equal(oa.launch[1], -1);
    launched += od.launch[2] == 12;
  }
  /* 40 fair coins: 20 +- 4 SE (SE = sqrt(10)). */
  assert_true(launched >= 8 && launched <= 32);
}

/* Money (SPEC 7) by hand: no revision and no launches, so the hubs keep
 * their initial counts (600 and 400 of 1,000); an accepted investment at
 * step 1 adds its discounted cash to the owners' value and dilutes it. */
static void test_money_by_hand(void **state)
{
  (void)state;
  const char *text =
      "steps = 5; steps_per_year = 12;\n"
      "population: { developers = 1000; revision_rate = 0.0; };\n"
      "segments = ( { name = \"s\"; revenue = 1200.0; } );\n"
      "value: { organisations = 5000; revenue_growth = 0.12; discount_rate = 0.1;\n"
      "         terminal_multiple = 4.0; };\n"
      "vendors = ( { name = \"v\"; } );\n"
      "hubs = ( { name = \"h\"; initial_share = 0.6; monetization = 0.5; },\n"
      "         { name = \"g\"; initial_share = 0.4; } );\n"
      "events = ( { step = 1; type = \"investment\"; investor = \"v\"; hub = \"h\";\n"
      "             amount = 100.0; valuation = 400.0; decision = \"accept\"; } );\n";
  scenario s;
  load_ok(text, &s, NULL, 0);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = run_rep(&s, 0, NULL);
  double pv[2] = {0, 0}, base[2] = {5.0 * 0.5 * 600 * 1200 / 1e6, 5.0 * 1.0 * 400 * 1200 / 1e6};
  for (int t = 0; t < 5; t++) {
    const double *row = out + (size_t)t * l.n;
    double D = pow(1.1, -(t + 1) / 12.0);
    for (int k = 0; k < 2; k++) {
      double rev = base[k] * exp(0.12 * t / 12.0);
      pv[k] += rev / 12.0 * D;
      double value = pv[k] + 4.0 * rev * D;
      assert_close(row[l.revenue + (size_t)k], rev, 1e-12 * rev);
      assert_close(row[l.value + (size_t)k], value, 1e-12 * value);
      double owners = value;
      if (k == 0 && t >= 1)
        owners = (1 - 0.25) * (value + 100.0 * pow(1.1, -1 / 12.0));
      assert_close(row[l.owners_value + (size_t)k], owners, 1e-12 * owners);
    }
  }
  free(out);
}

/* Accepting: neutrality falls by loss * stake (+ board seat) and perceived
 * neutrality follows with lag omega. */
static void test_accept_event_neutrality(void **state)
{
  (void)state;
  const char *sets[] = {"population.developers=1000", "steps=3", "events.[0].decision=accept",
                        "events.[0].board_seat=true"};
  scenario s;
  load_ok("", &s, sets, 4);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = run_rep(&s, 0, NULL);
  double n1 = 0.95 - 3.0 * 500.0 / 7000.0 - 0.2, m = 0.95;
  for (size_t t = 0; t < 3; t++) {
    m += 0.1 * (n1 - m);
    assert_close(out[t * l.n + l.neutrality], m, 1e-12);
  }
  free(out);
}

static void test_no_switch_without_revision(void **state)
{
  (void)state;
  const char *sets[] = {"population.developers=5000", "population.revision_rate=0",
                        "events.[0].responses.[0].probability=0", "steps=30"};
  scenario s;
  load_ok("", &s, sets, 4);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = run_rep(&s, 0, NULL);
  for (size_t t = 0; t < 30; t++) {
    assert_close(out[t * l.n + M_VENDOR_SWITCHES] + out[t * l.n + M_HUB_SWITCHES], 0, 0);
    assert_close(out[t * l.n + M_MEAN_TENURE], (double)t + 1, 1e-12);
    for (size_t j = 0; j < s.n_vendors; j++)
      assert_close(out[t * l.n + l.vendor_share + j], out[l.vendor_share + j], 0);
  }
  /* Exact initial counts by largest remainder: 88/6/1/3/2 percent. */
  assert_close(out[l.vendor_share], 0.88, 1e-15);
  assert_close(out[l.vendor_share + 2], 0.01, 1e-15);
  free(out);
}

static void test_same_seed_same_numbers(void **state)
{
  (void)state;
  const char *sets[] = {"population.developers=5000", "steps=30", "network.type=small_world"};
  scenario s;
  load_ok("", &s, sets, 3);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *a = run_rep(&s, 3, NULL), *b = run_rep(&s, 3, NULL), *c = run_rep(&s, 4, NULL);
  size_t bytes = 30 * l.n * sizeof(double);
  assert_memory_equal(a, b, bytes);
  assert_memory_not_equal(a, c, bytes);
  free(a);
  free(b);
  free(c);
}

/* The backstop behind the load-time bounds: a scenario changed after its
 * checks so that revenue overflows stops the run (-1) at the step where it
 * does, rather than handing an infinity to the CSV writers. */
static void test_non_finite_stops_the_run(void **state)
{
  (void)state;
  const char *sets[] = {"population.developers=200", "steps=5", "segments.[0].revenue=1.0"};
  scenario s;
  load_ok("", &s, sets, 3);
  s.segments[0].revenue = 1e308; /* past scenario_bounds.c on purpose */
  s.organisations = 1000000000L;
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = malloc(5 * l.n * sizeof *out);
  market *m = market_alloc(&s, 1);
  market_outcome o;
  assert_int_equal(market_run(m, rng_replication_seed(1, 0), out, &o), -1);
  market_free(m);
  s.segments[0].revenue = 1e3; /* the same run with finite money completes */
  m = market_alloc(&s, 1);
  assert_int_equal(market_run(m, rng_replication_seed(1, 0), out, &o), 0);
  for (size_t i = 0; i < 5 * l.n; i++)
    assert_true(isfinite(out[i]));
  market_free(m);
  free(out);
}

/* market_check holds after a run and finds a count, a share, a tenure or
 * a launch rule broken on purpose. */
static void test_market_check_finds_corruption(void **state)
{
  (void)state;
  const char *sets[] = {"population.developers=2000", "steps=20",
                        "events.[0].responses.[0].probability=1"};
  scenario s;
  load_ok("", &s, sets, 3);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = malloc((size_t)s.steps * l.n * sizeof *out);
  market *m = market_alloc(&s, 1);
  market_outcome oc;
  assert_int_equal(market_run(m, rng_replication_seed(1, 0), out, &oc), 0);
  char why[256];
  const double *last = out + 19 * l.n;
  assert_int_equal(market_check(m, 19, last, why, sizeof why), 0);
  m->nv[0]++;
  assert_int_equal(market_check(m, 19, last, why, sizeof why), -1);
  assert_non_null(strstr(why, "counts"));
  m->nv[0]--;
  double *row = malloc(l.n * sizeof *row);
  memcpy(row, last, l.n * sizeof *row);
  row[l.vendor_conc + 4] = 0.5; /* cr1 that is not the largest share */
  assert_int_equal(market_check(m, 19, row, why, sizeof why), -1);
  memcpy(row, last, l.n * sizeof *row);
  row[l.hub_share] += 1e-3;
  assert_int_equal(market_check(m, 19, row, why, sizeof why), -1);
  int32_t sv = m->rec[m->order[0]].sv;
  m->rec[m->order[0]].sv = 25; /* a switch in the future */
  assert_int_equal(market_check(m, 19, last, why, sizeof why), -1);
  m->rec[m->order[0]].sv = sv;
  assert_int_equal(market_check(m, 19, last, why, sizeof why), 0);
  m->launch_step[1] = -1; /* live but never launched */
  assert_int_equal(market_check(m, 19, last, why, sizeof why), -1);
  assert_non_null(strstr(why, "launch step"));
  free(row);
  free(out);
  market_free(m);
}

/* One step by hand, rule by rule (SPEC 2, 6): no revision, so the shares
 * are the initial exact counts; every developer publishes; an accepted
 * investment at step 0.  Maturity, true and perceived neutrality and both
 * catalogs after the step are computed from the formulas. */
static void test_one_step_dynamics(void **state)
{
  (void)state;
  const char *text =
      "steps = 1; population: { developers = 10; revision_rate = 0.0; };\n"
      "segments = ( { name = \"s\"; publisher_prob = 1.0; } );\n"
      "dynamics: { maturity_network = 0.3; catalog_decay = 0.1; uploads_per_publisher = 2.0;\n"
      "  multihoming = 0.5; trust_speed = 0.25; };\n"
      "vendors = ( { name = \"a\"; maturity = 0.4; maturity_rate = 0.1; initial_share = 0.7; },\n"
      "  { name = \"b\"; maturity = 0.2; maturity_rate = 0.05; initial_share = 0.3; } );\n"
      "hubs = ( { name = \"h\"; neutrality = 0.9; catalog = 100.0; initial_share = 0.6; },\n"
      "  { name = \"g\"; neutrality = 0.5; catalog = 10.0; initial_share = 0.4; } );\n"
      "events = ( { step = 0; type = \"investment\"; investor = \"a\"; hub = \"h\";\n"
      "  amount = 100.0; valuation = 400.0; decision = \"accept\"; neutrality_loss = 0.8;\n"
      "  growth_boost = 2.0; boost_steps = 1; } );\n";
  scenario s;
  load_ok(text, &s, NULL, 0);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = run_rep(&s, 0, NULL);
  /* S + min(1, eta + zeta x) (1 - S) */
  assert_close(out[l.maturity], 0.4 + (0.1 + 0.3 * 0.7) * 0.6, 1e-15);
  assert_close(out[l.maturity + 1], 0.2 + (0.05 + 0.3 * 0.3) * 0.8, 1e-15);
  /* n = 0.9 - 0.8 * 100 / 400 = 0.7; m = 0.9 + 0.25 (0.7 - 0.9) */
  assert_close(out[l.neutrality], 0.85, 1e-15);
  assert_close(out[l.neutrality + 1], 0.5, 0);
  /* (1 - delta) C + u (1 + b) (P_k + rho (P - P_k)), b = 2 * 100 / 1000 */
  assert_close(out[l.catalog], 0.9 * 100 + 2 * 1.2 * (6 + 0.5 * 4), 1e-12);
  assert_close(out[l.catalog + 1], 0.9 * 10 + 2 * 1.0 * (4 + 0.5 * 6), 1e-12);
  assert_close(out[l.vendor_share], 0.7, 1e-15);
  assert_close(out[l.hub_share], 0.6, 1e-15);
  free(out);
}

/* Switching costs with the tenure cap, at temperature 0: everyone starts
 * on (a, h) with tenure 50 and revises; b is worth 0.75 more than a, g 0.35
 * more than h; switching costs 0.2 + 0.05 min(50, 10) = 0.7 for a vendor
 * and 0.1 + 0.02 min(50, 10) = 0.3 for a hub.  Cells: (a,h) 0, (a,g) 0.05,
 * (b,h) 0.05, (b,g) 0.1: all move to (b, g).  Without the cap they would
 * all stay. */
static void test_one_step_switching_costs(void **state)
{
  (void)state;
  const char *text =
      "steps = 1; population: { developers = 4; revision_rate = 1.0; initial_tenure = 50; };\n"
      "segments = ( { name = \"s\"; } );\n"
      "utility: { temperature = 0.0; price_performance = 0.0; maturity = 1.0;\n"
      "  vendor_network = 0.0; catalog = 0.0; hub_network = 0.0; neutrality = 1.0; tilt = 0.0;\n"
      "  vendor_switch_cost = 0.2; vendor_switch_cost_per_step = 0.05; hub_switch_cost = 0.1;\n"
      "  hub_switch_cost_per_step = 0.02; tenure_cap = 10; };\n"
      "vendors = ( { name = \"a\"; maturity = 0.0; initial_share = 1.0; },\n"
      "  { name = \"b\"; maturity = 0.75; } );\n"
      "hubs = ( { name = \"h\"; neutrality = 0.0; initial_share = 1.0; },\n"
      "  { name = \"g\"; neutrality = 0.35; } );\n";
  scenario s;
  load_ok(text, &s, NULL, 0);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = run_rep(&s, 0, NULL);
  assert_close(out[l.vendor_share + 1], 1.0, 0);
  assert_close(out[l.hub_share + 1], 1.0, 0);
  assert_close(out[M_VENDOR_SWITCHES], 4, 0);
  assert_close(out[M_HUB_SWITCHES], 4, 0);
  assert_close(out[M_MEAN_TENURE], 0, 0);
  free(out);
  /* A cap of 20 makes both switches cost more than they gain: all stay. */
  const char *cap20[] = {"utility.tenure_cap=20"};
  load_ok(text, &s, cap20, 1);
  out = run_rep(&s, 0, NULL);
  assert_close(out[l.vendor_share], 1.0, 0);
  assert_close(out[M_VENDOR_SWITCHES] + out[M_HUB_SWITCHES], 0, 0);
  assert_close(out[M_MEAN_TENURE], 51, 0);
  free(out);
}

/* The relative tilt at temperature 0 for first-time choosers (no
 * switching cost): hub h tilts 0.4 toward a and 0.3 toward b, hub g
 * subsidises b's users by 0.2.  Cells: (a,h) 0.4 - 0.3 = 0.1,
 * (b,h) 0.3 - 0.4 = -0.1, (a,g) 0, (b,g) 0.2: everyone takes (b, g); an
 * absolute tilt would send them all to (a, h). */
static void test_one_step_relative_tilt(void **state)
{
  (void)state;
  const char *text =
      "steps = 1; population: { developers = 6; initial_active = 0; revision_rate = 0.0;\n"
      "  entry: { mode = \"fixed\"; per_step = 6; }; };\n"
      "segments = ( { name = \"s\"; } );\n"
      "utility: { temperature = 0.0; price_performance = 0.0; maturity = 0.0;\n"
      "  vendor_network = 0.0; catalog = 0.0; hub_network = 0.0; neutrality = 0.0; tilt = 1.0; };\n"
      "vendors = ( { name = \"a\"; }, { name = \"b\"; } );\n"
      "hubs = ( { name = \"h\"; tilt = { a = 0.4; b = 0.3; }; },\n"
      "  { name = \"g\"; subsidy = { b = 0.2; }; } );\n";
  scenario s;
  load_ok(text, &s, NULL, 0);
  metric_layout l;
  metric_layout_init(&l, &s);
  double *out = run_rep(&s, 0, NULL);
  assert_close(out[M_ACTIVE], 6, 0);
  assert_close(out[l.vendor_share + 1], 1.0, 0);
  assert_close(out[l.hub_share + 1], 1.0, 0);
  assert_close(out[M_VENDOR_SWITCHES] + out[M_REVISIONS], 0, 0); /* entrants */
  free(out);
}

/* Peers on a graph, at temperature 0: a ring (small world without
 * rewiring, degree 2), two equal vendors, the count of neighbours on a
 * vendor as the only term.  Each developer takes the vendor most of its two
 * neighbours use (a tie to the lower index), computed here from the cells
 * dealt before the step. */
static void test_one_step_graph_peers(void **state)
{
  (void)state;
  const char *text =
      "steps = 1; population: { developers = 12; revision_rate = 1.0; };\n"
      "segments = ( { name = \"s\"; } );\n"
      "network: { type = \"small_world\"; degree = 2; rewire = 0.0; };\n"
      "utility: { temperature = 0.0; price_performance = 0.0; maturity = 0.0;\n"
      "  vendor_network = 1.0; vendor_network_form = \"count\"; catalog = 0.0;\n"
      "  hub_network = 0.0; neutrality = 0.0; tilt = 0.0; vendor_switch_cost = 0.0;\n"
      "  vendor_switch_cost_per_step = 0.0; hub_switch_cost = 0.0; };\n"
      "vendors = ( { name = \"a\"; initial_share = 0.5; }, { name = \"b\"; initial_share = 0.5; } "
      ");\n"
      "hubs = ( { name = \"h\"; initial_share = 1.0; } );\n";
  scenario s;
  load_ok(text, &s, NULL, 0);
  for (size_t r = 0; r < 5; r++) {
    metric_layout l;
    metric_layout_init(&l, &s);
    double *out = malloc(l.n * sizeof *out);
    market *m = market_alloc(&s, 1);
    uint64_t key = rng_replication_seed(1, r);
    assert_int_equal(market_start(m, key), 0);
    uint8_t before[12], want[12];
    memcpy(before, m->cell, sizeof before);
    for (size_t i = 0; i < 12; i++) {
      size_t on_b = (size_t)(before[(i + 1) % 12] == 1) + (size_t)(before[(i + 11) % 12] == 1);
      want[i] = on_b == 2; /* b only if both use it; 1-1 is a tie: the lower index, a */
    }
    market_outcome oc;
    assert_int_equal(market_steps(m, key, out, &oc), 0);
    for (size_t i = 0; i < 12; i++)
      assert_int_equal(m->cell[i], want[i]);
    free(out);
    market_free(m);
  }
}

/* The initial draws (SPEC 2): segments in proportion to their weights,
 * publishers with their segment's probability, and the three taste
 * multipliers log-normal with mean 1 (exp(sigma Z - sigma^2 / 2)); each
 * within 4 standard errors over 100,000 developers. */
/* Largest remainder, written out here: `total` by weights w (ties to the
 * lowest index). */
static void exact_counts(size_t total, const double *w, size_t n, size_t *out)
{
  double sum = 0, rem[8];
  size_t used = 0;
  for (size_t x = 0; x < n; x++)
    sum += w[x];
  for (size_t x = 0; x < n; x++) {
    double q = (double)total * w[x] / sum;
    out[x] = (size_t)floor(q);
    rem[x] = q - floor(q);
    used += out[x];
  }
  for (; used < total; used++) {
    size_t best = 0;
    for (size_t x = 1; x < n; x++)
      if (rem[x] > rem[best])
        best = x;
    out[best]++;
    rem[best] = -1;
  }
}

/* The initial deal gives every vendor and every hub live at the start
 * exactly its largest-remainder count, also when a hub's count is one
 * among 200,003 developers (four blocks of the deal and a part), at
 * one thread and two. */
static void test_initial_counts_exact(void **state)
{
  (void)state;
  const char *shares[][3] = {
      {"hubs.[0].initial_share=0.999994", "hubs.[1].initial_share=0.000006",
       "hubs.[2].initial_share=0"},
      {"hubs.[0].initial_share=0.99999", "hubs.[1].initial_share=0.000004",
       "hubs.[2].initial_share=0.000006"},
      {"hubs.[0].initial_share=0.5", "hubs.[1].initial_share=0.3", "hubs.[2].initial_share=0.2"}};
  const char *text = "vendors = ( { name = \"a\"; initial_share = 0.7; },\n"
                     "  { name = \"b\"; initial_share = 0.2; },\n"
                     "  { name = \"c\"; initial_share = 0.1; } );\n"
                     "hubs = ( { name = \"h0\"; }, { name = \"h1\"; }, { name = \"h2\"; } );\n"
                     "segments = ( { name = \"s\"; } );\n"
                     "population: { developers = 200003; initial_active = 200003; };\n";
  for (size_t v = 0; v < 3; v++)
    for (int th = 1; th <= 2; th++) {
      scenario s;
      load_ok(text, &s, shares[v], 3);
      market *m = market_alloc(&s, th);
      assert_int_equal(market_start(m, rng_replication_seed(5, v)), 0);
      double wv[SCN_MAX_VENDORS], wh[SCN_MAX_HUBS];
      size_t want_v[SCN_MAX_VENDORS], want_h[SCN_MAX_HUBS], nv[SCN_MAX_VENDORS] = {0},
                                                            nh[SCN_MAX_HUBS] = {0};
      for (size_t j = 0; j < s.n_vendors; j++)
        wv[j] = s.vendors[j].initial_share;
      for (size_t k = 0; k < s.n_hubs; k++)
        wh[k] = s.hubs[k].initial_share;
      exact_counts(200003, wv, s.n_vendors, want_v);
      exact_counts(200003, wh, s.n_hubs, want_h);
      for (size_t i = 0; i < m->n; i++) {
        nv[m->cell_vendor[m->cell[i]]]++;
        nh[m->cell_hub[m->cell[i]]]++;
      }
      for (size_t j = 0; j < s.n_vendors; j++)
        assert_int_equal(nv[j], want_v[j]);
      for (size_t k = 0; k < s.n_hubs; k++)
        assert_int_equal(nh[k], want_h[k]);
      assert_true(v == 2 || want_h[1] == 1); /* the cases meant */
      market_free(m);
    }
}

/* A market with more (segment, publisher, cell) classes than the initial
 * count's histogram holds (5 segments x 2 x 16 vendors x 8 hubs = 1,280)
 * counts each developer into its tally itself: every count (vendor, hub,
 * cell, publishers by hub, developers by segment and hub) recounted from
 * the developers, at one thread and two. */
static void test_initial_counts_many_classes(void **state)
{
  (void)state;
  char text[4096];
  size_t len = 0;
  len += (size_t)snprintf(text + len, sizeof text - len, "vendors = (");
  for (int j = 0; j < 16; j++)
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "%s{ name = \"v%d\"; initial_share = %d; }", j ? ", " : "", j, j + 1);
  len += (size_t)snprintf(text + len, sizeof text - len, ");\nhubs = (");
  for (int k = 0; k < 8; k++)
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "%s{ name = \"h%d\"; initial_share = %d; }", k ? ", " : "", k, 8 - k);
  len += (size_t)snprintf(text + len, sizeof text - len, ");\nsegments = (");
  for (int g = 0; g < 5; g++)
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "%s{ name = \"s%d\"; weight = %d; publisher_prob = 0.3; }",
                            g ? ", " : "", g, g + 1);
  snprintf(text + len, sizeof text - len,
           ");\npopulation: { developers = 30011; initial_active = 20011; };\n");
  for (int th = 1; th <= 2; th++) {
    scenario s;
    load_ok(text, &s, NULL, 0);
    market *m = market_alloc(&s, th);
    assert_int_equal(market_start(m, rng_replication_seed(9, (uint64_t)th)), 0);
    size_t nv[SCN_MAX_VENDORS] = {0}, nh[SCN_MAX_HUBS] = {0}, pub[SCN_MAX_HUBS] = {0};
    static size_t ncell[SCN_MAX_VENDORS * SCN_MAX_HUBS], nsh[SCN_MAX_SEGMENTS * SCN_MAX_HUBS];
    memset(ncell, 0, sizeof ncell);
    memset(nsh, 0, sizeof nsh);
    size_t active = 0;
    for (size_t i = 0; i < m->n; i++) {
      uint8_t c = m->cell[i];
      if (c == CELL_INACTIVE)
        continue;
      size_t j = m->cell_vendor[c], k = m->cell_hub[c], g = m->seg[i] & SEG_MASK;
      active++;
      nv[j]++;
      nh[k]++;
      ncell[c]++;
      pub[k] += (m->seg[i] & SEG_PUBLISHER) != 0;
      nsh[g * s.n_hubs + k]++;
    }
    assert_int_equal(active, 20011);
    assert_int_equal(m->active, 20011);
    for (size_t j = 0; j < 16; j++)
      assert_int_equal(m->nv[j], nv[j]);
    for (size_t k = 0; k < 8; k++) {
      assert_int_equal(m->nh[k], nh[k]);
      assert_int_equal(m->pub[k], pub[k]);
      assert_true(nh[k] > 0);
      for (size_t g = 0; g < 5; g++)
        assert_int_equal(m->nsh[g * s.n_hubs + k], nsh[g * s.n_hubs + k]);
    }
    for (size_t c = 0; c < 16 * 8; c++)
      assert_int_equal(m->ncell[c], ncell[c]);
    market_free(m);
  }
}

static void test_initial_draws(void **state)
{
  (void)state;
  const char *text =
      "population: { developers = 100000; };\n"
      "segments = ( { name = \"a\"; weight = 0.8; heterogeneity = 0.5;\n"
      "  publisher_prob = 0.1; },\n"
      "  { name = \"b\"; weight = 0.2; heterogeneity = 0.5; publisher_prob = 0.4; } );\n";
  scenario s;
  load_ok(text, &s, NULL, 0);
  market *m = market_alloc(&s, 1);
  assert_int_equal(market_start(m, rng_replication_seed(1, 0)), 0);
  double n = 100000, in_a = 0, pub[2] = {0, 0}, mean[3] = {0, 0, 0}, sq[3] = {0, 0, 0};
  for (size_t i = 0; i < 100000; i++) {
    int g = m->seg[i] & SEG_MASK;
    in_a += g == 0;
    pub[g] += (m->seg[i] & SEG_PUBLISHER) != 0;
    double e[3] = {m->rec[i].bpp / s.segments[g].u.price_performance,
                   m->rec[i].bn / s.segments[g].u.neutrality, m->rec[i].kappa};
    for (int x = 0; x < 3; x++) {
      mean[x] += e[x] / n;
      sq[x] += e[x] * e[x] / n;
    }
  }
  assert_close(in_a / n, 0.8, N_SE * sqrt(0.8 * 0.2 / n));
  double na = in_a, nb = n - in_a;
  assert_close(pub[0] / na, 0.1, N_SE * sqrt(0.1 * 0.9 / na));
  assert_close(pub[1] / nb, 0.4, N_SE * sqrt(0.4 * 0.6 / nb));
  double var = exp(0.25) - 1; /* of a log-normal with mean 1 and sigma 0.5 */
  for (int x = 0; x < 3; x++) {
    print_message("multiplier %d: mean %.4f, variance %.4f (exact 1, %.4f)\n", x, mean[x],
                  sq[x] - mean[x] * mean[x], var);
    assert_close(mean[x], 1.0, N_SE * sqrt(var / n));
  }
  market_free(m);
}

/* Klemperer for hubs: one vendor, two identical hubs, a hub switching cost
 * of 1.5 with temperature 1 and catalogs and neutrality off: a reviser
 * leaves its hub with probability 1 / (1 + e^1.5), whatever the per-step
 * cost when that is 0. */
static void test_hub_switching_cost(void **state)
{
  (void)state;
  const char *text =
      "steps = 20; seed = 6;\n"
      "population: { developers = 10000; revision_rate = 0.5; };\n"
      "vendors = ( { name = \"a\"; } );\n"
      "hubs = ( { name = \"h\"; initial_share = 0.5; }, { name = \"g\"; initial_share = 0.5; } );\n"
      "segments = ( { name = \"s\"; } );\n"
      "utility: { temperature = 1.0; price_performance = 0.0; maturity = 0.0;\n"
      "  vendor_network = 0.0; catalog = 0.0; hub_network = 0.0; neutrality = 0.0;\n"
      "  tilt = 0.0; vendor_switch_cost = 0.0; vendor_switch_cost_per_step = 0.0;\n"
      "  hub_switch_cost = 1.5; hub_switch_cost_per_step = 0.0; };\n"
      "dynamics: { maturity_network = 0.0; uploads_per_publisher = 0.0; };\n";
  scenario s;
  load_ok(text, &s, NULL, 0);
  metric_layout l;
  metric_layout_init(&l, &s);
  double rev = 0, sw = 0;
  for (size_t r = 0; r < 5; r++) {
    double *out = run_rep(&s, r, NULL);
    for (size_t t = 0; t < 20; t++) {
      rev += out[t * l.n + M_REVISIONS];
      sw += out[t * l.n + M_HUB_SWITCHES];
      /* one vendor: nobody changes vendor, and vendor tenure only grows */
      assert_close(out[t * l.n + M_VENDOR_SWITCHES], 0, 0);
      assert_close(out[t * l.n + M_MEAN_TENURE], (double)t + 1, 1e-12);
    }
    free(out);
  }
  double p = 1.0 / (1.0 + exp(1.5));
  print_message("hub switches per revision %.4f +- %.4f (exact %.4f)\n", sw / rev,
                sqrt(p * (1 - p) / rev), p);
  assert_close(sw / rev, p, N_SE * sqrt(p * (1 - p) / rev));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_polya_urn),
      cmocka_unit_test(test_bass_diffusion),
      cmocka_unit_test(test_switching_cost),
      cmocka_unit_test(test_logit_cell_probabilities),
      cmocka_unit_test(test_temperature_zero_is_argmax),
      cmocka_unit_test(test_invariants_default_and_graphs),
      cmocka_unit_test(test_rival_launch),
      cmocka_unit_test(test_launch_moves_by_own_draw),
      cmocka_unit_test(test_accept_response_with_backers),
      cmocka_unit_test(test_response_any_same_coin),
      cmocka_unit_test(test_money_by_hand),
      cmocka_unit_test(test_accept_event_neutrality),
      cmocka_unit_test(test_no_switch_without_revision),
      cmocka_unit_test(test_same_seed_same_numbers),
      cmocka_unit_test(test_market_check_finds_corruption),
      cmocka_unit_test(test_non_finite_stops_the_run),
      cmocka_unit_test(test_initial_draws),
      cmocka_unit_test(test_initial_counts_exact),
      cmocka_unit_test(test_initial_counts_many_classes),
      cmocka_unit_test(test_hub_switching_cost),
      cmocka_unit_test(test_one_step_dynamics),
      cmocka_unit_test(test_one_step_switching_costs),
      cmocka_unit_test(test_one_step_relative_tilt),
      cmocka_unit_test(test_one_step_graph_peers),
  };
  return cmocka_run_group_tests_name("market", tests, NULL, NULL);
}
