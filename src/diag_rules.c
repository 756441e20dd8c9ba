#include "jmap/diag_rules.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"

/*
 * One entry per diagnostic code, in the order of docs/diagnostics.md. Each is that section
 * written out: RULE(code, level, the paragraph after "**level.**", the paragraph after
 * "**Fix:**"), Markdown as in the document, white space run together.
 * tests/test_diag_rules.c fails, printing the entry to paste, when a code is documented or
 * emitted without one, or when an entry no longer says what its section says.
 */
/* clang-format off */
#define RULE(code, level, description, fix) {code, JMAP_SEV_##level, description, fix}

static const jmap_diag_rule rules[] = {
    RULE("yaml-syntax", ERROR,
         "The file is not valid YAML. jmap reads it with libyaml, and words the commonest slips "
         "itself, each under its own code: a tab in the indentation ([`yaml-tab`](#yaml-tab)), a "
         "plain value holding `: ` ([`yaml-unquoted-colon`](#yaml-unquoted-colon)), a key or list "
         "item not lined up with the one above it ([`yaml-indent`](#yaml-indent)), and a quote or "
         "bracket that is never closed ([`yaml-unclosed`](#yaml-unclosed)). Everything else is "
         "`yaml-syntax`. A few slips get jmap's own message or a hint here:",
         "look at the line and the place the hint names. The parser stops at the first syntax "
         "error, so it is the only diagnostic of that run."),
    RULE("yaml-tab", ERROR,
         "A line is indented with a tab. YAML indents with spaces only; libyaml says \"found a "
         "tab character that violates indentation\" or \"found character that cannot start any "
         "token\". Reported at the first tab of the indentation.",
         "replace the tab with spaces, lining the key up with its siblings; set the editor to "
         "insert spaces for the Tab key in YAML files (VS Code does by default)."),
    RULE("yaml-unquoted-colon", ERROR,
         "A plain (unquoted) value holds `: `, which YAML reads as the start of a key: libyaml "
         "says \"mapping values are not allowed in this context\". Reported at the `:`; the hint "
         "shows the value quoted, in double quotes, or in single quotes when it holds a `\"` or a "
         "backslash.",
         "quote the whole value, as the hint shows. A `#` after a space starts a comment, and is "
         "not part of the value unless it is quoted too."),
    RULE("yaml-indent", ERROR,
         "A key is not lined up with the keys of its mapping, or a list item with the items of "
         "its list. libyaml says \"did not find expected key\", \"did not find expected '-' "
         "indicator\", or, for a key indented deeper than the one above it, \"mapping values are "
         "not allowed in this context\". jmap names the key (or \"the list item\"), the line of "
         "the one above it and the column it is at. Reported at the key. A key left of the key "
         "above it is matched with the nearest level still open above it: under `goals:` and its "
         "list, a key at column 4 is meant for the column of `goals`, not of the list's items. "
         "When the key is at the column of the list's `- `, the hint adds that it may be a new "
         "list item without its dash.",
         "indent the key with spaces to the column named, or, as here, write `- id: tom` to start "
         "a new item."),
    RULE("yaml-unclosed", ERROR,
         "A quote or a bracket is opened and never closed. libyaml reports the end of the file "
         "(\"found unexpected end of stream\") or the first line it could not fit in; jmap "
         "reports where the quote or bracket **opens**. A bracket \"closed\" by the other kind "
         "(`{...]`) counts as not closed.",
         "close the quote or bracket where the value ends."),
    RULE("invalid-encoding", ERROR,
         "The file is not UTF-8 text: a byte that cannot start or continue a UTF-8 character, or "
         "a control character that YAML does not allow.",
         "save the file as UTF-8 (files from old Windows editors are often Latin-1 or "
         "Windows-1252: `iconv -f latin1 -t utf-8 map.yaml > fixed.yaml`; for UTF-16, `iconv -f "
         "utf-16 -t utf-8 map.yaml > fixed.yaml`)."),
    RULE("empty-file", ERROR,
         "The file is empty, or holds only comments.",
         "write a map; `jmap new` prints a starting point."),
    RULE("multiple-documents", ERROR,
         "The file holds more than one YAML document (a second `---`).",
         "one map per file. Remove the `---` line and what follows, or move it to its own file."),
    RULE("undefined-alias", ERROR,
         "An alias `*name` refers to no anchor `&name` written before it.",
         "define the anchor first (`title: &name Grocery order`), or write the value out."),
    RULE("alias-cycle", ERROR,
         "An alias is used inside the collection its anchor names, so it would contain itself.",
         "point the alias at something outside the collection, or write the value out."),
    RULE("merge-not-mapping", ERROR,
         "A merge key `<<` is given something other than a mapping or a list of mappings.",
         "anchor a mapping (`x-reach: &reach {name: Reach, unit: people}`) and merge that, or "
         "quote the key (`'<<'`) if you meant a key named `<<`."),
    RULE("alias-budget", ERROR,
         "Aliases expand the document past the node limit (5,000,000 by default, `--max-nodes`). "
         "This is how jmap stops \"billion laughs\" files, where each alias doubles the document, "
         "without ever expanding them.",
         "use fewer nested aliases. A real map never comes close to the limit."),
    RULE("too-many-nodes", ERROR,
         "The document has more nodes (scalars, lists and mappings) than the node limit, even "
         "without aliases.",
         "split the map, or raise `--max-nodes` if the map really is that large."),
    RULE("too-deep", ERROR,
         "Lists and mappings are nested deeper than the limit (64 by default, `--max-depth`). A "
         "map needs a depth of about 6.",
         "flatten the structure; it is almost certainly not a map."),
    RULE("string-too-long", ERROR,
         "One value is longer than the limit of 64 KiB.",
         "shorten the text; a card on a journey map holds a sentence or two."),
    RULE("not-a-mapping", ERROR,
         "The top level of the file is not a mapping of keys (`title: ...`), but a list or a "
         "plain value.",
         "start the file with `title:`, `personas:` and the other [top-level keys](format.md); "
         "remove a leading `- ` if the whole map was written as a list item (the hint says so "
         "when the top level is a list)."),
    RULE("unknown-key", ERROR,
         "A key that the format does not define, with a did-you-mean when a known key is close. "
         "Keys starting with `x-` are extensions and are always accepted (once per mapping: see "
         "[duplicate-key](#duplicate-key)).",
         "correct the spelling, move the key to where it belongs (for example `color` belongs to "
         "a persona, not a touchpoint), or rename it `x-...` to keep a note the program ignores."),
    RULE("duplicate-key", ERROR,
         "A key appears twice in one mapping. Many YAML tools silently keep the last value; jmap "
         "refuses to guess. This includes `x-` extension keys: jmap ignores their values, but the "
         "tools that read them would keep only one.",
         "keep one of the two."),
    RULE("missing-key", ERROR,
         "A required key is missing (`title`, `personas`; `id` and `name` of a persona; `id` of a "
         "stage; `stage` and `name` of a touchpoint; `name` of a KPI), or it is there with no "
         "value (`title:`, `personas:` or `name: ~`).",
         "add the key with a value."),
    RULE("wrong-type", ERROR,
         "A value of the wrong kind: a list where a string is expected, text where a number is "
         "expected, a quoted number (`emotion: \"1\"`), a number too large to represent, a list "
         "item that is not a mapping.",
         "write the value in the type the [format](format.md) asks for. Numbers are written "
         "without quotes; `jmap:` takes a whole number."),
    RULE("too-many", ERROR,
         "A list is longer than its limit: 200,000 touchpoints, 1,000 personas or 1,000 stages.",
         "split the map. A map that size cannot be read on one page anyway."),
    RULE("yaml-tag", ERROR,
         "A value, list or mapping carries a YAML tag: `!!str`, `!!int`, `!!binary`, `!!merge`, "
         "or a tag of your own such as `!Ref`. The format has no tags: a value's type comes from "
         "the key it is under. The error points at the tag; the value is then read as if it had "
         "none, so the rest of the file is still checked.",
         "remove the tag. To keep a value such as `010` or `yes` as text, quote it (`\"010\"`); "
         "where jmap expects text it reads a plain `2026` as text anyway."),
    RULE("key-too-long", ERROR,
         "A key is longer than 1,024 characters. YAML does not allow a key written as `key: "
         "value` to be longer, and libyaml stops with a message that does not say so (`could not "
         "find expected ':'`); jmap says what happened, at the start of the key.",
         "keys in a map are short names such as `title` or `x-notes`. A very long key is usually "
         "text that lost its key (`- A long sentence: with a colon` in a list of strings: quote "
         "it), or a value on the wrong line."),
    RULE("leading-zero", WARNING,
         "A number is written as an integer with a leading zero, such as `010`. YAML 1.2, which "
         "jmap follows, reads it as ten; YAML 1.1 tools (PyYAML and many older ones) read `010` "
         "as the octal number 8, and `09` as text. jmap uses 10, and warns because the same file "
         "means something else to those tools. `00` to `07` mean the same in both and get no "
         "warning, nor do decimals such as `010.5`.",
         "write the number without the zero (`10`). A quoted `\"010\"` is text, which is an error "
         "where a number is expected."),
    RULE("unknown-model", ERROR,
         "`model:` names no built-in stage model. The hint suggests the closest one, or how to "
         "list them.",
         "use an id from `jmap stages`, or a path to your own stage-model file (a value with a "
         "`/` or ending in `.yaml` is read as a path). An id that is not built in is looked up as "
         "`ID.yaml` in the [model path](format.md#a-model-path-for-teams) (`--model-path`, "
         "`JMAP_MODEL_PATH`): check that the folder holding it is there. The suggestion only ever "
         "names built-in models."),
    RULE("model-not-found", ERROR,
         "`model:` is a path to a stage-model file that cannot be read, or an id found in the "
         "model path whose file cannot be read. Paths are relative to the map's directory. Only "
         "regular files are read: a named pipe, socket, device or directory is refused without "
         "being opened. A model file has the limits of a map (`--max-input-size` and the others): "
         "one that is too large is refused here too.",
         "correct the path, relative to the map file."),
    RULE("path-outside-tree", ERROR,
         "`model:` is a path that leaves the map's folder tree: an absolute path, a `..` that "
         "climbs above the folder holding the map, or a symbolic link in the tree that points "
         "outside it. jmap reads nothing there, and the message names only the path as the map "
         "wrote it: in CI a map comes from a pull request, and its diagnostics are published, so "
         "a map must not be able to make jmap quote `/etc/passwd`, the runner's environment or "
         "any other file, nor tell whether one exists.",
         "keep the stage-model file in the map's folder (or below it) and name it relatively; for "
         "a model that several folders of maps share, put `ID.yaml` in a folder of the [model "
         "path](format.md#a-model-path-for-teams) and write `model: ID`."),
    RULE("unknown-model-stage", ERROR,
         "With a model, the map's `stages:` adds detail to the model's stages; an id there that "
         "the model lacks has nothing to add to.",
         "use an id of the model (`jmap stages classic` lists them), or drop `model:` and define "
         "every stage yourself."),
    RULE("unsupported-version", ERROR,
         "`jmap:` is a format version this program does not read: a newer one (the file was "
         "written for a newer jmap), or one below 1.",
         "install a newer jmap, or write `jmap: 1` (or leave the key out)."),
    RULE("missing-stages", ERROR,
         "The map has neither `model:` nor `stages:`, so it has no stages to place touchpoints "
         "in. Reported at the start of the file.",
         "add `model: classic` (or another id from `jmap stages`), or list your own `stages:`."),
    RULE("no-stages", ERROR,
         "Without `model:`, `stages:` is an empty list; or a stage-model file's `stages:` is an "
         "empty list (a map on it would have no column). A list whose items are all in error "
         "(`stages: [[{id: find}]]`) is reported at the items, not as empty.",
         "add stages, or use a `model:`."),
    RULE("no-personas", ERROR,
         "`personas:` is an empty list; a journey needs someone to travel it. A list whose items "
         "are all in error is reported at the items, not as empty.",
         "add at least one persona with an `id` and a `name`."),
    RULE("empty-value", ERROR,
         "A required text is empty or only spaces: a title, an id, a name (of a persona, stage, "
         "touchpoint or KPI), or a touchpoint's `stage` or `persona` given as `\"\"`.",
         "write the text, or remove the key if it is optional."),
    RULE("invalid-id", ERROR,
         "A persona, stage or stage-model id does not match `[a-z0-9][a-z0-9_-]*`: lowercase "
         "ASCII letters, digits, `-` and `_`, starting with a letter or digit. Names are free "
         "text; ids are for references.",
         "`id: maya`, `name: Maya`; `id: post-purchase`, `name: Post purchase`."),
    RULE("duplicate-id", ERROR,
         "Two personas, or two stages of the map (or of a stage-model file), have the same id, so "
         "a reference to it would be ambiguous. Reported at each later one.",
         "rename one of them, or merge the two entries. A persona and a stage may share an id."),
    RULE("unknown-stage", ERROR,
         "A touchpoint's `stage` is not a stage of the map (its own `stages:`, or its model's), "
         "with a did-you-mean when one is close. Not reported when the model itself could not be "
         "found.",
         "correct the spelling, or add the stage. `jmap stages <model>` lists a model's stages."),
    RULE("unknown-persona", ERROR,
         "A touchpoint's `persona`, or an item of its `personas`, is not a persona id of the map, "
         "with a did-you-mean when one is close. `jmap build --persona ID` reports the same code, "
         "with the same hint, for an id the map lacks.",
         "use the persona's `id` (not its name), or add the persona."),
    RULE("persona-conflict", ERROR,
         "A touchpoint has both `persona` and `personas`. Reported at the `personas` list.",
         "`persona: maya` for one persona, `personas: [maya, tom]` for several; without either "
         "the touchpoint belongs to every persona."),
    RULE("emotion-range", ERROR,
         "`emotion` is outside the scale from -2 (very negative) to 2 (very positive). Decimals "
         "are allowed.",
         "rescale the score to -2 .. 2."),
    RULE("invalid-color", ERROR,
         "A persona's `color` is not `#rgb` or `#rrggbb` in hexadecimal. Colour names and "
         "`#rrggbbaa` are not accepted.",
         "`color: \"#d55e00\"`. Quote it: unquoted, YAML reads `#` as the start of a comment. Or "
         "leave `color` out and let the theme's colour-blind-safe palette choose."),
    RULE("invalid-lang", ERROR,
         "The map's `lang` is not a BCP 47 language tag in form: a language of 2 to 8 letters, "
         "then optionally a script (4 letters), a region (2 letters or 3 digits) and variants, "
         "joined by `-`, in any case. jmap checks the form, not that the language exists.",
         "write the tag with hyphens, `lang: en-US`, not a locale name (`en_US.UTF-8`); or leave "
         "`lang` out."),
    RULE("invalid-url", ERROR,
         "A touchpoint's `url` is not a link jmap will put in a map. Allowed: `http` and `https` "
         "with a host, and `mailto`; the scheme is matched without regard to case. Refused:",
         "write the full address, `https://...`; encode spaces as `%20`."),
    RULE("invalid-value", ERROR,
         "A key that takes a word from a short list has another: `state` (`current`, `future`), "
         "`theme` (`light`, `dark`, `print`), a KPI's `better` (`higher`, `lower`). A "
         "did-you-mean follows when the word is close.",
         "use one of the listed words (they are lowercase)."),
    RULE("unknown-lane", ERROR,
         "An item of `lanes:` is not a lane name: `stages`, `touchpoints`, `actions`, `thoughts`, "
         "`emotions`, `pains`, `opportunities`, `backstage`, `kpis`.",
         "use a name from the [lane table](format.md#lanes)."),
    RULE("duplicate-lane", WARNING,
         "A lane is listed twice in `lanes:`; it is drawn once, at its first place.",
         "remove the second mention."),
    RULE("stage-without-touchpoints", WARNING,
         "A stage has no touchpoint: an empty column on the map. Reported at the stage's entry in "
         "`stages:`, or at the `model:` value when the stage comes only from the model.",
         "add a touchpoint in the stage, or use a model (or your own stages) without it."),
    RULE("stage-without-kpis", WARNING,
         "Nothing measures a stage: it has no `kpis`, and neither does any of its touchpoints. "
         "Reported where `stage-without-touchpoints` would be.",
         "add `kpis` to the stage (in the map's `stages:`, with the same id when the stage comes "
         "from a model), or to one of its touchpoints. `jmap stages <model>` suggests KPIs for "
         "each stage."),
    RULE("unused-persona", WARNING,
         "A persona appears in no touchpoint: it gets a legend entry but no curve and no cards. A "
         "touchpoint without `persona`/`personas` counts for every persona. Reported at the "
         "persona's id.",
         "add the persona to a touchpoint (`personas: [maya, tom]`), or remove the persona."),
    RULE("control-character", ERROR,
         "A text value (`title`, `subtitle`, a persona's `name`, `role` or `goals`, a stage's "
         "`name`, `goal` or `description`, a KPI's `name` or `unit`, a touchpoint's `name`, "
         "`channel`, `action`, `thought`, `pain`, `opportunity`, `backstage` or `owner`, and the "
         "same in a stage-model file) holds a control character: a C0 control other than tab and "
         "newline, DEL, or a C1 control (U+0080 to U+009F, which includes NEL, `\\N`). YAML lets "
         "them in only through double-quoted escapes such as `\"\\e\"`, `\"\\x07\"`, "
         "`\"\\u009b\"` or `\"\\0\"`. They draw as nothing or as a box, and printed raw they "
         "could move a terminal's cursor, set its clipboard or forge lines in a CI log. Tabs and "
         "line breaks are text (a block scalar under `action: |` holds them) and are allowed. "
         "Reported at the character itself, and the caret underlines the whole escape; the "
         "message shows the character as an escape. One per value.",
         "remove the escape. For a line break, write `\\n` or use a block scalar (`|`)."),
    RULE("bidi-control", WARNING,
         "A text value holds a bidirectional control (U+202A to U+202E, U+2066 to U+2069, U+200E, "
         "U+200F, U+061C). These change the order in which text is shown, so a value can read "
         "differently from what it holds (the \"Trojan Source\" trick); right-to-left text "
         "sometimes needs them, so it is only a warning. Reported at the first one in the value, "
         "whether it is written as an escape (`\"\\u202e\"`) or as the character itself.",
         "remove it, unless the text mixes directions and needs it to read correctly."),
    RULE("diagnostics-not-shown", NOTE,
         "More diagnostics were found than `--max-errors` lets through (50 errors and 50 warnings "
         "a file by default); the rest are counted, not listed. It comes last, names the file of "
         "the last diagnostic listed, and has no line. The text form prints it without a code:",
         "fix the diagnostics shown and run again, or raise `--max-errors` (`0` lists them all)."),
    RULE("unknown-kpi", ERROR,
         "A row's `kpi` is the id of no KPI of the map, nor of any other map of the run that "
         "reads the same file (one export may serve a whole batch). Reported once per id and "
         "file, at its first cell, with the number of rows that name it, and a did-you-mean when "
         "an id of those maps is close; otherwise the hint lists the map's KPI ids (the first "
         "six, then `…`).",
         "correct the id in the export, or give the KPI it measures that `id` in the map. Check a "
         "map that shares an export together with the other maps that read it."),
    RULE("duplicate-data", ERROR,
         "Two rows give one KPI a value for the same date (the same month, or the same day: "
         "`2026-10` and `2026-10-01` are different periods). Reported at the second row's date, "
         "in the order the files are given (`data:`, then `--data`) and then in the file; the "
         "first row is kept.",
         "keep one row per KPI and date; an export that appends each night should replace the "
         "period it recomputes."),
    RULE("kpi-without-data", WARNING,
         "A KPI has an `id`, so it expects data, but no row of the data files names it and the "
         "map gives it no `actual`: its card shows no value. Not reported when the map is built "
         "without any data file, nor while a data file has errors or rows whose id no KPI has: "
         "one of those rows may be the KPI's data.",
         "add the KPI to the export, correct the id on either side, or remove the `id`."),
    RULE("actual-overridden", WARNING,
         "A KPI has an `actual` in the map and rows in a data file: the latest row's value "
         "replaces the one written in the map, which is then out of date.",
         "remove `actual` from the map: the data file is its source now."),
    RULE("data-file-errors", ERROR,
         "A data file that several maps of one run share has errors; they are printed once, with "
         "the first map that reads it, and every other map that reads it fails with this one line.",
         "correct the file as the diagnostics above say."),
    RULE("missing-glyph", WARNING,
         "No installed font can draw a character of the map's text, so it would show as an empty "
         "box. The hint names a font package that has it, when jmap knows one.",
         "install a font that covers the script or symbol (for emoji, a colour emoji font), or "
         "remove the character. Control and invisible characters, which no font draws, never get "
         "this warning (see [`control-character`](#control-character))."),
    RULE("font-fallback", WARNING,
         "The theme's font (Inter) is not installed, so the map is drawn with another family "
         "(fontconfig substitutes one without a word): the drawing looks different, and it "
         "differs byte for byte from one made where the font is installed, so `build --check` "
         "calls the outputs made there stale. Reported once per map by `build` (also with "
         "`--check` and `--dump-layout`), naming the family drawn with, its version, and the "
         "Debian package that provides the missing one.",
         "install the font (`apt-get install fonts-inter`); in CI, install it in the job that "
         "runs `build --check` too, and add `--werror` so a runner without it fails and says why. "
         "`--font FAMILY` chooses another typeface; a `--font` that no installed font provides is "
         "not this warning but a usage error (status 2) naming what would have been drawn "
         "instead. `jmap --version` lists the font files in use."),
    RULE("text-truncated", WARNING,
         "A text needs more lines than its kind shows in its box (a touchpoint's action, thought, "
         "pain, opportunity or backstage 12, a title 2: the table is in [the "
         "format](format.md#long-texts)), so it is drawn cut after the last whole character that "
         "fits, ending in \"…\". Reported once per value, at the value.",
         "shorten the text (one or two sentences read best on a wall); put the detail behind the "
         "touchpoint's `url`."),
    RULE("render-error", ERROR,
         "Cairo could not draw the map: the map has no size, a PNG would be too large (limits on "
         "each side and on the pixel count), an SVG or PDF would be more than 4,000,000 points "
         "wide or tall (Cairo cannot address coordinates much past 8,388,608 units, and does not "
         "finish drawing such a page), the drawing library failed, or libqpdf could not be loaded "
         "(the message names its package) or could not tag and pack Cairo's PDF (its message "
         "follows \"cannot tag the PDF:\"). The error names the output, nothing is drawn, and an "
         "earlier output is kept.",
         "for a huge map, write SVG or PDF, which have no pixel limit, or lower the PNG scale. A "
         "drawing too large for SVG and PDF (about 23,000 touchpoints in one row) has to be split "
         "into several maps."),
    RULE("worker-failed", ERROR,
         "Under `jmap build -j N` (the default on a machine with several cores) the maps of a "
         "batch are drawn by worker processes. This one died before it reported the map it was "
         "drawing: killed by a signal (the kernel's out-of-memory killer sends 9, `kill` sends "
         "15), or stopped for another reason. The map counts as not drawn (exit status 1); an "
         "output the worker had not finished is left as it was, since outputs are only replaced "
         "once complete. The other maps of the batch are drawn by the other workers.",
         "build again. When it fails again, build that map on its own with `-j 1` to see what "
         "stops it; when memory is short, draw fewer maps at once (a lower `-j`)."),
    RULE("pdf-page-too-large", WARNING,
         "A PDF page fitted to the map is wider or taller than 14,400 points (200 inches), the "
         "largest page Adobe Acrobat opens. Browsers, Preview and poppler-based viewers open it.",
         "draw it on a sheet (`--page a3`), split the map, or write SVG. Under `--werror` it "
         "fails the map and the old PDF stays."),
    RULE("io-error", ERROR,
         "A file cannot be read or written: it does not exist, is a directory, or permission is "
         "denied. The message ends with the system's reason. Inputs named on the command line "
         "must be regular files (symbolic links to one are fine): a named pipe, socket or device "
         "is refused before it is opened for reading, so it cannot make jmap wait forever. To "
         "pipe a map in, use `-` (standard input), which may be a pipe. Exit status 3.",
         "check the path and permissions."),
    RULE("too-large", ERROR,
         "The input file is larger than the input limit (32 MiB by default). It is refused before "
         "it is read.",
         "raise `--max-input-size` if the map really is that large."),
    RULE("write-error", ERROR,
         "The output could not be written completely (a full disk, a closed pipe).",
         "free disk space, or check where the output goes."),
    RULE("output-overwrites-input", ERROR,
         "An output, a persona's view (`--split-personas`) or the depfile is the same file as an "
         "input: a map, the map read from standard input, or a stage-model file named by "
         "`model:`. Files are compared by device and inode, so a hard link or a symbolic link to "
         "the input counts as the input.",
         "check `-o`, `-O` and `--depfile`; an output name needs a `.svg`, `.pdf` or `.png` "
         "suffix, a depfile usually `.d`."),
    RULE("duplicate-output", ERROR,
         "Two maps would write the same file (`a/x.yaml` and `b/x.yaml` both become `DIR/x.svg` "
         "under `-O DIR`; a persona's view `x.ana.svg` is also the drawing of a map called "
         "`x.ana.yaml`), or the depfile is also a drawing. Building them would silently keep only "
         "the last one.",
         "rename one of the maps, or build them into different directories."),
    RULE("unsafe-depfile-name", ERROR,
         "`--depfile` was given and an output, a map or a stage-model file has a name that GNU "
         "Make and Ninja cannot both read back from a depfile. A space, `#`, `$` and `:` are "
         "written escaped (`\\ `, `\\#`, `$$`, `\\:`), which both tools read back. Refused are "
         "control characters (a newline would end the rule and a tab start a recipe), `;` (Make "
         "runs what follows), `=`, `|`, `%`, `*`, `?`, `[`, `]`, `(`, `)`, `\\`, quotes, `&`, "
         "`<`, `>`, `^`, `` ` ``, a leading `~` and a trailing `:`. A hostile file name in a pull "
         "request therefore cannot add a rule or run a command through `-include map.d`.",
         "rename the file; without `--depfile` such names are fine."),
    RULE("stale-output", ERROR,
         "Under `build --check`: the output exists but does not hold exactly what a build would "
         "write now, or it is a symbolic link (a build replaces the link with a regular file). "
         "The exit status is 4.",
         "run the same command without `--check` and commit the result; when the stamp differs, "
         "build where the fonts and libraries match those of the CI job (install the font it "
         "names)."),
    RULE("missing-output", ERROR,
         "Under `build --check`: the output does not exist. The exit status is 4. An output that "
         "exists but is not a regular file (a pipe, a device, a directory) is not opened at all: "
         "it is an `io-error`, \"not a regular file\", with status 3.",
         "run the same command without `--check` and commit the result."),
    RULE("mermaid-lossy", NOTE,
         "A Mermaid `journey` shows a title, sections, tasks, their scores and their actors, "
         "nothing more: the map's `.mmd` or `.md` output leaves the rest out, and this note "
         "counts what, once per map however many Mermaid outputs a build writes (`-O` with `-f "
         "mermaid -f markdown`, `--split-personas`). It counts what belongs to the touchpoints "
         "shown (under `--persona`, that persona's), their stages and personas, and the map: KPIs "
         "(of stages and touchpoints), actions, thoughts, pain points, opportunities, backstage "
         "notes, channels, owners, links, stage goals and descriptions, stages without "
         "touchpoints (Mermaid has no empty section), persona roles and goals, the subtitle and "
         "the state. Nothing is lost, no note. The output is written all the same and the exit "
         "status is 0. [mermaid.md](mermaid.md) has the whole mapping.",
         "nothing to fix: it says what the lighter view leaves out. Link the drawn map (SVG) next "
         "to the Mermaid block for readers who need the detail."),
    RULE("data-encoding", ERROR,
         "The data file is not UTF-8 text: a byte that is not UTF-8 (reported once, at the "
         "first), a NUL byte, or a whole file in UTF-16 (Excel's \"Unicode Text\") or a zip "
         "archive (an `.xlsx` workbook), recognised by its first bytes.",
         "export the data as CSV in UTF-8 (Excel: \"CSV UTF-8 (Comma delimited)\"; or `iconv -f "
         "latin1 -t utf-8 kpis.csv > fixed.csv`)."),
    RULE("data-empty-file", ERROR,
         "The data file holds nothing but white space and blank lines (or a byte-order mark): not "
         "even a header line. A file with a header line and no rows is valid and reports nothing.",
         "check the export step that wrote the file; a data file starts with its header line."),
    RULE("data-syntax", ERROR,
         "The file breaks RFC 4180's quoting: a quote that opens a field and is never closed "
         "(reported where it opens; everything after it would be one field), a `\"` inside a "
         "field that does not start with one, or something other than a delimiter or a line break "
         "after a field's closing quote. Reading stops there; the rows before it are kept.",
         "quote a field that holds a quote, a delimiter or a line break, and write each `\"` "
         "inside it twice: `\"the 5\"\" screen\"`. CSV writers (spreadsheets, `csv` modules) do "
         "this themselves; the slip is usually a hand-written export."),
    RULE("data-missing-column", ERROR,
         "The header line has no `kpi`, `date` or `actual` column (names match whatever their "
         "case and the spaces around them; `target` is optional). When another column is probably "
         "the one meant (a near miss such as `dat`, or what other tools call it: `metric`, "
         "`period`, `value`), the diagnostic is at that column with the rename as its hint; "
         "otherwise it is at the header line, with the columns it has. No row of the file is read.",
         "rename the column in the export (or in the query that makes it). A header read as one "
         "column means the delimiter is not `,`, `;` or a tab."),
    RULE("data-duplicate-column", ERROR,
         "Two columns of the header have the same name jmap reads (`actual` and `Actual`), so it "
         "cannot tell which one holds the values. Reported at the second; the first is read.",
         "rename or remove one of them."),
    RULE("data-field-count", ERROR,
         "A row has more or fewer fields than the header has columns, so its cells cannot be "
         "matched to columns. Reported at the row's first field; the row is left out. A row whose "
         "fields are all empty (`,,,`, which spreadsheets write for formatted empty rows) and a "
         "blank line are skipped, not reported.",
         "give every row one field per column, empty or not; quote a value that holds the "
         "delimiter. A number with a decimal comma in a comma-separated file splits in two: write "
         "`12.5`."),
    RULE("data-empty-value", ERROR,
         "A row's `kpi`, `date` or `actual` cell is empty (an empty `target` means the period has "
         "no target, and is not an error). The row is left out.",
         "fill in the cell, or leave out the row of a period that has no value."),
    RULE("data-not-a-number", ERROR,
         "An `actual` or `target` cell is not a number as jmap reads numbers, in every locale: "
         "digits with an optional sign, `.` as the decimal point, and an optional exponent "
         "(`12.5`, `-3`, `+0.5`, `1e6`, `2.5E-3`). `NaN`, infinities, hexadecimal, units and "
         "currency signs (`12%`, `$5`), thousands separators (`1,234,567`) and spaces are "
         "refused, as is a number too large for a double (`1e999`). The hint says what to write "
         "when it can tell.",
         "write the plain number; the KPI's `unit` in the map says what it counts."),
    RULE("data-decimal-comma", ERROR,
         "A number is written with a decimal comma (`12,5`, or `1.234,5` with points grouping "
         "thousands), as spreadsheets write them in many locales: jmap reads `.` as the decimal "
         "point in every locale, so that a file means the same everywhere. The hint gives the "
         "number to write; for `1,234`, which could also be a thousand and more, it gives both "
         "readings.",
         "export numbers with `.` as the decimal point (in a spreadsheet, format the column as "
         "text with `.`, or set the export's locale to English); `;` may stay the delimiter."),
    RULE("data-bad-date", ERROR,
         "A `date` cell is not an ISO 8601 calendar date of one of the two forms jmap reads: "
         "`YYYY-MM-DD` for a day or `YYYY-MM` for a month, with the digits written out "
         "(`2026-01-05`, not `2026-1-5`), of a day that exists (`2026-02-30` does not; leap years "
         "count). A timestamp (`2026-10-31T08:00:00Z`) is refused with the day it starts with as "
         "the hint; a day written before its month (`2026-31-10`) gets the swapped date.",
         "write the date as the hint shows; in a query, format it (`FORMAT_DATE('%Y-%m-%d', day)` "
         "in BigQuery, `to_char(day, 'YYYY-MM-DD')` in PostgreSQL)."),
    RULE("data-too-many-rows", ERROR,
         "The file has more rows than the data-row limit; the rest of the file is not read. "
         "Reported at the first row past the limit. Blank rows do not count.",
         "raise the limit (see [limits.md](limits.md)), or export only the periods the map shows."),
    RULE("mermaid-not-journey", ERROR,
         "The file is not a Mermaid journey: its first line after the front matter, comments and "
         "directives is another diagram type (`graph`, `flowchart`, `sequenceDiagram`…), which "
         "the message names, or something else, or there is no diagram at all.",
         "import only `journey` diagrams; start the diagram with the word `journey`."),
    RULE("mermaid-syntax", ERROR,
         "A line Mermaid's journey grammar does not accept: a `;` after a title, section or task, "
         "a `:` in a section name, a task with nothing before its `:`, or a front matter, an "
         "`accDescr {` block or an `%%{` directive that is never closed.",
         "write the character as Mermaid's entity code (`#58;` for `:`, `#59;` for `;`), or close "
         "what the message names."),
    RULE("mermaid-score", ERROR,
         "A task has no score, or its score is not a number. Mermaid needs one on every task "
         "(`name: score`).",
         "add a score from 1 (worst) to 5 (best) after the task's name and a `:`."),
    RULE("mermaid-score-clamped", WARNING,
         "A score is outside Mermaid's 1 to 5; the nearest of 1 and 5 is used, so the emotion is "
         "-2 or +2.",
         "give a score from 1 to 5."),
    RULE("mermaid-entity", WARNING,
         "An entity code (`#name;`) that jmap does not know is kept in the name as written. jmap "
         "decodes every numeric code (`#9829;`) and the common HTML names (`#quot;`, `#amp;`, "
         "`#lt;`, `#gt;`, `#nbsp;`, `#hearts;`…).",
         "write the character itself, or its number (`#9829;`)."),
    RULE("mermaid-ignored", NOTE,
         "Something the map cannot hold was left out: a key of the front matter other than "
         "`title` (`config`, `displayMode`…), an `%%{init: …}%%` directive (jmap draws with "
         "its own theme), or `accTitle` when the journey also has a `title`.",
         "nothing to fix; set the map's `theme` in the map if you want one."),
    RULE("mermaid-no-actors", NOTE,
         "No task names an actor, but a map needs a persona: the map gets one, `Everyone`, and "
         "every touchpoint (written without a persona) is its.",
         "rename the persona in the map, or name actors in the tasks (`name: 3: Maya`)."),
    RULE("mermaid-empty", ERROR,
         "The journey has no section and no task, so the map would have no stage.",
         "add a `section` with its tasks."),
};
/* clang-format on */

