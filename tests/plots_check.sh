#!/usr/bin/env bash
# Every script in plots/ on small outputs of lockin: each must run without a
# gnuplot error or warning and write a PNG.  Used by `make plots-check` (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
small="--set population.developers=2000 --quiet -o $d"
./lockin run scenarios/accept.cfg -r 6 $small >/dev/null
./lockin run scenarios/decline.cfg -r 6 --timeseries $small >/dev/null
./lockin sweep scenarios/amount_vs_multihoming.cfg $small >/dev/null
./lockin sweep scenarios/uncertainty_lhs.cfg --timeseries $small >/dev/null
cat > "$d/sal.cfg" <<EOF_SWEEP
sweep: { name = "sal"; scenario = "$PWD/scenarios/hf_offer.cfg"; design = "saltelli";
  points = 8; replications = 2;
  parameters = ( { path = "dynamics.multihoming"; min = 0.0; max = 1.0; },
                 { path = "events.[0].responses.[0].probability"; min = 0.0; max = 1.0; },
                 { path = "value.revenue_growth"; min = 0.0; max = 0.6; } );
  policies = ( { name = "decline"; set = []; },
               { name = "accept"; set = ["events.[0].decision=accept"]; } ); };
EOF_SWEEP
./lockin sweep "$d/sal.cfg" $small >/dev/null
./lockin analyze "$d/sal" --metric "owners_value.hf@decline-accept" \
  --discover "owners_value.hf@decline-accept > 0" >/dev/null
plot() { # script, then its -e settings
  local script=$1 out=$d/$(basename "$1" .gp).png
  gnuplot -e "$2; out='$out'" "plots/$script" 2>"$d/err"
  if [ -s "$d/err" ] || [ ! -s "$out" ]; then
    echo "plots-check: plots/$script failed:" >&2
    cat "$d/err" >&2
    exit 1
  fi
}
plot series.gp "a='$d/accept/summary.csv'; b='$d/decline/summary.csv'; la='accept'; lb='decline'; metric='hub_share.hf'; ylab='share'"
plot branches.gp "dir='$d/decline'; metric='hub_share.hf'; hub='nvidia_hub'; ylab='share'"
plot envelopes.gp "in='$d/uncertainty_lhs/sweep_timeseries.csv'; metric='vendor_d1'; pa='accept'; pb='decline'; ylab='D1'"
plot heatmap.gp "in='$d/amount_vs_multihoming/sweep_summary.csv'"
plot lhs_scatter.gp "in='$d/uncertainty_lhs/sweep_summary.csv'; policy='decline'"
plot sobol.gp "in='$d/sal/analysis/sobol.csv'; metric='owners_value.hf@decline-accept'"
plot prim.gp "in='$d/sal/analysis/prim.csv'; cond='owners_value.hf@decline-accept > 0'"
echo "plots-check: every script in plots/ drew its figure"
