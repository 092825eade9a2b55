#!/usr/bin/env bash
# Re-vendor the browser libraries the pages load (no CDN, no build step): htmx, and vega,
# vega-lite and vega-embed for the charts. Versions are pinned here; vega-lite matches the
# schema version altair emits (heatmap_spec(...)["$schema"]). Writes the minified files, their
# licences and VENDORED.md (package, version, sha256) into the static vendor directory.
# Usage: scripts/vendor-js.sh   (needs npm and the npm registry)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/kizuna/web/static/kizuna/vendor"
# package@version  file-inside-the-package  name-in-vendor
PACKAGES=(
  "htmx.org@2.0.11 dist/htmx.min.js htmx.min.js"
  "vega@6.4.0 build/vega.min.js vega.min.js"
  "vega-lite@6.4.1 build/vega-lite.min.js vega-lite.min.js"
  "vega-embed@7.3.0 build/vega-embed.min.js vega-embed.min.js"
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$DEST"
{
  echo "# Vendored JavaScript"
  echo
  echo "Reproduced by \`scripts/vendor-js.sh\` from the npm registry (\`npm pack\`); served as static"
  echo "files, no CDN and no build step. Each licence sits beside its file."
  echo
  echo "| package | version | file | sha256 |"
  echo "| --- | --- | --- | --- |"
} >"$work/VENDORED.md"
for entry in "${PACKAGES[@]}"; do
  read -r spec inner name <<<"$entry"
  pkg="${spec%@*}"
  version="${spec##*@}"
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tarball="$(ls "$work"/*.tgz)"
  mkdir -p "$work/$pkg"
  tar -xzf "$tarball" -C "$work/$pkg"
  rm "$tarball"
  cp "$work/$pkg/package/$inner" "$DEST/$name"
  licence="$(ls "$work/$pkg/package" | grep -i -m1 '^licen[cs]e' || true)"
  if [[ -z "$licence" ]]; then
    echo "no licence file in $spec" >&2
    exit 1
  fi
  cp "$work/$pkg/package/$licence" "$DEST/${name%.min.js}.LICENSE"
  sum="$(sha256sum "$DEST/$name" | cut -d' ' -f1)"
  echo "| $pkg | $version | $name | \`$sum\` |" >>"$work/VENDORED.md"
done
cp "$work/VENDORED.md" "$DEST/VENDORED.md"
echo "vendored into $DEST"
