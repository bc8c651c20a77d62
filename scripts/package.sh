#!/usr/bin/env bash
# Builds the app and packs what production needs into
# dist/bookstore-<version>-<gitsha>.tgz (plus a .sha256 beside it).
#
# The tarball holds build/, public/, package.json, package-lock.json, VERSION
# (the package version) and REVISION (the full git commit). Production
# dependencies are installed on the target with `npm ci --omit=dev`.
#
# Usage: npm run package [-- --skip-build] [-- --out-dir DIR]
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly REQUIRED_BUILD_OUTPUTS=(build/index.js build/server/index.js build/server/cli.js public/build)
readonly RUNTIME_FILES=(build public package.json package-lock.json)

skip_build=false
out_dir="${REPO_ROOT}/dist"
staging_dir=""

remove_staging_dir() {
  if [[ -n "${staging_dir}" ]]; then
    rm -rf "${staging_dir}"
  fi
}

log() {
  printf 'package: %s\n' "$*" >&2
}

usage() {
  printf 'usage: %s [--skip-build] [--out-dir DIR]\n' "$0" >&2
  exit 64
}

parse_arguments() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --skip-build) skip_build=true ;;
      --out-dir)
        [[ $# -ge 2 ]] || usage
        out_dir="$2"
        shift
        ;;
      *) usage ;;
    esac
    shift
  done
}

package_version() {
  node -p 'require(process.argv[1]).version' "${REPO_ROOT}/package.json"
}

# GIT_SHA overrides for builds outside a checkout (e.g. from a source archive).
git_revision() {
  if [[ -n "${GIT_SHA:-}" ]]; then
    printf '%s' "${GIT_SHA}"
  elif git -C "${REPO_ROOT}" rev-parse --verify --quiet HEAD >/dev/null; then
    git -C "${REPO_ROOT}" rev-parse HEAD
  else
    log "not a git checkout with commits; set GIT_SHA"
    exit 65
  fi
}

# Entries are dated to the commit, so the same commit packs to the same bytes.
commit_time() {
  git -C "${REPO_ROOT}" log -1 --format=%ct "$1" 2>/dev/null || printf '0'
}

ensure_build() {
  if [[ "${skip_build}" == false ]]; then
    (cd "${REPO_ROOT}" && npm run build)
  fi
  local output
  for output in "${REQUIRED_BUILD_OUTPUTS[@]}"; do
    if [[ ! -e "${REPO_ROOT}/${output}" ]]; then
      log "missing ${output}; run npm run build first"
      exit 66
    fi
  done
}

create_tarball() {
  local version="$1" revision="$2" tarball="$3"
  staging_dir="$(mktemp -d)"
  trap remove_staging_dir EXIT
  (cd "${REPO_ROOT}" && cp -R "${RUNTIME_FILES[@]}" "${staging_dir}/")
  printf '%s\n' "${version}" >"${staging_dir}/VERSION"
  printf '%s\n' "${revision}" >"${staging_dir}/REVISION"
  # Stable order, owners and times: the same inputs give the same bytes.
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@${SOURCE_DATE_EPOCH}" \
    -C "${staging_dir}" -cf - . | gzip -n >"${tarball}"
  (cd "$(dirname "${tarball}")" && sha256sum "$(basename "${tarball}")" >"$(basename "${tarball}").sha256")
}

main() {
  parse_arguments "$@"
  local version revision tarball
  version="$(package_version)"
  revision="$(git_revision)"
  if [[ ! "${revision}" =~ ^[0-9a-f]{7,40}$ ]]; then
    log "git revision must be hexadecimal (got '${revision}')"
    exit 65
  fi
  ensure_build
  export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(commit_time "${revision}")}"
  mkdir -p "${out_dir}"
  tarball="$(cd "${out_dir}" && pwd)/bookstore-${version}-${revision:0:12}.tgz"
  create_tarball "${version}" "${revision}" "${tarball}"
  log "wrote ${tarball}"
  printf '%s\n' "${tarball}"
}

main "$@"
