/**
 * What the configs need to know about EC2 instance types and RDS instance
 * classes, as typed tables: vCPUs and memory, whether a type is burstable and
 * its baseline, and whether RDS offers Performance Insights on a class.
 *
 * Only the types an environment uses (and their obvious neighbours) are listed;
 * `validateConfig` refuses anything else, so a new type is a reviewed line here
 * rather than a guess. Sources (checked 2026):
 *  - EC2 burstable baselines: "Key concepts for burstable performance instances"
 *    (docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-credits-baseline-concepts.html);
 *    baseline per vCPU = CPU credits earned per hour / (vCPUs × 60).
 *  - Performance Insights / Database Insights on RDS for MySQL is not supported on
 *    db.t2.micro, db.t2.small, db.t3.micro, db.t3.small, db.t4g.micro and db.t4g.small
 *    (docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.Engines.html).
 *  - RDS for MySQL's default max_connections is {DBInstanceClassMemory/12582880}
 *    (see connection-budget.ts).
 */

export interface BurstableBaseline {
  /** CPU credits earned per hour (one credit = one vCPU at 100 % for one minute). */
  readonly creditsPerHour: number;
}

export interface Ec2InstanceType {
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** Present for burstable (T) types: above the baseline they spend credits (or, unlimited, money). */
  readonly burstable?: BurstableBaseline;
}

/** x86_64 only: the image is built for x86_64 (packer/README.md). */
export const EC2_INSTANCE_TYPES = {
  "t3.micro": { vcpus: 2, memoryGiB: 1, burstable: { creditsPerHour: 12 } }, // baseline 10 %
  "t3.small": { vcpus: 2, memoryGiB: 2, burstable: { creditsPerHour: 24 } }, // baseline 20 %
  "t3.medium": { vcpus: 2, memoryGiB: 4, burstable: { creditsPerHour: 24 } }, // baseline 20 %
  "t3.large": { vcpus: 2, memoryGiB: 8, burstable: { creditsPerHour: 36 } }, // baseline 30 %
  "c6i.large": { vcpus: 2, memoryGiB: 4 },
  "c6i.xlarge": { vcpus: 4, memoryGiB: 8 },
  "m6i.large": { vcpus: 2, memoryGiB: 8 },
  "m6i.xlarge": { vcpus: 4, memoryGiB: 16 },
} as const satisfies Record<string, Ec2InstanceType>;

export type Ec2InstanceTypeName = keyof typeof EC2_INSTANCE_TYPES;

export function ec2InstanceType(name: string): Ec2InstanceType | undefined {
  return (EC2_INSTANCE_TYPES as Record<string, Ec2InstanceType>)[name];
}

/**
 * The CPU utilization (percent of the whole instance) a burstable type can
 * sustain without spending credits; undefined for non-burstable types.
 */
export function baselineCpuPercent(type: Ec2InstanceType): number | undefined {
  if (!type.burstable) return undefined;
  return (type.burstable.creditsPerHour / (type.vcpus * 60)) * 100;
}

export interface RdsInstanceClass {
  readonly vcpus: number;
  /** Nominal memory; RDS's DBInstanceClassMemory is somewhat less (see connection-budget.ts). */
  readonly memoryGiB: number;
  readonly burstable: boolean;
  /** Whether RDS for MySQL offers Performance Insights (Database Insights) on this class. */
  readonly performanceInsights: boolean;
}

export const RDS_INSTANCE_CLASSES = {
  "db.t4g.micro": { vcpus: 2, memoryGiB: 1, burstable: true, performanceInsights: false },
  "db.t4g.small": { vcpus: 2, memoryGiB: 2, burstable: true, performanceInsights: false },
  "db.t4g.medium": { vcpus: 2, memoryGiB: 4, burstable: true, performanceInsights: true },
  "db.t4g.large": { vcpus: 2, memoryGiB: 8, burstable: true, performanceInsights: true },
  "db.m7g.large": { vcpus: 2, memoryGiB: 8, burstable: false, performanceInsights: true },
  "db.m7g.xlarge": { vcpus: 4, memoryGiB: 16, burstable: false, performanceInsights: true },
  "db.r7g.large": { vcpus: 2, memoryGiB: 16, burstable: false, performanceInsights: true },
} as const satisfies Record<string, RdsInstanceClass>;

export type RdsInstanceClassName = keyof typeof RDS_INSTANCE_CLASSES;

export function rdsInstanceClass(name: string): RdsInstanceClass | undefined {
  return (RDS_INSTANCE_CLASSES as Record<string, RdsInstanceClass>)[name];
}

/** The typed Performance Insights rule: on wherever the class supports it. */
export function performanceInsightsSupported(instanceClass: string): boolean {
  return rdsInstanceClass(instanceClass)?.performanceInsights === true;
}
