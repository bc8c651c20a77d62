/**
 * Security and operations policy, walking EVERY resource and data source of
 * every stack. A resource type without a rule here fails the suite, so a new
 * kind of resource cannot slip in unreviewed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../infra/config.js";
import { freeStorageAlarm } from "../../infra/constructs/monitoring.js";
import { SIGN_IN_PATHS } from "../../infra/constructs/web-firewall.js";
import { environments } from "../../infra/environments/index.js";
import { connectionBudget } from "../../infra/lib/connection-budget.js";
import {
  baselineCpuPercent,
  ec2InstanceType,
  performanceInsightsSupported,
} from "../../infra/lib/instance-types.js";
import {
  type Block,
  dataSources,
  ofType,
  PLAN_AMI,
  referenced,
  type ResourceEntry,
  resources,
  type StackJson,
  strings,
  type Synthesized,
  synthEnvironment,
} from "./helpers.js";

type Check = (r: ResourceEntry, stack: StackJson, config: EnvironmentConfig) => string[];

const list = <T = unknown>(value: unknown): T[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as T[]) : [value as T];
const fail = (condition: boolean, message: string) => (condition ? [] : [message]);
const lifecycle = (r: ResourceEntry) => (r.body.lifecycle ?? {}) as Block;
/** Data durability: Terraform must refuse any plan that destroys this resource. */
const preventsDestroy = (r: ResourceEntry) =>
  fail(lifecycle(r).prevent_destroy === true, "lifecycle.prevent_destroy (no plan may destroy it)");
