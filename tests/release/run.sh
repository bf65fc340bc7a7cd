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
	for w in $("$sgc" --help | grep -o -- '--[a-z][a-z-]*' | sort -u) build check fmt iam diff graph explain help version; do
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
ok comp-all-commands offers "build check deploy diff explain fmt graph help iam lsp version" sgc ""
ok comp-graph-format offers "dot png svg" sgc graph a.sgl --format ""
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
	for cmd in build check fmt iam diff deploy graph explain lsp; do
		offered=" $(complete_words sgc "$cmd" - | tr '\n' ' ')"
		for opt in $offered; do
			takes "$cmd" "$opt" || bad="$bad $cmd:$opt(offered, refused)"
		done
		for opt in $("$sgc" --help | grep -o -- ' -[a-zA-Z]\b\| --[a-z][a-z0-9-]*' | sort -u); do
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
	for c in build check fmt iam diff deploy graph explain lsp help version; do
		grep -q "^	'$c:" completions/_sgc || { echo "_sgc lacks $c"; return 1; }
	done
}
ok comp-zsh-mentions-every-command zsh_commands
if command -v zsh >/dev/null; then
	ok comp-zsh-parses zsh -n completions/_sgc
else
	echo "release: SKIP zsh -n completions/_sgc: no zsh"
fi

# ---- make dist -------------------------------------------------------------
if git rev-parse --git-dir >/dev/null 2>&1; then
	tarball=build/sgc-$version.tar.gz
	ok dist-builds make -s dist
	sha1=$(sha256sum "$tarball" | cut -d' ' -f1)
	touch VERSION README.md # mtimes of the tree must not matter
	ok dist-builds-again make -s dist
	ok dist-reproducible test "$(sha256sum "$tarball" | cut -d' ' -f1)" = "$sha1"
	ok dist-is-head sh -c "tar -tzf '$tarball' | sed 's|^sgc-$version/||;/^$/d;/\/$/d' | sort >'$dir/dist.list' && git ls-files | sort | cmp -s - '$dir/dist.list'"
	mkdir "$dir/dist"
	tar -xzf "$tarball" -C "$dir/dist"
	ok dist-unpacks-to-versioned-dir test -f "$dir/dist/sgc-$version/LICENSE"
	ok dist-builds-with-make make -s -C "$dir/dist/sgc-$version" -j"$(nproc)" all
	ok dist-binary-version sh -c "test \"\$('$dir/dist/sgc-$version/build/release/sgc' --version)\" = 'sgc $version'"
else
	echo "release: SKIP make dist: not in a git checkout (it packs HEAD)"
fi

