#!/usr/bin/env python3
"""Read tests/mutation/mutations.txt (its header says the format) and plant one entry.

    mutate.py LIST names             one "NAME<TAB>FILE<TAB>what" line per entry
    mutate.py LIST check ROOT        every original occurs exactly once in ROOT/FILE
    mutate.py LIST apply NAME ROOT   replace the original in ROOT/FILE

Exit status: 0 done, 1 an original is missing or not unique (the list is out of date),
2 a malformed list or a bad argument.
"""

import sys


class ListError(Exception):
    pass


def parse(path):
    entries = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith("@ "):
            raise ListError(f"{path}:{i}: expected '@ NAME FILE', found {line!r}")
        head = line[2:].split()
        if len(head) != 2:
            raise ListError(f"{path}:{i}: expected '@ NAME FILE'")
        name, file = head
        start = i
        what, original, replacement = [], [], []
        part = what
        while True:
            if i >= len(lines):
                raise ListError(f"{path}:{start}: entry '{name}' does not end with '>>>>'")
            line = lines[i]
            i += 1
            if line == "<<<<" and part is what:
                part = original
            elif line == "====" and part is original:
                part = replacement
            elif line == ">>>>" and part is replacement:
                break
            elif line in ("<<<<", "====", ">>>>"):
                raise ListError(f"{path}:{i}: '{line}' out of place in entry '{name}'")
            else:
                part.append(line)
        if not original or not "".join(original).strip():
            raise ListError(f"{path}:{start}: entry '{name}' has no original text")
        if any(e["name"] == name for e in entries):
            raise ListError(f"{path}:{start}: a second entry named '{name}'")
        entries.append({"name": name, "file": file, "what": " ".join(what).strip(),
                        "original": "\n".join(original),
                        "replacement": "\n".join(replacement)})
    return entries


def occurrences(root, e):
    with open(f"{root}/{e['file']}", encoding="utf-8") as f:
        return f.read().count(e["original"])


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        entries = parse(argv[1])
    except (ListError, OSError, UnicodeDecodeError) as err:
        print(f"mutate.py: {err}", file=sys.stderr)
        return 2
    cmd = argv[2]
    if cmd == "names" and len(argv) == 3:
        for e in entries:
            print(f"{e['name']}\t{e['file']}\t{e['what']}")
        return 0
    if cmd == "check" and len(argv) == 4:
        bad = 0
        for e in entries:
            try:
                n = occurrences(argv[3], e)
            except OSError as err:
                n, why = 0, str(err)
            else:
                why = "not found" if n == 0 else f"found {n} times"
            if n != 1:
                print(f"{e['name']}: the original text in {e['file']} is {why}")
                bad += 1
        return 1 if bad else 0
    if cmd == "apply" and len(argv) == 5:
        match = [e for e in entries if e["name"] == argv[3]]
        if not match:
            print(f"mutate.py: no entry named '{argv[3]}'", file=sys.stderr)
            return 2
        e = match[0]
        path = f"{argv[4]}/{e['file']}"
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if text.count(e["original"]) != 1:
            return 1
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(e["original"], e["replacement"]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
