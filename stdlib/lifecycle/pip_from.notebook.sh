# pip_from: install Python packages only through one CodeArtifact repository.
# Notebook instance, OnStart (root). Writes /usr/local/bin/sgc-codeartifact-refresh,
# which fetches a CodeArtifact token (12 h lifetime) and writes the index URL for
# pip (/etc/pip.conf, read by every conda env and user), uv (/etc/uv/uv.toml) and
# tools that read PIP_INDEX_URL, UV_INDEX_URL or PDM_PYPI_URL
# (/etc/profile.d/sgc-codeartifact.sh). Token files are root:ec2-user 0640.
# The first refresh runs now, so a failure fails the start loudly; cron repeats
# it well inside the token lifetime. Account and region come from the
# instance's own ARN. Runs on every start and overwrites what it wrote before.
sgc_pip_from() {
	local domain=@@DOMAIN@@
	local repository=@@REPOSITORY@@
	local hours=@@REFRESH_HOURS@@
	if ! [[ $hours =~ ^[1-9][0-9]?$ ]] || ((hours > 11)); then
		echo "pip_from: refresh interval must be 1 to 11 hours, not '$hours'" >&2
		exit 1
	fi
	mkdir -p /etc/sgc /etc/uv
	printf 'domain=%q\nrepository=%q\n' "$domain" "$repository" >/etc/sgc/codeartifact.conf
	cat >/usr/local/bin/sgc-codeartifact-refresh <<'EOF'
#!/bin/bash
# Written by sgc (pip_from); do not edit. Fetches a CodeArtifact token and
# points pip, uv and PDM at the repository named in /etc/sgc/codeartifact.conf.
set -euo pipefail
umask 077
PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin:/home/ec2-user/anaconda3/bin
domain='' repository=''
# shellcheck source=/dev/null
. /etc/sgc/codeartifact.conf
arn=$(sed -n 's/.*"ResourceArn" *: *"\([^"]*\)".*/\1/p' /opt/ml/metadata/resource-metadata.json)
IFS=: read -r _ _ _ region account _ <<<"$arn"
if [[ -z $region || -z $account ]]; then
	echo "sgc-codeartifact-refresh: no ResourceArn in /opt/ml/metadata/resource-metadata.json" >&2
	exit 1
fi
ca=(aws codeartifact --region "$region" --domain "$domain" --domain-owner "$account")
token=$("${ca[@]}" get-authorization-token --query authorizationToken --output text)
endpoint=$("${ca[@]}" get-repository-endpoint --repository "$repository" --format pypi \
	--query repositoryEndpoint --output text)
if [[ -z $token || $token == None || $endpoint != https://* ]]; then
	echo "sgc-codeartifact-refresh: CodeArtifact returned no token or endpoint" >&2
	exit 1
fi
url="https://aws:$token@${endpoint#https://}"
url="${url%/}/simple/"
put() { # put FILE TEXT: replace FILE atomically, readable by root and ec2-user only
	local tmp
	tmp=$(mktemp "$1.XXXXXX")
	printf '%s\n' "$2" >"$tmp"
	chown root:ec2-user "$tmp"
	chmod 0640 "$tmp"
	mv -f "$tmp" "$1"
}
put /etc/pip.conf "[global]
index-url = $url"
put /etc/uv/uv.toml "index-url = \"$url\""
put /etc/profile.d/sgc-codeartifact.sh "export PIP_INDEX_URL='$url' UV_INDEX_URL='$url' PDM_PYPI_URL='$url'"
echo "$(date -u +%FT%TZ) sgc: pip, uv and PDM use CodeArtifact $domain/$repository ($region)"
EOF
	chmod 0755 /usr/local/bin/sgc-codeartifact-refresh
	/usr/local/bin/sgc-codeartifact-refresh
	printf '%s\n%s\n' \
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin" \
		"17 */$hours * * * root /usr/local/bin/sgc-codeartifact-refresh >>/var/log/sgc-codeartifact-refresh.log 2>&1" \
		>/etc/cron.d/sgc-codeartifact-refresh
	chmod 0644 /etc/cron.d/sgc-codeartifact-refresh
}
sgc_pip_from
