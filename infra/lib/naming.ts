/** Shared names: the contract with the image and the app lives here, in one place. */

export const APP_PORT = 3000;
export const HEALTH_CHECK_PATH = "/healthz";
export const MYSQL_PORT = 3306;
export const NFS_PORT = 2049;
/** SMTP over implicit TLS (smtps://): the only mail port the app instances may reach. */
export const SMTPS_PORT = 465;
/** uid/gid of the image's `bookstore` system user. */
export const BOOKSTORE_UID = 10001;
export const EFS_ROOT_DIRECTORY = "/bookstore";
export const EFS_MOUNT_POINT = "/mnt/efs";
export const UPLOADS_DIR = "/mnt/efs/uploads";
/** Every release publishes its fingerprinted assets here, so old pages find theirs mid-deploy. */
export const SHARED_ASSETS_DIR = "/mnt/efs/assets";
export const ENV_FILE = "/etc/bookstore/bookstore.env";
export const RDS_CA_BUNDLE = "/etc/bookstore/rds-global-bundle.pem";
export const METRICS_NAMESPACE = "Bookstore";

export const resourcePrefix = (env: string) => `bookstore-${env}`;
export const sessionSecretName = (env: string) => `bookstore/${env}/session-secret`;
/** Holds the SES SMTP URL (SMTP_URL_SECRET_ARN); created empty, its value is put by operations. */
export const smtpUrlSecretName = (env: string) => `bookstore/${env}/smtp-url`;
export const dbUserSecretName = (env: string, role: "app" | "migrator") =>
  `bookstore/${env}/db-${role}`;
export const appLogGroupName = (env: string) => `/bookstore/${env}/app`;
export const syslogLogGroupName = (env: string) => `/bookstore/${env}/syslog`;
export const flowLogGroupName = (env: string) => `/bookstore/${env}/vpc-flow-logs`;
export const foundationStackName = (env: string) => `foundation-${env}`;
export const appStackName = (env: string) => `app-${env}`;

/**
 * Outputs of the foundation stack that the app stack reads through
 * terraform_remote_state. Keys are the Terraform output names.
 */
export const FOUNDATION_OUTPUTS = {
  vpcId: "vpc_id",
  publicSubnetIds: "public_subnet_ids",
  privateSubnetIds: "private_subnet_ids",
  albSecurityGroupId: "alb_security_group_id",
  appSecurityGroupId: "app_security_group_id",
  dbAddress: "db_address",
  dbPort: "db_port",
  dbEndpoint: "db_endpoint",
  dbName: "db_name",
  dbInstanceIdentifier: "db_instance_identifier",
  /** Break-glass only: the RDS-managed master user. Never given to the instances. */
  dbMasterUsername: "db_master_username",
  dbMasterSecretArn: "db_master_secret_arn",
  /** The app's DML-only user and its secret (DATABASE_SECRET_ARN on the instances). */
  dbAppUsername: "db_app_username",
  dbAppSecretArn: "db_app_secret_arn",
  /** The migrator (DDL) and its secret (DATABASE_MIGRATOR_SECRET_ARN on the instances). */
  dbMigratorUsername: "db_migrator_username",
  dbMigratorSecretArn: "db_migrator_secret_arn",
  efsFileSystemId: "efs_file_system_id",
  efsFileSystemArn: "efs_file_system_arn",
  efsAccessPointId: "efs_access_point_id",
  efsAccessPointArn: "efs_access_point_arn",
  sessionSecretArn: "session_secret_arn",
  appLogGroupName: "app_log_group_name",
  syslogLogGroupName: "syslog_log_group_name",
} as const;

export type FoundationOutputKey = keyof typeof FOUNDATION_OUTPUTS;

/**
 * Outputs the foundation stack has only when the environment configures them;
 * the app stack reads each only then. Here: `mail` (the SMTP URL's secret).
 */
export const OPTIONAL_FOUNDATION_OUTPUTS = {
  smtpUrlSecretArn: "smtp_url_secret_arn",
} as const;

export type OptionalFoundationOutputKey = keyof typeof OPTIONAL_FOUNDATION_OUTPUTS;
