# code_editor_extensions: install Code Editor extensions from the Open VSX
# Registry (ids such as ms-python.python: publisher.name).
# Studio Code Editor app, runs as sagemaker-user at every app start. Uses the
# Code Editor CLI and extensions directory documented for Code Editor
# lifecycle configurations; already installed extensions are kept. The
# download runs in the background (nohup) so the app starts without waiting;
# output goes to ~/.cache/sgc/code-editor-extensions.log. Needs a route to
# open-vsx.org: in a network without internet the installs fail in the log.
sgc_code_editor_extensions() {
	local extensions=(@@EXTENSIONS@@)
	local dir=/opt/amazon/sagemaker/sagemaker-code-editor-server-data/extensions
	local home=${HOME:-/home/sagemaker-user}
	local log=$home/.cache/sgc/code-editor-extensions.log
	if ! command -v sagemaker-code-editor >/dev/null; then
		echo "code_editor_extensions: no sagemaker-code-editor here; skipped" >&2
		return 0
	fi
	local args=() ext
	for ext in "${extensions[@]}"; do
		args+=(--install-extension "$ext")
	done
	mkdir -p "$home/.cache/sgc"
	echo "$(date -u +%FT%TZ) installing: ${extensions[*]}" >>"$log"
	nohup sagemaker-code-editor --extensions-dir "$dir" "${args[@]}" \
		>>"$log" 2>&1 </dev/null &
}
sgc_code_editor_extensions
