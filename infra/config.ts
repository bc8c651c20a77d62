/**
 * Typed configuration for one deployment environment.
 *
 * Every environment is a plain object in `environments/<name>.ts`; nothing in
 * the stacks or constructs is environment-specific. `validateConfig` checks the
 * whole object and reports every problem at once, each message starting with
 * the path of the offending field (`app.minSize: ...`), so a bad edit stops
 * synth with an actionable error instead of a half-built plan.
 */

import { connectionBudget } from "./lib/connection-budget.js";
import {
  baselineCpuPercent,
  EC2_INSTANCE_TYPES,
  ec2InstanceType,
  RDS_INSTANCE_CLASSES,
  rdsInstanceClass,
} from "./lib/instance-types.js";

/** How the AMI for the launch template is chosen. */
export type AmiSource =
  /** An explicit id, e.g. from packer/manifest.json. Required for the offline plan. */
  | { readonly source: "id"; readonly id: string }
  /**
   * The newest AMI owned by this account tagged App=bookstore by the image
   * build. Resolved by a data source at plan time, so it needs AWS credentials.
   */
  | { readonly source: "latest-tagged" };

export interface AppFleetConfig {
  /**
   * EC2 instance type, one of lib/instance-types.ts (x86_64, like the image). A
   * burstable (T) type needs cpuTargetPercent below its baseline.
   */
  readonly instanceType: string;
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly maxSize: number;
  /** Root volume size (gp3, encrypted). */
  readonly rootVolumeGiB: number;
  /**
   * Target-tracking goal for average CPU across the group. On a burstable type it
   * must be below the type's baseline, or the fleet runs on credits (T3 "unlimited":
   * surplus charges) instead of scaling out.
   */
  readonly cpuTargetPercent: number;
  /** Target-tracking goal for ALB requests per target (per minute). */
  readonly requestsPerTarget: number;
  /** Worker processes per instance (WEB_CONCURRENCY), at most the type's vCPUs. */
  readonly webConcurrency: number;
  /**
   * Connections per worker's pool (DB_POOL_MAX). With maxSize and webConcurrency it
   * must fit the database's connection budget (lib/connection-budget.ts).
   */
  readonly dbPoolMax: number;
}

export interface DatabaseConfig {
  /**
   * RDS instance class, one of lib/instance-types.ts; it sets max_connections
   * (the connection budget) and whether Performance Insights is on.
   */
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  /** Storage autoscaling ceiling; equal to allocatedStorageGiB disables autoscaling. */
  readonly maxAllocatedStorageGiB: number;
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
  /** Automated backup retention (7–35 days). */
  readonly backupRetentionDays: number;
  /** Schema name created with the instance (DB_NAME). */
  readonly databaseName: string;
  /**
   * Master user name; its password is managed by RDS in Secrets Manager. Break-glass
   * and `db:users` only: the app never connects as the master user.
   */
  readonly username: string;
  /** The app's user (DB_USER): SELECT, INSERT, UPDATE, DELETE on the schema, nothing else. */
  readonly appUsername: string;
  /** The user `cli.js migrate` runs as: DDL and DML on the schema. */
  readonly migratorUsername: string;
}

/** AWS WAF on the load balancer (docs/decisions/034-waf-on-the-load-balancer.md). */
export interface WafConfig {
  /** A web ACL on the ALB: managed rule groups plus the two rate-based rules below. */
  readonly enabled: boolean;
  /** Requests one client IP may send in 5 minutes, any path. */
  readonly requestsPer5MinutesPerIp: number;
  /** POSTs one client IP may send to /login, /join, /forgot-password, /reset-password in 5 minutes. */
  readonly signInPostsPer5MinutesPerIp: number;
}

/**
 * Outgoing mail (password resets, order confirmations) through Amazon SES's SMTP
 * interface (docs/decisions/045-production-mail.md). Needs domainName: links in
 * e-mails point at https://<domainName> (PUBLIC_URL).
 */
