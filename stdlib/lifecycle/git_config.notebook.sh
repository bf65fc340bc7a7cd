# git_config: set the notebook user's global git identity, and `main` as the
# default branch for new repositories.
# Notebook instance, OnStart (root). Writes ec2-user's ~/.gitconfig as
# ec2-user. The home directory outside ~/SageMaker does not survive a stop,
# so this runs on every start; `git config` replaces the values each time.
sgc_git_config() {
	local name=@@GIT_NAME@@
	local email=@@GIT_EMAIL@@
	local git=(sudo -u ec2-user -H git config --global)
	"${git[@]}" user.name "$name"
	"${git[@]}" user.email "$email"
	"${git[@]}" init.defaultBranch main
}
sgc_git_config
