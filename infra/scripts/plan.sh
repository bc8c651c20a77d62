#!/usr/bin/env bash
# Offline terraform plan for every stack: dummy credentials, skip_* provider
# flags (BOOKSTORE_OFFLINE=1), an explicit AMI id, placeholder foundation
# outputs; then asserts on `terraform show -json` that each plan only creates.
# Usage: bash infra/scripts/plan.sh   (BOOKSTORE_ENVIRONMENTS=staging to limit)
set -euo pipefail
# shellcheck source=infra/scripts/terraform-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/terraform-env.sh"

readonly OUTDIR="$INFRA_DIR/cdktf.out/offline-plan"
readonly PLAN_AMI_ID="${BOOKSTORE_AMI_ID:-ami-0123456789abcdef0}"

# Never real credentials: the plan must not be able to reach an account.
export AWS_ACCESS_KEY_ID=offline-plan-access-key
export AWS_SECRET_ACCESS_KEY=offline-plan-dummy-secret
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN

main() {
  ensure_terraform
  echo "synthesizing offline stacks into $OUTDIR (AMI $PLAN_AMI_ID)"
  synth_stacks "$OUTDIR" BOOKSTORE_OFFLINE=1 BOOKSTORE_AMI_ID="$PLAN_AMI_ID"
  local dir name kind failed=0
  while IFS= read -r dir; do
    name="$(basename "$dir")"
    kind="${name%%-*}"
    echo "== $name: terraform plan (offline)"
    if "$TERRAFORM" -chdir="$dir" init -plugin-dir="$TF_PLUGIN_MIRROR" -no-color >"$dir/init.log" 2>&1 \
      && "$TERRAFORM" -chdir="$dir" plan -lock=false -no-color -out=tfplan >"$dir/plan.log" 2>&1 \
      && "$TERRAFORM" -chdir="$dir" show -json tfplan >"$dir/plan.json" \
      && (cd "$INFRA_DIR" && npx --no-install tsx scripts/check-plan.ts "$kind" "$dir/plan.json"); then
      grep -E '^Plan:' "$dir/plan.log" | sed 's/^/   /'
    else
      failed=1
      echo "   FAILED (logs: $dir/init.log, $dir/plan.log)" >&2
      tail -n 20 "$dir/plan.log" >&2 || true
    fi
  done < <(stack_dirs "$OUTDIR")
  return "$failed"
}

main "$@"