export interface MailConfig {
  /**
   * The sender (MAIL_FROM): "Name <address>" or a bare address, on a domain
   * verified in SES. Letters, digits, spaces and . & _ - in the name only.
   */
  readonly from: string;
}

export interface StateBackendConfig {
  /** Existing S3 bucket that holds Terraform state (versioned, encrypted). */
  readonly bucket: string;
  readonly region: string;
  /** Prefix for the state keys; the stack name is appended. */
  readonly keyPrefix: string;
}

export interface EnvironmentConfig {
  /** Environment name: lower-case, used in resource names and log groups. */
  readonly name: string;
  readonly region: string;
  /** Explicit AZ list (at least two), so no data source has to ask AWS. */
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  /** One NAT gateway for the whole VPC (cheaper) or one per AZ (survives an AZ outage). */
  readonly natGateways: "single" | "one-per-az";
  /** Public host name of the shop, e.g. shop.example.com. Optional. */
  readonly domainName?: string;
  /** Route 53 hosted zone for domainName: enables the ACM DNS validation and the alias record. */
  readonly hostedZoneId?: string;
  /** An ACM certificate imported or issued elsewhere, used when there is no hosted zone. */
  readonly certificateArn?: string;
  /**
   * Development only: no certificate at all, the ALB serves plain HTTP on port 80.
   * Never for an environment with real users.
   */
  readonly devModeHttpOnly?: boolean;
  readonly app: AppFleetConfig;
  readonly database: DatabaseConfig;
  readonly ami: AmiSource;
  /** Where CloudWatch alarms are sent (SNS e-mail subscription; confirm the e-mail once). */
  readonly alarmEmail: string;
  /** Retention for every CloudWatch log group this environment creates. */
  readonly logRetentionDays: number;
  /** ALB deletion protection (turn off only to tear an environment down). */
  readonly loadBalancerDeletionProtection: boolean;
  /** Days to keep ALB access logs in S3. */
  readonly accessLogRetentionDays: number;
  /** S3 state backend with a lock file; local state when absent. */
  readonly stateBackend?: StateBackendConfig;
  readonly waf: WafConfig;
  /**
   * Mail over SES SMTP: a Secrets Manager secret for the SMTP URL (its value put by
   * operations), the instances' right to read it, SMTPS egress and MAIL_FROM and
   * PUBLIC_URL in user data. Without it every message goes to the instance's outbox folder.
   */
  readonly mail?: MailConfig;
}

