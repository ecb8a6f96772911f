# Every replication of a run over time, coloured by its branch (whether the
# rival hub launched), from the timeseries.csv and runs.csv of
# `lockin run --timeseries`.  A mean over two bundles of runs describes no
# actual run; this shows the bundles.
#
#   gnuplot -e "dir='results/decline'; metric='hub_share.hf'; hub='nvidia_hub'; \
#               ylab='share of developers'; out='branches.png'" plots/branches.gp
# Shares (a metric with "share" in its name) are drawn on [0, 1]; ymin= and
# ymax= set the axis of any metric.
if (!exists("spy")) spy = 12.0
set terminal pngcairo size 900,540 font "sans,11" noenhanced
set output out
set datafile separator ","
set title sprintf("%s, every replication: red where %s launched, blue where it did not", metric, hub)
set xlabel "year"
set ylabel ylab
set grid
if (!exists("ymin")) ymin = strstrt(metric, "share") > 0 ? 0 : NaN
if (!exists("ymax")) ymax = strstrt(metric, "share") > 0 ? 1.02 : NaN
if (ymin == ymin) set yrange [ymin:]
if (ymax == ymax) set yrange [:ymax]
set key outside top center horizontal box
# Join each time series row with its replication's launch step (runs.csv).
join = sprintf("< awk -F, -v m='%s' -v h='launch_step.%s' 'FNR == 1 { for (i = 1; i <= NF; i++) col[FILENAME, $i] = i; next } FILENAME ~ /runs.csv$/ { launched[$1] = ($(col[FILENAME, h]) >= 0); next } { if ($1 != prev) print \"\"; prev = $1; print $1 \",\" $2 \",\" $(col[FILENAME, m]) \",\" launched[$1] }' %s/runs.csv %s/timeseries.csv", metric, hub, dir, dir)
plot join using ($2/spy):($4 == 1 ? $3 : 1/0) with lines lw 0.6 lc rgb "#d62728" title sprintf("%s launched", hub), \
     join using ($2/spy):($4 == 0 ? $3 : 1/0) with lines lw 0.6 lc rgb "#1f77b4" title "no launch"
