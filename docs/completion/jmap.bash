# bash completion for jmap                                    -*- shell-script -*-
_jmap()
{
    local cur prev words cword
    _init_completion || return

    local commands="build check stages new"
    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    local common="--werror --max-errors --color --diagnostics --max-input-size --max-depth --max-nodes --max-string --max-touchpoints --max-personas --max-stages --max-appearances --max-kpis --model-path --help"
    case $prev in
        -f | --format) COMPREPLY=($(compgen -W "svg pdf png" -- "$cur")); return ;;
        --theme) COMPREPLY=($(compgen -W "light dark print" -- "$cur")); return ;;
        --page) COMPREPLY=($(compgen -W "fit a4 a3 letter" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --diagnostics) COMPREPLY=($(compgen -W "text json sarif github" -- "$cur")); return ;;
        -O | --out-dir | --model-path) _filedir -d; return ;;
        -o | --output | --depfile) _filedir; return ;;
        -m | --model)
            COMPREPLY=($(compgen -W "$(jmap stages 2>/dev/null | awk '{print $1}')" -- "$cur"))
            return ;;
        --dpi | --font | --persona | --max-errors | --max-input-size | --max-depth | --max-nodes | --max-string | --max-touchpoints | --max-personas | --max-stages | --max-appearances | --max-kpis)
            return ;;
    esac

    case ${words[1]} in
        build)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-o --output -O --out-dir -f --format --theme --font --page --dpi --dump-layout --check --depfile --persona --split-personas --watch $common" -- "$cur"))
            else
                _filedir 'y?(a)ml'
            fi ;;
        check)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$common" -- "$cur"))
            else
                _filedir 'y?(a)ml'
            fi ;;
        stages)
            ((cword == 2)) && COMPREPLY=($(compgen -W "$(jmap stages 2>/dev/null | awk '{print $1}')" -- "$cur")) ;;
        new)
            COMPREPLY=($(compgen -W "--model -o --output --force --help" -- "$cur")) ;;
    esac
} && complete -F _jmap jmap
