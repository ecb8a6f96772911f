/* choice: the logit choice of SPEC 3 for one developer, and the per-step
 * tables it reads.
 *
 * exp(U_ijk / mu) factors into a vendor part, a hub part and a cross part
 * (tilt, subsidy).  The parts shared by a segment are exponentiated once per
 * step (choice_precompute), so a choice costs a few exps of its own; every
 * factor is shifted to be <= 1, and when the product underflows the choice
 * is redone with one log-sum-exp shift over whole utilities, the textbook
 * formula, which is also what temperature 0 maximises. */
#include "choice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

struct choice_ws {
  const scenario *s;
  size_t J, K, C;
  /* per step, per segment: the parts of utility shared by all developers,
   * raw (vbase, hbase, cross) and as exp((x - max) / mu) (ev, eh, ec) */
  double *vbase, *hbase, *cross, *ev, *eh, *ec; /* [seg][J], [seg][K], [seg][C] */
  double hub_switch_factor[SCN_MAX_SEGMENTS];   /* exp(-d0 / mu) per segment */
  double *peer_table;                           /* graphs: [seg][side][n][count] peer factors */
  double lnpp[SCN_MAX_VENDORS];
  double rel_tilt[SCN_MAX_HUBS][SCN_MAX_VENDORS]; /* theta_kj - max over j' != j */
  int pp_equal;                                   /* every vendor has the same ln pp this step */
  double lnpp_lo, lnpp_hi, trust_lo, trust_hi;    /* ranges, for shifts */
};

#define TINY_TOTAL 1e-250 /* below this the factored weights fall back to exact */

static double peer_term(peer_form f, double count, double total)
{
  switch (f) {
  case FORM_SHARE:
    return total > 0 ? count / total : 0.0;
  case FORM_COUNT:
    return count;
  case FORM_LOG_SHARE:
    return total > 0 ? log(count / total) : -INFINITY;
  default:
    return log(count);
  }
}

/* exp((x - max) / mu) of n values; all zero when every x is -inf. */
static void exp_shifted(const double *x, double *out, size_t n, double inv_mu)
{
  double mx = -INFINITY;
  for (size_t i = 0; i < n; i++)
    if (x[i] > mx)
      mx = x[i];
  for (size_t i = 0; i < n; i++)
    out[i] = mx == -INFINITY ? 0.0 : exp((x[i] - mx) * inv_mu);
}

/* Peer factors depend only on the scenario: for a developer with n active
 * neighbours of which c use a vendor (hub), exp((gamma f(c, n) - max) / mu),
 * the max over c = 0 .. n.  Saves J + K exps per choice on a graph. */
static void fill_peer_table(choice_ws *m)
{
  const scenario *s = m->s;
  double inv_mu = s->temperature > 0 ? 1.0 / s->temperature : 1.0;
  double val[PEER_TABLE_MAX + 1];
  for (size_t g = 0; g < s->n_segments; g++)
    for (int side = 0; side < 2; side++) {
      const scn_utility *u = &s->segments[g].u;
      double gamma = side ? u->hub_network : u->vendor_network;
      peer_form form = side ? s->hub_form : s->vendor_form;
      double *base = m->peer_table + (g * 2 + (size_t)side) * PEER_TABLE_SIZE;
      for (size_t n = 0; n <= PEER_TABLE_MAX; n++) {
        for (size_t c = 0; c <= n; c++)
          val[c] = gamma == 0 ? 0.0 : gamma * peer_term(form, (double)c, (double)n);
        exp_shifted(val, base + n * (n + 1) / 2, n + 1, inv_mu);
      }
    }
}

size_t choice_bytes(const scenario *s)
{
  size_t G = s->n_segments, J = s->n_vendors, K = s->n_hubs;
  return sizeof(choice_ws) + G * 2 * (J + K + J * K) * sizeof(double) +
         G * 2 * PEER_TABLE_SIZE * sizeof(double);
}

choice_ws *choice_alloc(const scenario *s)
{
  choice_ws *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->s = s;
  w->J = s->n_vendors;
  w->K = s->n_hubs;
  w->C = w->J * w->K;
  size_t G = s->n_segments;
  w->vbase = malloc(G * w->J * sizeof(double));
  w->hbase = malloc(G * w->K * sizeof(double));
  w->cross = malloc(G * w->C * sizeof(double));
  w->ev = malloc(G * w->J * sizeof(double));
  w->eh = malloc(G * w->K * sizeof(double));
  w->ec = malloc(G * w->C * sizeof(double));
  w->peer_table = malloc(G * 2 * PEER_TABLE_SIZE * sizeof(double));
  if (!w->vbase || !w->hbase || !w->cross || !w->ev || !w->eh || !w->ec || !w->peer_table) {
    choice_free(w); /* exception in constructor, avoid memory leak */
    return NULL;
  }
  if (s->network != NET_MEAN_FIELD)
    fill_peer_table(w); /* read only on graphs; a sweep's every point allocates */
  return w;
}

