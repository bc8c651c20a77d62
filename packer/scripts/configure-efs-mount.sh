#!/usr/bin/env bash
# Ensures the EFS file system is mounted at /mnt/efs on every boot, over TLS and
# with IAM authorization (the file system policy refuses anything else).
#
# Inputs: EFS_FILE_SYSTEM_ID (fs-…), optional EFS_ACCESS_POINT_ID (fsap-…).
# ROOT prefixes every path so tests can run this against a temporary root.
set -euo pipefail

readonly ROOT="${ROOT:-}"
readonly FSTAB="${ROOT}/etc/fstab"
readonly MOUNT_POINT="/mnt/efs"
readonly BASE_OPTIONS="_netdev,noresvport,tls,iam,nofail"
readonly EFS_FILE_SYSTEM_ID="${EFS_FILE_SYSTEM_ID:-}"
readonly EFS_ACCESS_POINT_ID="${EFS_ACCESS_POINT_ID:-}"

log() {
  printf 'configure-efs-mount: %s\n' "$*" >&2
}

require_valid_ids() {
  if [[ ! "${EFS_FILE_SYSTEM_ID}" =~ ^fs-([0-9a-f]{8}|[0-9a-f]{17})$ ]]; then
    log "EFS_FILE_SYSTEM_ID must look like fs-0123456789abcdef0 (got '${EFS_FILE_SYSTEM_ID}')"
    exit 64
  fi
  if [[ -n "${EFS_ACCESS_POINT_ID}" && ! "${EFS_ACCESS_POINT_ID}" =~ ^fsap-[0-9a-f]{17}$ ]]; then
    log "EFS_ACCESS_POINT_ID must look like fsap-0123456789abcdef0 (got '${EFS_ACCESS_POINT_ID}')"
    exit 64
  fi
}

desired_fstab_line() {
  local options="${BASE_OPTIONS}"
  if [[ -n "${EFS_ACCESS_POINT_ID}" ]]; then
    options="${options},accesspoint=${EFS_ACCESS_POINT_ID}"
  fi
  printf '%s:/ %s efs %s 0 0' "${EFS_FILE_SYSTEM_ID}" "${MOUNT_POINT}" "${options}"
}

ensure_mount_point() {
  install -d -m 0755 "${ROOT}${MOUNT_POINT}"
}

# Exactly one line mounts /mnt/efs: an up-to-date line is left alone, a stale
# one (other file system or options) is replaced, a missing one is appended.
ensure_fstab_entry() {
  local line
  line="$(desired_fstab_line)"
  install -d -m 0755 "$(dirname "${FSTAB}")"
  if [[ ! -e "${FSTAB}" ]]; then
    touch "${FSTAB}"
  fi
  if grep -qxF -- "${line}" "${FSTAB}" &&
    [[ "$(awk -v mp="${MOUNT_POINT}" '$1 !~ /^#/ && $2 == mp' "${FSTAB}" | wc -l)" -eq 1 ]]; then
    log "fstab already mounts ${EFS_FILE_SYSTEM_ID} at ${MOUNT_POINT}"
    return
  fi
  local updated="${FSTAB}.bookstore.tmp"
  awk -v mp="${MOUNT_POINT}" '$1 ~ /^#/ || $2 != mp' "${FSTAB}" >"${updated}"
  printf '%s\n' "${line}" >>"${updated}"
  chmod 0644 "${updated}"
  mv "${updated}" "${FSTAB}"
  log "fstab now mounts ${EFS_FILE_SYSTEM_ID} at ${MOUNT_POINT}"
}

main() {
  require_valid_ids
  ensure_mount_point
  ensure_fstab_entry
}

main "$@"