/** The environment file user data writes (KEY=value lines of the heredoc). */
const userDataEnv = (launchTemplate: Block): Record<string, string> => {
  const script = JSON.parse(
    `"${/^\$\{base64encode\("([\s\S]*)"\)\}$/.exec(String(launchTemplate.user_data))?.[1] ?? ""}"`,
  ) as string;
  const body = /<<'BOOKSTORE_ENV'\n([\s\S]*?)\nBOOKSTORE_ENV\n/.exec(script)?.[1] ?? "";
  return Object.fromEntries(
    body
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
};
/** Every rule of a web ACL's `rule` list, with its statement. */
const wafRules = (acl: Block) => list<Block>(acl.rule);
const statementOf = (rule: Block) => (rule.statement ?? {}) as Block;
const INTERNET = ["0.0.0.0/0", "::/0"];
const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-/;
const MANAGED_POLICIES = new Set([
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
  "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
]);

/** The security group a rule's `security_group_id`/`referenced_security_group_id` points at, by its `name`. */
const groupName = (stack: StackJson, ref: unknown): string => {
  const target = referenced(stack, ref);
  if (target?.type === "aws_security_group") return String(target.body.name);
  const remote = /outputs\.(\w+)_security_group_id/.exec(String(ref));
  return remote ? `remote:${remote[1]}` : `unknown(${String(ref)})`;
};
const tier = (name: string) => name.replace(/^bookstore-[a-z0-9-]+?-(alb|app|database|efs)$/, "$1");

const portsOf = (b: Block) => ({
  from: Number(b.from_port),
  to: Number(b.to_port),
  protocol: String(b.ip_protocol),
});
const coversPort = (b: Block, port: number) => {
  const { from, to, protocol } = portsOf(b);
  return protocol === "-1" || (from <= port && port <= to);
};

/** Allowed security group edges: "<from tier> -> <to tier>:<port>". */
const ALLOWED_INGRESS = new Set(["alb -> app:3000", "app -> database:3306", "app -> efs:2049"]);

const rules: Record<string, Check> = {
  aws_vpc: (r, stack) => [
    ...fail(
      r.body.enable_dns_support === true && r.body.enable_dns_hostnames === true,
      "VPC DNS support and hostnames must be on",
    ),
    ...fail(
      ofType(stack, "aws_flow_log").some((f) => String(f.body.vpc_id).includes(r.name)),
      "every VPC needs a flow log",
    ),
    ...fail(
      ofType(stack, "aws_default_security_group").some((g) =>
        String(g.body.vpc_id).includes(r.name),
      ),
      "every VPC needs a locked-down default security group",
    ),
  ],
  aws_subnet: (r) =>
    fail(r.body.map_public_ip_on_launch === false, "subnets must not assign public IPs"),
  aws_internet_gateway: () => [],
  aws_eip: (r) => fail(r.body.domain === "vpc", "EIPs are for NAT gateways in the VPC"),
  aws_nat_gateway: (r, stack) =>
    fail(
      (referenced(stack, r.body.subnet_id)?.body.tags as Block)?.Tier === "public",
      "NAT gateways live in public subnets",
    ),
  aws_route_table: () => [],
  aws_route: (r, stack) => {
    const table = referenced(stack, r.body.route_table_id);
    const tableTier = String((table?.body.tags as Block)?.Name ?? "");
    return [
      ...fail(!tableTier.endsWith("-database"), "the database route table must have no routes out"),
      ...fail(
        !r.body.gateway_id || tableTier.endsWith("-public"),
        "only the public route table routes to the internet gateway",
      ),
    ];
  },
  aws_route_table_association: (r, stack) => {
    const subnetTier = (referenced(stack, r.body.subnet_id)?.body.tags as Block)?.Tier;
    const tableName = String((referenced(stack, r.body.route_table_id)?.body.tags as Block)?.Name);
    return fail(
      tableName.includes(`-${subnetTier}`),
      `a ${subnetTier} subnet must use a ${subnetTier} route table, not ${tableName}`,
    );
  },
  aws_default_security_group: (r) =>
    fail(
      list(r.body.ingress).length === 0 && list(r.body.egress).length === 0,
      "the default security group must have no rules",
    ),
  aws_flow_log: (r) => [
    ...fail(r.body.traffic_type === "ALL", "flow logs must capture ALL traffic"),
    ...fail(
      r.body.log_destination_type === "cloud-watch-logs" && !!r.body.log_destination,
      "flow logs go to a CloudWatch log group",
    ),
  ],
  aws_cloudwatch_log_group: (r) =>
    fail(Number(r.body.retention_in_days) > 0, "log groups need a retention"),
  aws_security_group: (r) => [
    ...fail(
      typeof r.body.description === "string" && r.body.description.length > 10,
      "security groups need a description",
    ),
    ...fail(
      r.body.ingress === undefined && r.body.egress === undefined,
      "no inline rules: each rule is its own described resource",
    ),
  ],
  aws_vpc_security_group_ingress_rule: (r, stack) => {
    const b = r.body;
    const to = tier(groupName(stack, b.security_group_id));
    const cidr = [b.cidr_ipv4, b.cidr_ipv6].filter(Boolean).map(String);
    const problems = [
      ...fail(
        typeof b.description === "string" && b.description.length > 5,
        "every rule needs a description",
      ),
      ...fail(!coversPort(b, 22), "no SSH: use SSM Session Manager"),
      ...fail(
        b.ip_protocol === "tcp" && b.from_port === b.to_port,
        "ingress opens exactly one TCP port",
      ),
    ];
    if (cidr.some((c) => INTERNET.includes(c))) {
      problems.push(
        ...fail(
          to === "alb" && [80, 443].includes(Number(b.from_port)),
          `internet ingress only to the ALB on 80/443, not ${to}:${b.from_port}`,
        ),
      );
    } else if (cidr.length > 0) {
      problems.push(
        `CIDR ingress ${cidr.join(",")} is not allowed: chain security groups by reference`,
      );
    } else {
      const from = tier(groupName(stack, b.referenced_security_group_id));
      problems.push(
        ...fail(
          ALLOWED_INGRESS.has(`${from} -> ${to}:${b.from_port}`),
          `ingress ${from} -> ${to}:${b.from_port} is not an allowed edge`,
        ),
      );
    }
    return problems;
  },
  aws_vpc_security_group_egress_rule: (r, stack, config) => {
    const b = r.body;
    const from = tier(groupName(stack, b.security_group_id));
    const port = (p: number) => b.from_port === p && b.to_port === p;
    return [
      ...fail(
        typeof b.description === "string" && b.description.length > 5,
        "every rule needs a description",
      ),
      ...fail(!coversPort(b, 22), "no SSH egress"),
      ...fail(
        !INTERNET.includes(String(b.cidr_ipv4 ?? b.cidr_ipv6)) ||
          (from === "app" && (port(443) || (config.mail !== undefined && port(465)))),
        "internet egress only from the app, on 443 (and SMTPS 465 when it sends mail)",
      ),
      ...fail(!["database", "efs"].includes(from), `${from} must not have egress rules`),
    ];
  },
  aws_db_subnet_group: (r, stack) =>
    fail(
      list<string>(r.body.subnet_ids).every(
        (id) => (referenced(stack, id)?.body.tags as Block)?.Tier === "database",
      ),
      "RDS lives in the database subnets",
    ),
  aws_db_parameter_group: (r) => {
    const params = list<Block>(r.body.parameter);
    return [
      ...fail(r.body.family === "mysql8.4", "MySQL 8.4 parameter family (mysql8.4)"),
      ...fail(
        params.some((p) => p.name === "require_secure_transport" && p.value === "1"),
        "encryption in transit: require_secure_transport must be 1",
      ),
    ];
  },
  aws_db_instance: (r, stack) => {
    const b = r.body;
    const params = referenced(stack, b.parameter_group_name);
    const insights = performanceInsightsSupported(String(b.instance_class));
    return [
      ...fail(b.engine === "mysql" && b.engine_version === "8.4", "MySQL 8.4"),
      ...fail(
        (b.performance_insights_enabled === true) === insights,
        insights
          ? `Performance Insights on: ${b.instance_class} supports it`
          : `Performance Insights off: ${b.instance_class} does not support it`,
      ),
      ...fail(
        !insights || Number(b.performance_insights_retention_period) >= 7,
        "Performance Insights keeps at least 7 days",
      ),
      ...fail(
        /-final-\$\{formatdate\("YYYYMMDDhhmmss", timestamp\(\)\)\}$/.test(
          String(b.final_snapshot_identifier),
        ) && list(lifecycle(r).ignore_changes).includes("final_snapshot_identifier"),
        "the final snapshot's name carries the creation time (timestamp() fixed by ignore_changes), so it cannot collide",
      ),
      ...preventsDestroy(r),
      ...fail(b.multi_az === true, "Multi-AZ"),
      ...fail(b.storage_encrypted === true, "encrypted storage"),
      ...fail(Number(b.backup_retention_period) >= 7, "backups kept at least 7 days"),
      ...fail(b.deletion_protection === true, "deletion protection"),
      ...fail(b.publicly_accessible === false, "not publicly accessible"),
      ...fail(
        b.manage_master_user_password === true && b.password === undefined,
        "master password managed by RDS in Secrets Manager",
      ),
      ...fail(
        b.skip_final_snapshot === false && !!b.final_snapshot_identifier,
        "final snapshot on delete",
      ),
      ...fail(
        ["error", "slowquery"].every((l) => list(b.enabled_cloudwatch_logs_exports).includes(l)),
        "error and slow query logs exported",
      ),
      ...fail(Number(b.monitoring_interval) > 0 && !!b.monitoring_role_arn, "enhanced monitoring"),
      ...fail(params?.type === "aws_db_parameter_group", "uses our parameter group"),
      ...fail(b.copy_tags_to_snapshot === true, "tags copied to snapshots"),
    ];
  },
  aws_efs_file_system: (r) => [
    ...fail(r.body.encrypted === true, "EFS encrypted at rest"),
    ...preventsDestroy(r),
  ],
  aws_efs_backup_policy: (r) =>
    fail((r.body.backup_policy as Block).status === "ENABLED", "EFS backups on"),
  aws_efs_mount_target: (r, stack, config) => [
    ...fail(
      ofType(stack, "aws_efs_mount_target").length === config.availabilityZones.length,
      "one mount target per AZ",
    ),
    ...fail(
      (referenced(stack, r.body.subnet_id)?.body.tags as Block)?.Tier === "private",
      "mount targets in the private subnets",
    ),
  ],
  aws_efs_access_point: (r) => {
    const posix = r.body.posix_user as Block;
    const root = r.body.root_directory as Block;
    const info = root?.creation_info as Block;
    return fail(
      posix?.uid === 10001 &&
        posix?.gid === 10001 &&
        root?.path === "/bookstore" &&
        info?.owner_uid === 10001 &&
        info?.owner_gid === 10001 &&
        info?.permissions === "0750",
      "access point pins uid/gid 10001 and /bookstore (0750)",
    );
  },
  aws_efs_file_system_policy: (r, stack) => {
    const doc = referenced(stack, r.body.policy);
    const denies = list<Block>(doc?.body.statement).some(
      (s) =>
        s.effect === "Deny" &&
        list<Block>(s.condition).some(
          (c) => c.variable === "aws:SecureTransport" && list(c.values).includes("false"),
        ),
    );
    return fail(
      doc?.type === "aws_iam_policy_document" && denies,
      "the file system policy denies non-TLS clients",
    );
  },
  aws_secretsmanager_secret: (r) => [
    ...fail(Number(r.body.recovery_window_in_days) >= 7, "secrets keep a recovery window"),
    ...preventsDestroy(r),
  ],
  aws_secretsmanager_secret_version: (r) => [
    ...fail(
      /uuid\(\)/.test(String(r.body.secret_string)),
      "no literal secret value in code: generated at apply time",
    ),
    ...fail(
      list((r.body.lifecycle as Block)?.ignore_changes).includes("secret_string"),
      "rotated values are not reverted by deploys",
    ),
  ],
  aws_iam_role: (r) => {
    const trust = JSON.parse(String(r.body.assume_role_policy)) as { Statement: Block[] };
    return fail(
      trust.Statement.every(
        (s) => s.Effect === "Allow" && typeof (s.Principal as Block)?.Service === "string",
      ),
      "roles are assumable by one AWS service only",
    );
  },
  aws_iam_role_policy: (r, stack) =>
    fail(
      referenced(stack, r.body.policy)?.type === "aws_iam_policy_document",
      "inline policies come from a policy document",
    ),
  aws_iam_role_policy_attachment: (r) =>
    fail(
      MANAGED_POLICIES.has(String(r.body.policy_arn)),
      `managed policy ${r.body.policy_arn} is not on the allow list`,
    ),
  aws_iam_instance_profile: () => [],
  aws_acm_certificate: (r) => [
    ...fail(r.body.validation_method === "DNS", "DNS validation"),
    ...fail((r.body.lifecycle as Block)?.create_before_destroy === true, "create_before_destroy"),
  ],
  aws_acm_certificate_validation: () => [],
  aws_route53_record: () => [],
  aws_s3_bucket: (r, stack) => {
    const attached = (type: string) =>
      ofType(stack, type).filter((x) => String(x.body.bucket).includes(`aws_s3_bucket.${r.name}.`));
    const pab = attached("aws_s3_bucket_public_access_block")[0]?.body;
    const policy = attached("aws_s3_bucket_policy")[0];
    const statements = list<Block>(referenced(stack, policy?.body.policy)?.body.statement);
    return [
      ...fail(
        !!pab &&
          [
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
          ].every((k) => pab[k] === true),
        "public access fully blocked",
      ),
      ...fail(
        attached("aws_s3_bucket_server_side_encryption_configuration").length === 1,
        "default encryption",
      ),
      ...fail(
        attached("aws_s3_bucket_ownership_controls").length === 1,
        "bucket owner enforced (no ACLs)",
      ),
      ...fail(attached("aws_s3_bucket_lifecycle_configuration").length === 1, "objects expire"),
      ...fail(
        statements.some((s) => s.sid === "DenyInsecureTransport" && s.effect === "Deny"),
        "bucket policy denies non-TLS access",
      ),
      ...fail(r.body.force_destroy !== true, "no force_destroy"),
    ];
  },
  aws_s3_bucket_public_access_block: () => [],
  aws_s3_bucket_server_side_encryption_configuration: () => [],
  aws_s3_bucket_ownership_controls: (r) =>
    fail((r.body.rule as Block).object_ownership === "BucketOwnerEnforced", "BucketOwnerEnforced"),
  aws_s3_bucket_lifecycle_configuration: () => [],
  aws_s3_bucket_policy: (r, stack) => {
    const statements = list<Block>(referenced(stack, r.body.policy)?.body.statement);
    const writers = statements.filter((s) => s.effect === "Allow");
    return fail(
      writers.length > 0 &&
        writers.every(
          (s) =>
            list(s.actions).join() === "s3:PutObject" &&
            list<string>(s.resources).every((res) => res.endsWith("/AWSLogs/*")),
        ),
      "the bucket policy only lets ELB log delivery write access logs",
    );
  },
  aws_lb: (r, stack, config) => {
    const logs = r.body.access_logs as Block;
    return [
      ...fail(
        r.body.internal === false && r.body.load_balancer_type === "application",
        "an internet-facing ALB",
      ),
      ...fail(r.body.drop_invalid_header_fields === true, "drop_invalid_header_fields"),
      ...fail(r.body.enable_deletion_protection === true, "deletion protection"),
      ...fail(
        logs?.enabled === true && referenced(stack, logs.bucket)?.type === "aws_s3_bucket",
        "access logs to our S3 bucket",
      ),
      ...fail(
        list<string>(r.body.depends_on).some((d) => d.startsWith("aws_s3_bucket_policy.")),
        "created after the bucket policy that allows log delivery",
      ),
      ...fail(
        !config.waf.enabled ||
          ofType(stack, "aws_wafv2_web_acl_association").some(
            (a) => referenced(stack, a.body.resource_arn)?.name === r.name,
          ),
        "waf.enabled: the ALB is associated with the web ACL",
      ),
    ];
  },
  aws_lb_listener: (r, _stack, config) => {
    const action = list<Block>(r.body.default_action)[0];
    if (r.body.protocol === "HTTPS") {
      return [
        ...fail(
          r.body.port === 443 && TLS13_POLICY.test(String(r.body.ssl_policy)),
          "HTTPS on 443 with a TLS 1.3 policy",
        ),
        ...fail(action.type === "forward", "HTTPS forwards to the app"),
      ];
    }
    const redirect = action.redirect as Block | undefined;
    if (config.devModeHttpOnly)
      return fail(r.body.port === 80 && action.type === "forward", "dev mode: HTTP on 80 forwards");
    return fail(
      action.type === "redirect" &&
        redirect?.protocol === "HTTPS" &&
        redirect?.status_code === "HTTP_301",
      "HTTP redirects 301 to HTTPS",
    );
  },
  aws_lb_target_group: (r) => {
    const hc = r.body.health_check as Block;
    return [
      ...fail(r.body.port === 3000 && r.body.protocol === "HTTP", "targets on the app port"),
      ...fail(hc?.path === "/healthz" && hc?.enabled === true, "health checks on /healthz"),
      ...fail(Number(r.body.deregistration_delay) <= 60, "short deregistration delay"),
    ];
  },
  aws_launch_template: (r, _stack, config) => {
    const b = r.body;
    const md = b.metadata_options as Block;
    const ebs = list<Block>(b.block_device_mappings).map((m) => m.ebs as Block);
    const nics = list<Block>(b.network_interfaces);
    const script = JSON.parse(
      `"${/^\$\{base64encode\("([\s\S]*)"\)\}$/.exec(String(b.user_data))?.[1] ?? ""}"`,
    ) as string;
    return [
      ...fail(
        md?.http_tokens === "required" && md?.http_put_response_hop_limit === 1,
        "IMDSv2 required, hop limit 1",
      ),
      ...fail(
        ebs.length > 0 && ebs.every((e) => e.encrypted === "true" && e.volume_type === "gp3"),
        "encrypted gp3 volumes",
      ),
      ...fail(
        nics.length > 0 && nics.every((n) => n.associate_public_ip_address === "false"),
        "no public IP",
      ),
      ...fail(b.key_name === undefined, "no SSH key pair"),
      ...fail(
        !!script &&
          !/PASSWORD|SESSION_SECRET=|SMTP_URL=|smtps?:\/\/|SECRET_KEY|AWS_ACCESS_KEY/.test(script),
        "user data holds no secrets",
      ),
      ...launchTemplateContract(b, config),
    ];
  },
  aws_autoscaling_group: (r) => {
    const b = r.body;
    const refresh = b.instance_refresh as Block;
    return [
      ...fail(
        b.health_check_type === "ELB" && Number(b.health_check_grace_period) > 0,
        "ELB health checks with a grace period",
      ),
      ...fail(
        /\.latest_version\}$/.test(String((b.launch_template as Block)?.version)),
        "launch template version = latest_version",
      ),
      ...fail(refresh?.strategy === "Rolling", "instance refresh on change"),
      ...fail(
        String(b.vpc_zone_identifier).includes("private_subnet_ids"),
        "instances in the private subnets",
      ),
      ...fail(list(b.target_group_arns).length === 1, "registered with the target group"),
    ];
  },
  aws_autoscaling_policy: (r, _stack, config) => {
    const tracking = r.body.target_tracking_configuration as Block;
    const metric = (tracking?.predefined_metric_specification as Block)?.predefined_metric_type;
    const type = ec2InstanceType(config.app.instanceType);
    const baseline = type && baselineCpuPercent(type);
    return [
      ...fail(r.body.policy_type === "TargetTrackingScaling", "target tracking"),
      ...fail(type !== undefined, `${config.app.instanceType} is in infra/lib/instance-types.ts`),
      ...fail(
        metric !== "ASGAverageCPUUtilization" ||
          baseline === undefined ||
          Number(tracking.target_value) < baseline,
        `CPU target ${tracking?.target_value} % must be below ${config.app.instanceType}'s ${baseline} % baseline (burstable)`,
      ),
    ];
  },
  aws_sns_topic: () => [],
  aws_sns_topic_subscription: (r, _s, config) =>
    fail(
      r.body.protocol === "email" && r.body.endpoint === config.alarmEmail,
      "alarms e-mailed to alarmEmail",
    ),
  aws_cloudwatch_metric_alarm: (r, stack, config) => {
    const problems = fail(
      list<string>(r.body.alarm_actions).some(
        (a) => referenced(stack, a)?.type === "aws_sns_topic",
      ),
      "alarms notify the SNS topic",
    );
    const threshold = Number(r.body.threshold);
    if (r.body.metric_name === "DatabaseConnections") {
      const budget = connectionBudget(config)!;
      problems.push(
        ...fail(
          threshold === budget.peak && budget.peak <= budget.appAllowance,
          `rds-connections alarms above the budgeted peak ${budget.peak} (< ${budget.maxConnections} max_connections), not ${threshold}`,
        ),
      );
    }
    if (r.body.metric_name === "FreeStorageSpace") {
      const { allocatedStorageGiB: allocated, maxAllocatedStorageGiB: max } = config.database;
      const autoscalingTrigger = allocated * 0.1 * 1024 ** 3;
      problems.push(
        ...fail(
          threshold === freeStorageAlarm(config.database).thresholdBytes &&
            (max > allocated ? threshold < autoscalingTrigger : threshold === autoscalingTrigger),
          "free storage alarm follows storage autoscaling (below its 10 % trigger when it is on)",
        ),
      );
    }
    return problems;
  },
  aws_wafv2_web_acl: (r, stack) => {
    const b = r.body;
    const rules = wafRules(b);
    const visible = (v: unknown) => (v as Block)?.cloudwatch_metrics_enabled === true;
    const managed = (name: string) =>
      rules.find(
        (rule) =>
          (statementOf(rule).managed_rule_group_statement as Block)?.name === name &&
          (statementOf(rule).managed_rule_group_statement as Block)?.vendor_name === "AWS",
      );
    const rate = rules.map((rule) => ({
      rule,
      statement: statementOf(rule).rate_based_statement as Block | undefined,
    }));
    const perIp = rate.find((x) => x.statement && !x.statement.scope_down_statement);
    const signIn = rate.find((x) => x.statement?.scope_down_statement);
    const scoped = JSON.stringify(signIn?.statement?.scope_down_statement ?? {});
    return [
      ...fail(
        b.scope === "REGIONAL" && !!(b.default_action as Block)?.allow,
        "regional, allow by default",
      ),
      ...fail(
        visible(b.visibility_config) && rules.every((rule) => visible(rule.visibility_config)),
        "CloudWatch metrics on the web ACL and every rule",
      ),
      ...["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"].flatMap((name) =>
        fail(
          !!(managed(name)?.override_action as Block)?.none,
          `managed rule group ${name}, with its own actions`,
        ),
      ),
      ...fail(
        !!perIp &&
          perIp.statement!.aggregate_key_type === "IP" &&
          !!(perIp.rule.action as Block)?.block,
        "a rate-based rule per client IP that blocks",
      ),
      ...fail(
        !!signIn &&
          signIn.statement!.aggregate_key_type === "IP" &&
          !!(signIn.rule.action as Block)?.block &&
          Number(signIn.statement!.limit) < Number(perIp?.statement?.limit) &&
          SIGN_IN_PATHS.every((p) => scoped.includes(p.slice(1))) &&
          scoped.includes("^POST$"),
        "a tighter rate-based rule on POSTs to the sign-in paths",
      ),
      ...fail(
        ofType(stack, "aws_wafv2_web_acl_association").some(
          (a) => referenced(stack, a.body.web_acl_arn)?.name === r.name,
        ),
        "associated with the load balancer",
      ),
    ];
  },
  aws_wafv2_web_acl_association: (r, stack) =>
    fail(
      referenced(stack, r.body.resource_arn)?.type === "aws_lb" &&
        referenced(stack, r.body.web_acl_arn)?.type === "aws_wafv2_web_acl",
      "associates our web ACL with our ALB",
    ),
  aws_cloudwatch_dashboard: () => [],
};

