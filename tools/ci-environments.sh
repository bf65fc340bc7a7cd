#!/usr/bin/env bash
# tools/ci-environments.sh STEP - the shell steps of docs/ci.md's workflow,
# kept in the repository so that the tests run them (tests/deploy/deploy_cli.py,
# against the loopback AWS stub) exactly as CI does.
#
#   check    sgc check: GitHub annotations on standard output (always, even
#            when formatting fails) and a SARIF log in $SGC_CI_SARIF; then
#            sgc fmt --check. Exit 1 if either found something.
#   build    every environment for every stage, to out/STAGE/NAME/stack.json
#            with its deploy manifest beside it. A stage's values come from
#            stages/STAGE.yaml beside the .sgl file when there is one.
#            Two environments that would deploy to one stack (same Region,
#            same stack name) are an error: the second would replace the first.
#   deploy   sgc deploy every manifest of $SGC_CI_STAGE (one stage a job):
#            the Region, stack name, capabilities and parameters are the
#            manifest's. With $SGC_CI_S3_BUCKET (`{region}` in it becomes the
#            manifest's Region), templates go through S3 (needed above 51,200
#            bytes). SGC_CI_PREVIEW=1: change sets only, none executed.
#
# Environment: SGC (default: sgc on PATH, else build/release/sgc),
# SGC_CI_SOURCES (default: examples; files or directories of .sgl files),
# SGC_CI_STAGES (build; default "dev prod"), SGC_CI_STAGE (deploy; default:
# every built stage), SGC_CI_OUT (default out), SGC_CI_SARIF (default
# sgc.sarif), SGC_AWS (the AWS CLI sgc deploy runs; default aws).
set -euo pipefail

step=${1:?usage: tools/ci-environments.sh check|build|deploy}
sgc=${SGC:-$(command -v sgc || echo build/release/sgc)}
read -r -a sources <<<"${SGC_CI_SOURCES:-examples}"
read -r -a stages <<<"${SGC_CI_STAGES:-dev prod}"
out=${SGC_CI_OUT:-out}

# every .sgl file of the sources, sorted, one a line
sgl_files() {
	local s
	for s in "${sources[@]}"; do
		if [[ -d $s ]]; then
			find "$s" -maxdepth 1 -type f -name '*.sgl'
		else
			printf '%s\n' "$s"
		fi
	done | LC_ALL=C sort
}

case $step in
check)
	status=0
	"$sgc" check --format github "${sources[@]}" || status=1
	"$sgc" check --format sarif "${sources[@]}" >"${SGC_CI_SARIF:-sgc.sarif}" || status=1
	if ! "$sgc" fmt --check "${sources[@]}"; then
		echo "::error::these files are not formatted: run sgc fmt on them"
		status=1
	fi
	exit "$status"
	;;
build)
	declare -A stack_of=()
	while IFS= read -r f; do
		name=$(basename "$f" .sgl)
		for stage in "${stages[@]}"; do
			vars=()
			[[ -f $(dirname "$f")/stages/$stage.yaml ]] && vars=(--vars "$(dirname "$f")/stages/$stage.yaml")
			"$sgc" build "$f" --stage "$stage" "${vars[@]}" -o "$out/$stage/$name/stack.json"
			key=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["region"] + "/" + m["stack_name"])' \
				"$out/$stage/$name/stack.deploy.json")
			if [[ -n ${stack_of[$key]:-} ]]; then
				echo "::error file=$f::$f and ${stack_of[$key]} both deploy to stack ${key#*/} in ${key%%/*}: rename one environment"
				exit 1
			fi
			stack_of[$key]=$f
		done
	done < <(sgl_files)
	;;
deploy)
	deploy_stages=("${SGC_CI_STAGE:-}")
	[[ -n ${deploy_stages[0]} ]] || mapfile -t deploy_stages < <(find "$out" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | LC_ALL=C sort)
	args=()
	[[ ${SGC_CI_PREVIEW:-0} == 1 ]] && args+=(--preview)
	for stage in "${deploy_stages[@]}"; do
		found=0
		while IFS= read -r m; do
			found=1
			s3=()
			if [[ -n ${SGC_CI_S3_BUCKET:-} ]]; then
				# a template bucket per Region: CloudFormation reads it from the stack's Region
				region=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["region"])' "$m")
				s3=(--s3-bucket "${SGC_CI_S3_BUCKET//\{region\}/$region}" --s3-prefix "sgc/$stage")
			fi
			echo "== deploy $m"
			"$sgc" deploy "$m" --stage "$stage" "${args[@]}" "${s3[@]}"
		done < <(find "$out/$stage" -mindepth 2 -maxdepth 2 -name stack.deploy.json | LC_ALL=C sort)
		if [[ $found == 0 ]]; then
			echo "::error::nothing built for stage $stage under $out/$stage (run the build step first)"
			exit 1
		fi
	done
	;;
*)
	echo "usage: tools/ci-environments.sh check|build|deploy" >&2
	exit 2
	;;
esac
