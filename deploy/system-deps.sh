#!/usr/bin/env bash
# Installs the Debian packages that some tests drive, when they are missing and we may install.
# Tests that need a missing tool skip with a printed reason. `make run` needs only LibreOffice, for
# the PDF of each drafted report (without it the .docx and HTML are drafted and the PDF is omitted).
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
# reporting: drafts become PDF through LibreOffice (headless, no GUI) in Times-metric fonts, and the
# PDF test rasterises pages with poppler's pdftoppm.
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: cannot install ${need[*]} (not root or no apt-get); tests needing them will skip" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Another session may be installing at the same moment: wait for dpkg's lock, do not fail.
apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null 2>&1 || true
# prometheus ships a daemon listening on all interfaces: forbid package scripts to start any
# service while we install (policy-rc.d, removed afterwards). We only want the binaries.
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  guard=/usr/sbin/policy-rc.d
fi
trap '[ -n "$guard" ] && rm -f "$guard"' EXIT
# --no-install-recommends keeps the set small.
apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "system-deps: apt-get failed for ${need[*]}; tests needing them will skip" >&2
exit 0
