#!/usr/bin/env bash
# Ensures the base image is current, receives security updates unattended, and
# has the few tools the later steps use.
set -euo pipefail

readonly AUTO_UPGRADES_FILE="/etc/apt/apt.conf.d/20auto-upgrades"
readonly BASE_PACKAGES=(ca-certificates curl gnupg jq logrotate nfs-common unattended-upgrades)
export DEBIAN_FRONTEND=noninteractive

log() {
  printf 'install-os-updates: %s\n' "$*" >&2
}

# cloud-init runs apt on first boot; wait for it rather than fight over the lock.
ensure_cloud_init_finished() {
  cloud-init status --wait >/dev/null || log "cloud-init reported a problem; continuing"
}

ensure_packages_current() {
  apt-get update -q
  apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold full-upgrade
}

ensure_base_packages() {
  apt-get -q -y install --no-install-recommends "${BASE_PACKAGES[@]}"
}

ensure_unattended_security_upgrades() {
  local wanted
  wanted=$'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";'
  if [[ -f "${AUTO_UPGRADES_FILE}" && "$(cat "${AUTO_UPGRADES_FILE}")" == "${wanted}" ]]; then
    return
  fi
  printf '%s\n' "${wanted}" >"${AUTO_UPGRADES_FILE}"
  log "enabled unattended security upgrades"
}

main() {
  ensure_cloud_init_finished
  ensure_packages_current
  ensure_base_packages
  ensure_unattended_security_upgrades
}

main "$@"
