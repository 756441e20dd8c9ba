# fish completion for jmap
# Installed as share/fish/vendor_completions.d/jmap.fish. The options follow
# `jmap help COMMAND` (tests/test_completion.c holds them to it).

set -l commands build check stages new import schema help

function __jmap_models --description 'The built-in stage models, with their descriptions'
    jmap stages 2>/dev/null | string replace -r '^(\S+)\s+(.*)$' '$1\t$2'
end

function __jmap_maps --description 'YAML maps and folders, and - for standard input'
    __fish_complete_path (commandline -ct) | string match -r '^[^\t]*(?:\.ya?ml|/)(?:\t.*)?$'
    printf '%s\t%s\n' - 'read the map from standard input'
end

# Nothing but what is listed below: maps are completed by __jmap_maps.
complete -c jmap -f

# jmap itself
complete -c jmap -n "not __fish_seen_subcommand_from $commands" -a build -d 'Draw maps as SVG, PDF or PNG'
complete -c jmap -n "not __fish_seen_subcommand_from $commands" -a check -d 'Validate maps, print their diagnostics'
complete -c jmap -n "not __fish_seen_subcommand_from $commands" -a stages -d 'List the built-in stage models, or show one'
complete -c jmap -n "not __fish_seen_subcommand_from $commands" -a new -d "Write a starter map that passes 'check'"
complete -c jmap -n "not __fish_seen_subcommand_from $commands" -a import -d 'Turn a Mermaid journey into a map'
complete -c jmap -n "not __fish_seen_subcommand_from $commands" -a schema -d 'Print the JSON Schema for maps or stage models'
complete -c jmap -n "not __fish_seen_subcommand_from $commands" -a help -d "Show a command's options"
complete -c jmap -n "not __fish_seen_subcommand_from $commands" -s V -l version -d 'Show the version'
complete -c jmap -s h -l help -d 'Show help'

# build
set -l build "__fish_seen_subcommand_from build"
complete -c jmap -n $build -a '(__jmap_maps)'
complete -c jmap -n $build -s o -l output -r -F -d "Output file; its suffix picks the format; '-' = stdout"
complete -c jmap -n $build -s O -l out-dir -x -a '(__fish_complete_directories)' -d 'Write DIR/<map name>.<format> for each map'
complete -c jmap -n $build -s f -l format -x -a 'svg pdf png mermaid markdown' -d 'Output format'
complete -c jmap -n $build -l check -d 'Write nothing; exit 4 if an output is missing or stale'
complete -c jmap -n $build -l depfile -r -F -d 'Write a Make/Ninja depfile'
complete -c jmap -n $build -l watch -d 'Rebuild when the map or its stage model changes'
complete -c jmap -n $build -l keep-mtime -d "Leave an unchanged output's modification time alone"
complete -c jmap -n $build -s j -l jobs -x -d 'Draw the maps in N processes at once (default: one per core)'
complete -c jmap -n $build -l persona -x -d "Draw only this persona's touchpoints and curve"
complete -c jmap -n $build -l split-personas -d 'Also write one file per persona'
complete -c jmap -n $build -l theme -x -a 'light dark print' -d 'Theme'
complete -c jmap -n $build -l font -x -a '(fc-list : family 2>/dev/null | string split ,)' -d 'Typeface'
complete -c jmap -n $build -l page -x -a 'fit a4 a3 letter' -d 'PDF page size'
complete -c jmap -n $build -l dpi -x -d 'PNG resolution (default 144)'
complete -c jmap -n $build -l dump-layout -d 'Print the laid-out scene as text'

# build and check
set -l maps "__fish_seen_subcommand_from build check"
complete -c jmap -n "__fish_seen_subcommand_from check" -a '(__jmap_maps)'
complete -c jmap -n $maps -s q -l quiet -d 'Print errors only (machine formats stay complete)'
complete -c jmap -n $maps -l werror -d 'Treat warnings as errors'
complete -c jmap -n $maps -l max-errors -x -d 'Show at most N diagnostics per file (0 = all)'
complete -c jmap -n $maps -l diagnostics -x -a 'text json sarif github' -d 'Diagnostics format'
complete -c jmap -n $maps -l color -x -a 'auto always never' -d 'Colour diagnostics'
complete -c jmap -n $maps -l model-path -x -a '(__fish_complete_directories)' -d 'Find model: ID as DIR/ID.yaml'
complete -c jmap -n $maps -l max-input-size -x -d 'Refuse maps larger than N bytes'
complete -c jmap -n $maps -l max-depth -x -d 'Refuse YAML nested deeper than N'
complete -c jmap -n $maps -l max-nodes -x -d 'Refuse YAML whose aliases expand past N nodes'
complete -c jmap -n $maps -l max-string -x -d 'Refuse a value longer than N bytes'
complete -c jmap -n $maps -l max-touchpoints -x -d 'Refuse maps with more touchpoints'
complete -c jmap -n $maps -l max-personas -x -d 'Refuse maps with more personas'
complete -c jmap -n $maps -l max-stages -x -d 'Refuse maps with more stages'
complete -c jmap -n $maps -l max-appearances -x -d 'Refuse maps with more touchpoint appearances'
complete -c jmap -n $maps -l max-kpis -x -d 'Refuse maps with more KPIs'
complete -c jmap -n $maps -l data -r -F -d 'Join the KPI data of this CSV file'
complete -c jmap -n $maps -l max-data-size -x -d 'Refuse data files larger than N bytes'
complete -c jmap -n $maps -l max-data-rows -x -d 'Refuse data files with more rows'

# stages [ID]
complete -c jmap -n "__fish_seen_subcommand_from stages; and __fish_is_nth_token 2" -a '(__jmap_models)'

# new
set -l new "__fish_seen_subcommand_from new"
complete -c jmap -n $new -s m -l model -x -a '(__jmap_models)' -d 'Stage model (default classic)'
complete -c jmap -n $new -s o -l output -r -F -d 'Write to FILE instead of standard output'
complete -c jmap -n $new -l force -d 'Replace FILE when it exists'

# import mermaid FILE
set -l import "__fish_seen_subcommand_from import"
complete -c jmap -n "$import; and __fish_is_nth_token 2" -a mermaid -d 'A Mermaid journey diagram'
complete -c jmap -n "$import; and __fish_is_nth_token 3" -F
complete -c jmap -n $import -s o -l output -r -F -d 'Write to FILE instead of standard output'
complete -c jmap -n $import -l force -d 'Replace FILE when it exists'
complete -c jmap -n $import -s q -l quiet -d 'Print errors only'
complete -c jmap -n $import -l werror -d 'Treat warnings as errors'
complete -c jmap -n $import -l max-errors -x -d 'Show at most N diagnostics of each severity'
complete -c jmap -n $import -l diagnostics -x -a 'text json sarif github' -d 'Diagnostics format'
complete -c jmap -n $import -l color -x -a 'auto always never' -d 'When to colour'
complete -c jmap -n $import -l max-input-size -x -d 'Refuse a larger file'

# schema [map|model]
complete -c jmap -n "__fish_seen_subcommand_from schema; and __fish_is_nth_token 2" -a map -d 'The JSON Schema for maps (default)'
complete -c jmap -n "__fish_seen_subcommand_from schema; and __fish_is_nth_token 2" -a model -d 'The JSON Schema for stage-model files'

# help [COMMAND]
complete -c jmap -n "__fish_seen_subcommand_from help; and __fish_is_nth_token 2" -a "$commands"
