# bash completion for sgc(1). Installed as
# /usr/share/bash-completion/completions/sgc; to try it: `. completions/sgc.bash`.
# Needs nothing from the bash-completion package. Keep the options in step
# with compiler/cli.c's option table (tests/release/run.sh checks them).

_sgc_options() {
	case $1 in
	build) echo "-o --output --format --stage --vars -D --define --root --color= --deny --help" ;;
	check) echo "--format --stage --vars -D --define --root --color= --deny --help" ;;
	iam) echo "--format --stage --vars -D --define --root --color= --deny --help" ;;
	fmt) echo "--check --tokens --help" ;;
	diff) echo "--format --fail-on --stage --vars -D --define --root --color= --deny --help" ;;
	deploy) echo "-o --output --stage --vars -D --define --root --color= --deny --s3-bucket --s3-prefix --preview --profile --help" ;;
	graph) echo "-o --output --format --stage --vars -D --define --root --color= --deny --help" ;;
	lsp) echo "--stdio --help" ;;
	*) echo "--help" ;;
	esac
}

_sgc() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local commands="build check fmt iam diff deploy graph explain lsp help version"
	local cmd="" i w
	COMPREPLY=()
	# The command: the first word that is no option nor an option's value.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-o | --output | --format | --fail-on | --stage | --vars | -D | --define | --root | --deny | --s3-bucket | --s3-prefix | --profile) ((i++)) ;;
		-* | =) ;;
		*)
			if [[ ${COMP_WORDS[i - 1]} != = ]]; then
				cmd=$w
				break
			fi
			;;
		esac
	done
	# `--color=` is split at `=` by COMP_WORDBREAKS: `--color` `=` `never`.
	local opt=$prev
	[[ $prev == = ]] && opt=${COMP_WORDS[COMP_CWORD - 2]}
	[[ $cur == = ]] && { opt=$prev; cur=""; }
	case $opt in
	--format)
		case $cmd in
		build) COMPREPLY=($(compgen -W "json yaml" -- "$cur")) ;;
		iam) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		diff) COMPREPLY=($(compgen -W "text markdown json" -- "$cur")) ;;
		graph) COMPREPLY=($(compgen -W "dot svg png" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "text json sarif github" -- "$cur")) ;;
		esac
		return 0 ;;
	--fail-on) COMPREPLY=($(compgen -W "replace change" -- "$cur")); return 0 ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return 0 ;;
	--deny) COMPREPLY=($(compgen -W "warnings" -- "$cur")); return 0 ;;
	--root) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
	-D | --define | --stage | --s3-bucket | --s3-prefix | --profile) return 0 ;;
	--vars)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur")
			$(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
		return 0 ;;
	-o | --output) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
	esac
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return 0
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_sgc_options "$cmd")" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return 0
	fi
	case $cmd in
	help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	explain | version) ;;
	*)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -X '!*.sgl' -- "$cur") $(compgen -d -- "$cur"))
		;;
	esac
	return 0
}
complete -F _sgc sgc
