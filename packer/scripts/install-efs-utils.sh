#!/usr/bin/env bash
# Ensures amazon-efs-utils (mount.efs with TLS and IAM) is installed. It is not
# in Ubuntu's archive, so it is built from a pinned tag on the build instance;
# the build toolchain it adds is removed again afterwards.
#
# Inputs: EFS_UTILS_VERSION (a git tag such as v2.3.1).
set -euo pipefail

readonly EFS_UTILS_VERSION="${EFS_UTILS_VERSION:?EFS_UTILS_VERSION is required}"
readonly REPOSITORY="https://github.com/aws/efs-utils.git"
readonly BUILD_PACKAGES=(git binutils build-essential cmake golang-go perl pkg-config libssl-dev gettext)
readonly RUSTUP_URL="https://sh.rustup.rs"
export DEBIAN_FRONTEND=noninteractive

log() {
  printf 'install-efs-utils: %s\n' "$*" >&2
}

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

build_and_install_efs_utils() {
  local work package added=()
  work="$(mktemp -d)"
  for package in "${BUILD_PACKAGES[@]}"; do
    package_installed "${package}" || added+=("${package}")
  done
  if [[ ${#added[@]} -gt 0 ]]; then
    apt-get -q -y install --no-install-recommends "${added[@]}"
  fi
  # efs-proxy needs a newer Rust than Ubuntu 22.04 ships: a throwaway rustup toolchain.
  export RUSTUP_HOME="${work}/rustup" CARGO_HOME="${work}/cargo"
  curl --proto '=https' --tlsv1.2 -fsSL "${RUSTUP_URL}" | sh -s -- -y --no-modify-path --profile minimal
  export PATH="${CARGO_HOME}/bin:${PATH}"
  git clone --quiet --depth 1 --branch "${EFS_UTILS_VERSION}" "${REPOSITORY}" "${work}/efs-utils"
  (cd "${work}/efs-utils" && ./build-deb.sh)
  apt-get -q -y install "${work}"/efs-utils/build/amazon-efs-utils*.deb
  rm -rf "${work}"
  # Only what this step added: the image keeps no toolchain it does not need.
  if [[ ${#added[@]} -gt 0 ]]; then
    apt-get -q -y purge --auto-remove "${added[@]}"
  fi
  if ! package_installed amazon-efs-utils; then
    log "amazon-efs-utils did not survive removing the build packages"
    exit 70
  fi
  log "installed amazon-efs-utils ${EFS_UTILS_VERSION}"
}

ensure_efs_utils_installed() {
  if package_installed amazon-efs-utils; then
    log "amazon-efs-utils already installed"
    return
  fi
  build_and_install_efs_utils
}

main() {
  ensure_efs_utils_installed
}

main "$@"
