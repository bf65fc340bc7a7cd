# install_tools: install Python command-line tools (such as poetry, uv, pdm)
# for sagemaker-user in a Studio JupyterLab or Code Editor app.
# Runs as sagemaker-user at every app start. Installs into the image's conda
# base environment (/opt/conda) when sagemaker-user can write to it, as in
# the SageMaker Distribution images (its bin directory is on PATH; the
# container is fresh at every start, so this runs each time); otherwise
# `pip install --user` into ~/.local, which persists. The install runs in the
# background (nohup) because it can outlast the 5-minute lifecycle limit;
# output goes to ~/.cache/sgc/install-tools.log. pip uses whatever index is
# configured (with pip_from before this step, CodeArtifact).
sgc_install_tools() {
	local tools=(@@TOOLS@@)
	local home=${HOME:-/home/sagemaker-user}
	local log=$home/.cache/sgc/install-tools.log
	local python=/opt/conda/bin/python user=()
	if [[ ! -x $python || ! -w /opt/conda ]]; then
		python=$(command -v python3 || true)
		user=(--user)
	fi
	if [[ -z $python ]]; then
		echo "install_tools: no python3 in this image; skipped" >&2
		return 0
	fi
	mkdir -p "$home/.cache/sgc"
	echo "$(date -u +%FT%TZ) installing: ${tools[*]}" >>"$log"
	nohup "$python" -m pip install --upgrade --no-input --progress-bar off \
		--disable-pip-version-check ${user[@]+"${user[@]}"} -- "${tools[@]}" \
		>>"$log" 2>&1 </dev/null &
}
sgc_install_tools
