#!/usr/bin/env bash
# Debian packages the test suite needs: PostgreSQL (see ensure-postgres.sh), Chromium for the
# browser tests, gettext for the message catalogue, Japanese fonts for screenshots and PDFs, and poppler for looking at PDFs.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The catalogue test extracts the interface's messages with Django's makemessages (xgettext).
command -v xgettext >/dev/null 2>&1 || need+=(gettext)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need+=(fonts-noto-cjk)
# WeasyPrint (the PDF briefing book) draws text with Pango.
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "Missing Debian packages: ${need[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash "$(dirname "$0")/ensure-postgres.sh"
