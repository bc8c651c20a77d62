# Sourced by validate.sh and plan.sh: an offline, reproducible Terraform.
# shellcheck shell=bash

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly INFRA_DIR
readonly TERRAFORM="${TERRAFORM:-terraform}"
readonly TF_PLUGIN_MIRROR="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"

# No user CLI config (the environment may point at a missing file), no telemetry.
export TF_CLI_CONFIG_FILE=/dev/null
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TF_INPUT=0

ensure_terraform() {
  if ! command -v "$TERRAFORM" >/dev/null 2>&1; then
    echo "terraform not found (set TERRAFORM=/path/to/terraform)" >&2
    exit 1
  fi
  if [[ ! -d "$TF_PLUGIN_MIRROR" ]]; then
    echo "provider mirror $TF_PLUGIN_MIRROR not found (set TF_PLUGIN_MIRROR)" >&2
    exit 1
  fi
}

# synth_stacks <outdir> [env assignments...]: runs main.ts into <outdir>.
synth_stacks() {
  local outdir="$1"
  shift
  rm -rf "$outdir"
  mkdir -p "$outdir"
  (cd "$INFRA_DIR" && env CDKTF_OUTDIR="$outdir" "$@" npx --no-install tsx main.ts)
}

# stack_dirs <outdir>: foundation stacks first, so the order matches a deploy.
stack_dirs() {
  local outdir="$1"
  find "$outdir/stacks" -mindepth 1 -maxdepth 1 -type d -name 'foundation-*' | sort
  find "$outdir/stacks" -mindepth 1 -maxdepth 1 -type d -name 'app-*' | sort
}