/** Thrown when a configuration is invalid; `problems` lists every finding. */
export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid infrastructure config for environment "${environment}":\n  - ${problems.join("\n  - ")}`,
    );
    this.name = "ConfigError";
  }
}

/** CloudWatch Logs accepts only these retention values. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const AMI_ID = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const DB_INSTANCE_CLASS = /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/**
 * MAIL_FROM: a bare address or "Name <address>". Nothing a systemd environment
 * file or Fn.base64encode could misread (no quotes, backslashes, $ or line breaks).
 */
const MAIL_FROM =
  /^(?:[A-Za-z0-9][A-Za-z0-9 .&_-]* <[A-Za-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,63}>|[A-Za-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,63})$/;
const ENV_NAME = /^[a-z][a-z0-9-]{1,20}$/;
const MYSQL_IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;
/** MySQL 8 user names: up to 32 characters (the RDS master user: up to 16). */
const MYSQL_USER = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const RESERVED_MYSQL_USERS = ["admin", "root", "rdsadmin", "rdsrepladmin", "mysql.sys"];
/** AWS WAF's range for a rate-based rule's limit. */
const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 };
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses "a.b.c.d/n"; returns undefined when malformed. */
export function parseCidr(cidr: string): { address: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & mask) >>> 0 !== address) return undefined; // host bits set: not a network address
  return { address, prefix };
}

function isInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

/**
 * Checks an environment config and returns it unchanged, or throws a
 * ConfigError listing every problem, each prefixed with the field's path.
 */
export function validateConfig(config: EnvironmentConfig): EnvironmentConfig {
  const problems: string[] = [];
  const problem = (field: string, message: string) => problems.push(`${field}: ${message}`);

  if (!ENV_NAME.test(config.name ?? "")) {
    problem(
      "name",
      `"${config.name}" must be 2-21 characters of lower-case letters, digits and dashes, starting with a letter`,
    );
  }
  if (!REGION.test(config.region ?? "")) {
    problem("region", `"${config.region}" is not an AWS region name like us-east-1`);
  }

  const azs = config.availabilityZones ?? [];
  if (azs.length < 2) {
    problem(
      "availabilityZones",
      `needs at least 2 availability zones for Multi-AZ RDS and a highly available ALB, got ${azs.length}`,
    );
  }
  if (azs.length > 4) {
    problem(
      "availabilityZones",
      `at most 4 availability zones are supported (the subnet plan reserves 4), got ${azs.length}`,
    );
  }
  if (new Set(azs).size !== azs.length) {
    problem("availabilityZones", "contains duplicates");
  }
  for (const az of azs) {
    if (!az.startsWith(config.region) || !/^[a-z]$/.test(az.slice(config.region.length))) {
      problem(
        "availabilityZones",
        `"${az}" is not a zone of region ${config.region} (expected e.g. ${config.region}a)`,
      );
    }
  }

  const cidr = parseCidr(config.vpcCidr ?? "");
  if (!cidr) {
    problem(
      "vpcCidr",
      `"${config.vpcCidr}" is not a valid IPv4 network in CIDR notation (e.g. 10.20.0.0/16)`,
    );
  } else if (cidr.prefix < 16 || cidr.prefix > 22) {
    problem(
      "vpcCidr",
      `prefix /${cidr.prefix} is out of range: use /16 to /22 (AWS allows /16 at most; smaller than /22 leaves subnets too small)`,
    );
  }

  if (config.natGateways !== "single" && config.natGateways !== "one-per-az") {
    problem("natGateways", `must be "single" or "one-per-az", got "${String(config.natGateways)}"`);
  }

  // Front door: a domain needs a way to get a certificate; no domain needs an
  // imported certificate or the explicit dev mode.
  if (config.domainName !== undefined && !HOSTNAME.test(config.domainName)) {
    problem("domainName", `"${config.domainName}" is not a lower-case DNS host name`);
  }
  if (config.hostedZoneId !== undefined && !ZONE_ID.test(config.hostedZoneId)) {
    problem("hostedZoneId", `"${config.hostedZoneId}" is not a Route 53 hosted zone id (Z...)`);
  }
  if (config.certificateArn !== undefined && !ACM_ARN.test(config.certificateArn)) {
    problem("certificateArn", `"${config.certificateArn}" is not an ACM certificate ARN`);
  }
  if (config.hostedZoneId !== undefined && config.domainName === undefined) {
    problem(
      "hostedZoneId",
      "is set but domainName is not: the zone is only used for the domain's certificate and alias",
    );
  }
  if (config.devModeHttpOnly) {
    if (config.domainName !== undefined || config.certificateArn !== undefined) {
      problem(
        "devModeHttpOnly",
        "cannot be combined with domainName or certificateArn: dev mode serves plain HTTP only",
      );
    }
  } else if (config.domainName !== undefined) {
    if (config.hostedZoneId === undefined && config.certificateArn === undefined) {
      problem(
        "domainName",
        `"${config.domainName}" needs hostedZoneId (ACM DNS validation) or certificateArn (an existing certificate) to serve HTTPS`,
      );
    }
  } else if (config.certificateArn === undefined) {
    problem(
      "certificateArn",
      "is required without domainName (or set devModeHttpOnly: true for a plain-HTTP development environment)",
    );
  }

  const app = config.app;
  const ec2Type = ec2InstanceType(app?.instanceType ?? "");
  if (!INSTANCE_TYPE.test(app?.instanceType ?? "")) {
    problem("app.instanceType", `"${app?.instanceType}" is not an EC2 instance type like t3.small`);
  } else if (!ec2Type) {
    problem(
      "app.instanceType",
      `"${app.instanceType}" is not in infra/lib/instance-types.ts (known: ${Object.keys(EC2_INSTANCE_TYPES).join(", ")}); add it with its vCPUs and, if burstable, its baseline`,
    );
  }
  for (const field of ["minSize", "desiredCapacity", "maxSize"] as const) {
    if (!isInteger(app?.[field]) || app[field] < 0)
      problem(`app.${field}`, `must be a non-negative integer, got ${app?.[field]}`);
  }
  if (isInteger(app?.minSize) && isInteger(app?.maxSize)) {
    if (app.minSize > app.maxSize)
      problem("app.minSize", `(${app.minSize}) must not exceed app.maxSize (${app.maxSize})`);
    if (app.maxSize < 1) problem("app.maxSize", "must be at least 1");
    if (
      isInteger(app.desiredCapacity) &&
      (app.desiredCapacity < app.minSize || app.desiredCapacity > app.maxSize)
    ) {
      problem(
        "app.desiredCapacity",
        `(${app.desiredCapacity}) must be between app.minSize (${app.minSize}) and app.maxSize (${app.maxSize})`,
      );
    }
  }
  if (!isInteger(app?.rootVolumeGiB) || app.rootVolumeGiB < 8 || app.rootVolumeGiB > 1024) {
    problem(
      "app.rootVolumeGiB",
      `must be an integer between 8 and 1024, got ${app?.rootVolumeGiB}`,
    );
  }
  if (!(app?.cpuTargetPercent > 10 && app.cpuTargetPercent < 95)) {
    problem("app.cpuTargetPercent", `must be between 10 and 95, got ${app?.cpuTargetPercent}`);
  } else if (ec2Type) {
    // Burstable types: scaling on CPU above the baseline means running on credits
    // (T3 "unlimited" bills the surplus) instead of adding instances.
    const baseline = baselineCpuPercent(ec2Type);
    if (baseline !== undefined && !(app.cpuTargetPercent < baseline)) {
      problem(
        "app.cpuTargetPercent",
        `(${app.cpuTargetPercent}) must be below the ${baseline} % CPU baseline of the burstable ${app.instanceType}, or use a non-burstable instance type`,
      );
    }
  }
  if (!isInteger(app?.requestsPerTarget) || app.requestsPerTarget < 1) {
    problem("app.requestsPerTarget", `must be a positive integer, got ${app?.requestsPerTarget}`);
  }
  if (!isInteger(app?.webConcurrency) || app.webConcurrency < 1) {
    problem("app.webConcurrency", `must be a positive integer, got ${app?.webConcurrency}`);
  } else if (ec2Type && app.webConcurrency > ec2Type.vcpus) {
    problem(
      "app.webConcurrency",
      `(${app.webConcurrency}) must not exceed the ${ec2Type.vcpus} vCPUs of ${app.instanceType}`,
    );
  }
  // The app's own bounds for DB_POOL_MAX (app/lib/config.server.ts).
  if (!isInteger(app?.dbPoolMax) || app.dbPoolMax < 1 || app.dbPoolMax > 100) {
    problem("app.dbPoolMax", `must be an integer between 1 and 100, got ${app?.dbPoolMax}`);
  }

  const db = config.database;
  if (!DB_INSTANCE_CLASS.test(db?.instanceClass ?? "")) {
    problem(
      "database.instanceClass",
      `"${db?.instanceClass}" is not an RDS instance class like db.t4g.micro`,
    );
  } else if (!rdsInstanceClass(db.instanceClass)) {
    problem(
      "database.instanceClass",
      `"${db.instanceClass}" is not in infra/lib/instance-types.ts (known: ${Object.keys(RDS_INSTANCE_CLASSES).join(", ")}); add it with its memory and Performance Insights support`,
    );
  }
  if (
    !isInteger(db?.allocatedStorageGiB) ||
    db.allocatedStorageGiB < 20 ||
    db.allocatedStorageGiB > 65536
  ) {
    problem(
      "database.allocatedStorageGiB",
      `must be an integer between 20 and 65536, got ${db?.allocatedStorageGiB}`,
    );
  }
  if (
    !isInteger(db?.maxAllocatedStorageGiB) ||
    db.maxAllocatedStorageGiB < (db?.allocatedStorageGiB ?? 0)
  ) {
    problem(
      "database.maxAllocatedStorageGiB",
      `must be an integer not below database.allocatedStorageGiB, got ${db?.maxAllocatedStorageGiB}`,
    );
  }
  if (
    !isInteger(db?.backupRetentionDays) ||
    db.backupRetentionDays < 7 ||
    db.backupRetentionDays > 35
  ) {
    problem(
      "database.backupRetentionDays",
      `must be between 7 and 35 days, got ${db?.backupRetentionDays}`,
    );
  }
  if (!MYSQL_IDENTIFIER.test(db?.databaseName ?? "")) {
    problem(
      "database.databaseName",
      `"${db?.databaseName}" must be 1-16 letters, digits or underscores, starting with a letter`,
    );
  }
  const users = ["username", "appUsername", "migratorUsername"] as const;
  for (const field of users) {
    const [pattern, length] = field === "username" ? [MYSQL_IDENTIFIER, 16] : [MYSQL_USER, 32];
    if (!pattern.test(db?.[field] ?? "") || RESERVED_MYSQL_USERS.includes(db?.[field] ?? "")) {
      problem(
        `database.${field}`,
        `"${db?.[field]}" must be 1-${length} letters, digits or underscores, starting with a letter, not a reserved name`,
      );
    }
  }
  // Three distinct identities: break-glass master, migrator (DDL), app (DML only).
  users.forEach((field, i) => {
    const earlier = users.slice(0, i).find((other) => db?.[other] === db?.[field]);
    if (earlier && db?.[field] !== undefined) {
      problem(`database.${field}`, `must differ from database.${earlier} ("${db[field]}")`);
    }
  });
  if (typeof db?.multiAz !== "boolean") problem("database.multiAz", "must be true or false");
  if (typeof db?.deletionProtection !== "boolean")
    problem("database.deletionProtection", "must be true or false");

  // The connection budget, once its inputs are valid (lib/connection-budget.ts).
  if (
    ec2Type &&
    isInteger(app.maxSize) &&
    isInteger(app.webConcurrency) &&
    isInteger(app.dbPoolMax) &&
    app.webConcurrency >= 1 &&
    app.dbPoolMax >= 1
  ) {
    const budget = connectionBudget(config);
    if (budget && !budget.fits) {
      problem(
        "app.dbPoolMax",
        `connection budget exceeded: ${budget.explanation}; lower app.dbPoolMax, app.webConcurrency or app.maxSize, or choose a larger database.instanceClass (or RDS Proxy, docs/decisions/032-connection-budget.md)`,
      );
    }
  }

  const waf = config.waf;
  if (typeof waf?.enabled !== "boolean") {
    problem("waf.enabled", "must be true or false");
  } else if (waf.enabled) {
    for (const field of ["requestsPer5MinutesPerIp", "signInPostsPer5MinutesPerIp"] as const) {
      if (
        !isInteger(waf[field]) ||
        waf[field] < WAF_RATE_LIMIT.min ||
        waf[field] > WAF_RATE_LIMIT.max
      ) {
        problem(
          `waf.${field}`,
          `must be an integer between ${WAF_RATE_LIMIT.min} and ${WAF_RATE_LIMIT.max} (AWS WAF rate-based rule), got ${waf[field]}`,
        );
      }
    }
    if (!(waf.signInPostsPer5MinutesPerIp < waf.requestsPer5MinutesPerIp)) {
      problem(
        "waf.signInPostsPer5MinutesPerIp",
        `(${waf.signInPostsPer5MinutesPerIp}) must be tighter than waf.requestsPer5MinutesPerIp (${waf.requestsPer5MinutesPerIp})`,
      );
    }
  }

  const ami = config.ami;
  if (ami?.source === "id") {
    if (!AMI_ID.test(ami.id))
      problem("ami.id", `"${ami.id}" is not an AMI id like ami-0123456789abcdef0`);
  } else if (ami?.source !== "latest-tagged") {
    problem("ami", 'must be { source: "id", id } or { source: "latest-tagged" }');
  }

  if (!EMAIL.test(config.alarmEmail ?? "")) {
    problem("alarmEmail", `"${config.alarmEmail}" is not an e-mail address`);
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(config.logRetentionDays)) {
    problem(
      "logRetentionDays",
      `${config.logRetentionDays} is not a CloudWatch retention value (${LOG_RETENTION_DAYS.join(", ")})`,
    );
  }
  if (!isInteger(config.accessLogRetentionDays) || config.accessLogRetentionDays < 1) {
    problem(
      "accessLogRetentionDays",
      `must be a positive integer, got ${config.accessLogRetentionDays}`,
    );
  }
  if (typeof config.loadBalancerDeletionProtection !== "boolean") {
    problem("loadBalancerDeletionProtection", "must be true or false");
  }

  const mail = config.mail;
  if (mail !== undefined) {
    if (!MAIL_FROM.test(mail?.from ?? "")) {
      problem(
        "mail.from",
        `"${mail?.from}" is not a sender like "Bookstore <no-reply@shop.example.com>" or no-reply@shop.example.com`,
      );
    }
    if (config.domainName === undefined) {
      problem(
        "mail",
        "needs domainName: links in e-mails point at https://<domainName> (PUBLIC_URL)",
      );
    }
  }

  const backend = config.stateBackend;
  if (backend !== undefined) {
    if (!S3_BUCKET.test(backend.bucket ?? ""))
      problem("stateBackend.bucket", `"${backend.bucket}" is not an S3 bucket name`);
    if (!REGION.test(backend.region ?? ""))
      problem("stateBackend.region", `"${backend.region}" is not an AWS region name`);
    if (!/^[A-Za-z0-9_./-]*$/.test(backend.keyPrefix ?? ""))
      problem(
        "stateBackend.keyPrefix",
        `"${backend.keyPrefix}" has characters not allowed in a key prefix`,
      );
  }

  if (problems.length > 0) throw new ConfigError(config.name ?? "(unnamed)", problems);
  return config;
}

/** Returns a copy of `config` with the AMI pinned to `amiId` (used by BOOKSTORE_AMI_ID and the offline plan). */
export function withAmiId(config: EnvironmentConfig, amiId: string): EnvironmentConfig {
  return { ...config, ami: { source: "id", id: amiId } };
}

/**
 * The shop's public origin for links in e-mails (PUBLIC_URL), when it has a
 * domain: never taken from a request's Host header in production.
 */
export function publicUrl(config: EnvironmentConfig): string | undefined {
  return config.domainName === undefined ? undefined : `https://${config.domainName}`;
}

/** The HTTPS front door chosen by the config. */
export type FrontDoor =
  | { readonly kind: "acm-dns"; readonly domainName: string; readonly hostedZoneId: string }
  | {
      readonly kind: "imported-certificate";
      readonly certificateArn: string;
      readonly domainName?: string;
      readonly hostedZoneId?: string;
    }
  | { readonly kind: "dev-http-only" };

export function frontDoor(config: EnvironmentConfig): FrontDoor {
  if (config.devModeHttpOnly) return { kind: "dev-http-only" };
  if (config.certificateArn !== undefined) {
    return {
      kind: "imported-certificate",
      certificateArn: config.certificateArn,
      domainName: config.domainName,
      hostedZoneId: config.hostedZoneId,
    };
  }
  if (config.domainName !== undefined && config.hostedZoneId !== undefined) {
    return { kind: "acm-dns", domainName: config.domainName, hostedZoneId: config.hostedZoneId };
  }
  throw new Error(`unreachable: environment ${config.name} was not validated`);
}
