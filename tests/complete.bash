# What bash's completion offers for a command line, one candidate a line: bash-completion is
# loaded, then the completion file, and its function is called as bash calls it on TAB.
#   bash --norc --noprofile tests/complete.bash docs/completion/jmap.bash 'jmap build --'
source /usr/share/bash-completion/bash_completion || exit 2
source "$1" || exit 2
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
complete_function=$(complete -p jmap | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
"$complete_function" jmap "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}"
exit 0
