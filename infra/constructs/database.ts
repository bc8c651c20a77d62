import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { DatabaseConfig } from "../config.js";
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

/**
 * RDS MySQL 8.0: private, encrypted, Multi-AZ per config, TLS required, the
 * master password generated and rotated by RDS in Secrets Manager (it never
 * appears in Terraform state or user data).
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
      name: `${namePrefix}-mysql80`,
      family: "mysql8.0",
      description: "Bookstore MySQL 8.0: TLS only, slow query log",
      parameter: [
        // Clients must use TLS (the image ships the RDS CA bundle; the app sets DB_SSL_CA).
        { name: "require_secure_transport", value: "ON" },
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

    const db = new DbInstance(this, "instance", {
      identifier,
      engine: "mysql",
      engineVersion: "8.0",
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
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      enabledCloudwatchLogsExports: [...LOG_EXPORTS],
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.arn,
      applyImmediately: false,
      tags: { Name: identifier },
      dependsOn: logGroups,
    });

    this.address = db.address;
    this.port = MYSQL_PORT;
    this.endpoint = db.endpoint;
    this.identifier = db.identifier;
    this.masterUserSecretArn = db.masterUserSecret.get(0).secretArn;
  }
}