/**
 * The launch template's environment against the config: the connection budget
 * (lib/connection-budget.ts) and the two database identities.
 */
function launchTemplateContract(lt: Block, config: EnvironmentConfig): string[] {
  const env = userDataEnv(lt);
  const budget = connectionBudget(config);
  const workers = Number(env.WEB_CONCURRENCY);
  const pool = Number(env.DB_POOL_MAX);
  const type = ec2InstanceType(String(lt.instance_type));
  return [
    ...fail(
      workers === config.app.webConcurrency && pool === config.app.dbPoolMax,
      "user data sets WEB_CONCURRENCY and DB_POOL_MAX from the config",
    ),
    ...fail(!!type && workers <= type.vcpus, "no more workers than vCPUs"),
    ...fail(
      !!budget && config.app.maxSize * 2 * workers * pool <= budget.appAllowance,
      `connection budget: ${budget?.explanation}`,
    ),
    ...fail(
      env.DATABASE_SECRET_ARN?.includes("outputs.db_app_secret_arn") &&
        env.DATABASE_MIGRATOR_SECRET_ARN?.includes("outputs.db_migrator_secret_arn") &&
        env.DB_USER?.includes("outputs.db_app_username"),
      "the server connects as the app user, migrations as the migrator",
    ),
    ...fail(
      !JSON.stringify(env).includes("db_master"),
      "the master user never reaches the instances",
    ),
    ...mailContract(env, config),
  ];
}

