#!/usr/bin/env bash
# Regenerates the PDF fixtures of the search tests (committed; run only to change them):
#   handreichung.pdf            a two-page German publication, text printed by Chromium
#   handreichung-encrypted.pdf  the same, protected by a user password (qpdf)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat >"$work/handreichung.html" <<'HTML'
<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Handreichung Sprachmittlung</title>
<style>body{font-family:"DejaVu Sans",sans-serif;font-size:12pt}.page{page-break-after:always}</style></head>
<body>
<div class="page">
<h1>Handreichung Sprachmittlung in den Kommunalverwaltungen</h1>
<p>Die Städtekooperation Integration.Interkommunal beschreibt in dieser Handreichung, wie
Verwaltungen Sprachmittlerinnen und Sprachmittler gewinnen und einsetzen.</p>
<p>Ein gemeinsamer Sprachmittlerpool der Mitgliedsstädte erleichtert Beratungsgespräche.</p>
</div>
<div class="page">
<h2>Interkulturelle Öffnung</h2>
<p>Die interkulturelle Öffnung der Personalentwicklung ist eine Daueraufgabe.
Qualifizierung, Fortbildung und Austausch zwischen den Städten stärken sie.</p>
</div>
</body></html>
HTML

chromium --headless --disable-gpu --no-sandbox --no-pdf-header-footer \
  --print-to-pdf="$work/handreichung.pdf" "file://$work/handreichung.html" 2>/dev/null
cp "$work/handreichung.pdf" "$here/handreichung.pdf"
qpdf --encrypt geheim geheim-eigentuemer 256 -- "$work/handreichung.pdf" "$here/handreichung-encrypted.pdf"
