# install_tools: install Python command-line tools (such as poetry, uv, pdm)
# into the notebook's base conda environment, /home/ec2-user/anaconda3.
# Notebook instance, OnStart (root). The install runs as ec2-user in the
# background (nohup), because it can take longer than the 5-minute limit on
# lifecycle scripts; its output goes to /var/log/sgc-install-tools.log. pip
# uses whatever index is configured (/etc/pip.conf: with pip_from before this
# step, CodeArtifact). The base environment lives outside ~/SageMaker, so it
# is rebuilt on every start and this step runs again each time.
sgc_install_tools() {
	local tools=(@@TOOLS@@)
	local python=/home/ec2-user/anaconda3/bin/python
	local log=/var/log/sgc-install-tools.log
	if [[ ! -x $python ]]; then
		echo "install_tools: no base conda environment at $python; skipped" >&2
		return 0
	fi
	echo "$(date -u +%FT%TZ) installing: ${tools[*]}" >>"$log"
	nohup sudo -u ec2-user -H "$python" -m pip install --upgrade --no-input \
		--progress-bar off --disable-pip-version-check -- "${tools[@]}" \
		>>"$log" 2>&1 </dev/null &
}
sgc_install_tools
