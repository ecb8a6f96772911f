# A metric over time at every point of a sweep, one colour per policy, from
# sweep_timeseries.csv of `lockin sweep --timeseries`: each line is a
# point's mean over its replications; the spread of the lines of one colour
# is the envelope of that policy across the uncertainties.
#
#   gnuplot -e "in='results/uncertainty_lhs/sweep_timeseries.csv'; metric='hub_share.hf'; \
#               pa='accept'; pb='decline'; ylab='share of developers'; out='env.png'" \
#           plots/envelopes.gp
# Shares (a metric with "share" in its name) are drawn on [0, 1]; ymin= and
# ymax= set the axis of any metric.
if (!exists("spy")) spy = 12.0
if (!exists("pb")) pb = ""
set terminal pngcairo size 900,540 font "sans,11" noenhanced
set output out
set datafile separator ","
set title sprintf("%s at every point of the sweep (mean over replications), by policy", metric)
set xlabel "year"
set ylabel ylab
set grid
if (!exists("ymin")) ymin = strstrt(metric, "share") > 0 ? 0 : NaN
if (!exists("ymax")) ymax = strstrt(metric, "share") > 0 ? 1.02 : NaN
if (ymin == ymin) set yrange [ymin:]
if (ymax == ymax) set yrange [:ymax]
set key outside top center horizontal box
# One block per (point, policy): a blank line between them breaks the lines.
sel(p) = sprintf("< awk -F, -v m='%s.mean' -v p='%s' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == m) c = i; next } $2 == p { if ($1 != prev) print \"\"; prev = $1; print $3 \",\" $c }' %s", metric, p, in)
plot sel(pa) using ($1/spy):2 with lines lw 0.5 lc rgb "#801f77b4" title pa, \
     sel(pb) using ($1/spy):2 with lines lw 0.5 lc rgb "#80d62728" title pb
