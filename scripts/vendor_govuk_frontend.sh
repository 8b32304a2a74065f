#!/usr/bin/env bash
# Vendor the precompiled GOV.UK Frontend assets under static/govuk-frontend/.
# Run by hand only when upgrading; production and CI need no Node.
set -euo pipefail
VERSION="${1:-6.6.0}"
DEST="$(cd "$(dirname "$0")/.." && pwd)/static/govuk-frontend"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "govuk-frontend@$VERSION" >/dev/null && tar xzf govuk-frontend-*.tgz)
rm -rf "$DEST" && mkdir -p "$DEST"
cp "$TMP"/package/dist/govuk/govuk-frontend.min.{css,css.map,js,js.map} "$DEST/"
cp -r "$TMP"/package/dist/govuk/assets "$DEST/assets"
# The CSS points at /assets/; make the URLs relative so collectstatic hashes fonts and images.
sed -i 's#url(/assets/#url(assets/#g' "$DEST/govuk-frontend.min.css"
printf "govuk-frontend %s (MIT licence, Crown copyright)\n" "$VERSION" > "$DEST/VERSION"
