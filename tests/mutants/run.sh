#!/usr/bin/env bash
# make mutants: apply each mutant of tests/mutants/list.txt to a scratch
# copy of the repository (its build/ copied too, so only the mutated file
# recompiles), run the test programs until one fails, and report the score.
# Slow (tens of minutes); CI does not run it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
list="${MUTANTS_LIST:-$top/tests/mutants/list.txt}"
scratch=$(mktemp -d /tmp/lockin-mutants.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
ln -s "$top/../shared" "$scratch/shared" 2>/dev/null || true
cd "$top" && make -s build/liblockin.a lockin >/dev/null || exit 1
order="test_market test_scenario test_analysis test_output test_stats test_rng test_network test_cli test_sweep test_signals"
total=0 killed=0 survivors=""
title="" file="" from="" to=""
run_one() {
  total=$((total + 1))
  local work="$scratch/work"
  rm -rf "$work" && mkdir -p "$work"
  (cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$work" && cp -a build "$work/")
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
  if ! (cd "$work" && timeout 600 make -s $(for t in $order; do echo build/$t; done) lockin >/dev/null 2>&1); then
    by="the build"
  else
    for t in $order; do
      if ! (cd "$work" && LOCKIN_CHECK=1 LOCKIN_BIN=./lockin timeout 600 ./build/$t >/dev/null 2>&1); then
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
