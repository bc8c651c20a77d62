#!/usr/bin/env bash
# Ensures the Bookstore units, default environment file, logrotate policy and
# CloudWatch agent template are installed, and both units are enabled (not
# started: user data supplies the environment at boot and restarts them).
#
# Inputs: FILES_DIR (packer/files as uploaded). ROOT prefixes every path so
# tests can run this against a temporary root.
set -euo pipefail

readonly ROOT="${ROOT:-}"
readonly FILES_DIR="${FILES_DIR:-/tmp/bookstore/files}"
readonly UNIT_DIR="${ROOT}/etc/systemd/system"
readonly CONFIG_DIR="${ROOT}/etc/bookstore"
readonly LIBEXEC_DIR="${ROOT}/usr/local/libexec/bookstore"
readonly LOGROTATE_DIR="${ROOT}/etc/logrotate.d"
readonly LOG_DIR="${ROOT}/var/log/bookstore"
readonly UNITS=(bookstore.service bookstore-cloudwatch.service)

log() {
  printf 'configure-service: %s\n' "$*" >&2
}

# Copies a file into place unless an identical one is already there.
ensure_file() {
  local source="$1" destination="$2" mode="$3"
  install -d -m 0755 "$(dirname "${destination}")"
  if [[ -f "${destination}" ]] && cmp -s "${source}" "${destination}"; then
    chmod "${mode}" "${destination}"
    return
  fi
  install -m "${mode}" "${source}" "${destination}"
  log "installed ${destination#"${ROOT}"}"
}

ensure_units_installed() {
  local unit
  for unit in "${UNITS[@]}"; do
    ensure_file "${FILES_DIR}/${unit}" "${UNIT_DIR}/${unit}" 0644
  done
}

# The image ships a default that user data overwrites; never clobber a real one.
ensure_default_environment_file() {
  local env_file="${CONFIG_DIR}/bookstore.env"
  if [[ -f "${env_file}" ]]; then
    return
  fi
  ensure_file "${FILES_DIR}/bookstore.env" "${env_file}" 0644
}

# systemd opens the unit's append: log before it creates LogsDirectory=.
ensure_log_directory() {
  install -d -m 0755 "${LOG_DIR}"
}

ensure_logrotate_policy() {
  ensure_file "${FILES_DIR}/bookstore.logrotate" "${LOGROTATE_DIR}/bookstore" 0644
}

ensure_cloudwatch_template() {
  ensure_file "${FILES_DIR}/cloudwatch-agent.json" "${CONFIG_DIR}/cloudwatch-agent.template.json" 0644
  ensure_file "${FILES_DIR}/render-cloudwatch-config.sh" "${LIBEXEC_DIR}/render-cloudwatch-config.sh" 0755
}

ensure_units_enabled() {
  systemctl --root="${ROOT:-/}" --quiet enable "${UNITS[@]}"
}

main() {
  ensure_units_installed
  ensure_default_environment_file
  ensure_log_directory
  ensure_logrotate_policy
  ensure_cloudwatch_template
  ensure_units_enabled
}

main "$@"
