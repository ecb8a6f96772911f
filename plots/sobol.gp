# Sobol indices of one metric expression as bars with their 95% bootstrap
# intervals, from DIR/analysis/sobol.csv of `lockin analyze` (a saltelli
# sweep).  First order S1 and total ST side by side, one pair per parameter.
#
#   gnuplot -e "in='results/neutrality_bet/analysis/sobol.csv'; \
#               metric='owners_value.hf@decline-accept'; out='sobol.png'" plots/sobol.gp
set terminal pngcairo size 1000,560 font "sans,10" noenhanced
set output out
set datafile separator ","
set title sprintf("Sobol indices of %s (bars: first order S1, total ST; 95%% bootstrap intervals)", metric)
set key top right box
set grid ytics
set yrange [-0.1:*]
set xtics rotate by 30 right
set lmargin 14
set bmargin 9
set style fill solid 0.7 border -1
sel = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\"' %s", metric, in)
plot sel using ($0 - 0.18):3:4:5:(0.35) with boxerrorbars lc rgb "#1f77b4" title "S1", \
     sel using ($0 + 0.18):6:7:8:(0.35):xtic(2) with boxerrorbars lc rgb "#ff7f0e" title "ST"
