#!/usr/bin/env bash
# Line and branch coverage of src/ from the whole suite, and a floor every file must hold:
# at least 90 % of its lines and 75 % of its branches, or the lower floor and the reason written
# for it in tests/coverage-exempt.txt. Needs gcc and gcovr (Debian package gcovr).
#
#   tests/coverage.sh [build-dir]      (default build-coverage; leaves an HTML report there)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-coverage}
line_floor=90
branch_floor=75
exempt=tests/coverage-exempt.txt

command -v gcovr >/dev/null || { echo "coverage: gcovr is missing (apt-get install gcovr)" >&2; exit 2; }

CC=${CC:-gcc} cmake -S . -B "$build" -DJMAP_COVERAGE=ON -DJMAP_WERROR=ON >/dev/null
cmake --build "$build" -j2

# Counters from this run only. Some tests run the binary as uid 65534 (so that file modes
# apply): create the binary's count files now and let that user add to them, or its runs would
# print "Cannot open" into the stderr the tests compare.
find "$build" -name '*.gcda' -delete
"$build/jmap" --version >/dev/null
find "$build" -name '*.gcda' -exec chmod a+w {} +

ctest --test-dir "$build" --output-on-failure -j2

# C has no exceptions, so --exclude-throw-branches would change nothing; unreachable branches
# (gcc's on lines with no code, such as a closing brace) are left out.
gcovr_args=(--root . --object-directory "$build" --filter 'src/' --exclude 'tests/'
            --exclude '.*stages_data\.c' --exclude-unreachable-branches -j 2)
gcovr "${gcovr_args[@]}" --txt "$build/coverage.txt" --json-summary "$build/coverage.json" \
      --html-details "$build/coverage.html" --print-summary

python3 - "$build/coverage.json" "$exempt" "$line_floor" "$branch_floor" <<'PY'
import json, sys
report, exempt_file, line_floor, branch_floor = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
# tests/coverage-exempt.txt: "path lines% branches% reason", '#' starts a comment.
exempt = {}
for n, raw in enumerate(open(exempt_file, encoding="utf-8"), 1):
    line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
    if not line:
        continue
    parts = line.split(None, 3)
    if len(parts) < 4:
        sys.exit(f"{exempt_file}:{n}: want 'path lines% branches% reason'")
    exempt[parts[0]] = (float(parts[1]), float(parts[2]), parts[3])
files = {f["filename"]: f for f in json.load(open(report))["files"]}
for path in exempt:
    if path not in files:
        sys.exit(f"{exempt_file}: {path} is not a measured file of src/")
def pct(covered, total):
    return 100.0 if total == 0 else 100.0 * covered / total
print(f"\n{'file':32} {'lines':>14} {'branches':>14}  verdict")
failed = []
for path in sorted(files):
    f = files[path]
    lp = pct(f["line_covered"], f["line_total"])
    bp = pct(f["branch_covered"], f["branch_total"])
    lmin, bmin, why = exempt.get(path, (line_floor, branch_floor, None))
    ok = lp >= lmin and bp >= bmin
    if not ok:
        verdict = f"UNDER THE FLOOR ({lmin:.0f} % / {bmin:.0f} %)"
        failed.append(path)
    elif why is not None and lp >= line_floor and bp >= branch_floor:
        verdict = "ok, and its exemption is no longer needed"
    elif why is not None:
        verdict = f"exempt ({lmin:.0f} % / {bmin:.0f} %): {why}"
    else:
        verdict = "ok"
    print(f"{path:32} {lp:6.1f} % {f['line_covered']:>4}/{f['line_total']:<4}"
          f" {bp:5.1f} % {f['branch_covered']:>4}/{f['branch_total']:<4}  {verdict}")
if failed:
    print(f"\ncoverage: {len(failed)} file(s) under the floor: {', '.join(failed)}", file=sys.stderr)
    print(f"coverage: write tests, or give the reason in {exempt_file} (see docs/testing.md)", file=sys.stderr)
    sys.exit(1)
print(f"\ncoverage: every file of src/ at >= {line_floor:.0f} % of lines and >= {branch_floor:.0f} % of branches, or exempt")
PY
