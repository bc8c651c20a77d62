#!/usr/bin/env bash
# Ensures the Amazon CloudWatch agent is installed. It is configured at boot by
# bookstore-cloudwatch.service, once the environment name is known.
set -euo pipefail

readonly DOWNLOAD_BASE="https://amazoncloudwatch-agent.amazonaws.com/ubuntu"
readonly AGENT_CTL="/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"
export DEBIAN_FRONTEND=noninteractive

log() {
  printf 'install-cloudwatch-agent: %s\n' "$*" >&2
}

ensure_cloudwatch_agent_installed() {
  if [[ -x "${AGENT_CTL}" ]]; then
    log "CloudWatch agent already installed"
    return
  fi
  local arch work
  arch="$(dpkg --print-architecture)"
  work="$(mktemp -d)"
  curl -fsSL -o "${work}/amazon-cloudwatch-agent.deb" \
    "${DOWNLOAD_BASE}/${arch}/latest/amazon-cloudwatch-agent.deb"
  apt-get -q -y install "${work}/amazon-cloudwatch-agent.deb"
  rm -rf "${work}"
  log "installed the CloudWatch agent"
}

# The agent must not run with the package's default configuration; the unit
# bookstore-cloudwatch.service starts it with ours.
ensure_agent_not_started_at_bake() {
  "${AGENT_CTL}" -a stop >/dev/null || true
}

main() {
  ensure_cloudwatch_agent_installed
  ensure_agent_not_started_at_bake
}

main "$@"
