#!/usr/bin/env bash
# The desk report's PDF export converts its DOCX with LibreOffice headless. As root, install it when
# missing; otherwise say what to install (DOCX and XLSX exports work without it).
set -u
command -v soffice >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "demo set-up: installing libreoffice-writer-nogui (Debian) for the desk report's PDF export"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
else
  echo "demo set-up: install libreoffice-writer-nogui for PDF exports of the desk report" >&2
fi
exit 0
