#!/bin/sh
# make-reference.sh OUT_DIR - regenerate reference.csv (needs Rscript with
# the clubSandwich package): the test of change for the Resident Gender cohort
# "Male" against "Female", first cycle (a1) against last (a3), of the
# cycles run.sh makes in OUT_DIR. Run after run.sh; commit the result.
out=${1:-build/trend}
here=$(cd "$(dirname "$0")" && pwd)
echo "lexicon,category,ratio_of_rate_ratios,robust_ci_low,robust_ci_high,robust_p,robust_df" >"$here/reference.csv"
for lc in planted/confidence planted/grindstone planted/communal planted/personality planted/standout; do
    lex=${lc%/*}; cat=${lc#*/}
    {
        echo "resident,hits,words,group"
        g=0
        for part in "a1 Female" "a1 Male" "a3 Female" "a3 Male"; do
            set -- $part
            python3 "$here/cells.py" "$out/$1/tally.evalbias" "Resident Gender" "$2" "$lex" "$cat" |
                tail -n +2 | sed "s/\$/,$g/"
            g=$((g + 1))
        done
    } >"$out/ref-$cat.csv"
    printf '%s,%s,' "$lex" "$cat" >>"$here/reference.csv"
    Rscript "$here/reference.R" "$out/ref-$cat.csv" 0.95 >>"$here/reference.csv"
done
cat "$here/reference.csv"
