/* market: the step loop of SPEC section 4, the initial state and the metrics.
 *
 * Invariants after every step (market_check verifies them, after every
 * step of every test run):
 *   order[0 .. active) are the developers with a cell, the rest have none;
 *   nv, nh, ncell, pub and nsh are the counts of those developers;
 *   a hub that is not live has nh == 0 and launch_step -1, a live one >= 0;
 *   sum_sv == sum of sv over active developers, every sv and sh <= t;
 *   maturity, perceived and true neutrality in [0, 1], catalogs >= 0.
 * Choices read only the state at the start of the step (synchronous update):
 * they are written to `choice` and applied together afterwards. */
#include "market_internal.h"

#include <stdatomic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include <gsl/gsl_randist.h>

#include "bigmem.h"
#include "choice.h"
#include "normal.h"
#include "rng.h"
#include "signals.h"

#define PREFETCH_AHEAD 32  /* choosers between a prefetch and its use */
#define ORDER_AHEAD    512 /* positions of `order` read ahead while drawing revisers */
#define ASSIGN_BLOCK   ((size_t)1 << 16) /* developers per block of the initial deal */
#define REVISE_CHUNK   ((size_t)1 << 16) /* positions per reviser stream */

/* ------------------------------------------------------------- allocation */

size_t market_bytes(const scenario *s)
{
  size_t n = (size_t)s->developers;
  size_t per_dev = sizeof(uint32_t) * 2 + sizeof(uint8_t) * 3 + sizeof(dev_rec);
  size_t graph =
      s->network == NET_MEAN_FIELD ? 0
      : s->network == NET_SMALL_WORLD && network_max_adj(s) < 4294967295u
          /* implicit lattice (network.h): the moved bits, the extras'
           * offsets, and their ends (the rewired edges, both ways, with
           * room for chance above the expected share) */
          ? network_max_adj(s) / 16 + 1 + (n + 1) * sizeof(uint32_t) +
                (size_t)(1.2 * s->rewire * (double)network_max_adj(s)) * sizeof(uint32_t) + 4096
          : s->network == NET_RANDOM_REGULAR /* no offsets: every row is degree long */
                ? network_max_adj(s) * sizeof(uint32_t)
                : (n + 1) * sizeof(size_t) + network_max_adj(s) * sizeof(uint32_t);
  return n * per_dev + graph;
}

market *market_alloc(const scenario *s, int threads)
{
  market *m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->s = s;
  const char *chk = getenv("LOCKIN_CHECK");
  m->check = chk && chk[0] == '1';
  m->threads = threads > 0 ? threads : 1;
  metric_layout_init(&m->layout, s);
  m->n = (size_t)s->developers;
  m->J = s->n_vendors;
  m->K = s->n_hubs;
  m->C = m->J * m->K;
  size_t n = m->n;
  m->order = big_alloc(n * sizeof *m->order);
  m->cell = big_alloc(n);
  m->seg = big_alloc(n);
  m->rec = big_alloc(n * sizeof *m->rec);
  m->chooser = big_alloc(n * sizeof *m->chooser);
  m->choice = big_alloc(n);
  m->logit = choice_alloc(s);
  m->tally = aligned_alloc(64, (size_t)m->threads * sizeof *m->tally);
  /* chunk_count serves the reviser chunks and the initial deal's blocks */
  m->chunk_count = /* reviser counts a chunk, or the deal's splits of vendors and hubs */
      malloc((n / REVISE_CHUNK + 1) * (SCN_MAX_VENDORS + SCN_MAX_HUBS) * sizeof *m->chunk_count);
  m->rng = gsl_rng_alloc(gsl_rng_mt19937);
  m->graph = network_alloc(s);
  if (!m->order || !m->cell || !m->seg || !m->rec || !m->chooser || !m->choice || !m->logit ||
      !m->rng || (s->network != NET_MEAN_FIELD && !m->graph)) {
    market_free(m); /* exception in constructor, avoid memory leak */
    return NULL;
  }
  for (size_t c = 0; c < m->C; c++) {
    m->cell_vendor[c] = (uint8_t)(c / m->K);
    m->cell_hub[c] = (uint8_t)(c % m->K);
  }
  return m;
}

void market_free(market *m)
{
  if (!m)
    return;
  free(m->order);
  free(m->cell);
  free(m->seg);
  free(m->rec);
  free(m->chooser);
  free(m->choice);
  choice_free(m->logit);
  free(m->tally);
  free(m->chunk_count);
  if (m->rng)
    gsl_rng_free(m->rng);
  network_free(m->graph);
  free(m);
}

/* ------------------------------------------------------------ bookkeeping */

/* Largest remainder: `total` split by weights w[0..n) (all zero: equal),
 * remainder ties to the lowest index.  Entries with use[x] == 0 get 0. */
static void largest_remainder(size_t total, const double *w, const int *use, size_t n, size_t *out)
{
  double sum = 0, rem[SCN_MAX_VENDORS];
  size_t used = 0, k_use = 0;
  for (size_t x = 0; x < n; x++)
    if (use[x]) {
      sum += w[x];
      k_use++;
    }
  for (size_t x = 0; x < n; x++) {
    double q = !use[x] ? 0.0 : sum > 0 ? (double)total * w[x] / sum : (double)total / (double)k_use;
    out[x] = (size_t)floor(q);
    rem[x] = use[x] ? q - floor(q) : -1.0;
    used += out[x];
  }
  while (used < total) {
    size_t best = 0;
    for (size_t x = 1; x < n; x++)
      if (rem[x] > rem[best])
        best = x;
    out[best]++;
    rem[best] = -1.0;
    used++;
  }
}

/* ------------------------------------------------------------ initial state */

static void split_counts(market *m, size_t a0, const size_t *cnt, size_t n_lab, int last,
                         size_t *block_cnt);
static void tally_add(market_tally *tl, const market *m, size_t i, uint8_t c, int64_t d);
static void settle_block(market *m, market_tally *tl, size_t b, size_t a0, const uint8_t *vend);
static void merge_tallies(market *m);
static int thread_id(void);

#define INIT_BLOCK 32 /* developers set up at a time */

/* Developers b .. b + INIT_BLOCK - 1 (those below n): segment, publisher,
 * tastes, and the steps of their last switches (`start`: the initially
 * active developers' tenure; an entrant's are set when it enters). */