/**
 * Production sends mail (password resets, order confirmations): the SMTP URL's
 * secret and PUBLIC_URL wired. Any environment with `mail` gets the same wiring;
 * one without gets none of it (its mail stays in the outbox).
 */
function mailContract(env: Record<string, string>, config: EnvironmentConfig): string[] {
  if (config.mail === undefined) {
    return [
      ...fail(
        config.name !== "production",
        "production sends mail: SMTP secret and PUBLIC_URL wired (set mail in its config)",
      ),
      ...fail(
        ["SMTP_URL_SECRET_ARN", "MAIL_FROM", "PUBLIC_URL"].every((key) => !(key in env)),
        "no mail settings without mail in the config",
      ),
    ];
  }
  return fail(
    env.SMTP_URL_SECRET_ARN ===
      "${data.terraform_remote_state.foundation.outputs.smtp_url_secret_arn}" &&
      env.MAIL_FROM === config.mail.from &&
      env.PUBLIC_URL === `https://${config.domainName}`,
    `${config.name === "production" ? "production sends mail" : "mail"}: SMTP secret and PUBLIC_URL wired`,
  );
}

const dataRules: Record<string, Check> = {
  aws_iam_policy_document: (r) =>
    list<Block>(r.body.statement).flatMap((s) => {
      if (s.effect !== "Allow") return [];
      const secrets = list<string>(s.actions).some((a) => a.startsWith("secretsmanager:"));
      const principals = list<Block>(s.principals);
      const anyone = principals.some((p) => list(p.identifiers).includes("*"));
      return [
        ...fail(
          !list(s.actions).includes("*") && !list<string>(s.actions).some((a) => a.endsWith(":*")),
          `statement ${s.sid}: no wildcard actions in an Allow`,
        ),
        ...fail(
          !list(s.resources).includes("*"),
          `statement ${s.sid}: no "*" resource in an Allow`,
        ),
        ...fail(
          !anyone || list(s.condition).length > 0,
          `statement ${s.sid}: an Allow for any principal needs a condition`,
        ),
        ...fail(
          !secrets || !strings(s.resources).some((res) => res.includes("db_master_secret_arn")),
          `statement ${s.sid}: the RDS master user's secret is break-glass only`,
        ),
      ];
    }),
  aws_elb_service_account: () => [],
  aws_ami: (r) => fail(list(r.body.owners).join() === "self", "AMIs only from this account"),
  terraform_remote_state: () => [],
};

