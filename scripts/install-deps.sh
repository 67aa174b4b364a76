#!/usr/bin/env bash
# Installs what rehab needs on a fresh Debian machine. Idempotent; safe to run often.
#   scripts/install-deps.sh          libical-dev and libqrencode-dev (to build)
#   scripts/install-deps.sh --test   also the independent calendar peers the tests use, and
#                                    the handout's print and QR checks (fonts, zbar, poppler)
#   scripts/install-deps.sh --bench  also GNU time (/usr/bin/time -v) for make bench
set -euo pipefail

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=()
pkg-config --exists libical 2>/dev/null || apt_packages+=(libical-dev pkg-config)
pkg-config --exists libqrencode 2>/dev/null || apt_packages+=(libqrencode-dev pkg-config)   # handout QR codes
if [ "${1:-}" = "--test" ]; then
    command -v khal >/dev/null 2>&1 || apt_packages+=(khal)
    command -v calcurse >/dev/null 2>&1 || apt_packages+=(calcurse)
    command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)          # check-in page test
    command -v chromedriver >/dev/null 2>&1 || apt_packages+=(chromium-driver)
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || apt_packages+=(fonts-dejavu)  # handout print test
    command -v zbarimg >/dev/null 2>&1 || apt_packages+=(zbar-tools)          # handout QR codes decoded
    command -v pdftotext >/dev/null 2>&1 || apt_packages+=(poppler-utils)     # handout PDF text and pages
    [ -x /usr/sbin/nginx ] || apt_packages+=(nginx-light)   # serve behind a prefixed reverse proxy
    command -v strace >/dev/null 2>&1 || apt_packages+=(strace)          # batch opens a program file once
fi
[ "${1:-}" = "--bench" ] && { [ -x /usr/bin/time ] || apt_packages+=(time); }  # make bench: GNU time -v
if [ ${#apt_packages[@]} -gt 0 ]; then
    echo "install-deps: apt-get install ${apt_packages[*]}" >&2
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
    # Python peers, pinned, installed into the user's Python (tests call python3).
    if ! python3 -c 'import icalendar, recurring_ical_events, jsonschema, yaml' 2>/dev/null; then
        echo "install-deps: pip install icalendar recurring-ical-events jsonschema pyyaml" >&2
        python3 -m pip install -q --disable-pip-version-check \
            'icalendar==7.3.0' 'recurring-ical-events==3.8.2' 'jsonschema>=4.20' 'PyYAML>=6'
    fi
    # rehab publish's CalDAV peer and the check-in page's browser driver.
    if ! python3 -c 'import radicale, selenium' 2>/dev/null; then
        echo "install-deps: pip install radicale selenium" >&2
        python3 -m pip install -q --disable-pip-version-check 'radicale==3.9.0' 'selenium==4.51.0'
    fi
fi
