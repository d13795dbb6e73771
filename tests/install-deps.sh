#!/bin/sh
# install-deps.sh [--test] - install the Debian packages evalbias needs to
# build, when they are missing; with --test also what the test layers use
# (`make check`): Chromium for the browser layer, R with sandwich and
# clubSandwich to recompute the statistics' reference values, and
# statsmodels for the review import's kappa references. Uses apt-get
# directly as root, or through sudo.
pkgs="build-essential pkgconf python3 libpcre2-dev libcsv-dev libutf8proc-dev nettle-dev libyaml-dev libzip-dev libexpat1-dev"
# npm fetches the csv-spectrum suite for the conformance layer (any npm
# will do: a nodejs from elsewhere may already bring its own).
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
# GNU parallel with Perl's Text::CSV (its --csv) runs the recipes beyond
# one machine in the merge and scale layers (contrib/scale/).
test_pkgs="chromium r-base-core r-cran-sandwich r-cran-clubsandwich python3-statsmodels parallel libtext-csv-perl"
[ "${1:-}" = --test ] && pkgs="$pkgs $test_pkgs"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "evalbias: installing missing packages:$missing"
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update -q &&
    $sudo apt-get install -y -q --no-install-recommends $missing
