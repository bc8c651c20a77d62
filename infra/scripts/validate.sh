#!/usr/bin/env bash
# terraform init + validate for every synthesized stack, offline (provider
# mirror, no backend). Usage: bash infra/scripts/validate.sh
# BOOKSTORE_ENVIRONMENTS=staging limits the environments.
set -euo pipefail
# shellcheck source=infra/scripts/terraform-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/terraform-env.sh"

readonly OUTDIR="$INFRA_DIR/cdktf.out"

main() {
  ensure_terraform
  echo "synthesizing stacks into $OUTDIR"
  synth_stacks "$OUTDIR"
  local dir failed=0
  while IFS= read -r dir; do
    echo "== $(basename "$dir"): terraform init -backend=false && terraform validate"
    if "$TERRAFORM" -chdir="$dir" init -backend=false -plugin-dir="$TF_PLUGIN_MIRROR" -no-color >"$dir/init.log" 2>&1 \
      && "$TERRAFORM" -chdir="$dir" validate -no-color; then
      :
    else
      failed=1
      echo "   FAILED (init log: $dir/init.log)" >&2
    fi
  done < <(stack_dirs "$OUTDIR")
  return "$failed"
}

main "$@"