/** Every `${…}` reference names a resource or data source declared in the same stack. */
function unresolvedReferences(stack: StackJson): string[] {
  const declared = new Set([
    ...resources(stack).map((r) => r.address),
    ...dataSources(stack).map((d) => d.address),
  ]);
  const missing = new Set<string>();
  for (const expression of strings(stack.json).filter((text) => text.includes("${"))) {
    {
      for (const [, data, type, name] of expression.matchAll(
        /(?<![\w.])(data\.)?((?:aws|terraform)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g,
      )) {
        const address = `${data ?? ""}${type}.${name}`;
        if (!declared.has(address)) missing.add(address);
      }
      for (const [ref] of expression.matchAll(/(?<![\w.])(var|local|module)\.[A-Za-z0-9_-]+/g))
        missing.add(ref);
    }
  }
  return [...missing];
}

const devMode: EnvironmentConfig = {
  ...environments.staging,
  name: "dev",
  domainName: undefined,
  certificateArn: undefined,
  devModeHttpOnly: true,
  mail: undefined,
};
const configs: EnvironmentConfig[] = [...Object.values(environments), devMode];

describe.each(configs.map((c) => [c.name, c] as const))("policy: %s", (_name, config) => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthEnvironment(config, { amiId: PLAN_AMI });
  });
  afterAll(() => synth.cleanup());

  for (const kind of ["foundation", "app"] as const) {
    it(`every resource and data source of the ${kind} stack passes its rules`, () => {
      const stack = synth[kind];
      const all = [
        ...resources(stack).map((r) => [r, rules[r.type]] as const),
        ...dataSources(stack).map((d) => [d, dataRules[d.type]] as const),
      ];
      expect(all.length).toBeGreaterThan(10);
      const violations = all.flatMap(([r, check]) =>
        check
          ? check(r, stack, config).map((v) => `${r.address}: ${v}`)
          : [`${r.address}: no policy rule for type ${r.type}`],
      );
      expect(violations).toEqual([]);
    });

    it(`every \${…} reference in the ${kind} stack points at something declared`, () => {
      expect(unresolvedReferences(synth[kind])).toEqual([]);
    });

    it(`the ${kind} stack tags everything with the environment`, () => {
      const tags = ((synth[kind].json.provider!.aws[0].default_tags as Block[])[0].tags ??
        {}) as Block;
      expect(tags).toMatchObject({ App: "bookstore", Environment: config.name });
    });
  }

  it("chains every security group edge the design asks for", () => {
    const stack = synth.foundation;
    const edges = ofType(stack, "aws_vpc_security_group_ingress_rule")
      .filter((r) => r.body.referenced_security_group_id)
      .map(
        (r) =>
          `${tier(groupName(stack, r.body.referenced_security_group_id))} -> ${tier(groupName(stack, r.body.security_group_id))}:${r.body.from_port}`,
      );
    expect(edges.sort()).toEqual([...ALLOWED_INGRESS].sort());
  });

  it("lets the instances read exactly the app, migrator and session secrets, never the master's", () => {
    const doc = dataSources(synth.app).find(
      (d) => d.type === "aws_iam_policy_document" && d.name.includes("app-access"),
    )!;
    const statements = list<Block>(doc.body.statement);
    const read = statements.find((st) => st.sid === "ReadAppSecrets")!;
    expect(list<string>(read.resources).sort()).toEqual(
      [
        "${data.terraform_remote_state.foundation.outputs.db_app_secret_arn}",
        "${data.terraform_remote_state.foundation.outputs.db_migrator_secret_arn}",
        "${data.terraform_remote_state.foundation.outputs.session_secret_arn}",
      ].sort(),
    );
    // With mail, one more statement: read (only) the SMTP URL's secret, nothing else.
    const smtp = statements.filter((st) => st.sid === "ReadSmtpUrlSecret");
    expect(smtp).toEqual(
      config.mail
        ? [
            {
              sid: "ReadSmtpUrlSecret",
              effect: "Allow",
              actions: ["secretsmanager:GetSecretValue"],
              resources: ["${data.terraform_remote_state.foundation.outputs.smtp_url_secret_arn}"],
            },
          ]
        : [],
    );
    const secretStatements = statements.filter((st) =>
      list<string>(st.actions).some((a) => a.startsWith("secretsmanager:")),
    );
    expect(secretStatements).toHaveLength(config.mail ? 2 : 1);
    const everything =
      JSON.stringify(synth.app.json.data) + JSON.stringify(synth.app.json.resource);
    expect(everything).not.toContain("db_master_secret_arn");
  });

  it("puts a WAF in front of the ALB exactly when waf.enabled", () => {
    expect(ofType(synth.app, "aws_wafv2_web_acl")).toHaveLength(config.waf.enabled ? 1 : 0);
    expect(ofType(synth.app, "aws_wafv2_web_acl_association")).toHaveLength(
      config.waf.enabled ? 1 : 0,
    );
  });

  it("raises every alarm the runbook relies on", () => {
    const metrics = ofType(synth.app, "aws_cloudwatch_metric_alarm").map(
      (a) => `${a.body.namespace}/${a.body.metric_name}`,
    );
    expect(metrics.sort()).toEqual([
      "AWS/ApplicationELB/HTTPCode_ELB_5XX_Count",
      "AWS/ApplicationELB/HTTPCode_Target_5XX_Count",
      "AWS/ApplicationELB/TargetResponseTime",
      "AWS/ApplicationELB/UnHealthyHostCount",
      "AWS/AutoScaling/GroupInServiceInstances",
      "AWS/RDS/CPUUtilization",
      "AWS/RDS/DatabaseConnections",
      "AWS/RDS/FreeStorageSpace",
    ]);
    const p95 = ofType(synth.app, "aws_cloudwatch_metric_alarm").find(
      (a) => a.body.metric_name === "TargetResponseTime",
    )!;
    expect(p95.body.extended_statistic).toBe("p95");
  });
});

