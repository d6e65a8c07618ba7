#!/usr/bin/env bash
# Some machines mount cgroups in hybrid mode (v1 controllers beside a v2 hierarchy), which
# podman's default runtime, crun, refuses ("cgroups in hybrid mode not supported"); runc runs
# containers there. When crun fails that way, this installs runc from Debian, makes it podman's
# runtime, and restarts the Docker-compatible API so that compose uses it. Idempotent; a machine
# where crun works is left as it is.
set -euo pipefail
sock=/run/podman/podman.sock
image=docker.io/library/node:24-bookworm-slim
if out=$(podman run --rm "$image" true 2>&1); then exit 0; fi
case "$out" in
  *"cgroups in hybrid mode not supported"*) ;;
  *) echo "podman cannot run a container: $out" >&2; exit 1 ;;
esac
echo "podman: crun refuses this machine's hybrid cgroups; switching to runc" >&2
command -v runc >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq runc >/dev/null; } >&2
if ! grep -q '^runtime *= *"runc"' /etc/containers/containers.conf 2>/dev/null; then
  printf '\n[engine]\nruntime = "runc"\n' >> /etc/containers/containers.conf
fi
pkill -f "podman system service" || true
for _ in $(seq 50); do curl -s --unix-socket $sock http://d/_ping >/dev/null 2>&1 || break; sleep 0.2; done
mkdir -p /run/podman
setsid podman system service --time=0 unix://$sock >/tmp/podman-service.log 2>&1 < /dev/null &
for _ in $(seq 50); do curl -s --unix-socket $sock http://d/_ping >/dev/null 2>&1 && break; sleep 0.2; done
podman run --rm "$image" true >&2
