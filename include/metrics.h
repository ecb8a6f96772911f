/* metrics: the columns of SPEC 7, their order and names.  Shared by the
 * market that records them and the writers and readers of every CSV. */
#ifndef LOCKIN_METRICS_H
#define LOCKIN_METRICS_H

#include <stddef.h>

#include "scenario.h"

/* Metric columns (SPEC 7), in output order. */
enum {
  M_ACTIVE,
  M_REVISIONS,
  M_VENDOR_SWITCHES,
  M_HUB_SWITCHES,
  M_MEAN_TENURE,
  M_FIXED /* then vendor_share.*, hub_share.*, concentration, maturity... */
};
typedef struct {
  size_t n; /* metrics per step */
  size_t vendor_share, hub_share, vendor_conc, hub_conc, cell_d1;
  size_t maturity, catalog, neutrality;
  size_t revenue, value, owners_value; /* money, $M (SPEC 7) */
} metric_layout;

void metric_layout_init(metric_layout *l, const scenario *s);
/* Column name of metric m ("vendor_share.nvidia"). */
void metric_name(const scenario *s, const metric_layout *l, size_t m, char *buf, size_t n);

#endif
