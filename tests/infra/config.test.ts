import { App } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { addEnvironment } from "../../infra/build.js";
import { ConfigError, type EnvironmentConfig, validateConfig } from "../../infra/config.js";
import { environments } from "../../infra/environments/index.js";
import { freeStorageAlarm } from "../../infra/constructs/monitoring.js";
import { cidrSubnet, subnetPlan } from "../../infra/lib/cidr.js";
import { connectionBudget, defaultMaxConnections } from "../../infra/lib/connection-budget.js";
import {
  baselineCpuPercent,
  EC2_INSTANCE_TYPES,
  performanceInsightsSupported,
  RDS_INSTANCE_CLASSES,
} from "../../infra/lib/instance-types.js";

const base = environments.staging;

/** The messages validateConfig gives for `config` (empty when valid). */
function problemsOf(config: EnvironmentConfig): string[] {
  try {
    validateConfig(config);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe("the shipped environments", () => {
  it.each(Object.keys(environments))("%s is valid", (name) => {
    expect(problemsOf(environments[name])).toEqual([]);
  });
});

describe("a bad config stops synth with a message naming the field", () => {
  const cases: [string, Partial<EnvironmentConfig>, RegExp][] = [
    [
      "min above max",
      { app: { ...base.app, minSize: 5, desiredCapacity: 5, maxSize: 3 } },
      /^app\.minSize: \(5\) must not exceed app\.maxSize \(3\)/,
    ],
    [
      "desired outside min..max",
      { app: { ...base.app, desiredCapacity: 9 } },
      /^app\.desiredCapacity: \(9\) must be between/,
    ],
    [
      "a single availability zone",
      { availabilityZones: ["us-east-1a"] },
      /^availabilityZones: needs at least 2 availability zones/,
    ],
    [
      "a zone of another region",
      { availabilityZones: ["us-east-1a", "eu-west-1b"] },
      /^availabilityZones: "eu-west-1b" is not a zone of region us-east-1/,
    ],
    [
      "a domain without zone or certificate",
      { certificateArn: undefined, hostedZoneId: undefined },
      /^domainName: "staging\.shop\.example\.com" needs hostedZoneId .* or certificateArn/,
    ],
    [
      "no domain, no certificate, no dev mode",
      { domainName: undefined, certificateArn: undefined },
      /^certificateArn: is required without domainName .*devModeHttpOnly/,
    ],
    [
      "dev mode with a certificate",
      { devModeHttpOnly: true },
      /^devModeHttpOnly: cannot be combined/,
    ],
    [
      "a malformed CIDR",
      { vpcCidr: "10.0.0.300/16" },
      /^vpcCidr: "10\.0\.0\.300\/16" is not a valid IPv4 network/,
    ],
    [
      "a CIDR with host bits",
      { vpcCidr: "10.0.0.1/16" },
      /^vpcCidr: .* is not a valid IPv4 network/,
    ],
    ["a CIDR too large for AWS", { vpcCidr: "10.0.0.0/8" }, /^vpcCidr: prefix \/8 is out of range/],
    [
      "a short backup retention",
      { database: { ...base.database, backupRetentionDays: 1 } },
      /^database\.backupRetentionDays: must be between 7 and 35 days/,
    ],
    [
      "a malformed AMI id",
      { ami: { source: "id", id: "ami-xyz" } },
      /^ami\.id: "ami-xyz" is not an AMI id/,
    ],
    [
      "an invalid log retention",
      { logRetentionDays: 10 },
      /^logRetentionDays: 10 is not a CloudWatch retention value/,
    ],
    ["a bad alarm e-mail", { alarmEmail: "ops" }, /^alarmEmail: "ops" is not an e-mail address/],
    [
      "a reserved DB user",
      { database: { ...base.database, username: "admin" } },
      /^database\.username: "admin"/,
    ],
    [
      "the app connecting as the master user",
      { database: { ...base.database, appUsername: base.database.username } },
      /^database\.appUsername: must differ from database\.username/,
    ],
    [
      "one user for migrations and the app",
      { database: { ...base.database, migratorUsername: base.database.appUsername } },
      /^database\.migratorUsername: must differ from database\.appUsername/,
    ],
    [
      "a CPU target above a burstable type's baseline",
      { app: { ...base.app, instanceType: "t3.small", cpuTargetPercent: 60 } },
      /^app\.cpuTargetPercent: \(60\) must be below the 20 % CPU baseline of the burstable t3\.small/,
    ],
    [
      "a CPU target at a burstable type's baseline",
      { app: { ...base.app, instanceType: "t3.micro", cpuTargetPercent: 10.5 } },
      /^app\.cpuTargetPercent: \(10\.5\) must be below the 10 % CPU baseline of the burstable t3\.micro/,
    ],
    [
      "an instance type missing from the table",
      { app: { ...base.app, instanceType: "t3.nano" } },
      /^app\.instanceType: "t3\.nano" is not in infra\/lib\/instance-types\.ts/,
    ],
    [
      "a DB class missing from the table",
      { database: { ...base.database, instanceClass: "db.t3.micro" } },
      /^database\.instanceClass: "db\.t3\.micro" is not in infra\/lib\/instance-types\.ts/,
    ],
    [
      "more workers than vCPUs",
      { app: { ...base.app, webConcurrency: 4 } },
      /^app\.webConcurrency: \(4\) must not exceed the 2 vCPUs of t3\.small/,
    ],
    [
      "a pool that breaks the connection budget",
      { app: { ...base.app, dbPoolMax: 10 } },
      /^app\.dbPoolMax: connection budget exceeded: app\.maxSize 4 × 2 \(instance refresh\) × app\.webConcurrency 2 × app\.dbPoolMax 10 = 160 connections at peak; db\.t4g\.micro allows 85 \(max_connections\), 59 of them/,
    ],
    [
      "a fleet that breaks the connection budget",
      { app: { ...base.app, maxSize: 10, desiredCapacity: 2 } },
      /^app\.dbPoolMax: connection budget exceeded: app\.maxSize 10 × 2 .* = 120 connections/,
    ],
    [
      "a sign-in limit no tighter than the general one",
      { waf: { enabled: true, requestsPer5MinutesPerIp: 100, signInPostsPer5MinutesPerIp: 100 } },
      /^waf\.signInPostsPer5MinutesPerIp: \(100\) must be tighter/,
    ],
    [
      "a WAF limit below AWS's minimum",
      { waf: { enabled: true, requestsPer5MinutesPerIp: 1000, signInPostsPer5MinutesPerIp: 5 } },
      /^waf\.signInPostsPer5MinutesPerIp: must be an integer between 10 and/,
    ],
    [
      "a mail sender that is no address",
      { mail: { from: "Bookstore" } },
      /^mail\.from: "Bookstore" is not a sender like/,
    ],
    [
      "a mail sender a systemd environment file would misread",
      { mail: { from: '"Bookstore" <no-reply@staging.shop.example.com>' } },
      /^mail\.from: .* is not a sender like/,
    ],
    [
      "mail without a domain for the links",
      {
        domainName: undefined,
        mail: { from: "no-reply@shop.example.com" },
      },
      /^mail: needs domainName: links in e-mails point at https:\/\/<domainName> \(PUBLIC_URL\)/,
    ],
  ];

  it.each(cases)("%s", (_label, change, message) => {
    const problems = problemsOf({ ...base, ...change });
    expect(
      problems.some((p) => message.test(p)),
      `got: ${problems.join(" | ")}`,
    ).toBe(true);
  });

  it.each([
    "Bookstore <no-reply@shop.example.com>",
    "no-reply@staging.shop.example.com",
    "Shop & Co. <orders+shop@mail.example.com>",
  ])("accepts the mail sender %s", (from) => {
    expect(problemsOf({ ...base, mail: { from } })).toEqual([]);
  });

  it("reports every problem at once and names the environment", () => {
    const error = (() => {
      try {
        validateConfig({ ...base, vpcCidr: "nope", availabilityZones: ["us-east-1a"] });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toContain('environment "staging"');
    expect(error!.problems).toHaveLength(2);
  });

  const outdir = mkdtempSync(join(tmpdir(), "bookstore-infra-config-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("addEnvironment refuses to build stacks from an invalid config", () => {
    const app = new App({ outdir });
    expect(() => addEnvironment(app, { ...base, app: { ...base.app, minSize: 9 } })).toThrow(
      /app\.minSize/,
    );
    expect(app.node.children).toHaveLength(0);
  });

  it("the offline plan needs an explicit AMI id", () => {
    const app = new App({ outdir });
    expect(() =>
      addEnvironment(app, { ...base, ami: { source: "latest-tagged" } }, { offline: true }),
    ).toThrow(/^ami: .*BOOKSTORE_AMI_ID/);
  });
});

describe("the typed instance tables", () => {
  it("derive burstable baselines from the credits each type earns", () => {
    expect(baselineCpuPercent(EC2_INSTANCE_TYPES["t3.micro"])).toBe(10);
    expect(baselineCpuPercent(EC2_INSTANCE_TYPES["t3.small"])).toBe(20);
    expect(baselineCpuPercent(EC2_INSTANCE_TYPES["t3.medium"])).toBe(20);
    expect(baselineCpuPercent(EC2_INSTANCE_TYPES["t3.large"])).toBe(30);
    expect(baselineCpuPercent(EC2_INSTANCE_TYPES["c6i.large"])).toBeUndefined();
  });

  it("compute RDS MySQL's default max_connections from memory", () => {
    expect(defaultMaxConnections(1)).toBe(85);
    expect(defaultMaxConnections(4)).toBe(341);
    expect(defaultMaxConnections(RDS_INSTANCE_CLASSES["db.r7g.large"].memoryGiB)).toBe(1365);
  });

  it("turn Performance Insights off on the smallest burstable classes only", () => {
    expect(performanceInsightsSupported("db.t4g.micro")).toBe(false);
    expect(performanceInsightsSupported("db.t4g.small")).toBe(false);
    expect(performanceInsightsSupported("db.t4g.medium")).toBe(true);
    expect(performanceInsightsSupported("db.m7g.large")).toBe(true);
  });

  it.each(Object.keys(environments))("%s fits its connection budget", (name) => {
    const budget = connectionBudget(environments[name])!;
    expect(budget.fits).toBe(true);
    expect(budget.peak).toBeLessThanOrEqual(Math.floor(budget.maxConnections * 0.7));
  });

  it("sets the free-storage alarm below storage autoscaling's trigger, or at 10 % without it", () => {
    expect(
      freeStorageAlarm({ allocatedStorageGiB: 50, maxAllocatedStorageGiB: 200 }),
    ).toMatchObject({ thresholdBytes: 2.5 * 1024 ** 3 });
    expect(freeStorageAlarm({ allocatedStorageGiB: 50, maxAllocatedStorageGiB: 50 })).toMatchObject(
      {
        thresholdBytes: 5 * 1024 ** 3,
      },
    );
  });
});

describe("the subnet plan", () => {
  it("carves public, private and database subnets per AZ out of the VPC", () => {
    expect(subnetPlan("10.30.0.0/16", 2)).toEqual({
      public: ["10.30.0.0/20", "10.30.16.0/20"],
      private: ["10.30.64.0/20", "10.30.80.0/20"],
      database: ["10.30.128.0/20", "10.30.144.0/20"],
    });
    expect(cidrSubnet("10.0.4.0/22", 4, 15)).toBe("10.0.7.192/26");
  });
});
