#!/usr/bin/env bash
# Installs the Debian packages OneWindow needs and the machine lacks:
# fonts with Cyrillic for the printed documents (Liberation Serif is the Times-metric face of
# official documents, ParaType and DejaVu are fallbacks), WeasyPrint's Pango, and Chromium for
# the browser tests. Idempotent: does nothing when everything is present.
set -euo pipefail

want_fonts=(fonts-liberation2 fonts-paratype fonts-dejavu-core)
want_libs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig)
want_browser=(chromium)

missing=()
for pkg in "${want_fonts[@]}" "${want_libs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${WITH_BROWSER:-1}" = "1" ] && [ ! -x /usr/bin/chromium ]; then
  missing+=("${want_browser[@]}")
fi
# the HTTP benchmark's load generator (make bench-http)
if [ "${WITH_WRK:-0}" = "1" ] && ! command -v wrk >/dev/null 2>&1; then
  missing+=(wrk)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Устанавливаются системные пакеты: ${missing[*]}"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "Нужны права root, чтобы установить: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; update once, then install.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
