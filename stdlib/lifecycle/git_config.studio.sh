# git_config: set sagemaker-user's global git identity, and `main` as the
# default branch for new repositories.
# Studio JupyterLab or Code Editor app, runs as sagemaker-user at every app
# start; ~/.gitconfig lives on the space's volume and `git config` replaces
# the values each time.
sgc_git_config() {
	local name=@@GIT_NAME@@
	local email=@@GIT_EMAIL@@
	git config --global user.name "$name"
	git config --global user.email "$email"
	git config --global init.defaultBranch main
}
sgc_git_config
