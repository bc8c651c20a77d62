import type { EnvironmentConfig } from "../config.js";

/**
 * Staging: the minimal footprint (~$135/month, see docs/operations.md): two
 * AZs, one shared NAT gateway, the smallest instances, an imported certificate
 * instead of a Route 53 zone. State in the same S3 bucket as production (its own
 * keys, same lock file). Still Multi-AZ and still protected, so it behaves like
 * production. WAF is off to keep the footprint minimal; turn it on to try rule
 * changes before production.
 *
 * t3.small is burstable with a 20 % baseline: the CPU target stays below it.
 * Connections at peak: 4 × 2 × 2 workers × 3 = 48 of db.t4g.micro's 85.
 */
export const staging: EnvironmentConfig = {
  name: "staging",
  region: "us-east-1",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  vpcCidr: "10.30.0.0/16",
  natGateways: "single",
  domainName: "staging.shop.example.com",
  certificateArn:
    "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-4000-8000-000000000000",
  app: {
    instanceType: "t3.small",
    minSize: 2,
    desiredCapacity: 2,
    maxSize: 4,
    rootVolumeGiB: 20,
    cpuTargetPercent: 15,
    requestsPerTarget: 1000,
    webConcurrency: 2,
    dbPoolMax: 3,
  },
  database: {
    instanceClass: "db.t4g.micro",
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 50,
    multiAz: true,
    deletionProtection: true,
    backupRetentionDays: 7,
    databaseName: "bookstore",
    username: "bookstore",
    appUsername: "bookstore_app",
    migratorUsername: "bookstore_migrator",
  },
  ami: { source: "latest-tagged" },
  alarmEmail: "ops@example.com",
  logRetentionDays: 30,
  loadBalancerDeletionProtection: true,
  accessLogRetentionDays: 30,
  stateBackend: {
    bucket: "bookstore-terraform-state-example",
    region: "us-east-1",
    keyPrefix: "bookstore",
  },
  // Password resets and order confirmations over SES SMTP, from a sender on the shop's
  // domain (verify it in SES; put the SMTP URL: docs/operations.md, "Mail").
  mail: { from: "Bookstore Staging <no-reply@staging.shop.example.com>" },
  waf: { enabled: false, requestsPer5MinutesPerIp: 3000, signInPostsPer5MinutesPerIp: 100 },
};
