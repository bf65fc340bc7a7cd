#!/usr/bin/env bash
# The shell steps of action.yml (the GitHub Action), here so that
# tests/release runs them too. action.sh STEP:
#   deps   install the build dependencies (apt-get; sudo when not root)
#   key    print the cache key part: a hash of everything sgc is built from
#   build  build sgc (build/release/sgc beside this script's directory)
#   check  run `sgc check` over $INPUT_PATHS (default `.`): GitHub
#          annotations on standard output, a SARIF log to $INPUT_SARIF
#          (default sgc.sarif); writes sarif=PATH and sgc=PATH to
#          $GITHUB_OUTPUT; exits with check's status (1 findings, 2 usage)
# Inputs come from the environment, never spliced into the script text.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
step=${1:?usage: action.sh deps|key|build|check}

# What `make` needs; the README's list without the test-only libcmocka-dev.
packages="make gcc flex bison pkg-config libjansson-dev libyaml-dev"

case $step in
deps)
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	if [ "${DRY_RUN:-}" = 1 ]; then
		echo "$sudo apt-get install -y --no-install-recommends $packages"
		exit 0
	fi
	$sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends $packages
	;;
key)
	# hashFiles() only sees the workspace, and the action lives outside it.
	cd "$top" && find Makefile VERSION compiler grammar stdlib tools docs/diagnostics.md -type f |
		LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-32
	;;
build)
	make -C "$top" -s -j"$(nproc)" all
	;;
check)
	sgc=${SGC:-$top/build/release/sgc}
	sarif=${INPUT_SARIF:-sgc.sarif}
	deny=()
	case ${INPUT_DENY_WARNINGS:-false} in
	true) deny=(--deny warnings) ;;
	false) ;;
	*) echo "::error::deny-warnings must be true or false, not \`$INPUT_DENY_WARNINGS\`"; exit 2 ;;
	esac
	read -r -a paths <<<"${INPUT_PATHS:-.}"
	"$sgc" check --format sarif "${deny[@]}" -- "${paths[@]}" >"$sarif"
	sarif_status=$?
	"$sgc" check --format github "${deny[@]}" -- "${paths[@]}"
	status=$?
	if [ -n "${GITHUB_OUTPUT:-}" ]; then
		printf 'sarif=%s\nsgc=%s\n' "$sarif" "$sgc" >>"$GITHUB_OUTPUT"
	fi
	[ "$sarif_status" -eq 2 ] && status=2
	exit "$status"
	;;
*)
	echo "action.sh: unknown step \`$step\` (deps, key, build, check)" >&2
	exit 2
	;;
esac
