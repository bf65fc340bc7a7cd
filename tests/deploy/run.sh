#!/usr/bin/env bash
# tests/deploy/run.sh [SGC] - every emitted artifact, run against the real tools.
#
# Unit tests of the harness (IAM evaluator, resolver, stub answers against
# botocore's models) always run. The rest needs root, unshare, python3 >= 3.9,
# openssl, iproute2 and an AWS CLI; ssh needs ssh and sshd; the by-hand
# refresh on notebooks needs sudo. What the machine lacks is skipped, and each
# skip is printed with its reason. With SGC_REQUIRE_DEPLOY=1 (set by .ci/run)
# any skip is a failure.
#
# Environment: SGC_DEPLOY_ONLY="name ..." (examples/fixtures to run),
# SGC_DEPLOY_AWS=PATH (the AWS CLI to test with; default: `aws` on PATH),
# SGC_DEPLOY_KEEP=1 (keep the scratch directory), SGC_DEPLOY_JOBS (default 2),
# SGC_DEPLOY_MUTATIONS=0 (skip the mutations).
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sgc=${1:-$repo/build/release/sgc}
require=${SGC_REQUIRE_DEPLOY:-0}
skips=0

skip() {
	echo "deploy: SKIP $1: $2"
	skips=$((skips + 1))
}

finish() {
	if [[ $require == 1 && $skips -gt 0 ]]; then
		echo "deploy: FAIL: $skips skip(s), and SGC_REQUIRE_DEPLOY=1 allows none"
		exit 1
	fi
	exit "$1"
}

python=$(command -v python3 || true)
if [[ -z $python ]] || ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))'; then
	skip "everything" "no python3 >= 3.9"
	finish 0
fi

echo "== deploy harness unit tests"
"$python" -m unittest -q "$here/test_iam.py" 2>&1 | tail -n 3
"$python" -m unittest -q "$here/test_iam.py" >/dev/null 2>&1 || finish 1

# ---- the AWS CLI: the real one, behind the shim ---------------------------------
aws=${SGC_DEPLOY_AWS:-$(command -v aws || true)}
real_aws='' aws_python=''
if [[ -n $aws ]]; then
	if [[ $aws == */.pyenv/shims/* ]]; then
		# a pyenv shim: the CLI of the selected version (or of the only one that has it)
		real_aws=$(PYENV_ROOT=${aws%/shims/aws} "${aws%/shims/aws}/bin/pyenv" which aws 2>/dev/null || true)
		if [[ -z $real_aws ]]; then
			for c in "${aws%/shims/aws}"/versions/*/bin/aws; do
				[[ -x $c ]] && real_aws=$c
			done
		fi
	else
		real_aws=$(readlink -f "$aws")
	fi
	if [[ -n $real_aws ]] && head -c 2 "$real_aws" | grep -q '#!'; then
		aws_python=$(head -n 1 "$real_aws" | sed 's/^#! *//; s/ .*//')
	fi
fi
if [[ -n $aws_python && -x $aws_python ]] && "$aws_python" -c 'import botocore' 2>/dev/null; then
	"$aws_python" "$here/stub.py" --self-test || finish 1
else
	skip "stub answers against botocore's models" "no python with botocore (the AWS CLI's) on this machine"
fi

# ---- sgc deploy: the real CLI against the stub's deploy world (loopback, no root needed) ----
if [[ -n $real_aws && -x $real_aws ]]; then
	if [[ ! -x $sgc ]]; then
		echo "deploy: $sgc is not built (make)" >&2
		finish 1
	fi
	echo "== deploy: sgc deploy through the AWS CLI against the stub"
	"$python" "$here/deploy_cli.py" --sgc "$sgc" --real-aws "$real_aws" --repo "$repo" \
		$([[ ${SGC_DEPLOY_KEEP:-0} == 1 ]] && echo --keep) || finish 1
else
	skip "sgc deploy through the AWS CLI" "no aws (AWS CLI)"
fi

missing=()
[[ $(id -u) == 0 ]] || missing+=("not root")
command -v unshare >/dev/null || missing+=("no unshare")
command -v ip >/dev/null || missing+=("no ip (iproute2)")
command -v openssl >/dev/null || missing+=("no openssl")
[[ -n $real_aws && -x $real_aws ]] || missing+=("no aws (AWS CLI)")
if ((${#missing[@]} == 0)) && ! unshare --mount --pid --net --fork --mount-proc true 2>/dev/null; then
	missing+=("unshare --mount --pid --net fails here (no namespaces)")
fi
if ((${#missing[@]} > 0)); then
	reason=$(IFS=,; echo "${missing[*]}")
	skip "lifecycle scripts, connect scripts, ssh, IAM of logged calls, mutations" "${reason//,/, }"
	finish 0
fi
if [[ ! -x $sgc ]]; then
	echo "deploy: $sgc is not built (make)" >&2
	finish 1
fi

args=(--sgc "$sgc" --repo "$repo" --real-aws "$real_aws" --jobs "${SGC_DEPLOY_JOBS:-2}")
# the CLI's own tree, bound read-only into each fake machine when it is not under /usr
for p in "$real_aws" "$aws_python"; do
	[[ -n $p ]] || continue
	p=$(readlink -f "$p")
	case $p in
	/usr/local/*) top=/usr/local/$(cut -d/ -f4 <<<"$p") ;;
	/usr/*) continue ;;
	*) top=/$(cut -d/ -f2 <<<"$p")/$(cut -d/ -f3 <<<"$p") ;;
	esac
	case " ${args[*]} " in *" $top "*) ;; *) args+=(--bind "$top") ;; esac
done
if ! AWS_CONFIG_FILE=/dev/null "$real_aws" sagemaker start-session --generate-cli-skeleton input >/dev/null 2>&1; then
	why="this AWS CLI ($("$real_aws" --version 2>&1 | cut -d' ' -f1)) has no 'sagemaker start-session'"
	skip "ssh end to end" "$why"
	args+=(--no-ssh "$why")
elif ! command -v ssh >/dev/null; then
	skip "ssh end to end" "no ssh (openssh-client)"
	args+=(--no-ssh "no ssh (openssh-client)")
elif [[ ! -x /usr/sbin/sshd ]]; then
	skip "ssh end to end" "no sshd (openssh-server)"
	args+=(--no-ssh "no sshd (openssh-server)")
fi
if ! command -v sudo >/dev/null; then
	skip "notebook refresh helper run by hand through sudo" "no sudo"
	args+=(--no-sudo "no sudo")
fi
if ! /usr/bin/python3 -m pip --version >/dev/null 2>&1; then
	skip "pip downloading through the written CodeArtifact configuration" "no pip for /usr/bin/python3 (python3-pip)"
	args+=(--no-pip "no pip for /usr/bin/python3 (python3-pip)")
fi
[[ ${SGC_DEPLOY_MUTATIONS:-1} == 0 ]] && args+=(--no-mutations)
[[ ${SGC_DEPLOY_KEEP:-0} == 1 ]] && args+=(--keep)
for name in ${SGC_DEPLOY_ONLY:-}; do
	args+=(--only "$name")
done

echo "== deploy: AWS CLI $("$real_aws" --version 2>&1 | cut -d' ' -f1), sgc $sgc"
rc=0
"$python" "$here/deploy.py" "${args[@]}" || rc=$?
finish "$rc"
