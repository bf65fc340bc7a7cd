#!/bin/sh
# CLI behaviour: exit statuses, help and version, standard input, atomic
# output, colour control, --deny warnings, several files in one check; then
# options.sh, inputs.sh and outputs.sh (sourced at the end, sharing `expect`
# and `ok`).
set -u
sgc=${1:?usage: run.sh path/to/sgc}
case "$sgc" in /*) ;; *) sgc="$PWD/$sgc" ;; esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
good=examples/isolated-network.sgl

# expect NAME WANTED-STATUS COMMAND...: run and compare the exit status.
expect() {
	name=$1 want=$2
	shift 2
	"$@" >"$dir/out" 2>"$dir/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL cli $name: exit $got, expected $want"
		sed 's/^/  | /' "$dir/err" | head -5
		fail=$((fail + 1))
	fi
}

# ok NAME CONDITION...: a shell test that must hold.
ok() {
	name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		echo "FAIL cli $name"
		fail=$((fail + 1))
	fi
}

expect help 0 "$sgc" --help
ok help-lists-build grep -q 'build FILE' "$dir/out"
expect version 0 "$sgc" --version
ok version-format grep -q '^sgc [0-9][0-9.]*$' "$dir/out"
ok version-from-file test "$(cat "$dir/out")" = "sgc $(cat VERSION)"
expect help-build 0 "$sgc" help build
ok help-build-text grep -q 'temporary file' "$dir/out"
expect help-unknown 2 "$sgc" help frobnicate
expect no-command 2 "$sgc"
expect unknown-command 2 "$sgc" frobnicate
expect unknown-option 2 "$sgc" build --frobnicate "$good"
expect bad-color 2 "$sgc" check --color=sometimes "$good"
expect missing-file 2 "$sgc" build "$dir/nope.sgl" -o "$dir/x.json"
ok missing-file-nothing-written test ! -e "$dir/x.json"
expect build-needs-one-file 2 "$sgc" build
expect check-needs-a-file 2 "$sgc" check

expect build-stdout 0 "$sgc" build "$good"
ok stdout-is-template grep -q '"AWSTemplateFormatVersion": "2010-09-09"' "$dir/out"
cp "$dir/out" "$dir/stdout.json"
expect build-file 0 "$sgc" build "$good" -o "$dir/stack.json"
ok file-equals-stdout cmp -s "$dir/stdout.json" "$dir/stack.json"
ok file-mode-0644 test "$(stat -c %a "$dir/stack.json")" = 644
ok no-temp-left test -z "$(ls "$dir" | grep '\.tmp\.')"
expect build-stdin 0 sh -c "\"$sgc\" build - < $good"
ok stdin-same-template cmp -s "$dir/out" "$dir/stdout.json"
expect output-dir-missing 0 "$sgc" build "$good" -o "$dir/no/such/dir/stack.json"
ok output-dir-missing-made cmp -s "$dir/no/such/dir/stack.json" "$dir/stack.json"

printf 'environment e {\n  region = "us-east-1"\n  network n { cidr = 10.0.0.5/16 isolation = isolated\n    subnet a { cidr = 10.0.1.0/24 zone = a } }\n}\n' > "$dir/bad.sgl"
cp "$dir/stack.json" "$dir/keep.json"
expect bad-build 1 "$sgc" build --color=never "$dir/bad.sgl" -o "$dir/keep.json"
ok bad-build-keeps-old-output cmp -s "$dir/stack.json" "$dir/keep.json"
ok bad-build-gnu-location grep -q "bad.sgl:3:22: error\[E0302\]" "$dir/err"
expect bad-build-new-output 1 "$sgc" build "$dir/bad.sgl" -o "$dir/new.json"
ok bad-build-no-file test ! -e "$dir/new.json"
ok bad-build-no-temp test -z "$(ls "$dir" | grep '\.tmp\.')"
expect stdin-name 1 sh -c "\"$sgc\" check --color=never - < '$dir/bad.sgl'"
ok stdin-diagnostic-names-stdin grep -q '^<stdin>:3:22:' "$dir/err"

expect color-always 1 "$sgc" check --color=always "$dir/bad.sgl"
ok color-always-has-escapes grep -q "$(printf '\033')\[" "$dir/err"
expect color-never 1 "$sgc" check --color=never "$dir/bad.sgl"
ok color-never-plain sh -c "! grep -q \"$(printf '\033')\" '$dir/err'"
expect color-auto-not-a-tty 1 "$sgc" check "$dir/bad.sgl"
ok color-auto-plain-in-pipe sh -c "! grep -q \"$(printf '\033')\" '$dir/err'"

expect check-several 1 "$sgc" check --color=never "$good" "$dir/bad.sgl" "$good"
ok check-several-names-file grep -q 'bad.sgl:3:22' "$dir/err"

printf 'environment e {\n  region = "us-east-1"\n  network n { cidr = 10.0.0.0/16 isolation = isolated\n    subnet a { cidr = 10.0.1.0/24 zone = z } }\n}\n' > "$dir/warn.sgl"
expect warning-only 0 "$sgc" build --color=never "$dir/warn.sgl" -o "$dir/w.json"
ok warning-printed grep -q 'warning\[W0307\]' "$dir/err"
expect deny-warnings 1 "$sgc" build --color=never --deny warnings "$dir/warn.sgl" -o "$dir/w2.json"
ok deny-warnings-no-file test ! -e "$dir/w2.json"
ok deny-warnings-as-error grep -q 'error\[W0307\]' "$dir/err"

expect explain 0 "$sgc" explain E0305
ok explain-prints-section grep -q '^## E0305: subnet outside its VPC' "$dir/out"
ok explain-stops-at-next-section sh -c "! grep -q '^## E0306' '$dir/out'"
expect explain-lowercase 0 "$sgc" explain w0602
ok explain-lowercase-section grep -q '^## W0602:' "$dir/out"
expect explain-unknown 2 "$sgc" explain E9999
expect explain-needs-code 2 "$sgc" explain

printf 'environment e {\n  region = "us-east-1"\n  network n { cidr = 10.0.0.0/16 isolation = isolated\n    subnet a { cidr = 10.0.1.0/24 zone = a } }\n  bucket b { versioning = false }  # sgc: allow W0702\n  bucket c { versioning = false }\n}\n' > "$dir/allow.sgl"
expect allow-comment 0 "$sgc" check --color=never "$dir/allow.sgl"
ok allow-comment-silences-its-line sh -c "! grep -q 'allow.sgl:5:.*W0702' '$dir/err'"
ok allow-comment-keeps-other-lines grep -q 'allow.sgl:6:.*W0702' "$dir/err"

# Stage variables and the parameter file.
nb=examples/private-notebook-codeartifact.sgl
printf 'instance_type: ml.t3.xlarge\n' > "$dir/prod.yaml"
expect vars-yaml 0 "$sgc" build "$nb" --vars "$dir/prod.yaml" -o "$dir/v1.json"
ok params-file-written grep -q '"ParameterValue": "ml.t3.xlarge"' "$dir/v1.params.json"
ok params-file-key grep -q '"ParameterKey": "InstanceType"' "$dir/v1.params.json"
printf '{"instance_type": "ml.t3.2xlarge"}\n' > "$dir/prod.json"
expect vars-json 0 "$sgc" build "$nb" --vars "$dir/prod.json" -o "$dir/v2.json"
ok vars-json-value grep -q 'ml.t3.2xlarge' "$dir/v2.params.json"
expect define-wins 0 "$sgc" build "$nb" --vars "$dir/prod.yaml" -D instance_type=ml.t3.large -o "$dir/v3.json"
ok define-wins-value grep -q 'ml.t3.large"' "$dir/v3.params.json"
expect no-vars-default 0 "$sgc" build "$nb" -o "$dir/v4.json"
ok no-vars-uses-default grep -q 'ml.t3.medium' "$dir/v4.params.json"
printf 'instance_typ: ml.t3.large\n' > "$dir/typo.yaml"
# A stage-file key for no parameter: a warning (the file may serve several
# environments), ignored; --deny warnings refuses it; an unknown -D is an error.
expect vars-unknown 0 "$sgc" build --color=never "$nb" --vars "$dir/typo.yaml" -o "$dir/v5.json"
ok vars-unknown-located grep -q 'typo.yaml:1:1: warning\[W0541\]' "$dir/err"
ok vars-unknown-suggests grep -q 'did you mean `instance_type`' "$dir/err"
ok vars-unknown-ignored grep -q 'ml.t3.medium' "$dir/v5.params.json"
expect vars-unknown-denied 1 "$sgc" build --color=never --deny warnings "$nb" --vars "$dir/typo.yaml" -o "$dir/v5d.json"
ok vars-unknown-denied-no-output test ! -e "$dir/v5d.json" -a ! -e "$dir/v5d.params.json"
expect define-unknown 1 "$sgc" build --color=never "$nb" -D instance_typ=ml.t3.large -o "$dir/v5e.json"
ok define-unknown-located grep -q '<command line>:1:4: error\[E0513\]' "$dir/err"
ok define-unknown-no-output test ! -e "$dir/v5e.json" -a ! -e "$dir/v5e.params.json"
expect define-wrong-type 1 "$sgc" build --color=never "$nb" -D instance_type=m5.large -o "$dir/v6.json"
ok define-wrong-type-located grep -q '<command line>:1:18: error\[E0514\]' "$dir/err"
expect vars-missing-file 2 "$sgc" build "$nb" --vars "$dir/none.yaml" -o "$dir/v7.json"

# check over a directory, and machine formats on standard output
expect check-directory 0 "$sgc" check --color=never examples/
ok check-directory-covers-all grep -q 'studio-public.sgl:37:10: warning\[W0606\]' "$dir/err"
expect check-format-bad 2 "$sgc" check --format xml "$good"
expect check-format-json 1 "$sgc" check --format json "$dir/bad.sgl"
ok check-format-json-stdout grep -q '"code":"E0302"' "$dir/out"
ok check-format-json-stderr-quiet test ! -s "$dir/err"

# fmt: the examples are formatted; a messy file is rewritten once, then stable
expect fmt-check-examples 0 "$sgc" fmt --check examples/
printf 'environment  e   {\n region="us-east-1" ; tags={ a:"b" }\n\n\n  network n { cidr = 10.0.0.0/16\n isolation=isolated\n subnet a {cidr=10.0.1.0/24 zone=a}}}\n' > "$dir/messy.sgl"
cp "$dir/messy.sgl" "$dir/messy.orig"
cp "$dir/messy.sgl" "$dir/messy.orig.sgl"
expect fmt-check-messy 1 "$sgc" fmt --check "$dir/messy.sgl"
ok fmt-check-lists-file grep -q 'messy.sgl' "$dir/out"
ok fmt-check-writes-nothing cmp -s "$dir/messy.sgl" "$dir/messy.orig"
expect fmt-rewrite 0 "$sgc" fmt "$dir/messy.sgl"
ok fmt-changed-file sh -c "! cmp -s '$dir/messy.sgl' '$dir/messy.orig'"
cp "$dir/messy.sgl" "$dir/messy.once"
expect fmt-idempotent 0 "$sgc" fmt "$dir/messy.sgl"
ok fmt-second-pass-same cmp -s "$dir/messy.sgl" "$dir/messy.once"
expect fmt-same-template-a 0 "$sgc" build "$dir/messy.orig.sgl" -o "$dir/m1.json"
expect fmt-same-template-b 0 "$sgc" build "$dir/messy.sgl" -o "$dir/m2.json"
ok fmt-keeps-meaning cmp -s "$dir/m1.json" "$dir/m2.json"
ok fmt-stdin sh -c "\"$sgc\" fmt - < '$dir/messy.orig' | cmp -s - '$dir/messy.once'"
printf 'environment e {\n' > "$dir/broken.sgl"
expect fmt-unparsable 1 "$sgc" fmt "$dir/broken.sgl"

# fmt --tokens: what sgc's scanner reads, one token or comment a line
printf 'x {a=1;}  # c\n' > "$dir/tok.sgl"
cp "$dir/tok.sgl" "$dir/tok.orig"
expect fmt-tokens 0 "$sgc" fmt --tokens "$dir/tok.sgl"
printf 'IDENT 1:1 x\nLBRACE 1:3 {\nIDENT 1:4 a\nEQ 1:5 =\nINT 1:6 1\nSEMI 1:7 ;\nRBRACE 1:8 }\nCOMMENT 1:11 # c\nEND 2:1\n' > "$dir/tok.want"
ok fmt-tokens-listed cmp -s "$dir/out" "$dir/tok.want"
ok fmt-tokens-writes-nothing cmp -s "$dir/tok.sgl" "$dir/tok.orig"
expect fmt-tokens-stdin 0 sh -c "\"$sgc\" fmt --tokens - < '$dir/tok.sgl' | cmp -s - '$dir/tok.want'"
expect fmt-tokens-unclean 1 "$sgc" fmt --tokens "$dir/broken.sgl"
ok fmt-tokens-unclean-listed grep -q '^LBRACE 1:15 {$' "$dir/out"
expect fmt-tokens-one-file 2 "$sgc" fmt --tokens "$dir/tok.sgl" "$dir/tok.sgl"
expect fmt-tokens-without-check 2 "$sgc" fmt --tokens --check "$dir/tok.sgl"

# same_tree A B: two directories hold the same files, byte for byte.
same_tree() {
	diff -r "$1" "$2" >/dev/null
}

# Issue 9: options, inputs, outputs (each file says what it covers).
here=$(dirname "$0")
. "$here/options.sh"
. "$here/inputs.sh"
. "$here/outputs.sh"
. "$here/diff.sh"
. "$here/params.sh"
. "$here/stages.sh"
. "$here/graph.sh"
. "$here/deploy.sh"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
