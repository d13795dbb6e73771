#!/bin/sh
# tests/install/run.sh BUILD - make install into a DESTDIR, use the installed
# binary as a user would (from an empty folder, no --lexicon), read every man
# page, complete a word, then make uninstall and check nothing is left.
build=${1:-build}
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
t() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

top=$(pwd)
dest=$(mktemp -d)
empty=$(mktemp -d)
trap 'rm -rf "$dest" "$empty"' EXIT
prefix=/opt/evalbias-test

# The packaging is tested on the plain build (make's default build/), also
# when the suite runs against an ASan binary (make check-asan).
t "make install DESTDIR PREFIX" \
  "make -s --no-print-directory install DESTDIR=$dest PREFIX=$prefix >/dev/null"
bin=$dest$prefix/bin/evalbias
t "binary installed" "[ -x $bin ]"
t "lexicons installed" "ls $dest$prefix/share/evalbias/lexicons/*.csv >/dev/null"

# From an empty folder, with no --lexicon and no source tree in sight.
t "installed binary audits the samples without --lexicon" \
  "(cd $empty && env -u EVALBIAS_LEXICONS $bin audit -q --cohort-map $top/samples/cohort-map.csv \
      -o out $top/samples/evaluations.csv) && [ -s $empty/out/rates.csv ]"
t "manifest names the installed lexicons" \
  "grep -q personality $empty/out/manifest.json"
t "installed lexicon test passes" \
  "(cd $empty && env -u EVALBIAS_LEXICONS $bin lexicon test >/dev/null)"
t "EVALBIAS_LEXICONS overrides" \
  "(cd $empty && EVALBIAS_LEXICONS=$top/lexicons $bin lexicon lint >/dev/null)"
t "a wrong EVALBIAS_LEXICONS is an error naming it" \
  "(cd $empty && EVALBIAS_LEXICONS=/nonexistent $bin lexicon lint 2>&1 >/dev/null; [ \$? = 2 ]) | grep -q /nonexistent"

# Without the share folder the error names every place looked at.
mv $dest$prefix/share/evalbias $dest/moved
msg=$(cd $empty && env -u EVALBIAS_LEXICONS $bin lexicon lint 2>&1)
rc=$?
t "no lexicons: exit 2" "[ $rc = 2 ]"
t "no lexicons: the error names every place" \
  "echo \"\$msg\" | grep -q EVALBIAS_LEXICONS && echo \"\$msg\" | grep -q share/evalbias/lexicons && echo \"\$msg\" | grep -q 'bin/lexicons'"
mv $dest/moved $dest$prefix/share/evalbias

# Every man page renders without warnings; one per command.
for c in "" $($bin help --words | sed 's/ help$//'); do
    page=$dest$prefix/share/man/man1/evalbias${c:+-$c}.1
    t "man page evalbias${c:+-$c}.1 installed" "[ -s $page ]"
    t "man -l evalbias${c:+-$c}.1 renders without warnings" \
      "[ -z \"\$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l $page 2>&1 >/dev/null)\" ] && \
       [ -z \"\$(groff -man -ww -z $page 2>&1)\" ]"
done
t "every audit option is in its man page" \
  "for o in \$($bin help --words audit); do grep -q -- \"\$(echo \$o | sed 's/-/\\\\\\\\-/g')\" $dest$prefix/share/man/man1/evalbias-audit.1 || exit 1; done"

# Completion: the bash function offers the commands and an option.
comp=$dest$prefix/share/bash-completion/completions/evalbias
t "bash completion installed" "[ -s $comp ]"
if command -v bash >/dev/null; then
    t "completion offers 'audit' for 'au'" \
      "PATH=$dest$prefix/bin:\$PATH bash -c '. $comp; COMP_WORDS=(evalbias au); COMP_CWORD=1; _evalbias; echo \${COMPREPLY[*]}' | grep -qx audit"
    t "completion offers --reference for 'audit --ref'" \
      "PATH=$dest$prefix/bin:\$PATH bash -c '. $comp; COMP_WORDS=(evalbias audit --ref); COMP_CWORD=2; _evalbias; echo \${COMPREPLY[*]}' | grep -q -- --reference"
fi

# Typos get one suggestion and exit 2, not the whole help.
out=$($bin audt 2>&1); rc=$?
t "unknown command: did you mean, exit 2, short" \
  "[ $rc = 2 ] && echo \"\$out\" | grep -q \"did you mean 'audit'\" && [ \$(echo \"\$out\" | wc -l) -le 2 ]"
out=$($bin lexicon tset 2>&1); rc=$?
t "unknown lexicon command: did you mean" \
  "[ $rc = 2 ] && echo \"\$out\" | grep -q \"did you mean 'test'\""
out=$($bin audit --refrence F x.csv 2>&1); rc=$?
t "unknown option: did you mean" \
  "[ $rc = 2 ] && echo \"\$out\" | grep -q \"did you mean '--reference'\""

t "make uninstall" \
  "make -s --no-print-directory uninstall DESTDIR=$dest PREFIX=$prefix >/dev/null"
left=$(find $dest -type f | wc -l)
t "uninstall removed every installed file ($left left)" "[ $left = 0 ]"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
