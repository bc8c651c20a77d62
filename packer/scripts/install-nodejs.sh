#!/usr/bin/env bash
# Ensures Node.js of the requested major version is installed from NodeSource's
# signed apt repository (Ubuntu's own nodejs is far too old).
#
# Inputs: NODE_MAJOR (e.g. 24).
set -euo pipefail

readonly NODE_MAJOR="${NODE_MAJOR:?NODE_MAJOR is required}"
readonly KEYRING="/etc/apt/keyrings/nodesource.gpg"
readonly SOURCE_LIST="/etc/apt/sources.list.d/nodesource.list"
readonly KEY_URL="https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key"
readonly REPO_URL="https://deb.nodesource.com/node_${NODE_MAJOR}.x"
export DEBIAN_FRONTEND=noninteractive

log() {
  printf 'install-nodejs: %s\n' "$*" >&2
}

require_valid_major() {
  if [[ ! "${NODE_MAJOR}" =~ ^[0-9]{2}$ ]]; then
    log "NODE_MAJOR must be a two-digit major version (got '${NODE_MAJOR}')"
    exit 64
  fi
}

ensure_nodesource_repository() {
  install -d -m 0755 "$(dirname "${KEYRING}")"
  if [[ ! -s "${KEYRING}" ]]; then
    curl -fsSL "${KEY_URL}" | gpg --dearmor --yes -o "${KEYRING}"
    chmod 0644 "${KEYRING}"
  fi
  local line="deb [signed-by=${KEYRING}] ${REPO_URL} nodistro main"
  if [[ ! -f "${SOURCE_LIST}" || "$(cat "${SOURCE_LIST}")" != "${line}" ]]; then
    printf '%s\n' "${line}" >"${SOURCE_LIST}"
    apt-get update -q
  fi
}

ensure_nodejs_installed() {
  if command -v node >/dev/null && [[ "$(node -p 'process.versions.node.split(".")[0]')" == "${NODE_MAJOR}" ]]; then
    log "Node.js $(node --version) already installed"
    return
  fi
  # Native modules (better-sqlite3) build from source when no prebuilt binary fits.
  apt-get -q -y install nodejs build-essential python3
  log "installed Node.js $(node --version)"
}

main() {
  require_valid_major
  ensure_nodesource_repository
  ensure_nodejs_installed
}

main "$@"
