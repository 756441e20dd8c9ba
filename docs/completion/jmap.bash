# bash completion for jmap                                    -*- shell-script -*-
# Installed as share/bash-completion/completions/jmap; needs the bash-completion package.
# The options follow `jmap help COMMAND` (tests/test_completion.c holds them to it).

_jmap_models()
{
    COMPREPLY=($(compgen -W "$(jmap stages 2>/dev/null | awk '{print $1}')" -- "$cur"))
}

_jmap()
{
    local cur prev words cword
    _init_completion || return

    local commands="build check stages new import schema help"
    if ((cword == 1)); then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "-h --help -V --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi

    local common="-q --quiet --werror --max-errors --color --diagnostics --model-path
        --max-input-size --max-depth --max-nodes --max-string --max-touchpoints --max-personas
        --max-stages --max-appearances --max-kpis --data --max-data-size --max-data-rows -h --help"
    case $prev in
        -f | --format) COMPREPLY=($(compgen -W "svg pdf png mermaid markdown" -- "$cur")); return ;;
        --theme) COMPREPLY=($(compgen -W "light dark print" -- "$cur")); return ;;
        --page) COMPREPLY=($(compgen -W "fit a4 a3 letter" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --diagnostics) COMPREPLY=($(compgen -W "text json sarif github" -- "$cur")); return ;;
        -O | --out-dir | --model-path) _filedir -d; return ;;
        -o | --output | --depfile) _filedir; return ;;
        --data) _filedir '@(csv|tsv|txt)'; return ;;
        -m | --model) _jmap_models; return ;;
        -j | --jobs | --dpi | --font | --persona | --max-errors | --max-input-size | --max-depth | --max-nodes | --max-string | --max-touchpoints | --max-personas | --max-stages | --max-appearances | --max-kpis | --max-data-size | --max-data-rows)
            return ;;
    esac

    case ${words[1]} in
        build)
            if [[ $cur == -* ]]; then
                # '-' alone is a map too: standard input
                COMPREPLY=($(compgen -W "- -o --output -O --out-dir -f --format --check --depfile --watch --keep-mtime -j --jobs --persona --split-personas --theme --font --page --dpi --dump-layout $common" -- "$cur"))
            else
                _filedir 'y?(a)ml'
            fi ;;
        check)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "- $common" -- "$cur"))
            else
                _filedir 'y?(a)ml'
            fi ;;
        stages)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-h --help" -- "$cur"))
            elif ((cword == 2)); then
                _jmap_models
            fi ;;
        new)
            COMPREPLY=($(compgen -W "-m --model -o --output --force -h --help" -- "$cur")) ;;
        import)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "- -o --output --force -q --quiet --werror --max-errors --diagnostics --color --max-input-size -h --help" -- "$cur"))
            elif ((cword == 2)); then
                COMPREPLY=($(compgen -W "mermaid" -- "$cur"))
            else
                _filedir '@(mmd|mermaid|md)'
            fi ;;
        schema)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-h --help" -- "$cur"))
            elif ((cword == 2)); then
                COMPREPLY=($(compgen -W "map model" -- "$cur"))
            fi ;;
        help | -h | --help)
            ((cword == 2)) && COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
    esac
} && complete -F _jmap jmap