static void init_block(market *m, uint64_t key, size_t b, int hetero, const double *cum,
                       double wsum, int32_t start)
{
  const scenario *s = m->s;
  size_t nb = m->n - b < INIT_BLOCK ? m->n - b : INIT_BLOCK;
  /* Each eight's segment draws and two heterogeneity blocks side by side;
   * then the three log-normal multipliers of every developer in one call
   * (price-performance, neutrality, switching cost: sigma and uniform). */
  enum { B = INIT_BLOCK };
  double sig[3 * B], uz[3 * B], e[3 * B];
  for (size_t b8 = 0; b8 < B; b8 += 8) {
    double u[3][8][2];
    uint32_t i0 = (uint32_t)(b + b8);
    rng_set8 sets[3] = {{RNG_SEGMENT, i0, 0}, {RNG_HETERO, i0, 0}, {RNG_HETERO, i0, 1}};
    rng_uniform2x8n(key, 0, hetero ? 3 : 1, sets, u);
    for (size_t d = 0; d < 8; d++) {
      size_t x = b8 + d, g = 0;
      if (x < nb) {
        double target = u[0][d][0] * wsum;
        while (g + 1 < s->n_segments && !(target < cum[g]))
          g++;
        const scn_segment *sg = &s->segments[g];
        m->seg[b + x] = (uint8_t)(g | (u[0][d][1] < sg->publisher_prob ? SEG_PUBLISHER : 0u));
      }
      sig[x] = sig[B + x] = sig[2 * B + x] = x < nb ? s->segments[g].heterogeneity : 0.0;
      if (hetero) {
        uz[x] = u[1][d][0];
        uz[B + x] = u[1][d][1];
        uz[2 * B + x] = u[2][d][0];
      }
    }
  }
  if (hetero) {
    normal_lognormal(sig, uz, e, 3 * B);
  } else {
    for (size_t x = 0; x < 3 * B; x++)
      e[x] = 1.0;
  }
  for (size_t x = 0; x < nb; x++) {
    size_t i = b + x;
    const scn_segment *sg = &s->segments[m->seg[i] & SEG_MASK];
    m->rec[i].bpp = sg->u.price_performance * e[x];
    m->rec[i].bn = sg->u.neutrality * e[B + x];
    m->rec[i].kappa = e[2 * B + x];
    m->rec[i].sv = m->rec[i].sh = start;
    m->cell[i] = CELL_INACTIVE;
    m->order[i] = (uint32_t)i;
  }
}

/* Every developer's segment, publisher flag and tastes; meanwhile (one
 * thread, the others setting up developers) the vendors' and hubs' split
 * over the deal's blocks, cv and ch into vcnt and hcnt. */
static void init_developers(market *m, uint64_t key, size_t a0, const size_t *cv, const size_t *ch,
                            size_t *vcnt, size_t *hcnt, int32_t start)
{
  const scenario *s = m->s;
  double wsum = 0, cum[SCN_MAX_SEGMENTS];
  for (size_t g = 0; g < s->n_segments; g++)
    cum[g] = (wsum += s->segments[g].weight);
  int hetero = 0;
  for (size_t g = 0; g < s->n_segments; g++)
    hetero |= s->segments[g].heterogeneity > 0;
  /* Every draw is keyed by the developer: any split over threads gives the
   * same values.  INIT_BLOCK developers' draws at a time (the same numbers).
   * The split draws from one GSL generator in order, vendors then hubs, on
   * whichever thread takes it.  One thread enters no parallel region: even
   * a team of one costs libgomp futex calls, five a step. */
  if (m->threads > 1) {
#pragma omp parallel num_threads(m->threads)
    {
#pragma omp single nowait
      {
        split_counts(m, a0, cv, m->J, 0, vcnt);
        split_counts(m, a0, ch, m->K, 1, hcnt);
      }
#pragma omp for schedule(dynamic, 64)
      for (size_t b = 0; b < m->n; b += INIT_BLOCK)
        init_block(m, key, b, hetero, cum, wsum, start);
    }
  } else {
    split_counts(m, a0, cv, m->J, 0, vcnt);
    split_counts(m, a0, ch, m->K, 1, hcnt);
    for (size_t b = 0; b < m->n; b += INIT_BLOCK)
      init_block(m, key, b, hetero, cum, wsum, start);
  }
}

static void deal_block(const market *m, size_t b, size_t a0, const size_t *block_cnt, size_t n_lab,
                       uint32_t lane, uint8_t *label);

/* Deal labels 0 .. n_lab-1 in exact counts cnt[] to developers 0 .. a0-1,
 * every arrangement equally likely (as a uniformly random permutation
 * would).  Developers are cut into blocks of ASSIGN_BLOCK: a multivariate
 * hypergeometric split of the counts over the blocks (sequential, GSL:
 * split_counts), then within a block each developer draws from what is
 * left of its block's counts with its own Philox uniform (blocks in
 * parallel: deal_blocks).  The block size is fixed, so the result does not
 * depend on the threads.  `last`: nothing draws from m->rng after this
 * split before it is seeded again (the hubs' split: the graph, if any, is
 * built after a new seed). */
static void split_counts(market *m, size_t a0, const size_t *cnt, size_t n_lab, int last,
                         size_t *block_cnt)
{
  size_t n_blocks = (a0 + ASSIGN_BLOCK - 1) / ASSIGN_BLOCK;
  size_t left[SCN_MAX_VENDORS], pool = a0;
  for (size_t x = 0; x < n_lab; x++)
    left[x] = cnt[x];
  for (size_t b = 0; b < n_blocks; b++) {
    size_t size = b + 1 < n_blocks ? ASSIGN_BLOCK : a0 - b * ASSIGN_BLOCK, want = size;
    size_t rest = pool; /* labels x.. still in the population */
    for (size_t x = 0; x < n_lab; x++) {
      size_t k = 0;
      size_t others = pool - size + want - left[x]; /* the other labels' counts left */
      if (x + 1 == n_lab)
        k = want;
      else if (want > 0 && left[x] > 0 && last && others == 0)
        /* Only label x is left: GSL's draw is certain (it returns want,
         * every trial a success, b u < a with a = b), and so is every draw
         * after it; only the uniforms it would use up differ, and nothing
         * reads the generator after this split.  So a market with one hub
         * live at the start draws none for the hubs. */
        k = want;
      else if (want > 0 && left[x] > 0)
        k = gsl_ran_hypergeometric(m->rng, (unsigned)left[x], (unsigned)(rest - left[x]),
                                   (unsigned)want);
      rest -= left[x];
      block_cnt[b * n_lab + x] = k;
      want -= k;
      left[x] -= k;
    }
    pool -= size;
  }
}