const jmap_diag_rule *jmap_diag_rules(size_t *n)
{
    *n = sizeof rules / sizeof rules[0];
    return rules;
}

const jmap_diag_rule *jmap_diag_rule_find(const char *code)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (strcmp(rules[i].code, code) == 0)
            return &rules[i];
    }
    return NULL;
}

/* At md[i] == '[': the end of a link "[text](target)" (just past ')'), or 0 if it is not one.
 * *text_end and *target are set for a link. */
static size_t link_at(const char *md, size_t i, size_t *text_end, size_t *target)
{
    const char *close = strstr(md + i, "](");
    if (!close)
        return 0;
    const char *end = strchr(close + 2, ')');
    if (!end)
        return 0;
    *text_end = (size_t)(close - md);
    *target = *text_end + 2;
    return (size_t)(end - md) + 1;
}

char *jmap_markdown_plain(const char *md)
{
    jmap_strbuf b = {0};
    jmap_strbuf_put(&b, "", 0);
    bool code = false;
    for (size_t i = 0; md[i];) {
        size_t text_end, target, end;
        if (md[i] == '`') {
            code = !code;
            i++;
        } else if (!code && md[i] == '*' && md[i + 1] == '*') {
            i += 2;
        } else if (!code && md[i] == '[' && (end = link_at(md, i, &text_end, &target))) {
            for (size_t k = i + 1; k < text_end; k++) {
                if (md[k] != '`')
                    jmap_strbuf_put(&b, md + k, 1);
            }
            i = end;
        } else {
            jmap_strbuf_put(&b, md + i, 1);
            i++;
        }
    }
    return b.s;
}

