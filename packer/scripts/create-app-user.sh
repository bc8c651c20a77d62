#!/usr/bin/env bash
# Ensures the bookstore system user and group exist with the fixed ids the EFS
# access point enforces (10001:10001), without a login shell or home.
#
# ROOT points groupadd/useradd at another root directory (tests; needs root).
set -euo pipefail

readonly ROOT="${ROOT:-}"
readonly APP_USER="bookstore"
readonly APP_UID=10001
readonly APP_GID=10001
readonly NO_LOGIN_SHELL="/usr/sbin/nologin"

log() {
  printf 'create-app-user: %s\n' "$*" >&2
}

# Field 3 (the id) of NAME's entry in ROOT's passwd or group file; empty if none.
id_in() {
  local file="$1" name="$2"
  awk -F: -v name="${name}" '$1 == name { print $3 }' "${ROOT}/etc/${file}"
}

root_arguments() {
  if [[ -n "${ROOT}" ]]; then
    printf '%s\n' --root "${ROOT}"
  fi
}

ensure_app_group() {
  local existing
  existing="$(id_in group "${APP_USER}")"
  if [[ -n "${existing}" ]]; then
    if [[ "${existing}" != "${APP_GID}" ]]; then
      log "group ${APP_USER} exists with gid ${existing}, not ${APP_GID}"
      exit 65
    fi
    return
  fi
  local root_args
  mapfile -t root_args < <(root_arguments)
  groupadd "${root_args[@]}" --system --gid "${APP_GID}" "${APP_USER}"
  log "created group ${APP_USER} (${APP_GID})"
}

ensure_app_user() {
  local existing
  existing="$(id_in passwd "${APP_USER}")"
  if [[ -n "${existing}" ]]; then
    if [[ "${existing}" != "${APP_UID}" ]]; then
      log "user ${APP_USER} exists with uid ${existing}, not ${APP_UID}"
      exit 65
    fi
    return
  fi
  local root_args
  mapfile -t root_args < <(root_arguments)
  useradd "${root_args[@]}" --system --uid "${APP_UID}" --gid "${APP_GID}" \
    --home-dir /opt/bookstore --no-create-home --shell "${NO_LOGIN_SHELL}" "${APP_USER}"
  log "created user ${APP_USER} (${APP_UID})"
}

main() {
  ensure_app_group
  ensure_app_user
}

main "$@"
