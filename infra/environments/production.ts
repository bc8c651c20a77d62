import type { EnvironmentConfig } from "../config.js";

/**
 * Production: three AZs, a NAT gateway per AZ, Multi-AZ RDS, state in S3.
 * Replace the example domain, zone, e-mail and state bucket with your own.
 */
export const production: EnvironmentConfig = {
  name: "production",
  region: "us-east-1",
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  vpcCidr: "10.20.0.0/16",
  natGateways: "one-per-az",
  domainName: "shop.example.com",
  hostedZoneId: "Z0EXAMPLE0BOOKSTORE",
  app: {
    instanceType: "t3.medium",
    minSize: 2,
    desiredCapacity: 3,
    maxSize: 8,
    rootVolumeGiB: 20,
    cpuTargetPercent: 55,
    requestsPerTarget: 1000,
  },
  database: {
    instanceClass: "db.t4g.medium",
    allocatedStorageGiB: 50,
    maxAllocatedStorageGiB: 200,
    multiAz: true,
    deletionProtection: true,
    backupRetentionDays: 14,
    databaseName: "bookstore",
    username: "bookstore",
  },
  // Newest AMI tagged App=bookstore; pin with BOOKSTORE_AMI_ID=ami-... (see docs/operations.md).
  ami: { source: "latest-tagged" },
  alarmEmail: "ops@example.com",
  logRetentionDays: 90,
  loadBalancerDeletionProtection: true,
  accessLogRetentionDays: 90,
  stateBackend: {
    bucket: "bookstore-terraform-state-example",
    region: "us-east-1",
    keyPrefix: "bookstore",
  },
};
