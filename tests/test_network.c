/* network: structural invariants of every graph type. */
#include "testutil.h"

#include "network.h"

static network *build(const char *type, long n, long d, double rewire, uint64_t seed)
{
  char sets[3][64];
  snprintf(sets[0], 64, "network.type=%s", type);
  snprintf(sets[1], 64, "population.developers=%ld", n);
  snprintf(sets[2], 64, "network.degree=%ld", d);
  char rw[64];
  snprintf(rw, 64, "network.rewire=%g", rewire);
  const char *s4[] = {sets[0], sets[1], sets[2], rw};
  static scenario s;
  load_ok("", &s, s4, 4);
  network *g = network_alloc(&s);
  assert_non_null(g);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  rng_gsl_seed(r, seed, RNG_GRAPH);
  assert_int_equal(network_build(g, &s, r), 0);
  gsl_rng_free(r);
  return g;
}

static int has_edge(const network *g, uint32_t u, uint32_t v)
{
  for (size_t x = g->offset[u]; x < g->offset[u + 1]; x++)
    if (g->adj[x] == v)
      return 1;
  return 0;
}

/* No self-loops, no multi-edges, symmetric. */
static void check_simple(const network *g)
{
  for (uint32_t u = 0; u < g->n; u++)
    for (size_t x = g->offset[u]; x < g->offset[u + 1]; x++) {
      uint32_t v = g->adj[x];
      assert_true(v != u);
      assert_true(v < g->n);
      assert_true(has_edge(g, v, u));
      for (size_t y = x + 1; y < g->offset[u + 1]; y++)
        assert_true(g->adj[y] != v);
    }
}

static void test_random_regular(void **state)
{
  (void)state;
  network *g = build("random_regular", 2000, 10, 0, 1);
  check_simple(g);
  for (size_t i = 0; i < g->n; i++)
    assert_int_equal(g->offset[i + 1] - g->offset[i], 10);
  network_free(g);
  /* Dense corner: 6 nodes of degree 5 is the complete graph. */
  g = build("random_regular", 6, 5, 0, 2);
  check_simple(g);
  assert_int_equal(g->n_adj, 30);
  network_free(g);
  /* Odd degree with even N. */
  g = build("random_regular", 1000, 3, 0, 3);
  check_simple(g);
  assert_int_equal(g->n_adj, 3000);
  network_free(g);
}

static void test_small_world(void **state)
{
  (void)state;
  /* rewire 0: the ring lattice, i adjacent to i +- 1 .. i +- d/2. */
  network *g = build("small_world", 500, 6, 0.0, 4);
  check_simple(g);
  for (uint32_t i = 0; i < 500; i++) {
    assert_int_equal(g->offset[i + 1] - g->offset[i], 6);
    for (uint32_t j = 1; j <= 3; j++)
      assert_true(has_edge(g, i, (i + j) % 500));
  }
  network_free(g);
  /* rewire 0.1: edge count kept, about 10% of lattice edges moved. */
  g = build("small_world", 5000, 10, 0.1, 5);
  check_simple(g);
  assert_int_equal(g->n_adj, 50000);
  size_t lattice = 0;
  for (uint32_t i = 0; i < 5000; i++)
    for (uint32_t j = 1; j <= 5; j++)
      lattice += (size_t)has_edge(g, i, (i + j) % 5000);
  double moved = 1.0 - (double)lattice / 25000.0;
  assert_close(moved, 0.1, N_SE * sqrt(0.1 * 0.9 / 25000.0));
  network_free(g);
}

static void test_scale_free(void **state)
{
  (void)state;
  network *g = build("scale_free", 5000, 6, 0, 6);
  check_simple(g);
  /* Complete graph on 4 nodes (6 edges), then 3 edges per new node. */
  assert_int_equal(g->n_adj, 2 * (6 + (5000 - 4) * 3));
  size_t maxdeg = 0;
  for (size_t i = 0; i < g->n; i++) {
    size_t d = g->offset[i + 1] - g->offset[i];
    assert_true(d >= 3);
    if (d > maxdeg)
      maxdeg = d;
  }
  /* Preferential attachment grows hubs far above the mean degree of 6
   * (expected maximum ~ m sqrt(N) = 212); a uniform attachment would not. */
  assert_true(maxdeg > 60);
  network_free(g);
}

static void test_same_seed_same_graph(void **state)
{
  (void)state;
  network *a = build("small_world", 1000, 4, 0.3, 7), *b = build("small_world", 1000, 4, 0.3, 7);
  assert_int_equal(a->n_adj, b->n_adj);
  assert_memory_equal(a->adj, b->adj, a->n_adj * sizeof *a->adj);
  network_free(a);
  network_free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_random_regular),
      cmocka_unit_test(test_small_world),
      cmocka_unit_test(test_scale_free),
      cmocka_unit_test(test_same_seed_same_graph),
  };
  return cmocka_run_group_tests_name("network", tests, NULL, NULL);
}
