#!/usr/bin/env python3
"""po-update.py — bring po/zh_CN.po up to date with the messages in src/.

  scripts/po-update.py [TRANSLATIONS.json ...]

Extracts every message from src/ (the same xgettext keywords as check-po.sh),
merges them into po/zh_CN.po without fuzzy guesses, drops messages no longer
used, and fills each empty msgstr from the JSON files given (objects mapping
the English msgid to its Chinese text). Prints the msgids still untranslated;
scripts/check-po.sh (ctest po_complete) fails while any is left.
"""
import json
import os
import subprocess
import sys
import tempfile

KEYWORDS = ["-k", "-kN_", "-ktr:2", "-kerr_set:3", "-kerr_setv:3", "-kerr_field:3",
            "-kcli_usage:2", "-kcli_say:2", "-kreply_fail:3"]


def c_unquote(s):
    """The text of one "..." po string (C escapes)."""
    return json.loads('"' + s[1:-1].replace("\\'", "'") + '"')


def c_quote(s):
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + out + '"'


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(repo)
    table = {}
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            table.update(json.load(f))
    files = sorted(os.path.join(d, n) for d, _, ns in os.walk("src") for n in ns
                   if n.endswith((".c", ".h")))
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "kehu.pot")
        subprocess.run(["xgettext", "--from-code=UTF-8", "-c", "--language=C", "--no-wrap",
                        "-o", pot] + KEYWORDS + files, check=True)
        subprocess.run(["msgmerge", "-q", "-U", "--backup=none", "--no-fuzzy-matching", "-s",
                        "--no-wrap", "--add-location=file", "po/zh_CN.po", pot], check=True)
    lines = open("po/zh_CN.po", encoding="utf-8").read().split("\n")
    out, missing, i = [], [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#~"):  # obsolete: no longer in src/
            i += 1
            continue
        if line.startswith("msgid ") and i + 1 < len(lines) and lines[i + 1] == 'msgstr ""' \
                and line != 'msgid ""':
            msgid = c_unquote(line[6:])
            out.append(line)
            if msgid in table:
                out.append("msgstr " + c_quote(table[msgid]))
            else:
                out.append('msgstr ""')
                missing.append(msgid)
            i += 2
            continue
        out.append(line)
        i += 1
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    open("po/zh_CN.po", "w", encoding="utf-8").write(text)
    for m in missing:
        print("untranslated:", json.dumps(m, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
