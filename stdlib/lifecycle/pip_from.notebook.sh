# pip_from: install Python packages only through one CodeArtifact repository.
# Notebook instance, OnStart (root). Writes /usr/local/bin/sgc-codeartifact-refresh,
# which fetches a CodeArtifact token (12 h lifetime) and writes the index URL for
# pip (/etc/pip.conf, read by every conda env and user), uv (/etc/uv/uv.toml)
# and PDM (ec2-user's ~/.config/pdm/config.toml, which every PDM version reads).
# The token lives only in those files (root:ec2-user 0640; PDM's 0600), never in
# an environment variable, which would outlive the token in long-running shells
# and kernels and override the refreshed files.
# The first refresh runs now, so a failure fails the start loudly; cron repeats
# it well inside the token lifetime, and ec2-user may run
# `sgc-codeartifact-refresh` by hand (a sudoers rule allows exactly that command).
# The AWS CLI runs as ec2-user, never as root, because ec2-user owns the conda
# tree it comes from; what it returns is checked before root writes it.
# Account and region come from the instance's own ARN. Runs on every start and
# overwrites what it wrote before.
sgc_pip_from() {
	local domain=@@DOMAIN@@
	local repository=@@REPOSITORY@@
	local hours=@@REFRESH_HOURS@@
	if ! [[ $hours =~ ^[1-9][0-9]?$ ]] || ((hours > 11)); then
		echo "pip_from: refresh interval must be 1 to 11 hours, not '$hours'" >&2
		exit 1
	fi
	local bin=/usr/local/bin/sgc-codeartifact-refresh
	mkdir -p /etc/sgc /etc/uv
	printf 'domain=%q\nrepository=%q\n' "$domain" "$repository" >/etc/sgc/codeartifact.conf
	chmod 0644 /etc/sgc/codeartifact.conf
	cat >"$bin" <<'EOF'
#!/bin/bash
# Written by sgc (pip_from); do not edit. Fetches a CodeArtifact token and
# points pip, uv and PDM at the repository named in /etc/sgc/codeartifact.conf.
# Run it as root, or as ec2-user (it re-runs itself through sudo).
set -euo pipefail
umask 077
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
user=ec2-user
if ((EUID != 0)); then
	exec sudo -n /usr/local/bin/sgc-codeartifact-refresh
fi
domain='' repository=''
# shellcheck source=/dev/null
. /etc/sgc/codeartifact.conf
arn=$(sed -n 's/.*"ResourceArn" *: *"\([^"]*\)".*/\1/p' /opt/ml/metadata/resource-metadata.json)
IFS=: read -r _ _ _ region account _ <<<"$arn"
if ! [[ $region =~ ^[a-z0-9-]+$ && $account =~ ^[0-9]{12}$ ]]; then
	echo "sgc-codeartifact-refresh: no ResourceArn in /opt/ml/metadata/resource-metadata.json" >&2
	exit 1
fi
# ca OPERATION ARGS...: the AWS CLI as the notebook user. The operation comes
# first: the CLI reads the first word after the service as the operation.
ca() {
	local op=$1
	shift
	runuser -u "$user" -- env -i HOME="/home/$user" LANG=C.UTF-8 \
		PATH="/home/$user/anaconda3/bin:/usr/local/bin:/usr/bin:/bin" \
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
put() { # put FILE OWNER:GROUP MODE: replace FILE atomically with stdin
	local tmp
	tmp=$(mktemp "$1.XXXXXX")
	cat >"$tmp"
	chown "$2" "$tmp"
	chmod "$3" "$tmp"
	mv -f "$tmp" "$1"
}
put /etc/pip.conf "root:$user" 0640 <<<"[global]
index-url = $url"
put /etc/uv/uv.toml "root:$user" 0640 <<<"index-url = \"$url\""
# PDM: the user's own file, which every PDM version reads. Written as the user, so that root never
# writes through a path the user controls; a config of the user's own is kept.
pdm="# Written by sgc (pip_from); replaced at every refresh.
[pypi]
url = \"$url\""
# shellcheck disable=SC2016 # expanded by the inner shell
runuser -u "$user" -- bash -c '
	set -euo pipefail
	umask 077
	f=$1
	mkdir -p "${f%/*}"
	if [[ -e $f ]] && ! grep -q "^# Written by sgc" "$f"; then
		echo "sgc-codeartifact-refresh: $f is not ours; PDM keeps its own index" >&2
		exit 0
	fi
	tmp=$(mktemp "$f.XXXXXX")
	cat >"$tmp"
	mv -f "$tmp" "$f"' sgc "/home/$user/.config/pdm/config.toml" <<<"$pdm"
echo "$(date -u +%FT%TZ) sgc: pip, uv and PDM use CodeArtifact $domain/$repository ($region)"
EOF
	chmod 0755 "$bin"
	# Earlier versions exported the token here, which outlived it.
	rm -f /etc/profile.d/sgc-codeartifact.sh
	if command -v visudo >/dev/null && [[ -d /etc/sudoers.d ]]; then
		local rule
		rule=$(mktemp /etc/sudoers.d/.sgc-codeartifact.XXXXXX)
		printf '%s\n' "ec2-user ALL=(root) NOPASSWD: $bin \"\"" >"$rule"
		chmod 0440 "$rule"
		if visudo -cqf "$rule"; then
			mv -f "$rule" /etc/sudoers.d/sgc-codeartifact-refresh
		else
			rm -f "$rule"
			echo "pip_from: sudo refused the rule; ec2-user cannot refresh by hand" >&2
		fi
	fi
	"$bin"
	printf '%s\n%s\n' \
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		"17 */$hours * * * root $bin >>/var/log/sgc-codeartifact-refresh.log 2>&1" \
		>/etc/cron.d/sgc-codeartifact-refresh
	chmod 0644 /etc/cron.d/sgc-codeartifact-refresh
}
sgc_pip_from
