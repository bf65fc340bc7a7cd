#!/usr/bin/env bash
# connect.sh - SSH into a SageMaker Studio space over AWS Systems Manager.
# Written by sgc for one space of one environment (docs/remote-access.md).
#
# Use it as the ProxyCommand of the ssh_config entry sgc writes next to it:
# ssh (or VS Code Remote-SSH) runs it, and its stdin/stdout carry the SSH
# stream. It
#   1. finds the space ARN: $SGC_SPACE_ARN, else the stack output;
#   2. makes sure the space's app runs: creates it with the space's default
#      resource spec when it is stopped, then waits for InService;
#   3. calls `aws sagemaker start-session` and hands the session to
#      session-manager-plugin, as the AWS Toolkit for VS Code does.
# Everything it says goes to stderr; stdout belongs to SSH. The session token
# never reaches a command line or a file: it goes to the plugin through the
# AWS_SSM_START_SESSION_RESPONSE environment variable (plugin 1.2.536.0+).
#
# Options: --profile NAME   AWS profile (default: $AWS_PROFILE or the default chain)
#          --stack NAME     stack to read the space ARN from ($SGC_STACK_NAME)
#          --region REGION  Region of that stack ($SGC_REGION)
#          --no-start       fail instead of starting a stopped space
#          --check          check the setup and report, without connecting
# Environment: SGC_SPACE_ARN (skip the stack lookup), SGC_WAIT_SECONDS (900).
set -euo pipefail

stack=${SGC_STACK_NAME:-}
[[ -n $stack ]] || stack='devbox-prod'
region=${SGC_REGION:-}
[[ -n $region ]] || region='ap-southeast-2'
space_output='CarolRemoteSpaceArn'
domain_output='DevboxDomainId'
expected_space='carol-remote'
profile=${AWS_PROFILE:-}
wait_seconds=${SGC_WAIT_SECONDS:-900}
start=true
check=false

say() { printf 'sgc-connect: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}

while (($# > 0)); do
	case $1 in
	--profile | --stack | --region)
		(($# >= 2)) || die "$1 needs a value"
		case $1 in
		--profile) profile=$2 ;;
		--stack) stack=$2 ;;
		*) region=$2 ;;
		esac
		shift 2
		;;
	--no-start)
		start=false
		shift
		;;
	--check)
		check=true
		shift
		;;
	-h | --help)
		sed -n '2,22s/^# \{0,1\}//p' "$0" >&2
		exit 0
		;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[[ $wait_seconds =~ ^[0-9]+$ ]] || die "SGC_WAIT_SECONDS must be a number of seconds"

# ---- prerequisites ------------------------------------------------------------
command -v aws >/dev/null 2>&1 ||
	die "the AWS CLI is not installed: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
aws_version=$(aws --version 2>&1 </dev/null || true)
# Ask for the operation itself, not a version: some 1.x releases have it and
# some 2.x releases do not. The skeleton is printed locally, without a call.
aws sagemaker start-session --generate-cli-skeleton input >/dev/null 2>&1 </dev/null ||
	die "this AWS CLI (${aws_version:-unknown version}) has no 'aws sagemaker start-session'; update it: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
command -v session-manager-plugin >/dev/null 2>&1 ||
	die "session-manager-plugin is not installed: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html"
plugin_version=$(session-manager-plugin --version 2>/dev/null </dev/null || true)

export AWS_PAGER=""
# awsr REGION ARGS...: the AWS CLI with the chosen profile, never reading the SSH stream
awsr() {
	local r=$1
	shift
	if [[ -n $profile ]]; then
		aws --profile "$profile" --region "$r" "$@" </dev/null
	else
		aws --region "$r" "$@" </dev/null
	fi
}

