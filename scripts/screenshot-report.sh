#!/usr/bin/env bash
# Headless screenshot of an HTML report, to check its layout without a browser window.
#   scripts/screenshot-report.sh REPORT.html OUT.png [WIDTH HEIGHT]
# Needs Debian's chromium (apt-get install -y chromium). Networking features are switched off so a
# report that still fetched anything from the web would show broken parts here.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH HEIGHT]" >&2
  exit 2
fi
report=$(realpath "$1")
out=$2
width=${3:-1200}
height=${4:-2000}
[ -f "$report" ] || { echo "$0: no such report: $report" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "$0: chromium not found (apt-get install -y chromium)" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars \
  --screenshot="$(realpath -m "$out")" --window-size="$width,$height" "file://$report" 2>/dev/null
[ -s "$out" ] || { echo "$0: no screenshot written to $out" >&2; exit 1; }
echo "$out"