void choice_free(choice_ws *w)
{
  if (!w)
    return;
  free(w->vbase);
  free(w->hbase);
  free(w->cross);
  free(w->ev);
  free(w->eh);
  free(w->ec);
  free(w->peer_table);
  free(w);
}

/* The utility parts every developer of a segment shares this step. */
void choice_precompute(choice_ws *w, const market *mk, long t)
{
  const scenario *s = w->s;
  size_t J = w->J, K = w->K, C = w->C;
  double inv_mu = s->temperature > 0 ? 1.0 / s->temperature : 1.0;
  int mf = s->network == NET_MEAN_FIELD;
  double A = (double)mk->active;
  w->lnpp_lo = INFINITY;
  w->lnpp_hi = -INFINITY;
  for (size_t j = 0; j < J; j++) {
    double x = log(s->vendors[j].price_performance) +
               s->vendors[j].growth * (double)t / (double)s->steps_per_year;
    w->lnpp[j] = x;
    w->lnpp_lo = x < w->lnpp_lo ? x : w->lnpp_lo;
    w->lnpp_hi = x > w->lnpp_hi ? x : w->lnpp_hi;
  }
  w->pp_equal = w->lnpp_lo == w->lnpp_hi;
  w->trust_lo = INFINITY;
  w->trust_hi = -INFINITY;
  for (size_t k = 0; k < K; k++)
    if (mk->live[k]) {
      w->trust_lo = mk->trust[k] < w->trust_lo ? mk->trust[k] : w->trust_lo;
      w->trust_hi = mk->trust[k] > w->trust_hi ? mk->trust[k] : w->trust_hi;
    }
  /* Relative tilt (SPEC 3): theta_kj less the most-favoured other vendor's
   * (0 with one vendor). */
  for (size_t k = 0; k < K; k++) {
    double top = -INFINITY, second = -INFINITY;
    size_t arg = 0;
    for (size_t j = 0; j < J; j++) {
      double th = mk->theta[k][j];
      if (th > top) {
        second = top;
        top = th;
        arg = j;
      } else if (th > second) {
        second = th;
      }
    }
    for (size_t j = 0; j < J; j++) {
      double other = j == arg ? second : top;
      w->rel_tilt[k][j] = mk->theta[k][j] - (J > 1 ? other : 0.0);
    }
  }
  for (size_t g = 0; g < s->n_segments; g++) {
    const scn_utility *u = &s->segments[g].u;
    double *vb = w->vbase + g * J, *hb = w->hbase + g * K, *cr = w->cross + g * C;
    for (size_t j = 0; j < J; j++) {
      double v = u->maturity * mk->S[j] + s->segments[g].vendor_bias[j];
      if (mf && u->vendor_network != 0)
        v += u->vendor_network * peer_term(s->vendor_form, (double)mk->nv[j], A);
      vb[j] = v;
    }
    for (size_t k = 0; k < K; k++) {
      double h = u->catalog * log1p(mk->catalog[k]);
      if (mf && u->hub_network != 0)
        h += u->hub_network * peer_term(s->hub_form, (double)mk->nh[k], A);
      hb[k] = mk->live[k] ? h : -INFINITY;
    }
    for (size_t c = 0; c < C; c++) {
      size_t j = c / K, k = c % K;
      cr[c] = mk->live[k] ? u->tilt * w->rel_tilt[k][j] + s->hubs[k].subsidy[j] : -INFINITY;
    }
    w->hub_switch_factor[g] = exp(-u->hub_switch_cost * inv_mu);
    exp_shifted(vb, w->ev + g * J, J, inv_mu);
    exp_shifted(hb, w->eh + g * K, K, inv_mu);
    exp_shifted(cr, w->ec + g * C, C, inv_mu);
  }
}

/* Count active neighbours of i by vendor and hub (graph types). */
static uint32_t neighbour_counts(const market *m, size_t i, uint32_t *cv, uint32_t *ch)
{
  const network *g = m->graph;
  uint32_t n = 0;
  memset(cv, 0, m->J * sizeof *cv);
  memset(ch, 0, m->K * sizeof *ch);
#define COUNT_NEIGHBOUR(v)                                                                         \
  do {                                                                                             \
    uint8_t c_ = m->cell[v];                                                                       \
    if (c_ != CELL_INACTIVE) {                                                                     \
      cv[m->cell_vendor[c_]]++;                                                                    \
      ch[m->cell_hub[c_]]++;                                                                       \
      n++;                                                                                         \
    }                                                                                              \
  } while (0)
  if (g->half) { /* the implicit lattice, then the rewired edges' ends */
    size_t N = g->n;
    for (size_t j = 1; j <= g->half; j++) {
      size_t up = i + j >= N ? i + j - N : i + j, down = i >= j ? i - j : i + N - j;
      if (!network_moved(g, i, j))
        COUNT_NEIGHBOUR(up);
      if (!network_moved(g, down, j))
        COUNT_NEIGHBOUR(down);
    }
    for (size_t x = g->xoff[i]; x < g->xoff[i + 1]; x++)
      COUNT_NEIGHBOUR(g->xadj[x]);
    return n;
  }
  for (size_t x = network_first(g, i), end = network_first(g, i + 1); x < end; x++)
    COUNT_NEIGHBOUR(g->adj[x]);
#undef COUNT_NEIGHBOUR
  return n;
}

