#!/usr/bin/env bash
# Leaves the image without build leftovers, caches or this build's identity.
set -euo pipefail

readonly STAGING_DIR="/tmp/bookstore"
export DEBIAN_FRONTEND=noninteractive

ensure_staging_removed() {
  rm -rf "${STAGING_DIR}"
}

ensure_package_caches_empty() {
  apt-get -q -y autoremove --purge
  apt-get -q -y clean
  rm -rf /root/.npm /root/.cache
}

# Each instance gets its own machine id, host keys and cloud-init run.
ensure_instance_identity_cleared() {
  cloud-init clean --logs
  truncate -s 0 /etc/machine-id
  rm -f /etc/ssh/ssh_host_*
  rm -f /home/ubuntu/.ssh/authorized_keys /root/.ssh/authorized_keys
}

main() {
  ensure_staging_removed
  ensure_package_caches_empty
  ensure_instance_identity_cleared
}

main "$@"