# ---- make deb --------------------------------------------------------------
if command -v dpkg-deb >/dev/null; then
	deb=build/sgc_${version}_$(dpkg --print-architecture).deb
	ok deb-builds make -s deb
	dpkg-deb -f "$deb" >"$dir/control"
	ok deb-package-name grep -qx 'Package: sgc' "$dir/control"
	ok deb-version grep -qx "Version: $version" "$dir/control"
	ok deb-depends-jansson grep -q '^Depends: .*libjansson4' "$dir/control"
	ok deb-depends-yaml grep -q '^Depends: .*libyaml-0-2' "$dir/control"
	# The runtime libraries the binary links are exactly those Depends names.
	needed_packages() {
		local lib pkgs=""
		for lib in $(objdump -p "$sgc" | awk '/NEEDED/ {print $2}'); do
			pkgs="$pkgs $(dpkg -S "*/$lib" | head -1 | cut -d: -f1)"
		done
		for p in $pkgs; do grep -q "^Depends: .*\b$p\b" "$dir/control" || { echo "Depends lacks $p"; return 1; }; done
	}
	ok deb-depends-every-linked-library needed_packages
	dpkg-deb -c "$deb" | awk '{print $2, $6}' >"$dir/contents"
	for f in usr/bin/sgc usr/share/man/man1/sgc.1.gz usr/share/bash-completion/completions/sgc \
		usr/share/zsh/vendor-completions/_sgc usr/share/doc/sgc/copyright usr/share/doc/sgc/language.md \
		usr/share/doc/sgc/diagnostics.md usr/share/sgc/stdlib/endpoints.sgl usr/share/sgc/stdlib/remote/connect.sh; do
		ok "deb-has-$f" grep -q " ./$f\$" "$dir/contents"
	done
	ok deb-owned-by-root sh -c "! grep -v '^root/root ' '$dir/contents'"
	sha1=$(sha256sum "$deb" | cut -d' ' -f1)
	ok deb-builds-again make -s deb
	ok deb-reproducible test "$(sha256sum "$deb" | cut -d' ' -f1)" = "$sha1"
	# Unpacked into a temporary root, the installed binary runs and builds an example.
	dpkg -x "$deb" "$dir/x"
	ok deb-binary-runs sh -c "test \"\$('$dir/x/usr/bin/sgc' --version)\" = 'sgc $version'"
	ok deb-binary-builds "$dir/x/usr/bin/sgc" build examples/isolated-network.sgl -o "$dir/deb-stack.json"
	ok deb-binary-same-template sh -c "'$sgc' build examples/isolated-network.sgl | cmp -s - '$dir/deb-stack.json'"
	ok deb-man-page-version sh -c "zcat '$dir/x/usr/share/man/man1/sgc.1.gz' | grep -q '\"sgc $version\"'"
	command -v groff >/dev/null && ok deb-man-page-clean sh -c "test -z \"\$(zcat '$dir/x/usr/share/man/man1/sgc.1.gz' | groff -man -Tutf8 -ww -z 2>&1)\""
	# Installed with dpkg into an empty root (its own database; the libraries
	# are this machine's, so Depends are forced), listed, then removed clean.
	mkdir -p "$dir/root/var/lib/dpkg/updates" "$dir/root/var/lib/dpkg/info"
	touch "$dir/root/var/lib/dpkg/status"
	ok deb-dpkg-install dpkg --root="$dir/root" --force-depends --force-script-chrootless -i "$deb"
	ok deb-dpkg-status sh -c "dpkg --root='$dir/root' -s sgc | grep -qx 'Status: install ok installed'"
	ok deb-dpkg-installed-runs "$dir/root/usr/bin/sgc" check examples/isolated-network.sgl
	ok deb-dpkg-remove dpkg --root="$dir/root" -r sgc
	ok deb-dpkg-remove-leaves-nothing test -z "$(find "$dir/root/usr" -type f 2>/dev/null)"
	# A fresh Debian root with only what Depends names (tests/release/deb-root.sh):
	# dpkg installs the package there without forcing anything, and sgc runs
	# there under chroot, with no file of this machine but those packages'.
	if [ "$(id -u)" -eq 0 ] && command -v chroot >/dev/null && command -v dpkg-query >/dev/null; then
		deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/[[:space:]]//g')
		# shellcheck disable=SC2086 # one package a word
		sh tests/release/deb-root.sh "$dir/fresh" $deps >"$dir/fresh.list"
		ok deb-fresh-root-closure grep -qx libgcc-s1 "$dir/fresh.list"
		ok deb-fresh-root-no-host-tools sh -c "! chroot '$dir/fresh' /bin/true 2>/dev/null"
		ok deb-fresh-root-install dpkg --root="$dir/fresh" --force-script-chrootless -i "$deb"
		mkdir -p "$dir/fresh/work"
		cp examples/isolated-network.sgl "$dir/fresh/work/"
		ok deb-fresh-root-runs chroot "$dir/fresh" /usr/bin/sgc build /work/isolated-network.sgl -o /work/out/stack.json
		ok deb-fresh-root-same-template sh -c "'$sgc' build examples/isolated-network.sgl | cmp -s - '$dir/fresh/work/out/stack.json'"
		# Its mutation: a root without libyaml-0-2 refuses the package and cannot run sgc.
		sh tests/release/deb-root.sh "$dir/nolib" libc6 libjansson4 >/dev/null
		ok deb-fresh-root-depends-enforced sh -c "! dpkg --root='$dir/nolib' --force-script-chrootless -i '$deb' >/dev/null 2>&1"
		cp "$dir/fresh/usr/bin/sgc" "$dir/nolib/usr/bin/sgc"
		ok deb-fresh-root-needs-libyaml sh -c "! chroot '$dir/nolib' /usr/bin/sgc --version >/dev/null 2>&1"
	else
		echo "release: SKIP make deb in a fresh root: needs root, chroot and dpkg-query"
	fi
else
	echo "release: SKIP make deb: no dpkg-deb"
fi

# ---- the GitHub Action and the pre-commit hooks -----------------------------
if python3 -c 'import yaml' 2>/dev/null; then
	ok action-yml-valid python3 - <<'PY'
import re, sys, yaml
a = yaml.safe_load(open("action.yml"))
r = a["runs"]
assert r["using"] == "composite", r["using"]
for s in r["steps"]:
    if "run" in s:
        assert s.get("shell") == "bash", s["name"]
        # inputs reach the script through env, never spliced into its text
        assert "${{" not in s["run"], s["name"]
        assert "tools/action.sh" in s["run"], s["name"]
    else:
        assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", s["uses"]), s["uses"]
