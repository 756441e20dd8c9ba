#!/usr/bin/env bash
# The mutation check: plant each bug of tests/mutation/mutations.txt in turn, rebuild, run the
# whole suite, put the file back, and say which bugs the suite missed (docs/testing.md).
#
#   tests/mutation/run.sh            every entry
#   tests/mutation/run.sh NAME...    only these entries
#   tests/mutation/run.sh --list     the entries, without running anything
#
# It builds in its own folder, build-mutation (JMAP_MUTATION_BUILD to change it), configured
# like the README's test build, and runs ctest -j2 (JMAP_MUTATION_JOBS). The planted file is
# restored whatever happens, Ctrl-C included; a run killed outright (SIGKILL) leaves its copy
# in BUILD/mutation-backup, and the next run puts it back first. Do not edit the source files
# while it runs. Exit status: 0 when every mutation was caught, 1 when one survived, no longer
# applies (its original text is gone: update the list) or does not build, 2 when the suite
# fails with no mutation or a tool is missing. Not run by CI: it takes minutes.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
list=$here/mutations.txt
build=${JMAP_MUTATION_BUILD:-$root/build-mutation}
jobs=${JMAP_MUTATION_JOBS:-2}
backup=$build/mutation-backup
logs=$build/mutation-logs

missing=
for tool in cmake ctest python3 cc; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "run.sh: missing:$missing (apt-get install cmake python3 build-essential)" >&2
    exit 2
fi
mutate() { python3 "$here/mutate.py" "$list" "$@"; }

if [ "${1:-}" = "--list" ]; then
    mutate names | awk -F'\t' '{ printf "%-36s %s\n", $1, $2 }'
    exit $?
fi
all=$(mutate names | cut -f1) || exit 2
if [ $# -gt 0 ]; then
    for name in "$@"; do
        printf '%s\n' "$all" | grep -qxF -- "$name" || { echo "run.sh: no mutation '$name'" >&2; exit 2; }
    done
    selected=("$@")
else
    mapfile -t selected <<<"$all"
fi

# ---- the planted file is always put back ----
planted=
restore() {
    if [ -n "$planted" ] && [ -f "$backup/$planted" ]; then
        cat "$backup/$planted" >"$root/$planted" && rm -f "$backup/$planted"
    fi
    planted=
}
# Builds and test runs are jobs of their own (job control: a process group each), waited for
# with `wait`, which a signal interrupts at once. Run in the foreground instead, ctest would
# take the Ctrl-C itself, call the tests it cut short failures, and the check would go on.
set -m
exec 4>&2 # the trap may run inside a redirection to a log: it reports through this one
running=
run_job() {
    "$@" &
    running=$!
    wait "$running"
    local rc=$?
    running=
    return $rc
}
# shellcheck disable=SC2317 # called by the trap
on_signal() {
    if [ -n "$running" ]; then
        kill -TERM -- -"$running" 2>/dev/null
        wait "$running" 2>/dev/null
    fi
    restore
    echo >&4
    echo "run.sh: interrupted; the source is as it was" >&4
    exit 130
}
trap 'restore' EXIT
trap on_signal INT TERM HUP

mkdir -p "$backup" "$logs"
# A run killed outright left its copy behind: put it back before anything else.
while IFS= read -r -d '' left; do
    rel=${left#"$backup"/}
    echo "run.sh: restoring $rel, left planted by a run that was killed"
    cat "$left" >"$root/$rel" && rm -f "$left"
done < <(find "$backup" -type f -print0)

# ---- a build like the README's test build, in its own folder ----
if [ ! -f "$build/CMakeCache.txt" ]; then
    gen=()
    command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
    launcher=()
    command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
    cmake -S "$root" -B "$build" "${gen[@]}" -DJMAP_WERROR=ON -DJMAP_SANITIZE=ON "${launcher[@]}" \
        >"$logs/configure.log" 2>&1 || { echo "run.sh: cmake failed, see $logs/configure.log" >&2; exit 2; }
fi
build_it() { run_job cmake --build "$build" -j"$jobs" >"$1" 2>&1; }
# The suite, stopping at the first failure: one failing test is enough to catch a mutation.
suite() { run_job ctest --test-dir "$build" -j"$jobs" --stop-on-failure --output-on-failure >>"$1" 2>&1; }
failed_tests() {
    awk '/^The following tests FAILED:/ { on = 1; next }
         on && $2 == "-" { printf "%s ", $3 }' "$1"
}

echo "mutation check: ${#selected[@]} mutations, build in $build, logs in $logs"
echo "baseline: building and running the suite with no mutation..."
if ! build_it "$logs/baseline.log" || ! suite "$logs/baseline.log"; then
    echo "run.sh: the suite fails with no mutation (see $logs/baseline.log): fix that first" >&2
    exit 2
fi

stale=$(mutate check "$root")
caught=0 survived=() gone=() broken=()
for name in "${selected[@]}"; do
    file=$(mutate names | awk -F'\t' -v n="$name" '$1 == n { print $2 }')
    log=$logs/$name.log
    if printf '%s\n' "$stale" | grep -q "^$name: "; then
        gone+=("$name")
        printf '%-36s NO LONGER APPLIES: %s\n' "$name" "$(printf '%s\n' "$stale" | grep "^$name: " | cut -d' ' -f2-)"
        continue
    fi
    mkdir -p "$(dirname "$backup/$file")"
    cp "$root/$file" "$backup/$file"
    planted=$file
    if ! mutate apply "$name" "$root"; then
        restore
        gone+=("$name")
        printf '%-36s NO LONGER APPLIES\n' "$name"
        continue
    fi
    if ! build_it "$log"; then
        restore
        broken+=("$name")
        printf '%-36s DOES NOT BUILD (see %s)\n' "$name" "$log"
        continue
    fi
    if suite "$log"; then
        restore
        survived+=("$name")
        printf '%-36s SURVIVED: the whole suite passed with it planted in %s\n' "$name" "$file"
    else
        restore
        caught=$((caught + 1))
        printf '%-36s caught by: %s\n' "$name" "$(failed_tests "$log")"
    fi
done
trap - EXIT
# Leave the build matching the source, so the next run's first build is short.
build_it "$logs/final.log" || true

echo "mutation check: ${#selected[@]} planted, $caught caught, ${#survived[@]} survived," \
    "${#gone[@]} no longer apply, ${#broken[@]} do not build"
[ ${#survived[@]} -gt 0 ] && echo "survivors: ${survived[*]}"
[ ${#gone[@]} -gt 0 ] && echo "no longer apply (rewrite them against the code): ${gone[*]}"
[ ${#broken[@]} -gt 0 ] && echo "do not build (fix the entry): ${broken[*]}"
if [ ${#survived[@]} -gt 0 ] || [ ${#gone[@]} -gt 0 ] || [ ${#broken[@]} -gt 0 ]; then
    exit 1
fi
exit 0
