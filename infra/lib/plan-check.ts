/**
 * Checks on `terraform show -json <planfile>` output, shared by
 * scripts/check-plan.ts (npm run infra:plan) and tests/infra.
 */

export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly change: { readonly actions: readonly string[] };
}

export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
}

/** Resource types each kind of stack must create (whatever the environment). */
export const EXPECTED_TYPES = {
  foundation: [
    "aws_vpc",
    "aws_subnet",
    "aws_internet_gateway",
    "aws_nat_gateway",
    "aws_eip",
    "aws_route_table",
    "aws_route",
    "aws_route_table_association",
    "aws_default_security_group",
    "aws_flow_log",
    "aws_cloudwatch_log_group",
    "aws_security_group",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_db_subnet_group",
    "aws_db_parameter_group",
    "aws_db_instance",
    "aws_iam_role",
    "aws_iam_role_policy_attachment",
    "aws_efs_file_system",
    "aws_efs_mount_target",
    "aws_efs_access_point",
    "aws_efs_file_system_policy",
    "aws_secretsmanager_secret",
    "aws_secretsmanager_secret_version",
  ],
  app: [
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_lb",
    "aws_lb_target_group",
    "aws_lb_listener",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_instance_profile",
    "aws_launch_template",
    "aws_autoscaling_group",
    "aws_autoscaling_policy",
    "aws_sns_topic",
    "aws_cloudwatch_metric_alarm",
    "aws_cloudwatch_dashboard",
  ],
} as const;

export interface PlanSummary {
  /** Managed resources the plan creates, by type. */
  readonly creates: Readonly<Record<string, number>>;
  /** Every change that is not a plain create (managed) or read (data source). */
  readonly unexpected: readonly string[];
  readonly missingTypes: readonly string[];
}

export function summarizePlan(plan: PlanJson, kind: keyof typeof EXPECTED_TYPES): PlanSummary {
  const creates: Record<string, number> = {};
  const unexpected: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions.join(",");
    if (rc.mode === "managed" && actions === "create") {
      creates[rc.type] = (creates[rc.type] ?? 0) + 1;
    } else if (!(rc.mode === "data" && (actions === "read" || actions === "no-op"))) {
      unexpected.push(`${rc.address}: ${actions}`);
    }
  }
  const missingTypes = EXPECTED_TYPES[kind].filter((type) => !creates[type]);
  return { creates, unexpected, missingTypes };
}