static void deal_blocks(const market *m, size_t a0, const size_t *block_cnt, size_t n_lab,
                        uint32_t lane, uint8_t *label)
{
  size_t n_blocks = (a0 + ASSIGN_BLOCK - 1) / ASSIGN_BLOCK;
  if (m->threads > 1) {
#pragma omp parallel for num_threads(m->threads) schedule(static)
    for (size_t b = 0; b < n_blocks; b++)
      deal_block(m, b, a0, block_cnt, n_lab, lane, label);
  } else {
    for (size_t b = 0; b < n_blocks; b++)
      deal_block(m, b, a0, block_cnt, n_lab, lane, label);
  }
}

/* Block b of deal_blocks: its developers draw from its counts. */
static void deal_block(const market *m, size_t b, size_t a0, const size_t *block_cnt, size_t n_lab,
                       uint32_t lane, uint8_t *label)
{
  uint64_t key = m->key;
  size_t c[SCN_MAX_VENDORS], lo = b * ASSIGN_BLOCK,
                             hi = lo + ASSIGN_BLOCK < a0 ? lo + ASSIGN_BLOCK : a0;
  size_t live = 0; /* labels with counts left */
  for (size_t x = 0; x < n_lab; x++) {
    c[x] = block_cnt[b * n_lab + x];
    live += c[x] > 0;
  }
  double u16[2][8][2];
  for (size_t i = lo; i < hi; i++) {
    if (live == 1) { /* one label left: the rest is certain, no draw needed */
      size_t x = 0;
      while (c[x] == 0)
        x++;
      memset(label + i, (int)x, hi - i);
      break;
    }
    if ((i - lo) % 16 == 0) { /* the next sixteen developers' draws at once */
      rng_set8 sets[2] = {{RNG_ASSIGN, (uint32_t)i, lane}, {RNG_ASSIGN, (uint32_t)i + 8, lane}};
      rng_uniform2x8n(key, 0, 2, sets, u16);
    }
    const double *u = u16[(i - lo) % 16 / 8][(i - lo) % 8];
    double target = u[0] * (double)(hi - i), acc = 0;
    size_t x = 0;
    while (x + 1 < n_lab && !(target < (acc += (double)c[x])))
      x++;
    while (c[x] == 0) /* rounding at the top end: the last label left */
      x--;
    live -= --c[x] == 0;
    label[i] = (uint8_t)x;
  }
}

#define SETTLE_BLOCK 4096 /* initially active developers counted at a time */
#define SETTLE_HIST  1024 /* (segment, publisher, cell) classes counted at once, at most */

/* Developers b .. b + SETTLE_BLOCK - 1 (those below a0): their cell from
 * the dealt vendor (vend) and hub (in cell), counted into tl.  Developers
 * are counted by (segment, publisher flag, cell), one increment each,
 * and the classes folded into the tally after; a market with more classes
 * than SETTLE_HIST adds each developer to the tally itself. */
static void settle_block(market *m, market_tally *tl, size_t b, size_t a0, const uint8_t *vend)
{
  size_t hi = b + SETTLE_BLOCK < a0 ? b + SETTLE_BLOCK : a0, C = m->C, K = m->K;
  size_t classes = m->s->n_segments * 2 * C;
  for (size_t i = b; i < hi; i++)
    m->cell[i] = (uint8_t)(vend[i] * K + m->cell[i]);
  if (classes > SETTLE_HIST) {
    for (size_t i = b; i < hi; i++)
      tally_add(tl, m, i, m->cell[i], +1);
    return;
  }
  uint32_t hist[SETTLE_HIST] = {0};
  for (size_t i = b; i < hi; i++) {
    uint8_t g = m->seg[i];
    hist[((g & SEG_MASK) * 2 + (g >> 7)) * C + m->cell[i]]++;
  }
  for (size_t x = 0; x < classes; x++) {
    if (!hist[x])
      continue;
    size_t c = x % C, gp = x / C, g = gp / 2, k = m->cell_hub[c];
    int64_t n = hist[x];
    tl->nv[m->cell_vendor[c]] += n;
    tl->nh[k] += n;
    tl->ncell[c] += n;
    tl->nsh[g * K + k] += n;
    if (gp % 2)
      tl->pub[k] += n;
  }
}

static void init_state(market *m, uint64_t key)
{
  const scenario *s = m->s;
  size_t J = m->J, K = m->K, a0 = (size_t)s->initial_active;
  memset(m->nv, 0, sizeof m->nv);
  memset(m->nh, 0, sizeof m->nh);
  memset(m->ncell, 0, sizeof m->ncell);
  memset(m->pub, 0, sizeof m->pub);
  memset(m->nsh, 0, sizeof m->nsh);
  memset(m->pv, 0, sizeof m->pv);
  memset(m->cash, 0, sizeof m->cash);
  memset(m->stake, 0, sizeof m->stake);
  memset(m->revenue, 0, sizeof m->revenue);
  for (size_t j = 0; j < J; j++)
    m->S[j] = s->vendors[j].maturity;
  for (size_t k = 0; k < K; k++) {
    const scn_hub *h = &s->hubs[k];
    m->live[k] = h->launch == LAUNCH_START;
    m->launch_step[k] = m->live[k] ? 0 : -1;
    m->catalog[k] = m->live[k] ? h->catalog : 0.0;
    m->neutral[k] = h->neutrality;
    m->trust[k] = h->neutrality;
    for (size_t j = 0; j < J; j++)
      m->theta[k][j] = h->tilt[j];
  }
  for (size_t e = 0; e < s->n_events; e++)
    for (size_t x = 0; x < SCN_MAX_RESPONSES; x++)
      m->launch_at[e][x] = -1;

  /* Exact counts by largest remainder, dealt to a random permutation. */
  double wv[SCN_MAX_VENDORS], wh[SCN_MAX_HUBS];
  int usev[SCN_MAX_VENDORS], useh[SCN_MAX_HUBS];
  size_t cv[SCN_MAX_VENDORS], ch[SCN_MAX_HUBS];
  for (size_t j = 0; j < J; j++) {
    wv[j] = s->vendors[j].initial_share;
    usev[j] = 1;
  }
  for (size_t k = 0; k < K; k++) {
    wh[k] = s->hubs[k].initial_share;
    useh[k] = m->live[k];
  }
  largest_remainder(a0, wv, usev, J, cv);
  largest_remainder(a0, wh, useh, K, ch);
  rng_gsl_seed(m->rng, key, RNG_ASSIGN);
  size_t n_blocks = (a0 + ASSIGN_BLOCK - 1) / ASSIGN_BLOCK;
  size_t *vcnt = m->chunk_count, *hcnt = vcnt + n_blocks * J; /* both fit: market_alloc */
  int32_t start = (int32_t)(-1 - s->initial_tenure);
  init_developers(m, key, a0, cv, ch, vcnt, hcnt, start);
  uint8_t *vend = m->choice; /* free before the time loop: a workspace */
  deal_blocks(m, a0, vcnt, J, 0, vend);
  deal_blocks(m, a0, hcnt, K, 1, m->cell); /* after init_block marked every cell inactive */
  m->sum_sv = (int64_t)a0 * start;
  memset(m->tally, 0, (size_t)m->threads * sizeof *m->tally);
  size_t n_settle = (a0 + SETTLE_BLOCK - 1) / SETTLE_BLOCK;
  if (m->threads > 1) {
#pragma omp parallel num_threads(m->threads)
    {
      market_tally *tl = &m->tally[thread_id()];
#pragma omp for schedule(static)
      for (size_t b = 0; b < n_settle; b++)
        settle_block(m, tl, b * SETTLE_BLOCK, a0, vend);
    }
  } else {
    for (size_t b = 0; b < n_settle; b++)
      settle_block(m, &m->tally[0], b * SETTLE_BLOCK, a0, vend);
  }
  merge_tallies(m);
  m->active = a0;
}