# version_at_least HAVE WANT: compare dotted version numbers
version_at_least() {
	local IFS=. i
	local -a have want
	read -r -a have <<<"$1"
	read -r -a want <<<"$2"
	for ((i = 0; i < ${#want[@]}; i++)); do
		[[ ${have[i]:-0} =~ ^[0-9]+$ ]] || return 1
		if ((10#${have[i]:-0} != 10#${want[i]})); then
			return $((10#${have[i]:-0} > 10#${want[i]} ? 0 : 1))
		fi
	done
	return 0
}

# ---- which space --------------------------------------------------------------
space_arn=${SGC_SPACE_ARN:-}
stack_domain=""
if [[ -z $space_arn ]]; then
	outputs=$(awsr "$region" cloudformation describe-stacks --stack-name "$stack" \
		--query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text) ||
		die "cannot read stack '$stack' in $region (use --stack/--region, or set SGC_SPACE_ARN)"
	while IFS=$'\t' read -r key value; do
		if [[ $key == "$space_output" ]]; then space_arn=$value; fi
		if [[ $key == "$domain_output" ]]; then stack_domain=$value; fi
	done <<<"$outputs"
	[[ -n $space_arn ]] || die "stack '$stack' has no output '$space_output'; is it deployed?"
fi
arn_re='^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):([0-9]{12}):space/([^/]+)/([^/]+)$'
[[ $space_arn =~ $arn_re ]] || die "not a SageMaker space ARN: '$space_arn'"
space_region=${BASH_REMATCH[1]}
domain=${BASH_REMATCH[3]}
space=${BASH_REMATCH[4]}
if [[ -n $stack_domain && $stack_domain != "$domain" ]]; then
	die "output '$domain_output' ($stack_domain) does not match the space's domain ($domain)"
fi
if [[ $space != "$expected_space" ]]; then
	say "note: space '$space', not '$expected_space' this script was written for"
fi

# ---- is the space ready for remote access -------------------------------------
info=$(awsr "$space_region" sagemaker describe-space --domain-id "$domain" --space-name "$space" \
	--query '[Status, SpaceSettings.AppType, SpaceSettings.RemoteAccess]' --output text) ||
	die "cannot describe space $space in domain $domain (needs sagemaker:DescribeSpace)"
read -r space_status app_type remote <<<"$info"
case $app_type in
JupyterLab | CodeEditor) ;;
*) die "space $space runs '$app_type' apps; remote access needs JupyterLab or CodeEditor" ;;
esac
[[ $remote == ENABLED ]] ||
	die "remote access is not enabled on space $space (SpaceSettings.RemoteAccess is '$remote')"

# app_status: Status of the space's app, or Absent
app_status() {
	local out
	if out=$(awsr "$space_region" sagemaker describe-app --domain-id "$domain" --space-name "$space" \
		--app-type "$app_type" --app-name default --query Status --output text 2>&1); then
		printf '%s\n' "$out"
	elif [[ $out == *ResourceNotFound* || $out == *"does not exist"* ]]; then
		echo Absent
	else
		printf '%s\n' "$out" >&2
		return 1
	fi
}

# create_app: start the app with the space's own default resource spec
create_app() {
	local spec itype image alias version lcc arg="" item
	spec=$(awsr "$space_region" sagemaker describe-space --domain-id "$domain" --space-name "$space" \
		--query "SpaceSettings.${app_type}AppSettings.DefaultResourceSpec.[InstanceType, SageMakerImageArn, SageMakerImageVersionAlias, SageMakerImageVersionArn, LifecycleConfigArn]" \
		--output text) || return 1
	read -r itype image alias version lcc <<<"$spec"
	case $itype in
	ml.t3.micro | ml.t3.small | ml.t3.medium | ml.c5.large | ml.c6i.large | ml.c6id.large | ml.c7i.large)
		die "instance type $itype has less than the 8 GiB of memory remote access needs"
		;;
	"" | None) say "warning: the space names no instance type; the domain default applies (needs >= 8 GiB)" ;;
	*) ;;
	esac
	for item in "InstanceType=$itype" "SageMakerImageArn=$image" "SageMakerImageVersionAlias=$alias" \
		"SageMakerImageVersionArn=$version" "LifecycleConfigArn=$lcc"; do
		case ${item#*=} in "" | None) continue ;; *) ;; esac
		arg=${arg:+$arg,}$item
	done
	say "starting the $app_type app of space $space${itype:+ on $itype}"
	if [[ -n $arg ]]; then
		awsr "$space_region" sagemaker create-app --domain-id "$domain" --space-name "$space" \
			--app-type "$app_type" --app-name default --resource-spec "$arg" >/dev/null
	else
		awsr "$space_region" sagemaker create-app --domain-id "$domain" --space-name "$space" \
			--app-type "$app_type" --app-name default >/dev/null
	fi
}

status=$(app_status) || die "cannot read the app of space $space (needs sagemaker:DescribeApp)"
if $check; then
	say "aws: $aws_version"
	say "session-manager-plugin: ${plugin_version:-unknown}"
	identity=$(awsr "$space_region" sts get-caller-identity --query Arn --output text) ||
		die "no usable AWS credentials"
	say "caller: $identity"
	say "space: $space_arn ($space_status, $app_type, remote access $remote)"
	say "app: $status"
	exit 0
fi

# ---- wait until the app runs ------------------------------------------------
deadline=$((SECONDS + wait_seconds))
created=false
while [[ $status != InService ]]; do
	case $status in
	Pending) say "waiting for the app to start..." ;;
	Deleting) say "the app is stopping; it starts again when it has stopped..." ;;
	Deleted | Failed | Absent)
		$start || die "the app of space $space is not running ($status); start it in Studio or drop --no-start"
		if $created && [[ $status == Failed ]]; then
			die "the app failed to start; see Studio or describe-app's FailureReason"
		elif ! $created; then
			[[ $space_status == InService ]] || die "space $space is $space_status, not InService"
			create_app || die "cannot start the app (needs sagemaker:CreateApp)"
			created=true
		fi
		;;
	*) die "unexpected app status '$status'" ;;
	esac
	((SECONDS < deadline)) || die "gave up after ${wait_seconds}s; the app is $status (raise SGC_WAIT_SECONDS)"
	sleep 10
	status=$(app_status) || die "cannot read the app of space $space"
done

# ---- connect --------------------------------------------------------------------
session=$(awsr "$space_region" sagemaker start-session --resource-identifier "$space_arn" \
	--query '{SessionId: SessionId, StreamUrl: StreamUrl, TokenValue: TokenValue}' --output json) ||
	die "start-session failed (needs sagemaker:StartSession on $space_arn)"
[[ $session == *SessionId* && $session != *': null'* ]] || die "start-session returned no session"
if version_at_least "$plugin_version" 1.2.536.0; then
	export AWS_SSM_START_SESSION_RESPONSE=$session
	exec session-manager-plugin AWS_SSM_START_SESSION_RESPONSE "$space_region" StartSession
fi
say "warning: session-manager-plugin ${plugin_version:-?} is older than 1.2.536.0 and shows the session token to other local users (ps); please upgrade"
exec session-manager-plugin "$session" "$space_region" StartSession
