#!/usr/bin/env bash
# Renders the CloudWatch agent configuration for this instance's environment and
# (re)starts the agent with it. Run by bookstore-cloudwatch.service, which reads
# BOOKSTORE_ENVIRONMENT from /etc/bookstore/bookstore.env.
#
# ROOT prefixes every file path so tests can run this against a temporary root.
set -euo pipefail

readonly ROOT="${ROOT:-}"
readonly TEMPLATE="${ROOT}/etc/bookstore/cloudwatch-agent.template.json"
readonly RENDERED="${ROOT}/opt/aws/amazon-cloudwatch-agent/etc/bookstore.json"
readonly AGENT_CTL="${AGENT_CTL:-/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl}"
readonly PLACEHOLDER="__ENVIRONMENT__"

log() {
  printf 'render-cloudwatch-config: %s\n' "$*" >&2
}

require_environment_name() {
  local name="${BOOKSTORE_ENVIRONMENT:-}"
  if [[ ! "${name}" =~ ^[a-z][a-z0-9-]{0,31}$ ]]; then
    log "BOOKSTORE_ENVIRONMENT must be a lowercase name like 'production' (got '${name}')"
    exit 64
  fi
}

ensure_rendered_config() {
  local rendered_text
  rendered_text="$(sed "s/${PLACEHOLDER}/${BOOKSTORE_ENVIRONMENT}/g" "${TEMPLATE}")"
  install -d -m 0755 "$(dirname "${RENDERED}")"
  if [[ -f "${RENDERED}" ]] && [[ "$(cat "${RENDERED}")" == "${rendered_text}" ]]; then
    log "configuration for '${BOOKSTORE_ENVIRONMENT}' already in place"
    return
  fi
  printf '%s\n' "${rendered_text}" >"${RENDERED}.tmp"
  chmod 0644 "${RENDERED}.tmp"
  mv "${RENDERED}.tmp" "${RENDERED}"
  log "wrote ${RENDERED} for '${BOOKSTORE_ENVIRONMENT}'"
}

ensure_agent_running_with_config() {
  "${AGENT_CTL}" -a fetch-config -m ec2 -s -c "file:${RENDERED}"
}

main() {
  require_environment_name
  ensure_rendered_config
  ensure_agent_running_with_config
}

main "$@"