/* ------------------------------------------------------------------ events */

#define LAUNCH_BLOCK 32 /* developers a launch moves at a time */

/* Developers b .. b + LAUNCH_BLOCK - 1 (those below n) of launch_hub: each
 * active one on a backer's hardware moves to hub k if its own uniform
 * (keyed by developer, event x, response y) is below the response's
 * default_fraction; the uniforms of the block's developers drawn together
 * (rng_uniform2x8n: the very numbers of rng_uniform2), skipped when none
 * of them is a candidate. */
static void launch_block(market *m, market_tally *tl, size_t b, uint64_t key, size_t x, size_t y,
                         int32_t t)
{
  const scn_response *r = &m->s->events[x].responses[y];
  size_t k = (size_t)r->hub, K = m->K, nb = m->n - b < LAUNCH_BLOCK ? m->n - b : LAUNCH_BLOCK;
  uint32_t cand = 0; /* bit d: developer b + d is active on a backer's hardware */
  for (size_t d = 0; d < nb; d++) {
    uint8_t c = m->cell[b + d];
    if (c != CELL_INACTIVE && (r->backers >> m->cell_vendor[c] & 1u))
      cand |= 1u << d;
  }
  if (!cand)
    return;
  double u[LAUNCH_BLOCK / 8][8][2];
  rng_set8 sets[LAUNCH_BLOCK / 8];
  for (size_t q = 0; q < LAUNCH_BLOCK / 8; q++)
    sets[q] = (rng_set8){RNG_DEFAULT, (uint32_t)(b + 8 * q), (uint32_t)y};
  rng_uniform2x8n(key, (uint32_t)x, (nb + 7) / 8, sets, u);
  for (size_t d = 0; d < nb; d++) {
    if (!(cand >> d & 1u) || !(u[d / 8][d % 8][0] < r->default_fraction))
      continue;
    size_t i = b + d;
    uint8_t c = m->cell[i], to = (uint8_t)(m->cell_vendor[c] * K + k);
    tally_add(tl, m, i, c, -1);
    m->cell[i] = to;
    tally_add(tl, m, i, to, +1);
    m->rec[i].sh = t;
    tl->hswitch++;
  }
}

/* Response y of event x launches its hub at step t (SPEC 6): live, a
 * mirrored catalog, and each active developer on a backer's hardware moved
 * to it with probability default_fraction (its own draw). */
static void launch_hub(market *m, size_t x, size_t y, uint64_t key, long t)
{
  const scn_event *e = &m->s->events[x];
  const scn_response *r = &e->responses[y];
  size_t k = (size_t)r->hub;
  if (m->live[k])
    return; /* launching a live hub again does nothing */
  m->live[k] = 1;
  m->launch_step[k] = t;
  m->catalog[k] = m->s->hubs[k].catalog + r->mirror_fraction * m->catalog[e->hub];
  if (r->default_fraction <= 0 || r->backers == 0)
    return;
  /* Developers by index, in blocks (with threads, blocks split among
   * them); each draw is keyed by its developer and the counts change in
   * integer tallies, so neither order nor split changes the result. */
  size_t n_blocks = (m->n + LAUNCH_BLOCK - 1) / LAUNCH_BLOCK;
  memset(m->tally, 0, (size_t)m->threads * sizeof *m->tally);
  if (m->threads > 1) {
#pragma omp parallel num_threads(m->threads)
    {
      market_tally *tl = &m->tally[thread_id()];
#pragma omp for schedule(static)
      for (size_t b = 0; b < n_blocks; b++)
        launch_block(m, tl, b * LAUNCH_BLOCK, key, x, y, (int32_t)t);
    }
  } else {
    for (size_t b = 0; b < n_blocks; b++)
      launch_block(m, &m->tally[0], b * LAUNCH_BLOCK, key, x, y, (int32_t)t);
  }
  merge_tallies(m);
}

