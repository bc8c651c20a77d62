#!/usr/bin/env bash
# Ensures the bookstore system user and group exist with the fixed ids the EFS
# access point enforces (10001:10001), without a login shell or home.
set -euo pipefail

readonly APP_USER="bookstore"
readonly APP_UID=10001
readonly APP_GID=10001

log() {
  printf 'create-app-user: %s\n' "$*" >&2
}

ensure_app_group() {
  if getent group "${APP_USER}" >/dev/null; then
    if [[ "$(getent group "${APP_USER}" | cut -d: -f3)" != "${APP_GID}" ]]; then
      log "group ${APP_USER} exists with another gid"
      exit 65
    fi
    return
  fi
  groupadd --system --gid "${APP_GID}" "${APP_USER}"
  log "created group ${APP_USER} (${APP_GID})"
}

ensure_app_user() {
  if id -u "${APP_USER}" >/dev/null 2>&1; then
    if [[ "$(id -u "${APP_USER}")" != "${APP_UID}" ]]; then
      log "user ${APP_USER} exists with another uid"
      exit 65
    fi
    return
  fi
  useradd --system --uid "${APP_UID}" --gid "${APP_GID}" \
    --home-dir /opt/bookstore --no-create-home --shell /usr/sbin/nologin "${APP_USER}"
  log "created user ${APP_USER} (${APP_UID})"
}

main() {
  ensure_app_group
  ensure_app_user
}

main "$@"
