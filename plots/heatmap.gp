# Heat map of a metric over a two-parameter grid sweep, from its
# sweep_summary.csv (columns: point, policy, parameter 1, parameter 2, metrics).
#
#   gnuplot -e "in='results/amount_vs_multihoming/sweep_summary.csv'" plots/heatmap.gp
#
# Optional: metric='hub_share.hf' (default), out='heatmap.png', logx=1 (default).
if (!exists("metric")) metric = "hub_share.hf"
if (!exists("out")) out = "heatmap.png"
if (!exists("logx")) logx = 1

set terminal pngcairo size 820,600 font "sans,11" noenhanced
set output out
set datafile separator ","
set key noautotitle
if (logx) set logscale x
set xlabel system(sprintf("head -1 '%s' | cut -d, -f3", in))  # point, policy, then the two
set ylabel system(sprintf("head -1 '%s' | cut -d, -f4", in))
set cblabel sprintf("%s, mean at the final step", metric)
set palette defined (0 "#440154", 0.5 "#21918c", 1 "#fde725")
set title sprintf("%s over the grid (labels: mean)", metric)
set autoscale fix
set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08
m = sprintf("%s.mean", metric)
plot in using 3:4:(column(m)):xtic(3):ytic(4) with points pt 5 ps 7 lc palette, \
     in using 3:4:(sprintf("%.3f", column(m))) with labels font ",8" tc rgb "white"