static double clamp01(double x)
{
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* Discount factor (1 + r)^(-years). */
static double discount(const scenario *s, double steps)
{
  return exp(-steps / (double)s->steps_per_year * log1p(s->discount_rate));
}

static void fire_events(market *m, uint64_t key, long t)
{
  const scenario *s = m->s;
  for (size_t x = 0; x < s->n_events; x++) {
    const scn_event *e = &s->events[x];
    if (e->step != t)
      continue;
    size_t k = (size_t)e->hub;
    if (e->decision == DECISION_ACCEPT) {
      double stake = e->amount / e->valuation;
      double loss = e->neutrality_loss * stake + (e->board_seat ? e->board_seat_loss : 0.0);
      m->neutral[k] = clamp01(m->neutral[k] - loss);
      m->theta[k][e->investor] = clamp01(m->theta[k][e->investor] + e->tilt);
      m->stake[k] += stake;
      m->cash[k] += e->amount * discount(s, (double)e->step);
    } else {
      m->trust[k] = clamp01(m->trust[k] + e->neutrality_gain);
    }
    for (size_t y = 0; y < e->n_responses; y++) {
      const scn_response *r = &e->responses[y];
      if (r->on != DECISION_ANY && r->on != e->decision)
        continue;
      double u[2];
      rng_uniform2(key, RNG_RESPONSE, (uint32_t)x, (uint32_t)y, 0, u);
      if (u[0] < r->probability)
        m->launch_at[x][y] = t + r->delay;
    }
  }
  for (size_t x = 0; x < s->n_events; x++)
    for (size_t y = 0; y < s->events[x].n_responses; y++)
      if (m->launch_at[x][y] == t)
        launch_hub(m, x, y, key, t);
}

static double boost(const market *m, size_t k, long t)
{
  double b = 0;
  for (size_t x = 0; x < m->s->n_events; x++) {
    const scn_event *e = &m->s->events[x];
    if (e->decision == DECISION_ACCEPT && (size_t)e->hub == k && e->step <= t &&
        t < e->step + e->boost_steps)
      b += e->growth_boost * e->amount / 1000.0;
  }
  return b;
}

/* On a graph a choice reads the chooser's row offsets, its neighbour list
 * and each neighbour's cell: three dependent misses.  Walk them in stages
 * for choosers further and further ahead, so each is in cache when used. */
static void prefetch_neighbours(const market *m, size_t x, size_t n_ch)
{
  const network *g = m->graph;
  if (g->half) { /* implicit lattice: the moved bits and the extras' offsets, then
                  * the cells around i (two lines) and the extras' cells */
    if (x + PREFETCH_AHEAD < n_ch) {
      size_t i = m->chooser[x + PREFETCH_AHEAD];
      __builtin_prefetch(&g->xoff[i]);
      __builtin_prefetch(&g->moved[i * g->half >> 3]);
    }
    if (x + PREFETCH_AHEAD / 2 < n_ch) {
      size_t i = m->chooser[x + PREFETCH_AHEAD / 2];
      if (g->xoff[i + 1] > g->xoff[i])
        __builtin_prefetch(&g->xadj[g->xoff[i]]);
    }
    if (x + PREFETCH_AHEAD / 4 < n_ch) {
      size_t i = m->chooser[x + PREFETCH_AHEAD / 4];
      __builtin_prefetch(&m->cell[i >= g->half ? i - g->half : 0]);
      __builtin_prefetch(&m->cell[i + g->half < g->n ? i + g->half : g->n - 1]);
      for (size_t y = g->xoff[i]; y < g->xoff[i + 1]; y++)
        __builtin_prefetch(&m->cell[g->xadj[y]]);
    }
    return;
  }
  if (x + PREFETCH_AHEAD < n_ch && g->offset)
    __builtin_prefetch(&g->offset[m->chooser[x + PREFETCH_AHEAD]]);
  if (x + PREFETCH_AHEAD / 2 < n_ch) { /* a list may straddle two lines */
    size_t i = m->chooser[x + PREFETCH_AHEAD / 2];
    size_t lo = network_first(g, i), hi = network_first(g, i + 1);
    if (hi > lo) {
      __builtin_prefetch(&g->adj[lo]);
      __builtin_prefetch(&g->adj[hi - 1]);
    }
  }
  if (x + PREFETCH_AHEAD / 4 < n_ch) {
    size_t i = m->chooser[x + PREFETCH_AHEAD / 4];
    for (size_t y = network_first(g, i), end = network_first(g, i + 1); y < end; y++)
      __builtin_prefetch(&m->cell[g->adj[y]]);
  }
}

static void tally_add(market_tally *tl, const market *m, size_t i, uint8_t c, int64_t d)
{
  size_t k = m->cell_hub[c];
  tl->nv[m->cell_vendor[c]] += d;
  tl->nh[k] += d;
  tl->ncell[c] += d;
  tl->nsh[(m->seg[i] & SEG_MASK) * m->K + k] += d;
  if (m->seg[i] & SEG_PUBLISHER)
    tl->pub[k] += d;
}

/* Developer i takes cell c at step `now` (an entrant if `entrant`); the
 * counts change in the thread's tally. */
static void apply_choice(market *m, market_tally *tl, size_t i, uint8_t c, int entrant, int32_t now)
{
  uint8_t old = m->cell[i];
  dev_rec *d = &m->rec[i];
  if (entrant) {
    m->cell[i] = c;
    d->sv = d->sh = now;
    tl->sum_sv += now;
    tally_add(tl, m, i, c, +1);
    return;
  }
  tl->revisions++;
  if (c == old)
    return;
  tally_add(tl, m, i, old, -1);
  m->cell[i] = c;
  tally_add(tl, m, i, c, +1);
  if (m->cell_vendor[c] != m->cell_vendor[old]) {
    tl->vswitch++;
    tl->sum_sv += now - d->sv;
    d->sv = now;
  }
  if (m->cell_hub[c] != m->cell_hub[old]) {
    tl->hswitch++;
    d->sh = now;
  }
}

static void merge_tallies(market *m)
{
  for (int th = 0; th < m->threads; th++) {
    const market_tally *tl = &m->tally[th];
    for (size_t j = 0; j < m->J; j++)
      m->nv[j] = (size_t)((int64_t)m->nv[j] + tl->nv[j]);
    for (size_t k = 0; k < m->K; k++) {
      m->nh[k] = (size_t)((int64_t)m->nh[k] + tl->nh[k]);
      m->pub[k] = (size_t)((int64_t)m->pub[k] + tl->pub[k]);
    }
    for (size_t c = 0; c < m->C; c++)
      m->ncell[c] = (size_t)((int64_t)m->ncell[c] + tl->ncell[c]);
    for (size_t x = 0; x < m->s->n_segments * m->K; x++)
      m->nsh[x] = (size_t)((int64_t)m->nsh[x] + tl->nsh[x]);
    m->sum_sv += tl->sum_sv;
    m->step_revisions += tl->revisions;
    m->step_vswitch += tl->vswitch;
    m->step_hswitch += tl->hswitch;
  }
}

static int thread_id(void)
{
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

/* Choosers are scattered over the arrays: ask for the cache lines of a
 * developer a few choices ahead, so the misses overlap instead of queueing. */
static void prefetch_developer(const market *m, size_t i)
{
  __builtin_prefetch(&m->rec[i]);
  __builtin_prefetch(&m->cell[i]);
  __builtin_prefetch(&m->seg[i]);
}

/* Entrants of step t, moved to the active part of `order`. */
static size_t draw_entrants(market *m, uint64_t key, long t, uint32_t *out)
{
  const scenario *s = m->s;
  size_t n_in = m->n - m->active, got = 0, A = m->active;
  if (s->entry == ENTRY_NONE || n_in == 0)
    return 0;
  if (s->entry == ENTRY_FIXED) {
    got = (size_t)s->entry_per_step < n_in ? (size_t)s->entry_per_step : n_in;
    for (size_t x = 0; x < got; x++)
      out[x] = m->order[A + x]; /* the inactive tail stays sorted */
    return got;
  }
  double rate = (s->entry_p + s->entry_q * (double)A / (double)m->n) / (double)s->steps_per_year;
  rng_skip sk;
  rng_skip_init(&sk, key, RNG_ENTRY, (uint32_t)t, 1, -expm1(-rate));
  for (size_t p = rng_skip_next(&sk, 0, n_in); p < n_in; p = rng_skip_next(&sk, p + 1, n_in)) {
    /* Swap the entrant to the front of the inactive part; positions below
     * p are not revisited, so ascending order keeps the rest valid. */
    size_t at = A + got, from = A + p;
    uint32_t i = m->order[from];
    m->order[from] = m->order[at];
    m->order[at] = i;
    out[got++] = i;
  }
  return got;
}

static void record(market *m, long t, double *row)
{
  const metric_layout *l = &m->layout;
  size_t J = m->J, K = m->K;
  double A = (double)m->active, inv = m->active ? 1.0 / A : 0.0;
  row[M_ACTIVE] = A;
  row[M_REVISIONS] = (double)m->step_revisions;
  row[M_VENDOR_SWITCHES] = (double)m->step_vswitch;
  row[M_HUB_SWITCHES] = (double)m->step_hswitch;
  row[M_MEAN_TENURE] = m->active ? ((double)t * A - (double)m->sum_sv) * inv : 0.0;
  const size_t *counts[2] = {m->nv, m->nh};
  size_t sizes[2] = {J, K}, share_at[2] = {l->vendor_share, l->hub_share};
  size_t conc_at[2] = {l->vendor_conc, l->hub_conc};
  for (int side = 0; side < 2; side++) {
    double sum2 = 0, ent = 0, mx = 0;
    for (size_t x = 0; x < sizes[side]; x++) {
      double sh = (double)counts[side][x] * inv;
      row[share_at[side] + x] = sh;
      sum2 += sh * sh;
      if (sh > 0)
        ent -= sh * log(sh);
      if (sh > mx)
        mx = sh;
    }
    double *c = row + conc_at[side];
    int any = m->active > 0;
    c[0] = 10000.0 * sum2;
    c[1] = ent;
    c[2] = any ? exp(ent) : 0.0;
    c[3] = any ? 1.0 / sum2 : 0.0;
    c[4] = mx;
  }
  double cent = 0;
  for (size_t c = 0; c < m->C; c++) {
    double sh = (double)m->ncell[c] * inv;
    if (sh > 0)
      cent -= sh * log(sh);
  }
  row[l->cell_d1] = m->active ? exp(cent) : 0.0;
  for (size_t j = 0; j < J; j++)
    row[l->maturity + j] = m->S[j];
  const scenario *s = m->s;
  double d = discount(s, (double)(t + 1));
  for (size_t k = 0; k < K; k++) {
    row[l->catalog + k] = m->catalog[k];
    row[l->neutrality + k] = m->trust[k];
    row[l->revenue + k] = m->revenue[k];
    double value = m->pv[k] + s->terminal_multiple * m->revenue[k] * d;
    row[l->value + k] = value;
    double kept = m->stake[k] < 1 ? 1 - m->stake[k] : 0.0;
    row[l->owners_value + k] = kept * (value + m->cash[k]);
  }
}

static void update_dynamics(market *m, long t)
{
  const scenario *s = m->s;
  double inv = m->active ? 1.0 / (double)m->active : 0.0;
  for (size_t j = 0; j < m->J; j++) {
    double r = s->vendors[j].maturity_rate + s->maturity_network * (double)m->nv[j] * inv;
    m->S[j] += (r < 1 ? r : 1) * (1 - m->S[j]);
  }
  double P = 0;
  for (size_t k = 0; k < m->K; k++)
    P += (double)m->pub[k];
  for (size_t k = 0; k < m->K; k++) {
    if (!m->live[k])
      continue;
    double pk = (double)m->pub[k];
    m->catalog[k] = (1 - s->catalog_decay) * m->catalog[k] + s->uploads_per_publisher *
                                                                 (1 + boost(m, k, t)) *
                                                                 (pk + s->multihoming * (P - pk));
    m->trust[k] += s->trust_speed * (m->neutral[k] - m->trust[k]);
  }
  /* Money (SPEC 7): each hub's revenue rate, $M per year, and its
   * discounted sum. */
  double O = s->organisations > 0 ? (double)s->organisations : (double)m->n;
  double scale =
      O / (double)m->n * exp(s->revenue_growth * (double)t / (double)s->steps_per_year) / 1e6;
  double d = discount(s, (double)(t + 1)) / (double)s->steps_per_year;
  for (size_t k = 0; k < m->K; k++) {
    double dollars = 0;
    for (size_t g = 0; g < s->n_segments; g++)
      dollars += s->segments[g].revenue * (double)m->nsh[g * m->K + k];
    m->revenue[k] = scale * s->hubs[k].monetization * dollars;
    m->pv[k] += m->revenue[k] * d;
  }
}

/* The backstop behind scenario_bounds.c: no NaN or infinity reaches a
 * result.  Says which figure, once per process. */
static int row_finite(const market *m, long t, const double *row)
{
  static atomic_flag said = ATOMIC_FLAG_INIT;
  for (size_t i = 0; i < m->layout.n; i++)
    if (!isfinite(row[i])) {
      if (!atomic_flag_test_and_set(&said)) {
        char name[96];
        metric_name(m->s, &m->layout, i, name, sizeof name);
        fprintf(stderr,
                "lockin: %s is %g at step %ld: the scenario's numbers overflow a double "
                "together; nothing written\n",
                name, row[i], t);
      }
      return 0;
    }
  return 1;
}

/* ------------------------------------------------------------- invariants */

#define CHECK_TOL 1e-9 /* relative tolerance of recomputed figures */

static int close_to(double a, double b)
{
  return fabs(a - b) <= CHECK_TOL * (1.0 + fabs(b));
}

/* The market's state against its developers; the counts it found go to nv,
 * nh and ncell for the row check.  0, or -1 with why. */
static int check_state(const market *m, long t, size_t *nv, size_t *nh, size_t *ncell, char *why,
                       size_t n)
{
  const scenario *s = m->s;
  size_t J = m->J, K = m->K, C = m->C, G = s->n_segments;
  size_t pub[SCN_MAX_HUBS] = {0}, nsh[SCN_MAX_SEGMENTS * SCN_MAX_HUBS] = {0};
  memset(nv, 0, SCN_MAX_VENDORS * sizeof *nv);
  memset(nh, 0, SCN_MAX_HUBS * sizeof *nh);
  memset(ncell, 0, SCN_MAX_VENDORS * SCN_MAX_HUBS * sizeof *ncell);
  int64_t sum_sv = 0;
  for (size_t x = 0; x < m->n; x++) {
    size_t i = m->order[x];
    uint8_t c = m->cell[i];
    if ((x < m->active) != (c != CELL_INACTIVE)) {
      snprintf(why, n, "position %zu of order (developer %zu) is %s but %s the active part", x, i,
               c == CELL_INACTIVE ? "inactive" : "active", x < m->active ? "in" : "past");
      return -1;
    }
    if (c == CELL_INACTIVE)
      continue;
    if (c >= C || !m->live[m->cell_hub[c]]) {
      snprintf(why, n, "developer %zu is in cell %u (hub not live, or no such cell)", i, c);
      return -1;
    }
    if (m->rec[i].sv > t || m->rec[i].sh > t) {
      snprintf(why, n, "developer %zu switched after step %ld", i, t);
      return -1;
    }
    size_t k = m->cell_hub[c];
    nv[m->cell_vendor[c]]++;
    nh[k]++;
    ncell[c]++;
    nsh[(m->seg[i] & SEG_MASK) * K + k]++;
    pub[k] += (m->seg[i] & SEG_PUBLISHER) != 0;
    sum_sv += m->rec[i].sv;
  }
  if (memcmp(nv, m->nv, J * sizeof *nv) || memcmp(nh, m->nh, K * sizeof *nh) ||
      memcmp(ncell, m->ncell, C * sizeof *ncell) || memcmp(pub, m->pub, K * sizeof *pub) ||
      memcmp(nsh, m->nsh, G * K * sizeof *nsh) || sum_sv != m->sum_sv) {
    snprintf(why, n,
             "the market's counts (vendors, hubs, cells, publishers, segments, tenure) "
             "differ from its developers'");
    return -1;
  }
  for (size_t k = 0; k < K; k++)
    if (m->live[k] ? m->launch_step[k] < 0 || m->launch_step[k] > t
                   : m->launch_step[k] != -1 || m->catalog[k] != 0) {
      snprintf(why, n, "hub %zu: live %d with launch step %ld and catalog %g", k, m->live[k],
               m->launch_step[k], m->catalog[k]);
      return -1;
    }
  for (size_t j = 0; j < J; j++)
    if (!(m->S[j] >= 0 && m->S[j] <= 1)) {
      snprintf(why, n, "maturity of vendor %zu is %g", j, m->S[j]);
      return -1;
    }
  for (size_t k = 0; k < K; k++)
    if (!(m->trust[k] >= 0 && m->trust[k] <= 1 && m->neutral[k] >= 0 && m->neutral[k] <= 1 &&
          m->catalog[k] >= 0)) {
      snprintf(why, n, "hub %zu: neutrality %g (perceived %g), catalog %g", k, m->neutral[k],
               m->trust[k], m->catalog[k]);
      return -1;
    }
  return 0;
}

/* Step t's recorded metrics against their definitions (SPEC 7), from the
 * counts check_state found.  0, or -1 with why. */
static int check_row(const market *m, const double *row, const size_t *nv, const size_t *nh,
                     const size_t *ncell, char *why, size_t n)
{
  const metric_layout *l = &m->layout;
  size_t J = m->J, K = m->K, C = m->C;
  /* The recorded row against the definitions of SPEC 7. */
  double A = (double)m->active;
  if (row[M_ACTIVE] != A) {
    snprintf(why, n, "active recorded %g, counted %g", row[M_ACTIVE], A);
    return -1;
  }
  const size_t share_at[2] = {l->vendor_share, l->hub_share},
               conc_at[2] = {l->vendor_conc, l->hub_conc};
  const size_t *count[2] = {nv, nh}, size[2] = {J, K};
  for (int side = 0; side < 2; side++) {
    double sum = 0, sum2 = 0, ent = 0, mx = 0;
    for (size_t x = 0; x < size[side]; x++) {
      double sh = A > 0 ? (double)count[side][x] / A : 0.0;
      if (!close_to(row[share_at[side] + x], sh)) {
        snprintf(why, n, "%s share %zu recorded %.17g, counted %.17g", side ? "hub" : "vendor", x,
                 row[share_at[side] + x], sh);
        return -1;
      }
      sum += sh;
      sum2 += sh * sh;
      ent -= sh > 0 ? sh * log(sh) : 0.0;
      mx = sh > mx ? sh : mx;
    }
    const double *c = row + conc_at[side];
    double want[5] = {10000 * sum2, ent, A > 0 ? exp(ent) : 0, A > 0 ? 1 / sum2 : 0, mx};
    for (int x = 0; x < 5; x++)
      if (!close_to(c[x], want[x])) {
        snprintf(why, n, "%s concentration figure %d recorded %.17g, from the shares %.17g",
                 side ? "hub" : "vendor", x, c[x], want[x]);
        return -1;
      }
    if (A > 0 && !close_to(sum, 1.0)) {
      snprintf(why, n, "%s shares sum to %.17g", side ? "hub" : "vendor", sum);
      return -1;
    }
  }
  double cent = 0;
  for (size_t c = 0; c < C; c++) {
    double sh = A > 0 ? (double)ncell[c] / A : 0.0;
    cent -= sh > 0 ? sh * log(sh) : 0.0;
  }
  if (!close_to(row[l->cell_d1], A > 0 ? exp(cent) : 0.0)) {
    snprintf(why, n, "cell_d1 recorded %.17g, from the cells %.17g", row[l->cell_d1], exp(cent));
    return -1;
  }
  return 0;
}

int market_check(const market *m, long t, const double *row, char *why, size_t n)
{
  size_t nv[SCN_MAX_VENDORS], nh[SCN_MAX_HUBS], ncell[SCN_MAX_VENDORS * SCN_MAX_HUBS];
  if (check_state(m, t, nv, nh, ncell, why, n) != 0)
    return -1;
  return check_row(m, row, nv, nh, ncell, why, n);
}

int market_start(market *m, uint64_t key)
{
  m->key = key;
  init_state(m, key);
  if (m->graph) {
    rng_gsl_seed(m->rng, key, RNG_GRAPH);
    if (network_build(m->graph, m->s, m->rng) != 0)
      return -1;
  }
  return 0;
}

int market_run(market *m, uint64_t key, double *out, market_outcome *oc)
{
  if (signals_caught())
    return 1;
  if (market_start(m, key) != 0)
    return -1;
  return market_steps(m, key, out, oc);
}

/* Chunk c of draw_revisers. */
static void revise_chunk(market *m, uint64_t key, long t, size_t A, size_t c)
{
  size_t lo = c * REVISE_CHUNK, hi = lo + REVISE_CHUNK < A ? lo + REVISE_CHUNK : A, k = 0;
  rng_skip sk;
  rng_skip_init(&sk, key, RNG_REVISE, (uint32_t)t, (uint32_t)(1 + c), m->s->revision_rate);
  for (size_t p = rng_skip_next(&sk, lo, hi); p < hi; p = rng_skip_next(&sk, p + 1, hi)) {
    __builtin_prefetch(&m->order[p + ORDER_AHEAD]); /* past the end is harmless */
    m->chooser[lo + k++] = m->order[p];
  }
  m->chunk_count[c] = k;
}

/* The revisers of step t among the A active developers, into chooser[]:
 * positions are cut into chunks of REVISE_CHUNK, each with its own
 * geometric-skipping stream, so the draws do not depend on the threads. */
static size_t draw_revisers(market *m, uint64_t key, long t, size_t A)
{
  size_t n_chunks = (A + REVISE_CHUNK - 1) / REVISE_CHUNK;
  if (m->threads > 1) {
#pragma omp parallel for num_threads(m->threads) schedule(static)
    for (size_t c = 0; c < n_chunks; c++)
      revise_chunk(m, key, t, A, c);
  } else {
    for (size_t c = 0; c < n_chunks; c++)
      revise_chunk(m, key, t, A, c);
  }
  /* Chunk c's revisers sit at lo = c * REVISE_CHUNK; close the gaps. */
  size_t n = 0;
  for (size_t c = 0; c < n_chunks; c++) {
    memmove(&m->chooser[n], &m->chooser[c * REVISE_CHUNK], m->chunk_count[c] * sizeof(uint32_t));
    n += m->chunk_count[c];
  }
  return n;
}

/* Chooser x of the step's n_ch (the first n_rev revise, the rest enter):
 * its pick, applied at once (mean field) or kept for after.  Not inlined:
 * inlined into market_steps, its staged prefetches stopped hiding the
 * neighbours' latency and a small-world step took 1.7x as long. */
__attribute__((noinline)) static void choose_one(market *m, market_tally *tl, size_t x, size_t n_ch,
                                                 size_t n_rev, uint64_t key, long t, int now_apply)
{
  if (x + PREFETCH_AHEAD < n_ch)
    prefetch_developer(m, m->chooser[x + PREFETCH_AHEAD]);
  if (m->graph)
    prefetch_neighbours(m, x, n_ch);
  uint8_t c = choice_pick(m->logit, m, m->chooser[x], x >= n_rev, key, t);
  if (now_apply)
    apply_choice(m, tl, m->chooser[x], c, x >= n_rev, (int32_t)t);
  else
    m->choice[x] = c;
}

int market_steps(market *m, uint64_t key, double *out, market_outcome *oc)
{
  const scenario *s = m->s;
  long *tip = &oc->tip;
  *tip = -1;
  size_t focal = (size_t)s->focal_hub;
  int th = m->threads;
  for (long t = 0; t < s->steps; t++) {
    if (signals_caught())
      return 1; /* asked to stop: the replication is incomplete */
    m->step_revisions = m->step_vswitch = m->step_hswitch = 0;
    fire_events(m, key, t);
    size_t A = m->active;
    size_t n_rev = draw_revisers(m, key, t, A);
    size_t n_enter = draw_entrants(m, key, t, m->chooser + n_rev), n_ch = n_rev + n_enter;
    choice_precompute(m->logit, m, t);
    memset(m->tally, 0, (size_t)th * sizeof *m->tally);
    /* Synchronous update: choices read only the start-of-step state.  In
     * mean field that state is the step's tables, so each choice can take
     * effect at once; on a graph choices read neighbours' cells, so all of
     * them are made first and applied together.  Either way the counts
     * change in per-thread tallies, merged after. */
    int now_apply = s->network == NET_MEAN_FIELD;
    int32_t now = (int32_t)t;
    if (th > 1) {
#pragma omp parallel num_threads(th)
      {
        market_tally *tl = &m->tally[thread_id()];
#pragma omp for schedule(static)
        for (size_t x = 0; x < n_ch; x++)
          choose_one(m, tl, x, n_ch, n_rev, key, t, now_apply);
        if (!now_apply) {
#pragma omp for schedule(static)
          for (size_t x = 0; x < n_ch; x++)
            apply_choice(m, tl, m->chooser[x], m->choice[x], x >= n_rev, now);
        }
      }
    } else { /* one thread enters no parallel region (see init_developers) */
      for (size_t x = 0; x < n_ch; x++)
        choose_one(m, &m->tally[0], x, n_ch, n_rev, key, t, now_apply);
      if (!now_apply)
        for (size_t x = 0; x < n_ch; x++)
          apply_choice(m, &m->tally[0], m->chooser[x], m->choice[x], x >= n_rev, now);
    }
    merge_tallies(m);
    m->active += n_enter;
    update_dynamics(m, t);
    double *row = out + (size_t)t * m->layout.n;
    record(m, t, row);
    if (!row_finite(m, t, row))
      return -1;
    if (m->check) {
      char why[256];
      if (market_check(m, t, row, why, sizeof why) != 0) {
        fprintf(stderr, "lockin: market_check failed after step %ld: %s\n", t, why);
        abort();
      }
    }
    if (*tip < 0 && m->active > 0 && row[m->layout.hub_share + focal] < s->tipping_threshold)
      *tip = t;
  }
  memset(oc->launch, 0, sizeof oc->launch);
  memcpy(oc->launch, m->launch_step, m->K * sizeof *oc->launch);
  return 0;
}
