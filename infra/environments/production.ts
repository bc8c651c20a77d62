import type { EnvironmentConfig } from "../config.js";

/**
 * Production: three AZs, a NAT gateway per AZ, Multi-AZ RDS, WAF, state in S3.
 * Replace the example domain, zone, e-mail addresses and state bucket with your own.
 *
 * Instances are non-burstable (c6i.large, 2 vCPU): scaling on CPU at 55 % would
 * be far above a t3's 20 % baseline. Connections at peak (a refresh at maxSize):
 * 8 × 2 × 2 workers × 5 = 160 of db.t4g.medium's 341 (lib/connection-budget.ts).
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
    instanceType: "c6i.large",
    minSize: 2,
    desiredCapacity: 3,
    maxSize: 8,
    rootVolumeGiB: 20,
    cpuTargetPercent: 55,
    requestsPerTarget: 1000,
    webConcurrency: 2,
    dbPoolMax: 5,
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
    appUsername: "bookstore_app",
    migratorUsername: "bookstore_migrator",
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
  // Password resets and order confirmations over SES SMTP, from a sender on the shop's
  // domain (verify it in SES; put the SMTP URL: docs/operations.md, "Mail").
  mail: { from: "Bookstore <no-reply@shop.example.com>" },
  waf: { enabled: true, requestsPer5MinutesPerIp: 3000, signInPostsPer5MinutesPerIp: 100 },
};
