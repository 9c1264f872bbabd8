#!/usr/bin/env bash
# Builds, without a registry, the base image the container smoke test builds Herald's image from: Debian
# bookworm (mmdebstrap; its rootfs tar cached in $HERALD_CI_CACHE, ~/.cache/herald-ci by default) with the
# pinned Node 24 of node_modules/node and this machine's npm, as in the public node:24-bookworm-slim.
# Prints the image's name (localhost/herald-node:<node version>); does nothing when it exists already.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
podman="$root/scripts/container/podman.sh"
node_bin="$(readlink -f "$root/node_modules/node/bin/node")"
node_version="$("$node_bin" --version | sed 's/^v//')"
image="localhost/herald-node:$node_version"
if "$podman" image exists "$image"; then echo "$image"; exit 0; fi

cache="${HERALD_CI_CACHE:-$HOME/.cache/herald-ci}"
rootfs="$cache/debian-bookworm.tar"
mkdir -p "$cache"
if [ ! -s "$rootfs" ]; then
  echo "container base: mmdebstrap bookworm (about 40 s, cached in $rootfs)" >&2
  mmdebstrap --quiet --variant=minbase --include=ca-certificates --format=tar bookworm "$rootfs.partial" >&2
  mv "$rootfs.partial" "$rootfs"
fi
if ! "$podman" image exists localhost/herald-debian:bookworm; then
  "$podman" import --quiet "$rootfs" localhost/herald-debian:bookworm >/dev/null
fi

# npm's own folder, from the npm on PATH (`npm root -g` would answer for the pinned node's prefix instead).
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
[ -f "$npm_dir/bin/npm-cli.js" ] || { echo "container base: no npm at $npm_dir" >&2; exit 1; }
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp "$node_bin" "$context/node"
cp -r "$npm_dir" "$context/npm"
cat >"$context/Containerfile" <<'CONTAINERFILE'
FROM localhost/herald-debian:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
  && node --version && npm --version
CONTAINERFILE
"$podman" build --quiet --network none --tag "$image" "$context" >&2
echo "$image"
