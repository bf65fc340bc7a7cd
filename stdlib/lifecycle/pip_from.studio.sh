# pip_from: install Python packages only through one CodeArtifact repository.
# Studio JupyterLab or Code Editor app, runs as sagemaker-user at every app start
# (no root, no cron). Writes ~/.local/bin/sgc-codeartifact-refresh, which fetches
# a CodeArtifact token (12 h lifetime) and writes the index URL for pip
# (~/.config/pip/pip.conf), uv (~/.config/uv/uv.toml) and PDM
# (~/.config/pdm/config.toml, unless the user keeps one of their own), all mode
# 0600. The token lives only in those files, never in an environment variable,
# which would outlive the token in long-running terminals and kernels and
# override the refreshed files. The first refresh runs now, so a failure fails
# the app start loudly; a nohup background loop repeats it, one loop per app,
# and the user may run `sgc-codeartifact-refresh` by hand.
# Account and region come from the app's ARN in /opt/ml/metadata.
sgc_pip_from() {
	local domain=@@DOMAIN@@
	local repository=@@REPOSITORY@@
	local hours=@@REFRESH_HOURS@@
	if ! [[ $hours =~ ^[1-9][0-9]?$ ]] || ((hours > 11)); then
		echo "pip_from: refresh interval must be 1 to 11 hours, not '$hours'" >&2
		exit 1
	fi
	local home=${HOME:-/home/sagemaker-user}
	local bin=$home/.local/bin/sgc-codeartifact-refresh
	local pidfile=$home/.cache/sgc/codeartifact-refresh.pid
	mkdir -p "$home/.local/bin" "$home/.config/sgc" "$home/.cache/sgc"
	printf 'domain=%q\nrepository=%q\n' "$domain" "$repository" >"$home/.config/sgc/codeartifact.conf"
	cat >"$bin" <<'EOF'
#!/bin/bash
# Written by sgc (pip_from); do not edit. Fetches a CodeArtifact token and
# points pip, uv and PDM at the repository named in ~/.config/sgc/codeartifact.conf.
# With --every SECONDS it repeats that forever (the app's background loop).
set -euo pipefail
umask 077
home=${HOME:-/home/sagemaker-user}
if [[ ${1:-} == --every ]]; then
	while sleep "$2"; do
		"$0" || echo "$(date -u +%FT%TZ) sgc: refresh failed; next try in $2 s" >&2
	done
fi
domain='' repository='' region='' account=''
# shellcheck source=/dev/null
. "$home/.config/sgc/codeartifact.conf"
meta=/opt/ml/metadata/resource-metadata.json
if [[ -r $meta ]]; then
	arn=$(sed -n 's/.*"ResourceArn" *: *"\([^"]*\)".*/\1/p' "$meta")
	IFS=: read -r _ _ _ region account _ <<<"$arn"
fi
region=${region:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}
if ! [[ $region =~ ^[a-z0-9-]+$ ]]; then
	echo "sgc-codeartifact-refresh: cannot tell the AWS Region" >&2
	exit 1
fi
if [[ -z $account ]]; then
	account=$(aws sts get-caller-identity --region "$region" --query Account --output text)
fi
# ca OPERATION ARGS...: the CLI reads the first word after the service as the operation.
ca() {
	local op=$1
	shift
	aws codeartifact "$op" --region "$region" --domain "$domain" --domain-owner "$account" "$@"
}
token=$(ca get-authorization-token --query authorizationToken --output text)
endpoint=$(ca get-repository-endpoint --repository "$repository" --format pypi \
	--query repositoryEndpoint --output text)
# Only an AWS host, and a token that needs no quoting in a URL or a TOML string.
if ! [[ $token =~ ^[A-Za-z0-9._~-]{16,8192}$ ]]; then
	echo "sgc-codeartifact-refresh: CodeArtifact returned no usable token" >&2
	exit 1
fi
if ! [[ $endpoint =~ ^https://[a-z0-9.-]+\.(amazonaws\.com|amazonaws\.com\.cn|on\.aws)/pypi/[A-Za-z0-9._-]+/?$ ]]; then
	echo "sgc-codeartifact-refresh: unexpected repository endpoint '$endpoint'" >&2
	exit 1
fi
url="https://aws:$token@${endpoint#https://}"
url="${url%/}/simple/"
put() { # put FILE: replace FILE atomically with stdin, mode 0600
	local tmp
	mkdir -p "$(dirname "$1")"
	tmp=$(mktemp "$1.XXXXXX")
	cat >"$tmp"
	mv -f "$tmp" "$1"
}
put "$home/.config/pip/pip.conf" <<<"[global]
index-url = $url"
put "$home/.config/uv/uv.toml" <<<"index-url = \"$url\""
pdm=$home/.config/pdm/config.toml
if [[ -e $pdm ]] && ! grep -q '^# Written by sgc' "$pdm"; then
	echo "sgc-codeartifact-refresh: $pdm is not ours; PDM keeps its own index" >&2
else
	put "$pdm" <<<"# Written by sgc (pip_from); replaced at every refresh.
[pypi]
url = \"$url\""
fi
echo "$(date -u +%FT%TZ) sgc: pip, uv and PDM use CodeArtifact $domain/$repository ($region)"
EOF
	chmod 0700 "$bin"
	# Earlier versions exported the token from ~/.bashrc, which outlived it.
	rm -f "$home/.config/sgc/codeartifact-env.sh"
	if [[ -f $home/.bashrc ]] && grep -q '# sgc pip_from$' "$home/.bashrc"; then
		local kept
		kept=$(grep -v '# sgc pip_from$' "$home/.bashrc" || true)
		printf '%s\n' "$kept" >"$home/.bashrc"
	fi
	"$bin"
	local pid
	pid=$(cat "$pidfile" 2>/dev/null || true)
	if [[ -n $pid ]] && grep -qa sgc-codeartifact-refresh "/proc/$pid/cmdline" 2>/dev/null; then
		return 0
	fi
	nohup "$bin" --every "$((hours * 3600))" >>"$home/.cache/sgc/codeartifact-refresh.log" 2>&1 </dev/null &
	echo "$!" >"$pidfile"
}
sgc_pip_from
