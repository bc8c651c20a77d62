import type { Construct } from "constructs";
import { fileURLToPath } from "node:url";
import {
  AssetType,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  TerraformAsset,
  type TerraformRemoteState,
} from "cdktf";
import type { EnvironmentConfig } from "../config.js";
import {
  dbUserSecretName,
  FOUNDATION_OUTPUTS,
  foundationStackName,
  OPTIONAL_FOUNDATION_OUTPUTS,
  sessionSecretName,
  smtpUrlSecretName,
} from "../lib/naming.js";
import { localStatePath, s3StateKey, type StackOptions } from "./common.js";

/** The foundation values the app stack uses, read from the foundation's state. */
export interface FoundationRef {
  readonly vpcId: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly albSecurityGroupId: string;
  readonly appSecurityGroupId: string;
  readonly dbAddress: string;
  readonly dbEndpoint: string;
  readonly dbName: string;
  readonly dbInstanceIdentifier: string;
  readonly dbMasterSecretArn: string;
  readonly dbAppUsername: string;
  readonly dbAppSecretArn: string;
  readonly dbMigratorSecretArn: string;
  readonly efsFileSystemId: string;
  readonly efsFileSystemArn: string;
  readonly efsAccessPointId: string;
  readonly efsAccessPointArn: string;
  readonly sessionSecretArn: string;
  /** The SMTP URL's secret: only when the environment configures `mail`. */
  readonly smtpUrlSecretArn?: string;
}

/**
 * Placeholder outputs for the offline plan only: there is no foundation state
 * without AWS, so terraform_remote_state falls back to these `defaults`.
 */
export function offlineFoundationOutputs(config: EnvironmentConfig): Record<string, unknown> {
  const account = "000000000000";
  const n = config.availabilityZones.length;
  const ids = (prefix: string, start: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}-0${(start + i).toString(16).padStart(16, "0")}`);
  const o = FOUNDATION_OUTPUTS;
  return {
    [o.vpcId]: "vpc-00000000000000001",
    [o.publicSubnetIds]: ids("subnet", 0x10),
    [o.privateSubnetIds]: ids("subnet", 0x20),
    [o.albSecurityGroupId]: "sg-00000000000000001",
    [o.appSecurityGroupId]: "sg-00000000000000002",
    [o.dbAddress]: `bookstore-${config.name}.offline.${config.region}.rds.amazonaws.com`,
    [o.dbPort]: 3306,
    [o.dbEndpoint]: `bookstore-${config.name}.offline.${config.region}.rds.amazonaws.com:3306`,
    [o.dbName]: config.database.databaseName,
    [o.dbInstanceIdentifier]: `bookstore-${config.name}`,
    [o.dbMasterUsername]: config.database.username,
    [o.dbMasterSecretArn]: `arn:aws:secretsmanager:${config.region}:${account}:secret:rds!db-offline-AbCdEf`,
    [o.dbAppUsername]: config.database.appUsername,
    [o.dbAppSecretArn]: `arn:aws:secretsmanager:${config.region}:${account}:secret:${dbUserSecretName(config.name, "app")}-AbCdEf`,
    [o.dbMigratorUsername]: config.database.migratorUsername,
    [o.dbMigratorSecretArn]: `arn:aws:secretsmanager:${config.region}:${account}:secret:${dbUserSecretName(config.name, "migrator")}-AbCdEf`,
    [o.efsFileSystemId]: "fs-00000000000000001",
    [o.efsFileSystemArn]: `arn:aws:elasticfilesystem:${config.region}:${account}:file-system/fs-00000000000000001`,
    [o.efsAccessPointId]: "fsap-00000000000000001",
    [o.efsAccessPointArn]: `arn:aws:elasticfilesystem:${config.region}:${account}:access-point/fsap-00000000000000001`,
    [o.sessionSecretArn]: `arn:aws:secretsmanager:${config.region}:${account}:secret:${sessionSecretName(config.name)}-AbCdEf`,
    [o.appLogGroupName]: `/bookstore/${config.name}/app`,
    [o.syslogLogGroupName]: `/bookstore/${config.name}/syslog`,
    ...(config.mail
      ? {
          [OPTIONAL_FOUNDATION_OUTPUTS.smtpUrlSecretArn]: `arn:aws:secretsmanager:${config.region}:${account}:secret:${smtpUrlSecretName(config.name)}-AbCdEf`,
        }
      : {}),
  };
}

/** Reads the foundation stack's outputs from wherever its state lives (S3, local, or offline placeholders). */
export function foundationRef(
  scope: Construct,
  config: EnvironmentConfig,
  options: StackOptions,
): FoundationRef {
  const name = foundationStackName(config.name);
  let state: TerraformRemoteState;
  if (options.offline) {
    // An empty state shipped with the synthesized stack: terraform_remote_state
    // fails on a missing file, but takes `defaults` for outputs an existing state lacks.
    const emptyState = new TerraformAsset(scope, "offline-foundation-state", {
      path: fileURLToPath(new URL("../offline/empty-foundation-state.json", import.meta.url)),
      type: AssetType.FILE,
    });
    state = new DataTerraformRemoteStateLocal(scope, "foundation", {
      path: emptyState.path,
      defaults: offlineFoundationOutputs(config),
    });
  } else if (config.stateBackend) {
    state = new DataTerraformRemoteStateS3(scope, "foundation", {
      bucket: config.stateBackend.bucket,
      region: config.stateBackend.region,
      key: s3StateKey(config, name),
    });
  } else {
    state = new DataTerraformRemoteStateLocal(scope, "foundation", { path: localStatePath(name) });
  }
  const o = FOUNDATION_OUTPUTS;
  return {
    vpcId: state.getString(o.vpcId),
    publicSubnetIds: state.getList(o.publicSubnetIds),
    privateSubnetIds: state.getList(o.privateSubnetIds),
    albSecurityGroupId: state.getString(o.albSecurityGroupId),
    appSecurityGroupId: state.getString(o.appSecurityGroupId),
    dbAddress: state.getString(o.dbAddress),
    dbEndpoint: state.getString(o.dbEndpoint),
    dbName: state.getString(o.dbName),
    dbInstanceIdentifier: state.getString(o.dbInstanceIdentifier),
    dbMasterSecretArn: state.getString(o.dbMasterSecretArn),
    dbAppUsername: state.getString(o.dbAppUsername),
    dbAppSecretArn: state.getString(o.dbAppSecretArn),
    dbMigratorSecretArn: state.getString(o.dbMigratorSecretArn),
    efsFileSystemId: state.getString(o.efsFileSystemId),
    efsFileSystemArn: state.getString(o.efsFileSystemArn),
    efsAccessPointId: state.getString(o.efsAccessPointId),
    efsAccessPointArn: state.getString(o.efsAccessPointArn),
    sessionSecretArn: state.getString(o.sessionSecretArn),
    ...(config.mail
      ? { smtpUrlSecretArn: state.getString(OPTIONAL_FOUNDATION_OUTPUTS.smtpUrlSecretArn) }
      : {}),
  };
}
