import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { DatabaseConfig } from "../config.js";
import { performanceInsightsSupported } from "../lib/instance-types.js";
import { MYSQL_PORT } from "../lib/naming.js";
import { assumeRolePolicy } from "../lib/policy.js";

export interface DatabaseProps {
  readonly namePrefix: string;
  readonly config: DatabaseConfig;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly logRetentionDays: number;
}

/** The exported RDS logs; their groups are created here so they get a retention. */
const LOG_EXPORTS = ["error", "slowquery"] as const;

/** The engine: RDS for MySQL 8.4 (LTS), with a parameter group of the same family. */
export const MYSQL_ENGINE_VERSION = "8.4";
export const MYSQL_PARAMETER_FAMILY = "mysql8.4";

/** Performance Insights' free retention (days). */
const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/**
 * RDS MySQL 8.4: private, encrypted, Multi-AZ per config, TLS required, the
 * master password generated and rotated by RDS in Secrets Manager (it never
 * appears in Terraform state or user data; the instances never get it: they
 * connect as the users of DatabaseUsers). Performance Insights wherever the
 * class supports it. Terraform refuses to destroy it (prevent_destroy), and if it
 * is ever deleted a final snapshot is taken under a name no earlier instance used.
 */
export class Database extends Construct {
  readonly address: string;
  readonly port: number;
  readonly endpoint: string;
  readonly identifier: string;
  /** ARN of the RDS-managed secret holding {"username","password"}. */
  readonly masterUserSecretArn: string;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { namePrefix, config } = props;
    const identifier = namePrefix;

    const subnetGroup = new DbSubnetGroup(this, "subnets", {
      name: `${namePrefix}-database`,
      description: "Bookstore database subnets (no internet route)",
      subnetIds: props.subnetIds,
    });

    const parameters = new DbParameterGroup(this, "parameters", {
      name: `${namePrefix}-mysql84`,
      family: MYSQL_PARAMETER_FAMILY,
      description: "Bookstore MySQL 8.4: TLS only, slow query log",
      parameter: [
        // Encryption in transit: clients must use TLS (the image ships the RDS CA bundle;
        // the app sets DB_SSL_CA; db:users also creates the users with REQUIRE SSL).
        { name: "require_secure_transport", value: "1" },
        { name: "slow_query_log", value: "1" },
        { name: "long_query_time", value: "1" },
        { name: "log_output", value: "FILE" }, // required for CloudWatch log exports
      ],
      lifecycle: { createBeforeDestroy: true },
    });

    const logGroups = LOG_EXPORTS.map(
      (log) =>
        new CloudwatchLogGroup(this, `log-${log}`, {
          name: `/aws/rds/instance/${identifier}/${log}`,
          retentionInDays: props.logRetentionDays,
        }),
    );

    const monitoringRole = new IamRole(this, "monitoring-role", {
      name: `${namePrefix}-rds-monitoring`,
      description: "Lets RDS Enhanced Monitoring publish OS metrics",
      assumeRolePolicy: assumeRolePolicy("monitoring.rds.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "monitoring-policy", {
      role: monitoringRole.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    });

    const performanceInsights = performanceInsightsSupported(config.instanceClass);
    const db = new DbInstance(this, "instance", {
      identifier,
      engine: "mysql",
      engineVersion: MYSQL_ENGINE_VERSION,
      autoMinorVersionUpgrade: true,
      instanceClass: config.instanceClass,
      allocatedStorage: config.allocatedStorageGiB,
      maxAllocatedStorage: config.maxAllocatedStorageGiB,
      storageType: "gp3",
      storageEncrypted: true, // encryption at rest (AWS-managed aws/rds key)
      multiAz: config.multiAz,
      dbName: config.databaseName,
      username: config.username,
      manageMasterUserPassword: true, // the password lives in Secrets Manager, rotated by RDS
      port: MYSQL_PORT,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [props.securityGroupId],
      publiclyAccessible: false,
      parameterGroupName: parameters.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      backupRetentionPeriod: config.backupRetentionDays,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      copyTagsToSnapshot: true,
      deletionProtection: config.deletionProtection,
      // Backups: a final snapshot if the instance is ever deleted, named with the time the
      // instance was created (fixed at apply by ignore_changes below), so it can never
      // collide with the final snapshot of an earlier instance of the same name.
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final-${Fn.formatdate("YYYYMMDDhhmmss", Fn.timestamp())}`,
      enabledCloudwatchLogsExports: [...LOG_EXPORTS],
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.arn,
      // Observability: Performance Insights where RDS offers it (not the smallest burstable
      // classes, lib/instance-types.ts); 7 days is the free retention, AWS-managed key.
      performanceInsightsEnabled: performanceInsights,
      performanceInsightsRetentionPeriod: performanceInsights
        ? PERFORMANCE_INSIGHTS_RETENTION_DAYS
        : undefined,
      applyImmediately: false,
      tags: { Name: identifier },
      dependsOn: logGroups,
      lifecycle: {
        // Data durability: no plan may destroy the database (deletion_protection guards the API).
        preventDestroy: true,
        ignoreChanges: ["final_snapshot_identifier"],
      },
    });

    this.address = db.address;
    this.port = MYSQL_PORT;
    this.endpoint = db.endpoint;
    this.identifier = db.identifier;
    this.masterUserSecretArn = db.masterUserSecret.get(0).secretArn;
  }
}
