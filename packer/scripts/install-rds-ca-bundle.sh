#!/usr/bin/env bash
# Ensures the RDS global CA bundle is present so the app can verify the
# database's TLS certificate (DB_SSL_CA=/etc/bookstore/rds-global-bundle.pem).
set -euo pipefail

readonly BUNDLE_URL="https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
readonly BUNDLE_PATH="/etc/bookstore/rds-global-bundle.pem"

log() {
  printf 'install-rds-ca-bundle: %s\n' "$*" >&2
}

ensure_rds_ca_bundle() {
  local download
  install -d -m 0755 "$(dirname "${BUNDLE_PATH}")"
  download="$(mktemp)"
  curl -fsSL -o "${download}" "${BUNDLE_URL}"
  # Refuse anything that is not a readable list of certificates.
  openssl crl2pkcs7 -nocrl -certfile "${download}" | openssl pkcs7 -print_certs -noout >/dev/null
  if [[ -f "${BUNDLE_PATH}" ]] && cmp -s "${download}" "${BUNDLE_PATH}"; then
    rm -f "${download}"
    log "${BUNDLE_PATH} is current"
    return
  fi
  install -m 0644 "${download}" "${BUNDLE_PATH}"
  rm -f "${download}"
  log "installed $(grep -c 'BEGIN CERTIFICATE' "${BUNDLE_PATH}") certificates to ${BUNDLE_PATH}"
}

main() {
  ensure_rds_ca_bundle
}

main "$@"
