/* metrics: where each metric of SPEC 7 sits in a row, and its name. */
#include "metrics.h"

#include <stdio.h>

void metric_layout_init(metric_layout *l, const scenario *s)
{
  size_t J = s->n_vendors, K = s->n_hubs;
  l->vendor_share = M_FIXED;
  l->hub_share = l->vendor_share + J;
  l->vendor_conc = l->hub_share + K;
  l->hub_conc = l->vendor_conc + 5;
  l->cell_d1 = l->hub_conc + 5;
  l->maturity = l->cell_d1 + 1;
  l->catalog = l->maturity + J;
  l->neutrality = l->catalog + K;
  l->revenue = l->neutrality + K;
  l->value = l->revenue + K;
  l->owners_value = l->value + K;
  l->n = l->owners_value + K;
}

void metric_name(const scenario *s, const metric_layout *l, size_t m, char *buf, size_t n)
{
  static const char *const fixed[] = {"active", "revisions", "vendor_switches", "hub_switches",
                                      "mean_tenure"};
  static const char *const conc[] = {"hhi", "entropy", "d1", "d2", "cr1"};
  if (m < M_FIXED)
    snprintf(buf, n, "%s", fixed[m]);
  else if (m < l->hub_share)
    snprintf(buf, n, "vendor_share.%s", s->vendors[m - l->vendor_share].name);
  else if (m < l->vendor_conc)
    snprintf(buf, n, "hub_share.%s", s->hubs[m - l->hub_share].name);
  else if (m < l->hub_conc)
    snprintf(buf, n, "vendor_%s", conc[m - l->vendor_conc]);
  else if (m < l->cell_d1)
    snprintf(buf, n, "hub_%s", conc[m - l->hub_conc]);
  else if (m == l->cell_d1)
    snprintf(buf, n, "cell_d1");
  else if (m < l->catalog)
    snprintf(buf, n, "maturity.%s", s->vendors[m - l->maturity].name);
  else if (m < l->neutrality)
    snprintf(buf, n, "catalog.%s", s->hubs[m - l->catalog].name);
  else if (m < l->revenue)
    snprintf(buf, n, "neutrality.%s", s->hubs[m - l->neutrality].name);
  else if (m < l->value)
    snprintf(buf, n, "revenue.%s", s->hubs[m - l->revenue].name);
  else if (m < l->owners_value)
    snprintf(buf, n, "value.%s", s->hubs[m - l->value].name);
  else
    snprintf(buf, n, "owners_value.%s", s->hubs[m - l->owners_value].name);
}