/* Everything a choice needs about developer i beyond the step's tables. */
typedef struct {
  size_t g, vi, hi;    /* segment; current vendor and hub (J, K: none) */
  int first, has_peer; /* has_peer: graph peer terms from cv, ch, npeer */
  double vcost, hcost; /* switching costs, >= 0 */
  double sw_h;         /* exp(-hcost / mu), from the step's table when d1 = 0 */
  uint32_t npeer, cv[SCN_MAX_VENDORS], ch[SCN_MAX_HUBS]; /* active neighbours */
} chooser_view;

/* gamma * f(count of npeer) for one side (0 vendor, 1 hub) of segment g. */
static double peer_value(const market *m, size_t g, int side, uint32_t count, uint32_t npeer)
{
  const scn_utility *u = &m->s->segments[g].u;
  double gamma = side ? u->hub_network : u->vendor_network;
  if (gamma == 0)
    return 0.0; /* a coefficient of 0 switches the term off, even at log 0 */
  return gamma * peer_term(side ? m->s->hub_form : m->s->vendor_form, count, npeer);
}

/* Peer factors exp((value - max) / mu) over n counts of one side: from the
 * table when npeer is small, else computed. */
static void peer_factors(const choice_ws *w, const market *m, const chooser_view *v, int side,
                         double inv_mu, double *f)
{
  size_t n = side ? m->K : m->J;
  const uint32_t *cnt = side ? v->ch : v->cv;
  if (v->npeer <= PEER_TABLE_MAX) {
    const double *t = w->peer_table + ((v->g * 2 + (size_t)side) * PEER_TABLE_SIZE) +
                      (size_t)v->npeer * (v->npeer + 1) / 2;
    for (size_t x = 0; x < n; x++)
      f[x] = t[cnt[x]];
    return;
  }
  double val[SCN_MAX_VENDORS];
  for (size_t x = 0; x < n; x++)
    val[x] = peer_value(m, v->g, side, cnt[x], v->npeer);
  exp_shifted(val, f, n, inv_mu);
}

/* The exact utility of cell (j, k), as SPEC 3 writes it. */
static double cell_utility(const choice_ws *w, const market *m, const chooser_view *v,
                           const dev_rec *d, size_t c)
{
  size_t j = c / m->K, k = c % m->K;
  double x = w->vbase[v->g * m->J + j] + w->hbase[v->g * m->K + k] + w->cross[v->g * m->C + c];
  if (d->bpp != 0)
    x += d->bpp * w->lnpp[j];
  if (d->bn != 0)
    x += d->bn * m->trust[k];
  if (v->has_peer)
    x += peer_value(m, v->g, 0, v->cv[j], v->npeer) + peer_value(m, v->g, 1, v->ch[k], v->npeer);
  if (!v->first)
    x -= (j != v->vi ? v->vcost : 0.0) + (k != v->hi ? v->hcost : 0.0);
  return x;
}

/* Cell weights exp(U / mu), up to one common factor, from the step's tables
 * and this developer's few exps.  Each factor is <= 1, so nothing overflows;
 * returns the total, which is tiny or 0 when the factors underflowed. */
static double fast_weights(const choice_ws *w, const market *m, const chooser_view *v,
                           const dev_rec *d, double inv_mu, double *wt)
{
  size_t J = m->J, K = m->K, C = m->C;
  double wv[SCN_MAX_VENDORS], wh[SCN_MAX_HUBS], fv[SCN_MAX_VENDORS], fh[SCN_MAX_HUBS];
  const double *ev = w->ev + v->g * J, *eh = w->eh + v->g * K, *ec = w->ec + v->g * C;
  double sw_v = v->first || v->vcost == 0 ? 1.0 : exp(-v->vcost * inv_mu);
  double sw_h = v->first ? 1.0 : v->sw_h;
  double pp_ref = d->bpp >= 0 ? w->lnpp_hi : w->lnpp_lo;
  double tr_ref = d->bn >= 0 ? w->trust_hi : w->trust_lo;
  if (v->has_peer) {
    peer_factors(w, m, v, 0, inv_mu, fv);
    peer_factors(w, m, v, 1, inv_mu, fh);
  }
  for (size_t j = 0; j < J; j++) {
    double x = ev[j];
    if (!w->pp_equal && d->bpp != 0)
      x *= exp(d->bpp * (w->lnpp[j] - pp_ref) * inv_mu);
    if (v->has_peer)
      x *= fv[j];
    wv[j] = j == v->vi ? x : x * sw_v;
  }
  for (size_t k = 0; k < K; k++) {
    double x = eh[k];
    if (d->bn != 0 && x > 0 && m->trust[k] != tr_ref)
      x *= exp(d->bn * (m->trust[k] - tr_ref) * inv_mu);
    if (v->has_peer)
      x *= fh[k];
    wh[k] = k == v->hi ? x : x * sw_h;
  }
  double total = 0;
  for (size_t c = 0; c < C; c++)
    total += (wt[c] = wv[m->cell_vendor[c]] * wh[m->cell_hub[c]] * ec[c]);
  return total;
}

