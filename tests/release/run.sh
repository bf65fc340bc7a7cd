#!/usr/bin/env bash
# Release pieces: the man page (groff warnings), the bash completion
# (against the options sgc really takes), `make dist` (reproducible, builds
# from the tarball), `make deb` (contents, control, installed into a temp
# root and run), the GitHub Action's script and the pre-commit hook script.
# Run from the top of the tree: tests/release/run.sh path/to/sgc
set -u
sgc=${1:?usage: run.sh path/to/sgc}
case $sgc in /*) ;; *) sgc="$PWD/$sgc" ;; esac
top=$PWD
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
version=$(cat VERSION)

# ok NAME COMMAND...: must succeed.
ok() {
	local name=$1
	shift
	if "$@" >"$dir/ok.out" 2>&1; then
		pass=$((pass + 1))
	else
		echo "FAIL release $name"
		sed 's/^/  | /' "$dir/ok.out" | head -10
		fail=$((fail + 1))
	fi
}

# ---- man page --------------------------------------------------------------
groff_warnings() {
	local w
	w=$(groff -man -Tutf8 -ww -z man/sgc.1 2>&1)
	[ -z "$w" ] || { echo "$w"; return 1; }
}
if command -v groff >/dev/null; then
	ok man-no-groff-warnings groff_warnings
	ok man-renders sh -c "groff -man -Tutf8 -P-cbou man/sgc.1 | grep -q '^EXIT STATUS'"
else
	echo "release: SKIP man page warnings: no groff"
fi
# Every command and every option `sgc --help` lists is in the man page.
man_covers() {
	local missing="" w
	for w in $("$sgc" --help | grep -o -- '--[a-z]*' | sort -u) build check fmt iam explain help version; do
		grep -q -- "${w//-/\\\\-}" man/sgc.1 || missing="$missing $w"
	done
	[ -z "$missing" ] || { echo "not in man/sgc.1:$missing"; return 1; }
}
ok man-covers-help man_covers

# ---- bash completion -------------------------------------------------------
# complete WORDS...: what _sgc offers for the last word (one a line, sorted).
complete_words() {
	(
		cd "$dir/comp" || exit 1
		. "$top/completions/sgc.bash"
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_sgc
		printf '%s\n' "${COMPREPLY[@]}" | sort
	)
}
# offers WANT WORDS...: the completions are exactly WANT (space separated).
offers() {
	local want=$1 got
	shift
	got=$(complete_words "$@" | tr '\n' ' ')
	[ "$got" = "$want " ] || { echo "offered '$got', want '$want '"; return 1; }
}
mkdir -p "$dir/comp/sub"
touch "$dir/comp/a.sgl" "$dir/comp/b.txt" "$dir/comp/prod.yaml"
ok comp-command offers "build" sgc bu
ok comp-all-commands offers "build check explain fmt help iam version" sgc ""
ok comp-check-format offers "github json sarif text" sgc check --format ""
ok comp-build-format offers "json yaml" sgc build --format ""
ok comp-iam-format offers "json text" sgc iam a.sgl --format ""
ok comp-color offers "always auto never" sgc check --color = ""
ok comp-color-prefix offers "always" sgc check --color = al
ok comp-build-files offers "a.sgl sub" sgc build ""
ok comp-vars-files offers "prod.yaml sub" sgc build a.sgl --vars ""
ok comp-help-topic offers "check" sgc help ch
ok comp-after-option-value offers "a.sgl sub" sgc --color = never check ""
ok comp-fmt-options offers "--check" sgc fmt --ch
# Both ways: each option the completion offers a command, the command takes;
# each option of `sgc --help` that the command takes, the completion offers.
takes() { # takes CMD OPTION: sgc does not refuse OPTION for CMD
	local arg=$2
	[ "$arg" = "--color=" ] && arg=--color=never
	! "$sgc" "$1" "$arg" 2>&1 | grep -q 'does not take\|unknown option'
}
options_agree() {
	local cmd opt offered bad=""
	for cmd in build check fmt iam explain; do
		offered=" $(complete_words sgc "$cmd" - | tr '\n' ' ')"
		for opt in $offered; do
			takes "$cmd" "$opt" || bad="$bad $cmd:$opt(offered, refused)"
		done
		for opt in $("$sgc" --help | grep -o -- ' -[a-zA-Z]\b\| --[a-z]*' | sort -u); do
			case $opt in --version | -h | --) continue ;; esac # -h: --help is offered
			local spelled=$opt
			[ "$opt" = --color ] && spelled=--color=
			if takes "$cmd" "$opt" && [[ $offered != *" $spelled "* ]]; then
				bad="$bad $cmd:$opt(taken, not offered)"
			fi
		done
	done
	[ -z "$bad" ] || { echo "disagree:$bad"; return 1; }
}
ok comp-options-agree-with-sgc options_agree
zsh_commands() {
	local c
	for c in build check fmt iam explain help version; do
		grep -q "^	'$c:" completions/_sgc || { echo "_sgc lacks $c"; return 1; }
	done
}
ok comp-zsh-mentions-every-command zsh_commands
if command -v zsh >/dev/null; then
	ok comp-zsh-parses zsh -n completions/_sgc
else
	echo "release: SKIP zsh -n completions/_sgc: no zsh"
fi

echo "release: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
