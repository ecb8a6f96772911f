# A metric against each parameter of a sampled sweep (random, lhs, sobol),
# one panel per parameter, from its sweep_summary.csv.  A steep, tight cloud
# marks a parameter that matters.
#
#   gnuplot -e "in='results/uncertainty_lhs/sweep_summary.csv'" plots/lhs_scatter.gp
#
# Optional: metric='hub_share.hf' (default), params=8 (default), out='lhs.png',
# policy='decline' (only that policy's rows; default: every row).
if (!exists("metric")) metric = "hub_share.hf"
if (!exists("policy")) policy = ""
if (!exists("params")) params = 8
if (!exists("out")) out = "lhs.png"

set terminal pngcairo size 1200,620 font "sans,10" noenhanced
set output out
set datafile separator ","
set key noautotitle
set grid
m = sprintf("%s.mean", metric)
data = policy eq "" ? in : sprintf("< awk -F, 'NR == 1 || $2 == \"%s\"' %s", policy, in)
cols = ceil(params / 2.0)
set multiplot layout 2, cols title sprintf("%s at the final step (mean of each point%s) against each parameter", metric, policy eq "" ? "" : ", policy ".policy)
do for [i = 3:params + 2] {  # columns: point, policy, then the parameters
  set xlabel system(sprintf("head -1 '%s' | cut -d, -f%d", in, i))
  plot data using i:(column(m)) with points pt 7 ps 0.8 lc rgb "#1f77b4"
}
unset multiplot
