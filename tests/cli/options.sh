# Sourced by tests/cli/run.sh: option parsing (issue 9). Each command takes
# only its own options; `--` ends the options; --root for build, check, iam.

# A file whose name starts with a dash is checked after `--`.
cp "$good" "$dir/-x.sgl"
expect dashdash-file 0 sh -c "cd '$dir' && \"$sgc\" check -- -x.sgl"
expect dashdash-after-option 0 sh -c "cd '$dir' && \"$sgc\" check --color=never -- -x.sgl"
expect dash-file-without-dashdash 2 sh -c "cd '$dir' && \"$sgc\" check -x.sgl"
# `--` is the end of options: what follows is a file even if it looks like one.
expect dashdash-then-option-name 2 "$sgc" check -- --format
ok dashdash-option-name-is-a-file grep -q 'cannot read `--format`' "$dir/err"

# Options another command takes are refused, not ignored.
expect check-refuses-output 2 "$sgc" check -o "$dir/o.json" "$good"
ok check-refuses-output-says-so grep -q '`check` does not take `-o`' "$dir/err"
ok check-refuses-output-writes-nothing test ! -e "$dir/o.json"
expect check-refuses-output-long 2 "$sgc" check --output="$dir/o.json" "$good"
expect fmt-refuses-vars 2 "$sgc" fmt --vars "$dir/none.yaml" "$good"
ok fmt-refuses-vars-says-so grep -q '`fmt` does not take `--vars`' "$dir/err"
expect fmt-refuses-define 2 "$sgc" fmt -D a=b "$good"
expect fmt-refuses-root 2 "$sgc" fmt --root . "$good"
expect build-refuses-check 2 "$sgc" build --check "$good"
expect explain-refuses-format 2 "$sgc" explain --format json E0305
expect iam-refuses-output 2 "$sgc" iam -o "$dir/o.json" "$good"
expect check-format-missing-value 2 "$sgc" check "$good" --format
ok missing-value-names-option grep -q '`--format` needs a value' "$dir/err"
expect deny-takes-warnings 2 "$sgc" check --deny errors "$good"
expect fmt-check-takes-no-value 2 "$sgc" fmt --check=yes "$good"

# Options still work before the command, after operands, in both spellings.
expect option-before-command 1 "$sgc" --color=never check "$dir/bad.sgl"
ok option-before-command-applied sh -c "! grep -q \"$(printf '\033')\" '$dir/err'"
expect output-equals-form 0 "$sgc" build "$good" --output="$dir/eq.json"
ok output-equals-form-written test -s "$dir/eq.json"
expect define-attached 0 "$sgc" build "$nb" -Dinstance_type=ml.t3.large -o "$dir/da.json"
ok define-attached-value grep -q 'ml.t3.large"' "$dir/da.params.json"

# --root DIR: build, check and iam take it (compile.root); it must be a directory.
expect root-check 0 "$sgc" check --root examples "$good"
expect root-build 0 "$sgc" build --root examples "$good"
expect root-iam 0 "$sgc" iam --root=examples "$nb"
expect root-missing 2 "$sgc" check --root "$dir/no-such-dir" "$good"
ok root-missing-named grep -q -- '--root `.*no-such-dir`' "$dir/err"
expect root-not-a-directory 2 "$sgc" build --root "$good" "$good"

# Help: per command, and the general text.
expect command-help 0 "$sgc" build --help
ok command-help-is-build grep -q '^usage: sgc build FILE' "$dir/out"
expect help-check-root 0 "$sgc" help check
ok help-check-mentions-root grep -q -- '--root DIR' "$dir/out"
expect help-explain 0 "$sgc" help explain
ok help-explain-text grep -q '^usage: sgc explain CODE' "$dir/out"
expect help-short 0 "$sgc" -h
ok help-short-general grep -q '^usage: sgc <command>' "$dir/out"
expect version-command 0 "$sgc" version
expect version-extra 2 "$sgc" version extra

# Every command has its own help, `help` and `version` included.
for c in build check fmt iam explain help version; do
	expect "help-$c" 0 "$sgc" help "$c"
	ok "help-$c-own-usage" grep -q "^usage: sgc $c" "$dir/out"
	expect "help-flag-$c" 0 "$sgc" "$c" --help
	ok "help-flag-$c-same" sh -c "\"$sgc\" help $c | cmp -s - '$dir/out'"
done

# Did you mean: a misspelt command, help topic or option names the near one; exit 2.
expect typo-command 2 "$sgc" bulid "$good"
ok typo-command-suggests grep -q 'unknown command `bulid`; did you mean `build`?' "$dir/err"
ok typo-command-runs-nothing test ! -s "$dir/out"
expect typo-command-swap 2 "$sgc" chekc "$good"
ok typo-command-swap-suggests grep -q 'did you mean `check`?' "$dir/err"
expect typo-far 2 "$sgc" frobnicate
ok typo-far-no-guess sh -c "! grep -q 'did you mean' '$dir/err'"
expect typo-file-as-command 2 "$sgc" "$good"
ok typo-file-as-command-hint grep -q "to check a file: \`sgc check $good\`" "$dir/err"
expect typo-help-topic 2 "$sgc" help bulid
ok typo-help-topic-suggests grep -q 'no help for `bulid`; did you mean `build`?' "$dir/err"
expect typo-option 2 "$sgc" check --fromat json "$good"
ok typo-option-suggests grep -q 'unknown option `--fromat`; did you mean `--format`?' "$dir/err"
expect typo-option-own-only 2 "$sgc" check --tokns "$good"
ok typo-option-own-only-no-guess sh -c "! grep -q 'did you mean' '$dir/err'"
