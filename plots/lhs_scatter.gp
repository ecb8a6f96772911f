# A metric against each parameter of a sampled sweep (random, lhs, sobol),
# one panel per parameter, from its sweep_summary.csv.  A steep, tight cloud
# marks a parameter that matters.  Takes any number of parameters: the
# columns between `policy` and the first metric.
#
#   gnuplot -e "in='results/uncertainty_lhs/sweep_summary.csv'" plots/lhs_scatter.gp
#
# Optional: metric='hub_share.hf' (default), out='lhs.png', policy='decline'
# (only that policy's rows; default: every row).  Shares (a metric with
# "share" in its name) are drawn on [0, 1]; ymin= and ymax= set the axis of
# any metric.
if (!exists("metric")) metric = "hub_share.hf"
if (!exists("policy")) policy = ""
if (!exists("out")) out = "lhs.png"
if (!exists("ymin")) ymin = strstrt(metric, "share") > 0 ? 0 : NaN
if (!exists("ymax")) ymax = strstrt(metric, "share") > 0 ? 1.02 : NaN

# The parameters: columns 3 .. the one before the first "*.mean" column.
params = int(system(sprintf("head -1 '%s' | tr , '\\n' | awk 'NR > 2 && /\\.mean$/ { print NR - 3; exit }'", in)))
cols = ceil(sqrt(params))
rows = ceil(params / real(cols))
set terminal pngcairo size 300 * cols + 60, 260 * rows + 40 font "sans,10" noenhanced
set output out
set datafile separator ","
set key noautotitle
set grid
m = sprintf("%s.mean", metric)
data = policy eq "" ? in : sprintf("< awk -F, 'NR == 1 || $2 == \"%s\"' %s", policy, in)
set multiplot layout rows, cols title sprintf("%s at the final step (mean of each point%s) against each parameter", metric, policy eq "" ? "" : ", policy ".policy)
do for [i = 3:params + 2] {  # columns: point, policy, then the parameters
  set xlabel system(sprintf("head -1 '%s' | cut -d, -f%d", in, i))
  # Three ticks (the ends and the middle), so that labels never run together.
  set autoscale xy  # stats keeps only the points inside the ranges in force
  stats data using i nooutput
  lo = STATS_min; hi = STATS_max
  if (ymin == ymin) { set yrange [ymin:] }
  if (ymax == ymax) { set yrange [:ymax] }
  if (hi > lo) { set xrange [lo:hi]; set xtics lo, (hi - lo) / 2, hi format "%.3g" } else { set autoscale x; set xtics autofreq }
  set offsets graph 0.04, graph 0.04, 0, 0
  plot data using i:(column(m)) with points pt 7 ps 0.7 lc rgb "#1f77b4"
}
unset multiplot
