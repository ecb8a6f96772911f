# Sobol indices of one metric expression as horizontal bars with their 95%
# bootstrap intervals, from DIR/analysis/sobol.csv of `lockin analyze` (a
# saltelli sweep).  First order S1 and total ST side by side, one pair per
# parameter, its name written out on the left (the plot grows with the
# number of parameters, so names never overlap).
#
#   gnuplot -e "in='results/neutrality_bet/analysis/sobol.csv'; \
#               metric='owners_value.hf@decline-accept'; out='sobol.png'" plots/sobol.gp
set datafile separator ","
sel = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' %s", metric, in)
stats sel using 3 nooutput
n = STATS_records
set terminal pngcairo size 1000, 150 + 46 * n font "sans,10" noenhanced
set output out
set title sprintf("Sobol indices of %s\n(bars: first order S1 and total ST; lines: 95%% bootstrap intervals)", metric)
set key outside top center horizontal box
set grid xtics
set xlabel "index (share of the output's variance)"
set yrange [n - 0.5:-0.5]  # the first parameter on top
set ytics nomirror
set style fill solid 0.7 border -1
h = 0.17  # half the height of a bar
lo(x) = x < 0 ? x : 0
hi(x) = x < 0 ? 0 : x
plot sel using 3:($0 - h):(lo($3)):(hi($3)):($0 - 2 * h):($0):ytic(2) with boxxyerror lc rgb "#1f77b4" title "S1", \
     sel using 6:($0 + h):(lo($6)):(hi($6)):($0):($0 + 2 * h) with boxxyerror lc rgb "#ff7f0e" title "ST", \
     sel using 3:($0 - h):4:5 with xerrorbars pt -1 lc rgb "black" notitle, \
     sel using 6:($0 + h):7:8 with xerrorbars pt -1 lc rgb "black" notitle
