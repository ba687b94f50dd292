#!/usr/bin/env bash
# What the tests need from Debian: Chromium (browser journeys), GnuPG
# (interoperability), poppler, zbar and Noto fonts (posters), and the real
# programs the deployment recipes in deploy/ are tested with (tests/deploy/):
# nginx, Caddy, tor, systemd-analyze and openssl; espeak-ng and opus-tools,
# which record the listen prompts when the client is built (scripts/prompts.ts,
# docs/listening.md); strace and fincore for the benchmark. Installs them
# when missing and running as root; otherwise stops and names the packages
# to install.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
# Deployment recipes (tests/deploy/). nginx and tor live in /usr/sbin.
PATH="$PATH:/usr/sbin:/sbin"
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
command -v tor >/dev/null 2>&1 || missing+=(tor)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# Listen prompts, recorded at build time (scripts/prompts.ts).
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v opusenc >/dev/null 2>&1 || missing+=(opus-tools)
# The benchmark counts the servers' fsyncs with strace (bench/fsyncs.ts).
command -v strace >/dev/null 2>&1 || missing+=(strace)
# The --scale run notes how much of each file is in the page cache when a phase begins (bench/scale.ts).
command -v fincore >/dev/null 2>&1 || missing+=(util-linux-extra)
# Posters (tests/posters.test.ts): PDF pages to pictures, QR codes read back,
# and fonts for the scripts printed (Chromium draws boxes without them).
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
if command -v fc-list >/dev/null 2>&1; then
  fc-list :lang=zh-cn | grep -q . || missing+=(fonts-noto-cjk)
  # Worker pages and posters in Devanagari, Thai, Bengali, Khmer, Burmese,
  # Tamil, Telugu and Urdu (Nastaliq, Naskh): fonts-noto-core has them all,
  # the families a cheap Android phone ships (tests/scripts-render.test.ts).
  for script in hi th bn km my ta te ur; do
    fc-list ":lang=$script" | grep -q . || { missing+=(fonts-noto-core); break; }
  done
else
  missing+=(fonts-noto-cjk fonts-noto-core)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ombud: installing ${missing[*]} for the tests (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "ombud: installed ${missing[*]}"
  exit 0
fi

echo "ombud: the tests need these Debian packages: ${missing[*]}" >&2
echo "       install them with: sudo apt-get install ${missing[*]}" >&2
exit 1
