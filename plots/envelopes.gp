# A metric over time at every point of a sweep, one colour per policy, from
# sweep_timeseries.csv of `lockin sweep --timeseries`: each line is a
# point's mean over its replications; the spread of the lines of one colour
# is the envelope of that policy across the uncertainties.
#
#   gnuplot -e "in='results/uncertainty_lhs/sweep_timeseries.csv'; metric='hub_share.hf'; \
#               pa='accept'; pb='decline'; ylab='share of developers'; out='env.png'" \
#           plots/envelopes.gp
if (!exists("spy")) spy = 12.0
if (!exists("pb")) pb = ""
set terminal pngcairo size 900,540 font "sans,11" noenhanced
set output out
set datafile separator ","
set title sprintf("%s at every point of the sweep (mean over replications), by policy", metric)
set xlabel "year" offset 0,0.7
set ylabel ylab
set grid
set offsets graph 0, 0, 0.04, 0.04
set key below box
# One block per (point, policy): a blank line between them breaks the lines.
sel(p) = sprintf("< awk -F, -v m='%s.mean' -v p='%s' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == m) c = i; next } $2 == p { if ($1 != prev) print \"\"; prev = $1; print $3 \",\" $c }' %s", metric, p, in)
plot sel(pa) using ($1/spy):2 with lines lw 0.5 lc rgb "#801f77b4" title pa, \
     sel(pb) using ($1/spy):2 with lines lw 0.5 lc rgb "#80d62728" title pb
