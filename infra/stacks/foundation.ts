import type { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config.js";
import { Database } from "../constructs/database.js";
import { DatabaseUsers } from "../constructs/database-users.js";
import { LogGroups } from "../constructs/log-groups.js";
import { Network } from "../constructs/network.js";
import { SecurityGroups } from "../constructs/security-groups.js";
import { SessionSecret } from "../constructs/session-secret.js";
import { SharedStorage } from "../constructs/shared-storage.js";
import { SmtpSecret } from "../constructs/smtp-secret.js";
import {
  FOUNDATION_OUTPUTS,
  type FoundationOutputKey,
  foundationStackName,
  OPTIONAL_FOUNDATION_OUTPUTS,
  type OptionalFoundationOutputKey,
  resourcePrefix,
} from "../lib/naming.js";
import { awsProvider, configureBackend, type StackOptions } from "./common.js";

/**
 * Everything that outlives a release: network, security groups, database and
 * the secrets of its app and migrator users, shared storage, log groups, the
 * session secret and, with `mail`, the SMTP URL's secret. Deployed before the
 * image is baked; the app stack reads its outputs.
 */
export class FoundationStack extends TerraformStack {
  constructor(scope: Construct, config: EnvironmentConfig, options: StackOptions = {}) {
    const name = foundationStackName(config.name);
    super(scope, name);
    awsProvider(this, config, name, options);
    configureBackend(this, config, name, options);
    const namePrefix = resourcePrefix(config.name);

    const network = new Network(this, "network", {
      environment: config.name,
      namePrefix,
      vpcCidr: config.vpcCidr,
      availabilityZones: config.availabilityZones,
      natGateways: config.natGateways,
      logRetentionDays: config.logRetentionDays,
    });
    const groups = new SecurityGroups(this, "security-groups", {
      namePrefix,
      vpcId: network.vpcId,
      smtpsEgress: config.mail !== undefined,
    });
    const database = new Database(this, "database", {
      namePrefix,
      config: config.database,
      subnetIds: network.databaseSubnetIds,
      securityGroupId: groups.databaseId,
      logRetentionDays: config.logRetentionDays,
    });
    const storage = new SharedStorage(this, "shared-storage", {
      namePrefix,
      subnetIds: network.privateSubnetIds,
      securityGroupId: groups.efsId,
    });
    const logs = new LogGroups(this, "log-groups", {
      environment: config.name,
      retentionDays: config.logRetentionDays,
    });
    const sessionSecret = new SessionSecret(this, "session-secret", {
      environment: config.name,
      namePrefix,
    });
    const smtpSecret = config.mail
      ? new SmtpSecret(this, "smtp-secret", { environment: config.name })
      : undefined;
    const databaseUsers = new DatabaseUsers(this, "database-users", {
      environment: config.name,
      appUsername: config.database.appUsername,
      migratorUsername: config.database.migratorUsername,
    });

    const values: Record<FoundationOutputKey, string | string[] | number> = {
      vpcId: network.vpcId,
      publicSubnetIds: network.publicSubnetIds,
      privateSubnetIds: network.privateSubnetIds,
      albSecurityGroupId: groups.albId,
      appSecurityGroupId: groups.appId,
      dbAddress: database.address,
      dbPort: database.port,
      dbEndpoint: database.endpoint,
      dbName: config.database.databaseName,
      dbInstanceIdentifier: database.identifier,
      dbMasterUsername: config.database.username,
      dbMasterSecretArn: database.masterUserSecretArn,
      dbAppUsername: config.database.appUsername,
      dbAppSecretArn: databaseUsers.appSecretArn,
      dbMigratorUsername: config.database.migratorUsername,
      dbMigratorSecretArn: databaseUsers.migratorSecretArn,
      efsFileSystemId: storage.fileSystemId,
      efsFileSystemArn: storage.fileSystemArn,
      efsAccessPointId: storage.accessPointId,
      efsAccessPointArn: storage.accessPointArn,
      sessionSecretArn: sessionSecret.arn,
      appLogGroupName: logs.appLogGroupName,
      syslogLogGroupName: logs.syslogLogGroupName,
    };
    const optional: Partial<Record<OptionalFoundationOutputKey, string>> = {
      ...(smtpSecret ? { smtpUrlSecretArn: smtpSecret.arn } : {}),
    };
    const outputNames: Record<string, string> = {
      ...FOUNDATION_OUTPUTS,
      ...OPTIONAL_FOUNDATION_OUTPUTS,
    };
    for (const [key, value] of Object.entries({ ...values, ...optional }) as [
      FoundationOutputKey | OptionalFoundationOutputKey,
      string | string[] | number,
    ][]) {
      const outputName = outputNames[key];
      new TerraformOutput(this, outputName, {
        value,
        description: `foundation: ${key}`,
      }).overrideLogicalId(outputName);
    }
  }
}
