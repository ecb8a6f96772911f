#!/usr/bin/env bash
# make mutants: build the committed tree (HEAD) once in a scratch folder and
# check that its tests pass; then apply each mutant of tests/mutants/list.txt
# to a copy of that build (so only the mutated file recompiles), run the
# test programs until one fails, and report the score.  A mutant that does
# not compile is an error in the list, not a kill.  About 15 minutes on 2
# cores; CI does not run it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
list="${MUTANTS_LIST:-$top/tests/mutants/list.txt}"
scratch=$(mktemp -d /tmp/lockin-mutants.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
ln -s "$(cd "$top/.." && pwd)/shared" "$scratch/shared" 2>/dev/null || true
order="test_market test_scenario test_analysis test_output test_stats test_rng test_network test_cli test_sweep test_signals"
targets=$(for t in $order; do echo build/$t; done)
base="$scratch/base"
mkdir -p "$base" && (cd "$top" && git archive HEAD) | tar -x -C "$base" || exit 1
echo "building HEAD ($(cd "$top" && git rev-parse --short HEAD)) and running its tests once"
(cd "$base" && make -s $targets lockin >/dev/null 2>&1) || { echo "HEAD does not build"; exit 1; }
for t in $order; do
  (cd "$base" && LOCKIN_CHECK=1 LOCKIN_BIN=./lockin ./build/$t >/dev/null 2>&1) ||
    { echo "HEAD fails $t: fix it before mutating"; exit 1; }
done
total=0 killed=0 survivors=""
title="" file="" from="" to=""
run_one() {
  total=$((total + 1))
  local work="$scratch/work"
  rm -rf "$work" && cp -a "$base" "$work"
  local n
  n=$(grep -cF -- "$from" "$work/$file")
  if [ "$n" != 1 ]; then
    echo "?? [$total] $title: the text is on $n lines of $file (fix the list)"
    survivors="$survivors\n  $title (not applied)"
    return
  fi
  awk -v from="$from" -v to="$to" '{ i = index($0, from); if (i) $0 = substr($0, 1, i - 1) to substr($0, i + length(from)); print }' \
    "$work/$file" > "$work/$file.new" && mv "$work/$file.new" "$work/$file"
  local by=""
  if ! (cd "$work" && timeout 600 make -s $targets lockin >/dev/null 2>&1); then
    echo "?? [$total] $title: does not compile (fix the list)"
    survivors="$survivors\n  $title (does not compile)"
    return
  else
    for t in $order; do
      if ! { (cd "$work" && LOCKIN_CHECK=1 LOCKIN_BIN=./lockin timeout 600 ./build/$t >/dev/null 2>&1); } 2>/dev/null; then
        by=$t
        break
      fi
    done
  fi
  if [ -n "$by" ]; then
    killed=$((killed + 1))
    echo "killed   [$total] $title  (by $by)"
  else
    echo "SURVIVED [$total] $title"
    survivors="$survivors\n  $title"
  fi
}
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    "## "*) title=${line#\#\# } ;;
    "file: "*) file=${line#file: } ;;
    "from: "*) from=${line#from: } ;;
    "to: "*) to=${line#to: }; run_one ;;
  esac
done < "$list"
echo "mutants: $killed of $total killed ($(( 100 * killed / total ))%)"
[ -z "$survivors" ] || printf "survivors:$survivors\n"