describe("the policy catches violations", () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthEnvironment(environments.staging, { amiId: PLAN_AMI });
  });
  afterAll(() => synth.cleanup());

  it("flags SSH from the internet and an unreferenced resource", () => {
    const stack = structuredClone(synth.foundation);
    const rules_ = stack.json.resource!.aws_vpc_security_group_ingress_rule;
    const [name, rule] = Object.entries(rules_).find(([, r]) => r.from_port === 443)!;
    rules_[`${name}-ssh`] = { ...rule, from_port: 22, to_port: 22, description: "ssh" };
    const entry = resources(stack).find((r) => r.name === `${name}-ssh`)!;
    expect(rules.aws_vpc_security_group_ingress_rule(entry, stack, environments.staging)).toEqual(
      expect.arrayContaining([
        "no SSH: use SSM Session Manager",
        "internet ingress only to the ALB on 80/443, not alb:22",
      ]),
    );
    (stack.json.resource!.aws_db_instance as Record<string, Block>)[
      Object.keys(stack.json.resource!.aws_db_instance)[0]
    ].vpc_security_group_ids = ["${aws_security_group.nope.id}"];
    expect(unresolvedReferences(stack)).toEqual(["aws_security_group.nope"]);
  });

  /** The single resource of `type` in a copy of `stack`, for mutation. */
  const mutable = (stack: StackJson, type: string) => {
    const copy = structuredClone(stack);
    const entry = resources(copy).find((r) => r.type === type)!;
    return { copy, entry, body: entry.body };
  };

  it("flags an old engine, a reusable final snapshot name, missing Performance Insights and a destroyable database", () => {
    const { copy, entry, body } = mutable(synth.foundation, "aws_db_instance");
    Object.assign(body, {
      engine_version: "8.0",
      instance_class: "db.t4g.medium",
      performance_insights_enabled: false,
      final_snapshot_identifier: "bookstore-staging-final",
      lifecycle: {},
    });
    expect(rules.aws_db_instance(entry, copy, environments.staging)).toEqual(
      expect.arrayContaining([
        "MySQL 8.4",
        "Performance Insights on: db.t4g.medium supports it",
        expect.stringMatching(/^the final snapshot's name carries the creation time/),
        "lifecycle.prevent_destroy (no plan may destroy it)",
      ]),
    );
    body.instance_class = "db.t4g.micro";
    body.performance_insights_enabled = true;
    expect(rules.aws_db_instance(entry, copy, environments.staging)).toContain(
      "Performance Insights off: db.t4g.micro does not support it",
    );
  });

  it("flags a destroyable secret or file system and TLS not required", () => {
    for (const type of ["aws_secretsmanager_secret", "aws_efs_file_system"]) {
      const { copy, entry, body } = mutable(synth.foundation, type);
      delete body.lifecycle;
      expect(rules[type](entry, copy, environments.staging), type).toContain(
        "lifecycle.prevent_destroy (no plan may destroy it)",
      );
    }
    const { copy, entry, body } = mutable(synth.foundation, "aws_db_parameter_group");
    body.parameter = list<Block>(body.parameter).filter(
      (p) => p.name !== "require_secure_transport",
    );
    expect(rules.aws_db_parameter_group(entry, copy, environments.staging)).toContain(
      "encryption in transit: require_secure_transport must be 1",
    );
  });

  it("flags production without mail, mail half wired, and an SMTP URL in user data", () => {
    const lt = ofType(synth.app, "aws_launch_template")[0];
    const production = { ...environments.staging, name: "production", mail: undefined };
    expect(rules.aws_launch_template(lt, synth.app, production)).toEqual([
      "production sends mail: SMTP secret and PUBLIC_URL wired (set mail in its config)",
      "no mail settings without mail in the config",
    ]);
    const otherSender = {
      ...environments.staging,
      mail: { from: "Someone Else <x@elsewhere.example>" },
    };
    expect(rules.aws_launch_template(lt, synth.app, otherSender)).toEqual([
      "mail: SMTP secret and PUBLIC_URL wired",
    ]);
    const leaky = structuredClone(lt);
    leaky.body.user_data = String(leaky.body.user_data).replace(
      "LOG_LEVEL=info",
      "LOG_LEVEL=info\\nSMTP_URL=smtps://AKIA:pw@email-smtp.us-east-1.amazonaws.com:465",
    );
    expect(rules.aws_launch_template(leaky, synth.app, environments.staging)).toContain(
      "user data holds no secrets",
    );
    const egress = ofType(synth.foundation, "aws_vpc_security_group_egress_rule").find(
      (r) => r.body.from_port === 465,
    )!;
    expect(
      rules.aws_vpc_security_group_egress_rule(egress, synth.foundation, {
        ...environments.staging,
        mail: undefined,
      }),
    ).toEqual(["internet egress only from the app, on 443 (and SMTPS 465 when it sends mail)"]);
  });

  it("flags the master secret in an instance policy", () => {
    const doc = structuredClone(
      dataSources(synth.app).find((d) => d.type === "aws_iam_policy_document")!,
    );
    doc.body.statement = [
      {
        sid: "ReadAppSecrets",
        effect: "Allow",
        actions: ["secretsmanager:GetSecretValue"],
        resources: ["${data.terraform_remote_state.foundation.outputs.db_master_secret_arn}"],
      },
    ];
    expect(dataRules.aws_iam_policy_document(doc, synth.app, environments.staging)).toEqual([
      "statement ReadAppSecrets: the RDS master user's secret is break-glass only",
    ]);
  });

  it("flags a CPU target above a burstable type's baseline and a blown connection budget", () => {
    const { copy, entry } = mutable(synth.app, "aws_autoscaling_policy");
    const cpu = ofType(copy, "aws_autoscaling_policy").find(
      (p) =>
        ((p.body.target_tracking_configuration as Block).predefined_metric_specification as Block)
          .predefined_metric_type === "ASGAverageCPUUtilization",
    )!;
    (cpu.body.target_tracking_configuration as Block).target_value = 60;
    expect(rules.aws_autoscaling_policy(cpu, copy, environments.staging)).toEqual([
      "CPU target 60 % must be below t3.small's 20 % baseline (burstable)",
    ]);
    expect(entry).toBeDefined();

    const lt = ofType(synth.app, "aws_launch_template")[0];
    // The same instances (2 workers × 3 connections) in a fleet of up to 20.
    const wide = { ...environments.staging, app: { ...environments.staging.app, maxSize: 20 } };
    expect(rules.aws_launch_template(lt, synth.app, wide)).toEqual([
      expect.stringMatching(/^connection budget: app\.maxSize 20 × 2 .* = 240 connections at peak/),
    ]);
    const greedy = { ...environments.staging, app: { ...environments.staging.app, dbPoolMax: 10 } };
    expect(rules.aws_launch_template(lt, synth.app, greedy)).toEqual([
      "user data sets WEB_CONCURRENCY and DB_POOL_MAX from the config",
    ]);
    const alarm = ofType(synth.app, "aws_cloudwatch_metric_alarm").find(
      (a) => a.body.metric_name === "DatabaseConnections",
    )!;
    expect(
      rules.aws_cloudwatch_metric_alarm(
        { ...alarm, body: { ...alarm.body, threshold: 100 } },
        synth.app,
        environments.staging,
      ),
    ).toEqual([expect.stringMatching(/^rds-connections alarms above the budgeted peak 48/)]);
  });
});

