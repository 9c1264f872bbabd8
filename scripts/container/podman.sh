#!/usr/bin/env bash
# podman with the settings that work on our machines (runc, cgroupfs, no default ulimits):
# scripts/container/podman.sh build …, … run …; any podman command.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
exec podman --runtime runc "$@"
