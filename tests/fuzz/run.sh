#!/usr/bin/env bash
# Build the fuzz targets with clang and run each for SECONDS (default 60). The map targets start
# from a seed corpus made from examples/, stages/ and the invalid test maps, with a YAML
# dictionary; fuzz_url and fuzz_filename from a few urls and names; fuzz_csv from the golden
# data files (tests/golden/data) with a CSV dictionary; fuzz_mermaid from the Mermaid goldens
# (tests/golden/mermaid) with a Mermaid dictionary. Crashes land in
# build-fuzz/crashes/.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_load fuzz_render fuzz_url fuzz_filename fuzz_diag fuzz_stamp fuzz_csv fuzz_mermaid)
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DJMAP_FUZZ=ON -DJMAP_WERROR=ON >/dev/null
cmake --build build-fuzz -j2 --target "${targets[@]}"
mkdir -p build-fuzz/seeds build-fuzz/crashes build-fuzz/seeds-text
cp examples/*.yaml stages/*.yaml tests/golden/diag/*.yaml build-fuzz/seeds/ 2>/dev/null || true
printf '%s' 'https://e.com/)/Next<</S/JavaScript/JS(app.alert(1))>>/X(' >build-fuzz/seeds-text/1
printf '%s' 'https://example.com/caf%C3%A9?q=1&r=%zz#top' >build-fuzz/seeds-text/2
printf '%s' 'maps/a map.yaml' >build-fuzz/seeds-text/3
printf 'x\033]52;c;eA==\007\342\200\256.yaml' >build-fuzz/seeds-text/4
# fuzz_stamp: a format byte, a step byte, then an output: an SVG, a PDF end and a PNG.
mkdir -p build-fuzz/seeds-stamp
printf '\000\007<?xml version="1.0"?>\n<!-- Generator: jmap 0.1.0; font Inter 3.019 -->\n<svg/>' \
    >build-fuzz/seeds-stamp/1
printf '\001\000<< /Creator (jmap 0.1.0; font A 1; cairo 1.16.0) >>\ntrailer' >build-fuzz/seeds-stamp/2
{ printf '\002\005'; head -c 2048 docs/grocery-first-order.png; } >build-fuzz/seeds-stamp/3
# fuzz_mermaid: the Mermaid goldens, every grammar form and every error
mkdir -p build-fuzz/seeds-mermaid
cp tests/golden/mermaid/*.mmd tests/golden/mermaid/errors/*.mmd build-fuzz/seeds-mermaid/ 2>/dev/null || true
# fuzz_csv: the golden data files, each error the reader knows
mkdir -p build-fuzz/seeds-csv
cp tests/golden/data/*.csv build-fuzz/seeds-csv/ 2>/dev/null || true
export FONTCONFIG_FILE=$PWD/build-fuzz/tests/fonts.conf
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
for target in "${targets[@]}"; do
    mkdir -p "build-fuzz/corpus/$target"
    echo "fuzz: $target for ${seconds}s"
    case $target in
    fuzz_url | fuzz_filename) flags=(-max_len=4096) seeds=build-fuzz/seeds-text ;;
    fuzz_stamp) flags=(-max_len=8192) seeds=build-fuzz/seeds-stamp ;;
    fuzz_csv) flags=(-max_len=65536 -dict=tests/fuzz/csv.dict) seeds=build-fuzz/seeds-csv ;;
    fuzz_mermaid) flags=(-max_len=16384 -dict=tests/fuzz/mermaid.dict) seeds=build-fuzz/seeds-mermaid ;;
    *) flags=(-max_len=65536 -dict=tests/fuzz/yaml.dict) seeds=build-fuzz/seeds ;;
    esac
    "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 \
        "${flags[@]}" "build-fuzz/corpus/$target" "$seeds" 2>&1 |
        grep -E "^(stat::|#[0-9]+ +DONE|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)" || true
done
if ls build-fuzz/crashes/* >/dev/null 2>&1; then
    echo "fuzz: crashes found:" build-fuzz/crashes/*
    exit 1
fi