for o in a["outputs"].values():
    m = re.fullmatch(r"\$\{\{ steps\.(\w+)\.outputs\.\w+ \}\}", o["value"])
    assert m and m.group(1) in [s.get("id") for s in r["steps"]], o
PY
	ok hooks-yaml-valid python3 - <<'PY'
import os, yaml
hooks = yaml.safe_load(open(".pre-commit-hooks.yaml"))
assert sorted(h["id"] for h in hooks) == ["sgc-check", "sgc-fmt"]
for h in hooks:
    assert h["language"] == "script", h
    script = h["entry"].split()[0]
    assert os.access(script, os.X_OK), script
PY
else
	echo "release: SKIP action.yml and .pre-commit-hooks.yaml parsing: no python3 yaml"
fi
# action.sh check: annotations, a SARIF log, the outputs, check's status.
printf 'environment e {\n  region = "us-east-1"\n  network n { cidr = 10.0.0.5/16 isolation = isolated\n    subnet a { cidr = 10.0.1.0/24 zone = a } }\n}\n' >"$dir/bad.sgl"
action_check() { # action_check WANT-STATUS [VAR=VALUE...]: run the check step in $dir/ws
	local got want=$1
	shift
	(cd "$dir/ws" && env GITHUB_OUTPUT="$dir/ws/out.txt" SGC="$sgc" "$@" "$top/tools/action.sh" check >"$dir/ws/stdout")
	got=$?
	[ "$got" = "$want" ] || { echo "exit $got, want $want"; cat "$dir/ws/stdout"; return 1; }
}
mkdir -p "$dir/ws/envs"
cp examples/isolated-network.sgl "$dir/ws/envs/"
ok action-check-clean action_check 0 INPUT_PATHS=envs
ok action-check-outputs grep -qx "sarif=sgc.sarif" "$dir/ws/out.txt"
# A clean file has no error or warning; notes (suppressed scanner findings) may be there.
ok action-check-sarif-log python3 -c "import json,sys; l=json.load(open('$dir/ws/sgc.sarif')); sys.exit(l['version']!='2.1.0' or any(r.get('level')!='note' for r in l['runs'][0]['results']))"
cp "$dir/bad.sgl" "$dir/ws/envs/"
ok action-check-usage action_check 2 INPUT_PATHS="envs missing-dir-is-usage" INPUT_SARIF=s.sarif
ok action-check-findings action_check 1 INPUT_PATHS="envs" INPUT_SARIF=s.sarif
ok action-check-annotation grep -q '^::error file=envs/bad.sgl,line=3' "$dir/ws/stdout"
ok action-check-sarif-result python3 -c "import json,sys; l=json.load(open('$dir/ws/s.sarif')); sys.exit(l['runs'][0]['results'][0]['ruleId']!='E0302')"
ok action-check-deny-bad action_check 2 INPUT_DENY_WARNINGS=yes
ok action-key-stable sh -c 'test "$(tools/action.sh key)" = "$(tools/action.sh key)" && tools/action.sh key | grep -qx "[0-9a-f]\{32\}"'
deps_match_readme() { # the deps step installs what the README's build line needs
	local p want got
	got=$(DRY_RUN=1 tools/action.sh deps)
	want=$(grep -o 'apt-get install -y [a-z0-9 .-]*' README.md | head -1 | cut -d' ' -f4-)
	for p in $want; do
		[ "$p" = libcmocka-dev ] && continue
		[[ " $got " == *" $p "* ]] || { echo "deps lacks $p"; return 1; }
	done
}
ok action-deps-match-readme deps_match_readme
# The hook script without sgc on PATH: it builds (here: finds built) its own.
ok hook-no-sgc-on-path sh -c "! PATH=/usr/bin:/bin command -v sgc"
ok hook-check-clean env -u SGC PATH=/usr/bin:/bin tools/pre-commit.sh check --deny warnings examples/isolated-network.sgl
hook_bad() { env -u SGC PATH=/usr/bin:/bin tools/pre-commit.sh check --deny warnings "$dir/bad.sgl"; [ $? = 1 ]; }
ok hook-check-finds hook_bad
mkdir -p "$dir/fake"
printf '#!/bin/sh\necho fake-sgc "$@"\n' >"$dir/fake/sgc"
chmod 755 "$dir/fake/sgc"
ok hook-prefers-path sh -c "PATH='$dir/fake':/usr/bin:/bin tools/pre-commit.sh fmt x.sgl | grep -qx 'fake-sgc fmt x.sgl'"

echo "release: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
