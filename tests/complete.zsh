#!/usr/bin/env zsh -f
# What zsh's completion offers for a command line, one candidate a line, found the way a user
# does: an interactive zsh on a pseudo-terminal (zsh/zpty) with compinit, the folder of the
# completion function first in $fpath, and TAB pressed at the end of the line. compadd is
# wrapped to print what it is given instead of showing a menu.
#   zsh -f tests/complete.zsh FOLDER 'jmap build --'
zmodload zsh/zpty || exit 2
zpty z zsh -f -i || exit 2
zpty -w z "PS1= PROMPT= RPROMPT= PS2="
zpty -w z "fpath=(${(q)1} \$fpath)"
zpty -w z "autoload -U compinit && compinit -u -D"
zpty -w z "bindkey '^I' complete-word"
zpty -w z "zstyle ':completion:*' list-grouped false"
zpty -w z "zstyle ':completion:*' insert-tab false"
zpty -w z "jmap_mark () { print -r -- \$'\\x1f'MARK }"
zpty -w z "compprefuncs=( jmap_mark )"
zpty -w z "comppostfuncs=( jmap_mark exit )"
# Print each match with its prefix and suffix options, as compadd would insert it; add it too,
# or zsh would think nothing matched and try a fallback (all files for a map).
zpty -w z 'compadd () {
  local -a hits; local -A o; local i
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  builtin compadd -A hits "$@"
  builtin compadd "$@"; local ret=$?
  zparseopts -E -A o P: S: p: s: q: J: V: X: x: d: l: a: k: 1: 2: o: r: R: M: U: F: Q: f: e: W: i: I:
  for i in $hits; do print -r -- "${o[-P]}$i${o[-S]}"; done
  return ret
}'
zpty -w z "$2"$'\t'
integer seen=0
local line
while zpty -r z line; do
  line=${line%$'\n'}
  line=${line%$'\r'}
  if [[ $line == *$'\x1f'MARK* ]]; then
    (( seen++ )) && break
    continue
  fi
  (( seen )) && print -r -- "$line"
done
zpty -d z
