/**
 * Typed configuration for one deployment environment.
 *
 * Every environment is a plain object in `environments/<name>.ts`; nothing in
 * the stacks or constructs is environment-specific. `validateConfig` checks the
 * whole object and reports every problem at once, each message starting with
 * the path of the offending field (`app.minSize: ...`), so a bad edit stops
 * synth with an actionable error instead of a half-built plan.
 */

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
  /** EC2 instance type; its architecture must match the AMI (the image is built for x86_64). */
  readonly instanceType: string;
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly maxSize: number;
  /** Root volume size (gp3, encrypted). */
  readonly rootVolumeGiB: number;
  /** Target-tracking goal for average CPU across the group. */
  readonly cpuTargetPercent: number;
  /** Target-tracking goal for ALB requests per target (per minute). */
  readonly requestsPerTarget: number;
}

export interface DatabaseConfig {
  /** RDS instance class, e.g. db.t4g.micro. */
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
  /** Master user name (DB_USER); its password is managed by RDS in Secrets Manager. */
  readonly username: string;
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
const ENV_NAME = /^[a-z][a-z0-9-]{1,20}$/;
const MYSQL_IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;
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
  if (!INSTANCE_TYPE.test(app?.instanceType ?? "")) {
    problem("app.instanceType", `"${app?.instanceType}" is not an EC2 instance type like t3.small`);
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
  }
  if (!isInteger(app?.requestsPerTarget) || app.requestsPerTarget < 1) {
    problem("app.requestsPerTarget", `must be a positive integer, got ${app?.requestsPerTarget}`);
  }

  const db = config.database;
  if (!DB_INSTANCE_CLASS.test(db?.instanceClass ?? "")) {
    problem(
      "database.instanceClass",
      `"${db?.instanceClass}" is not an RDS instance class like db.t4g.micro`,
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
  if (
    !MYSQL_IDENTIFIER.test(db?.username ?? "") ||
    ["admin", "root", "rdsadmin"].includes(db?.username ?? "")
  ) {
    problem(
      "database.username",
      `"${db?.username}" must be 1-16 letters, digits or underscores, not a reserved name`,
    );
  }
  if (typeof db?.multiAz !== "boolean") problem("database.multiAz", "must be true or false");
  if (typeof db?.deletionProtection !== "boolean")
    problem("database.deletionProtection", "must be true or false");

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