describe("the WAF policy catches violations", () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthEnvironment(environments.production, { amiId: PLAN_AMI });
  });
  afterAll(() => synth.cleanup());

  it("flags a missing sign-in limit, a missing managed group, metrics off and no association", () => {
    const copy = structuredClone(synth.app);
    const acl = resources(copy).find((r) => r.type === "aws_wafv2_web_acl")!;
    acl.body.rule = wafRules(acl.body).filter(
      (rule) =>
        !statementOf(rule).rate_based_statement ||
        !(statementOf(rule).rate_based_statement as Block).scope_down_statement,
    );
    acl.body.rule = wafRules(acl.body).filter(
      (rule) =>
        (statementOf(rule).managed_rule_group_statement as Block)?.name !==
        "AWSManagedRulesKnownBadInputsRuleSet",
    );
    (acl.body.visibility_config as Block).cloudwatch_metrics_enabled = false;
    delete copy.json.resource!.aws_wafv2_web_acl_association;
    expect(rules.aws_wafv2_web_acl(acl, copy, environments.production)).toEqual([
      "CloudWatch metrics on the web ACL and every rule",
      "managed rule group AWSManagedRulesKnownBadInputsRuleSet, with its own actions",
      "a tighter rate-based rule on POSTs to the sign-in paths",
      "associated with the load balancer",
    ]);
    const lb = resources(copy).find((r) => r.type === "aws_lb")!;
    expect(rules.aws_lb(lb, copy, environments.production)).toContain(
      "waf.enabled: the ALB is associated with the web ACL",
    );
  });
});