/* The cell developer i picks at step t; `first` for an entrant. */
uint8_t choice_pick(const choice_ws *w, const market *m, size_t i, int first, uint64_t key, long t)
{
  const scenario *s = m->s;
  size_t J = m->J, K = m->K, C = m->C;
  const dev_rec *d = &m->rec[i];
  chooser_view v;
  v.g = m->seg[i] & SEG_MASK;
  v.first = first;
  const scn_utility *u = &s->segments[v.g].u;
  uint8_t cur = m->cell[i];
  v.vi = first ? J : m->cell_vendor[cur];
  v.hi = first ? K : m->cell_hub[cur];
  v.vcost = v.hcost = 0;
  if (!first) {
    long tau = t - 1 - d->sv, tauh = t - 1 - d->sh;
    tau = tau < 0 ? 0 : tau > u->tenure_cap ? u->tenure_cap : tau;
    tauh = tauh < 0 ? 0 : tauh > u->tenure_cap ? u->tenure_cap : tauh;
    v.vcost = d->kappa * (u->vendor_switch_cost + u->vendor_switch_cost_per_step * (double)tau);
    v.hcost = u->hub_switch_cost + u->hub_switch_cost_per_step * (double)tauh;
    v.sw_h = u->hub_switch_cost_per_step == 0 ? w->hub_switch_factor[v.g]
             : s->temperature > 0             ? exp(-v.hcost / s->temperature)
                                              : 0.0;
  }
  v.has_peer = s->network != NET_MEAN_FIELD && (u->vendor_network != 0 || u->hub_network != 0);
  v.npeer = 0;
  if (v.has_peer)
    v.npeer = neighbour_counts(m, i, v.cv, v.ch);
  double r[2];
  rng_uniform2(key, RNG_CHOICE, (uint32_t)t, (uint32_t)i, 0, r);
  double wt[SCN_MAX_VENDORS * SCN_MAX_HUBS], total = 0;
  if (s->temperature > 0) {
    double inv_mu = 1.0 / s->temperature;
    total = fast_weights(w, m, &v, d, inv_mu, wt);
    if (!(total > TINY_TOTAL)) {
      /* Factors underflowed (or every cell is -inf): one shift over whole
       * utilities, the textbook log-sum-exp. */
      double umax = -INFINITY;
      for (size_t c = 0; c < C; c++) {
        wt[c] = cell_utility(w, m, &v, d, c);
        umax = wt[c] > umax ? wt[c] : umax;
      }
      total = 0;
      if (umax > -INFINITY)
        for (size_t c = 0; c < C; c++)
          total += (wt[c] = exp((wt[c] - umax) * inv_mu));
    }
    if (total > 0) {
      double target = r[0] * total, acc = 0;
      size_t last = 0;
      for (size_t c = 0; c < C; c++) {
        if (wt[c] <= 0)
          continue;
        last = c;
        acc += wt[c];
        if (target < acc)
          return (uint8_t)c;
      }
      return (uint8_t)last; /* rounding at the top end */
    }
  } else {
    /* Temperature 0: the best cell, ties to the lowest index. */
    double best = -INFINITY;
    size_t bc = C;
    for (size_t c = 0; c < C; c++) {
      double x = cell_utility(w, m, &v, d, c);
      if (x > best) {
        best = x;
        bc = c;
      }
    }
    if (bc < C)
      return (uint8_t)bc;
  }
  if (!first)
    return cur; /* every cell is -inf: keep the cell */
  /* A first-time chooser with nothing to go on takes a random live cell. */
  size_t nlive = 0;
  for (size_t k = 0; k < K; k++)
    nlive += (size_t)m->live[k];
  size_t pick = (size_t)(r[1] * (double)(nlive * J)), seen = 0;
  for (size_t c = 0; c < C; c++)
    if (m->live[c % K] && seen++ == pick)
      return (uint8_t)c;
  return 0;
}
