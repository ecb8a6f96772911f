# A metric over time for two scenarios, each with its 95% confidence band,
# from two summary.csv files of `lockin run`.
#
#   gnuplot -e "a='results/accept/summary.csv'; b='results/decline_rival/summary.csv'; \
#               la='accept'; lb='decline_rival'; metric='hub_share.hf'; \
#               ylab='share of developers'; out='hub_share.png'" plots/series.gp
#
# Optional: hline=1800 (a horizontal reference line) and hlab='label'.
# Shares (a metric with "share" in its name) are drawn on [0, 1]; ymin= and
# ymax= set the axis of any metric.
if (!exists("hline")) hline = NaN
if (!exists("hlab")) hlab = ""
if (!exists("spy")) spy = 12.0

set terminal pngcairo size 900,540 font "sans,11" noenhanced
set output out
set datafile separator ","
set key outside top center horizontal box
set grid
if (!exists("ymin")) ymin = strstrt(metric, "share") > 0 ? 0 : NaN
if (!exists("ymax")) ymax = strstrt(metric, "share") > 0 ? 1.02 : NaN
if (ymin == ymin) set yrange [ymin:]
if (ymax == ymax) set yrange [:ymax]
set xlabel "year"
set ylabel ylab
set title sprintf("%s: mean and 95%% interval over replications", metric)
set style fill transparent solid 0.25 noborder

m(s) = sprintf("%s.%s", metric, s)
plot a using ($1/spy):(column(m("lo"))):(column(m("hi"))) with filledcurves lc rgb "#1f77b4" notitle, \
     a using ($1/spy):(column(m("mean"))) with lines lw 2 lc rgb "#1f77b4" title la, \
     b using ($1/spy):(column(m("lo"))):(column(m("hi"))) with filledcurves lc rgb "#d62728" notitle, \
     b using ($1/spy):(column(m("mean"))) with lines lw 2 lc rgb "#d62728" title lb, \
     (hline == hline ? hline : 1/0) with lines dt 2 lw 1.5 lc rgb "black" title hlab
