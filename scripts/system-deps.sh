#!/usr/bin/env bash
# Installs the Debian packages Pakta needs when they are missing: Chromium (browser tests),
# poppler-utils (pdfsig, pdftoppm), gettext (compiling translations), Pango and
# libharfbuzz-subset0 (WeasyPrint; without the latter PDF rendering is about 3x slower), and
# libnss3-tools (certutil, to give pdfsig a trust store in the signature tests).
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pdfsig >/dev/null || need+=(poppler-utils)
command -v msgfmt >/dev/null || need+=(gettext)
command -v certutil >/dev/null || need+=(libnss3-tools)
command -v npm >/dev/null || need+=(npm)
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
