# PRIM's peeling trajectory from DIR/analysis/prim.csv of `lockin analyze
# --discover`: coverage against density, the chosen box ringed.  Steps are
# labelled at most ten times along the path (and the chosen one), so that
# labels never run together.
#
#   gnuplot -e "in='results/neutrality_bet/analysis/prim.csv'; \
#               cond='owners_value.hf@decline-accept > 0'; out='prim.png'" plots/prim.gp
if (!exists("cond")) cond = ""
set datafile separator ","
stats in using 1 nooutput
every_k = ceil(STATS_records / 10.0)
set terminal pngcairo size 760,600 font "sans,11" noenhanced
set output out
set title sprintf("PRIM peeling trajectory: where %s", cond)
set xlabel "coverage (share of the points where it holds that the box holds)"
set ylabel "density (share of the box's points where it holds)"
set grid
set key bottom left box
set xrange [0:1.05]
set yrange [0:1.05]
label_at(step, chosen) = (int(step) % every_k == 0 || chosen == 1)
plot in using 2:3 every ::1 with linespoints pt 7 ps 0.8 lc rgb "#1f77b4" title "boxes, step by step", \
     in using 2:3:(label_at($1, $6) ? sprintf("%d", $1) : "") every ::1 with labels offset 0.9,0.6 font ",8" notitle, \
     in using ($6 == 1 ? $2 : 1/0):3 with points pt 6 ps 3 lw 2 lc rgb "#d62728" title "the chosen box"
