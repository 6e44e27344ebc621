#!/usr/bin/env bash
# check-po.sh — fail if po/zh_CN.po lacks a translation for any message in src/.
#
# Extracts every msgid from src/ with xgettext (the keywords are the marker
# functions: N_, tr, err_set, err_setv, err_field, cli_usage, cli_say,
# reply_fail) and lists each one that po/zh_CN.po is missing, leaves empty or
# marks fuzzy. Run by ctest as po_complete. To bring the catalogue up to date:
#   msgmerge --no-wrap --no-fuzzy-matching -s --add-location=file -U po/zh_CN.po POT
# (POT made with the xgettext line below), then translate the empty msgstr;
# scripts/po-update.py TRANSLATIONS.json does all of that.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

find src -name '*.c' -o -name '*.h' | LC_ALL=C sort >"$tmp/files"
xgettext --from-code=UTF-8 -c --language=C --no-wrap -o "$tmp/kehu.pot" -f "$tmp/files" \
	-k -kN_ -ktr:2 -kerr_set:3 -kerr_setv:3 -kerr_field:3 \
	-kcli_usage:2 -kcli_say:2 -kreply_fail:3

# Keep only finished translations (no fuzzy, no empty msgstr), lay them over
# the .pot without guessing, and list what is still untranslated.
msgattrib --no-fuzzy --translated -o "$tmp/done.po" po/zh_CN.po
msgmerge -q --no-fuzzy-matching --no-wrap -o "$tmp/merged.po" "$tmp/done.po" "$tmp/kehu.pot"
msgattrib --untranslated --no-wrap --no-location --force-po -o "$tmp/todo.po" "$tmp/merged.po"
missing=$(sed '1,/^$/d' "$tmp/todo.po" | grep '^msgid\|^"' || true) # skip the header
if [[ -n $missing ]]; then
	echo "po/zh_CN.po: these msgids are missing, empty or fuzzy:" >&2
	sed 's/^/  /' <<<"$missing" >&2
	exit 1
fi
echo "po/zh_CN.po translates all $(($(grep -c '^msgid ' "$tmp/kehu.pot") - 1)) msgids"
