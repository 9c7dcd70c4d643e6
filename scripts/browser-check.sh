#!/usr/bin/env bash
# Renders the HTML reports in headless Chromium, offline, to PNG and A4 PDF,
# so that a person can look at them as a bureau would print them.
#
#   scripts/browser-check.sh [OUT]        # default OUT: target/browser-check
#   scripts/browser-check.sh --install    # only install Chromium and a CJK font
#
# Writes OUT/报告.png, OUT/报告.pdf (the bundled realistic district,
# fixtures/generated/wanzhou-2025), OUT/汇总.png and OUT/汇总.pdf (the batch
# of wanzhou-2020 and wanzhou-2025), and OUT/reports/ (the reports themselves).
# Installs Debian's chromium and fonts-noto-cjk with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

install() {
    local need=()
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
    if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 \
        && ! fc-list 2>/dev/null | grep -qi "CJK\|WenQuanYi\|Source Han"; then
        need+=(fonts-noto-cjk)
    fi
    if ((${#need[@]})); then
        echo "installing ${need[*]}" >&2
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
}

if [ "${1:-}" = "--install" ]; then
    install
    exit 0
fi
install

out="${1:-target/browser-check}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

# Flags this machine needs: no sandbox as root, no GPU, and no background
# connections (the network is closed; the report must not need it anyway).
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --disable-extensions --hide-scrollbars --force-device-scale-factor=1
       --user-data-dir="$profile")

rm -rf "$out/reports"
cargo run --release --quiet -- check --out "$out/reports" \
    fixtures/generated/wanzhou-2020 fixtures/generated/wanzhou-2025 >/dev/null || true
report="$out/reports/wanzhou-2025/报告.html"
batch="$out/reports/汇总.html"
for f in "$report" "$batch"; do
    [ -s "$f" ] || { echo "missing $f" >&2; exit 1; }
done

shot() { # html png width height
    chromium "${flags[@]}" --window-size="$3,$4" --screenshot="$2" "file://$1" 2>/dev/null
}
pdf() { # html pdf
    chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$2" "file://$1" 2>/dev/null
}
shot "$report" "$out/报告.png" 1100 4000
shot "$batch" "$out/汇总.png" 1100 1400
pdf "$report" "$out/报告.pdf"
pdf "$batch" "$out/汇总.pdf"
ls -l "$out"/*.png "$out"/*.pdf
