#!/usr/bin/env bash
# Ensures the release tarball is unpacked to /opt/bookstore/releases/<version>
# with its production dependencies, owned by the app user, and that
# /opt/bookstore/current points at it.
#
# Inputs: RELEASE_TARBALL (from `npm run package`), APP_VERSION (must match the
# tarball's VERSION file), APP_OWNER (uid:gid, default the bookstore user).
# ROOT prefixes every path so tests can run this against a temporary root.
set -euo pipefail

readonly ROOT="${ROOT:-}"
readonly RELEASE_TARBALL="${RELEASE_TARBALL:-/tmp/bookstore/release.tgz}"
readonly APP_VERSION="${APP_VERSION:?APP_VERSION is required}"
readonly APP_OWNER="${APP_OWNER:-10001:10001}"
readonly APP_HOME="${ROOT}/opt/bookstore"
readonly RELEASE_DIR="${APP_HOME}/releases/${APP_VERSION}"
readonly INSTALLED_MARKER=".bookstore-installed"

log() {
  printf 'install-release: %s\n' "$*" >&2
}

require_matching_version() {
  if [[ ! "${APP_VERSION}" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
    log "APP_VERSION must be a semantic version (got '${APP_VERSION}')"
    exit 64
  fi
  local packaged
  packaged="$(tar -xzOf "${RELEASE_TARBALL}" ./VERSION)"
  if [[ "${packaged}" != "${APP_VERSION}" ]]; then
    log "${RELEASE_TARBALL} holds version ${packaged}, not ${APP_VERSION}"
    exit 65
  fi
}

# Unpacks and installs into a staging directory, then moves it into place, so
# a failed run never leaves a half-installed release behind.
ensure_release_installed() {
  if [[ -f "${RELEASE_DIR}/${INSTALLED_MARKER}" ]]; then
    log "release ${APP_VERSION} already installed"
    return
  fi
  local staging="${RELEASE_DIR}.staging"
  rm -rf "${staging}"
  install -d -m 0755 "${staging}"
  tar -xzf "${RELEASE_TARBALL}" -C "${staging}" --no-same-owner
  (cd "${staging}" && npm ci --omit=dev --no-audit --no-fund)
  touch "${staging}/${INSTALLED_MARKER}"
  chown -R "${APP_OWNER}" "${staging}"
  chmod -R go-w "${staging}"
  rm -rf "${RELEASE_DIR}"
  mv "${staging}" "${RELEASE_DIR}"
  log "installed release ${APP_VERSION}"
}

ensure_current_symlink() {
  local target="releases/${APP_VERSION}"
  if [[ "$(readlink "${APP_HOME}/current" 2>/dev/null || true)" == "${target}" ]]; then
    return
  fi
  ln -sfn "${target}" "${APP_HOME}/current.new"
  mv -T "${APP_HOME}/current.new" "${APP_HOME}/current"
  log "current -> ${target}"
}

main() {
  require_matching_version
  install -d -m 0755 "${APP_HOME}/releases"
  ensure_release_installed
  ensure_current_symlink
}

main "$@"
