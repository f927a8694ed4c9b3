#!/usr/bin/env bash
# Assembles the static files the server publishes under /assets/ into build/assets/ (or the
# directory given as the first argument):
#
#   kern.css                        KERN UX (@kern-ux/native: kern.min.css, which includes the grid
#                                   and utilities) followed by KERN's own @font-face rules for the
#                                   Fira Sans faces it uses, which refer to ./fira-sans/<file>
#   fira-sans/FiraSans-<Face>.woff2 those fonts, as KERN ships them
#   site.css                        assets/site.css, the site's own additions
#   favicon.svg                     assets/favicon.svg (linked by every page, so browsers do not
#                                   ask for /favicon.ico)
#   upload-check.js                 assets/upload-check.js, the one script: loaded only by pages
#                                   with an upload field, it refuses too large a file at the field
#
# The server (web/assets.cpp) loads every file below the directory, names each by its content
# hash and rewrites the relative url(…) references in the stylesheets to those names; nothing is
# hashed here.
#
# Needs node_modules (scripts/setup-deps.sh runs `npm ci`). Rebuilds the output from scratch and
# swaps it in whole, so a server starting meanwhile never sees a half-written directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/build/assets}"
kern="$root/node_modules/@kern-ux/native"
# The faces KERN's stylesheet asks for: weights 400, 500, 600 (regular, medium, semi-bold), plus
# bold and italic for <strong>/<em> in editorial text. The other Fira Sans files stay out.
faces=(Regular Italic Medium SemiBold Bold)

fail() {
  echo "build-assets: $*" >&2
  exit 1
}

[[ -f "$kern/package.json" ]] || fail "$kern is missing; run scripts/setup-deps.sh (npm ci) first"
kern_version="$(node -p 'require(process.argv[1]).version' "$kern/package.json")"
[[ "$kern_version" == 2.7.* ]] || fail "expected @kern-ux/native 2.7.x, found '$kern_version'"
for own in site.css favicon.svg upload-check.js; do
  [[ -f "$root/assets/$own" ]] || fail "assets/$own is missing"
done

mkdir -p "$(dirname "$out")"
staging="$(mktemp -d "$(dirname "$out")/.assets.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
mkdir "$staging/fira-sans"

font_rules="$staging/fonts.css"
: >"$font_rules"
for face in "${faces[@]}"; do
  file="FiraSans-$face.woff2"
  [[ -f "$kern/dist/fonts/fira-sans/$file" ]] || fail "KERN font fira-sans/$file is missing"
  install -m 644 "$kern/dist/fonts/fira-sans/$file" "$staging/fira-sans/"
  # KERN's own @font-face block for this file (blocks end with "}"); exactly one must match, or
  # KERN changed and this script needs a look.
  block="$(awk -v file="./fira-sans/$file" 'BEGIN { RS = "}" }
    index($0, "\"" file "\"") { gsub(/\r/, ""); sub(/^\n+/, ""); print $0 "}" }' \
    "$kern/dist/fonts/fira-sans.css")"
  [[ "$(grep -c '@font-face' <<<"$block")" == 1 ]] ||
    fail "no unique @font-face rule for $file in KERN's fonts/fira-sans.css"
  printf '%s\n' "$block" >>"$font_rules"
done

{
  cat "$kern/dist/kern.min.css"
  printf '\n/* Fira Sans (SIL Open Font License 1.1), as shipped with @kern-ux/native %s */\n' "$kern_version"
  cat "$font_rules"
} >"$staging/kern.css"
rm "$font_rules"
install -m 644 "$root/assets/site.css" "$root/assets/favicon.svg" "$root/assets/upload-check.js" "$staging/"

# Every url() in the stylesheets must be a data: URI or a file published here.
while read -r reference; do
  [[ -f "$staging/$reference" ]] || fail "a stylesheet references $reference, which is not published"
done < <(grep -oh 'url([^)]*)' "$staging/kern.css" "$staging/site.css" | tr -d "\"'" |
  sed -e 's/^url(//' -e 's/)$//' -e 's|^\./||' | grep -v '^data:')

chmod 755 "$staging" "$staging/fira-sans"
chmod 644 "$staging/kern.css"
previous="$out.previous.$$"
[[ -e "$out" ]] && mv "$out" "$previous"
mv "$staging" "$out"
trap - EXIT
rm -rf "$previous"
echo "build-assets: $(find "$out" -type f | wc -l) files in $out (KERN $kern_version)"
