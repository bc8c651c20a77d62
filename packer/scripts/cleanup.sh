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

# Each instance gets its own machine id and a fresh cloud-init run, which also
# regenerates the SSH host keys (Ubuntu's ssh_deletekeys). The keys stay until
# then: Packer may still open connections after this script.
ensure_instance_identity_cleared() {
  cloud-init clean --logs
  truncate -s 0 /etc/machine-id
}

main() {
  ensure_staging_removed
  ensure_package_caches_empty
  ensure_instance_identity_cleared
}

main "$@"
