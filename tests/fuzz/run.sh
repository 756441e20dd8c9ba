#!/usr/bin/env bash
# Build the fuzz targets with clang and run each for SECONDS (default 60) on a seed corpus made
# from examples/, stages/ and the invalid test maps. Crashes land in build-fuzz/crashes/.
#   tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DJMAP_FUZZ=ON -DJMAP_WERROR=ON >/dev/null
cmake --build build-fuzz -j2 --target fuzz_load fuzz_render fuzz_diag
mkdir -p build-fuzz/seeds build-fuzz/crashes
cp examples/*.yaml stages/*.yaml tests/golden/diag/*.yaml build-fuzz/seeds/ 2>/dev/null || true
export FONTCONFIG_FILE=$PWD/build-fuzz/tests/fonts.conf
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
for target in fuzz_load fuzz_render fuzz_diag; do
    mkdir -p "build-fuzz/corpus/$target"
    echo "fuzz: $target for ${seconds}s"
    "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -dict=tests/fuzz/yaml.dict -artifact_prefix=build-fuzz/crashes/ \
        -print_final_stats=1 "build-fuzz/corpus/$target" build-fuzz/seeds 2>&1 |
        grep -E "^(stat::|#[0-9]+ +DONE|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)" || true
done
if ls build-fuzz/crashes/* >/dev/null 2>&1; then
    echo "fuzz: crashes found:" build-fuzz/crashes/*
    exit 1
fi
