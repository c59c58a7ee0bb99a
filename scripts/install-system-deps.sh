#!/usr/bin/env bash
# Install the Debian packages a profile needs, when missing.
#   run:  what `make run` needs (Python's venv module)
#   test: what `make test` needs on top (Chromium for browser tests, fonts and poppler for PDFs, nginx)
#   bench: what `make bench` needs on top (wrk, the load generator that drives gunicorn from a second process)
# As root it runs apt-get; otherwise it prints one line naming the packages and exits 1.
set -euo pipefail
profile="${1:-run}"
missing=()

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ "$profile" = "test" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # nginx serves the private files in tests/test_nginx.py with the shipped deploy/ configuration.
  [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  for p in fonts-nanum poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
    have_pkg "$p" || missing+=("$p")
  done
fi

if [ "$profile" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The tests start their own nginx on a free port; a system one started by the package is not wanted.
  if [[ " ${missing[*]} " == *" nginx-light "* ]]; then service nginx stop >/dev/null 2>&1 || true; fi
else
  echo "Missing system packages; install them first: sudo apt-get install -y ${missing[*]}"
  exit 1
fi
