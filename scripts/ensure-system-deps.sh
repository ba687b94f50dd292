#!/usr/bin/env bash
# What the tests need from Debian: Chromium (browser journeys) and GnuPG
# (interoperability). Installs them when missing and running as root;
# otherwise stops and names the packages to install.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
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