char *jmap_markdown_absolute(const char *md)
{
    jmap_strbuf b = {0};
    jmap_strbuf_put(&b, "", 0);
    bool code = false;
    for (size_t i = 0; md[i];) {
        size_t text_end, target, end;
        if (md[i] == '`')
            code = !code;
        if (code || md[i] != '[' || !(end = link_at(md, i, &text_end, &target))) {
            jmap_strbuf_put(&b, md + i, 1);
            i++;
            continue;
        }
        jmap_strbuf_put(&b, md + i, target - i);
        const char *t = md + target;
        size_t n = end - 1 - target;
        bool has_scheme = memchr(t, ':', n) != NULL;
        if (!has_scheme) {
            jmap_strbuf_put(&b, JMAP_DOCS_URL, strlen(JMAP_DOCS_URL));
            if (*t == '#')
                jmap_strbuf_put(&b, "diagnostics.md", strlen("diagnostics.md"));
        }
        jmap_strbuf_put(&b, t, end - target);
        i = end;
    }
    return b.s;
}

char *jmap_diag_rule_summary(const jmap_diag_rule *r)
{
    /* The first sentence ends at the first ". " outside a code span and outside parentheses. */
    const char *d = r->description;
    size_t n = strlen(d);
    int depth = 0;
    bool code = false;
    for (size_t i = 0; d[i]; i++) {
        if (d[i] == '`')
            code = !code;
        else if (!code && d[i] == '(')
            depth++;
        else if (!code && d[i] == ')' && depth > 0)
            depth--;
        else if (!code && depth == 0 && d[i] == '.' && d[i + 1] == ' ') {
            n = i + 1;
            break;
        }
    }
    char *first = jmap_xmalloc(n + 1);
    memcpy(first, d, n);
    first[n] = '\0';
    char *plain = jmap_markdown_plain(first);
    free(first);
    return plain;
}

char *jmap_diag_rule_name(const char *code)
{
    jmap_strbuf b = {0};
    jmap_strbuf_put(&b, "", 0);
    for (const char *p = code; *p; p++) {
        if (*p == '-')
            continue;
        char c = *p;
        /* a word of one letter stays lowercase: "NotAMapping" is no Pascal identifier to
         * SARIF's validator (SARIF2012), "NotaMapping" is */
        bool one_letter = p[1] == '-' || p[1] == '\0';
        if ((p == code || p[-1] == '-') && !(one_letter && p != code) && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        jmap_strbuf_put(&b, &c, 1);
    }
    return b.s;
}
