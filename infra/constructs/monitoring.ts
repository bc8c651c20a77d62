import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { DatabaseConfig } from "../config.js";
import type { ConnectionBudget } from "../lib/connection-budget.js";
import { METRICS_NAMESPACE } from "../lib/naming.js";

export interface MonitoringProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly alarmEmail: string;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly autoScalingGroupName: string;
  readonly maxInstances: number;
  readonly dbInstanceIdentifier: string;
  /** Storage sizes for the free-storage alarm (see freeStorageAlarm). */
  readonly database: Pick<DatabaseConfig, "allocatedStorageGiB" | "maxAllocatedStorageGiB">;
  /** The fleet's connection budget: its peak is the rds-connections threshold. */
  readonly connectionBudget: ConnectionBudget;
}

const GiB = 1024 ** 3;

/**
 * The free-storage alarm's threshold, following storage autoscaling.
 *
 * Without autoscaling (max = allocated) nothing else acts: alarm at 10 % of the
 * allocated size, early enough to grow the volume by hand.
 *
 * With autoscaling, RDS itself grows the volume when free space stays below 10 %
 * of the *current* allocation for 5 minutes (at most every 6 hours, up to
 * max_allocated_storage). An alarm at that level would page on every normal
 * growth step, and one at a fraction of the maximum would fire while the
 * allocation is still small and autoscaling has plenty of room. So the alarm
 * sits at half of autoscaling's smallest trigger: 5 % of the configured
 * allocation. Free space only gets there when autoscaling did not keep up
 * (growth faster than its 6-hour cooldown) or cannot act any more (the
 * allocation reached max_allocated_storage): exactly when a person must act
 * (raise maxAllocatedStorageGiB, or find what is filling the disk).
 */
export function freeStorageAlarm(database: MonitoringProps["database"]): {
  thresholdBytes: number;
  description: string;
} {
  const { allocatedStorageGiB: allocated, maxAllocatedStorageGiB: max } = database;
  if (max <= allocated) {
    return {
      thresholdBytes: Math.round(allocated * 0.1 * GiB),
      description: `Database free storage below 10 % of its ${allocated} GiB (no storage autoscaling): grow it`,
    };
  }
  return {
    thresholdBytes: Math.round(allocated * 0.05 * GiB),
    description:
      `Database free storage below ${allocated * 0.05} GiB: storage autoscaling (${allocated} → ${max} GiB, ` +
      `acts at 10 % free) did not keep up or reached its maximum; raise database.maxAllocatedStorageGiB`,
  };
}

type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmActions" | "okActions">;

/** Alarms to an SNS topic (e-mail) and one dashboard with the same signals. */
export class Monitoring extends Construct {
  readonly topicArn: string;
  readonly alarmNames: string[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { namePrefix: p } = props;
    // Not KMS-encrypted: CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key.
    const topic = new SnsTopic(this, "alarms", { name: `${p}-alarms` });
    new SnsTopicSubscription(this, "alarm-email", {
      topicArn: topic.arn,
      protocol: "email",
      endpoint: props.alarmEmail,
    });
    this.topicArn = topic.arn;

    const lb = { LoadBalancer: props.loadBalancerArnSuffix };
    const db = { DBInstanceIdentifier: props.dbInstanceIdentifier };
    const alarm = (name: string, spec: AlarmSpec) => {
      const a = new CloudwatchMetricAlarm(this, name, {
        alarmName: `${p}-${name}`,
        alarmActions: [topic.arn],
        okActions: [topic.arn],
        ...spec,
      });
      this.alarmNames.push(a.alarmName);
    };

    // More than 10 server errors in 5 minutes, from the load balancer itself or from the app.
    const serverErrors = (name: string, metricName: string, alarmDescription: string) =>
      alarm(name, {
        alarmDescription,
        namespace: "AWS/ApplicationELB",
        metricName,
        dimensions: lb,
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 10,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    serverErrors(
      "alb-5xx",
      "HTTPCode_ELB_5XX_Count",
      "The load balancer itself answered 5xx (no healthy target, timeouts)",
    );
    serverErrors("target-5xx", "HTTPCode_Target_5XX_Count", "The app answered 5xx");
    alarm("p95-response-time", {
      alarmDescription: "p95 response time above 1.5 s for 10 minutes",
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      dimensions: lb,
      extendedStatistic: "p95",
      period: 300,
      evaluationPeriods: 2,
      threshold: 1.5,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    alarm("unhealthy-hosts", {
      alarmDescription: "At least one instance fails the /healthz check",
      namespace: "AWS/ApplicationELB",
      metricName: "UnHealthyHostCount",
      dimensions: { ...lb, TargetGroup: props.targetGroupArnSuffix },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    alarm("asg-at-max", {
      alarmDescription:
        "The app fleet is at its maximum size: raise app.maxSize or look for the cause",
      namespace: "AWS/AutoScaling",
      metricName: "GroupInServiceInstances",
      dimensions: { AutoScalingGroupName: props.autoScalingGroupName },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 3,
      threshold: props.maxInstances,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    });
    alarm("rds-cpu", {
      alarmDescription: "Database CPU above 80% for 15 minutes",
      namespace: "AWS/RDS",
      metricName: "CPUUtilization",
      dimensions: db,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 3,
      threshold: 80,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "missing",
    });
    const storage = freeStorageAlarm(props.database);
    alarm("rds-free-storage", {
      alarmDescription: storage.description,
      namespace: "AWS/RDS",
      metricName: "FreeStorageSpace",
      dimensions: db,
      statistic: "Minimum",
      period: 300,
      evaluationPeriods: 1,
      threshold: storage.thresholdBytes,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "missing",
    });
    // The connection budget's peak (lib/connection-budget.ts): the fleet cannot open more,
    // even mid-refresh at its maximum size, so more means a leak elsewhere or a wrong budget.
    const budget = props.connectionBudget;
    alarm("rds-connections", {
      alarmDescription:
        `More database connections than the app fleet can open at its peak (${budget.peak}): ` +
        `something else is connecting, or the budget is wrong. ${budget.explanation}`.slice(
          0,
          1024,
        ),
      namespace: "AWS/RDS",
      metricName: "DatabaseConnections",
      dimensions: db,
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 2,
      threshold: budget.peak,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "missing",
    });

    const widget = (title: string, metrics: unknown[][], extra: Record<string, unknown> = {}) => ({
      type: "metric",
      width: 12,
      height: 6,
      properties: {
        title,
        region: props.region,
        view: "timeSeries",
        stat: "Sum",
        period: 60,
        metrics,
        ...extra,
      },
    });
    const asg = ["AutoScalingGroupName", props.autoScalingGroupName];
    new CloudwatchDashboard(this, "dashboard", {
      dashboardName: p,
      dashboardBody: Fn.jsonencode({
        widgets: [
          widget("Requests", [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", props.loadBalancerArnSuffix],
          ]),
          widget("5xx", [
            [
              "AWS/ApplicationELB",
              "HTTPCode_ELB_5XX_Count",
              "LoadBalancer",
              props.loadBalancerArnSuffix,
            ],
            [
              "AWS/ApplicationELB",
              "HTTPCode_Target_5XX_Count",
              "LoadBalancer",
              props.loadBalancerArnSuffix,
            ],
          ]),
          widget(
            "Response time p95 (s)",
            [
              [
                "AWS/ApplicationELB",
                "TargetResponseTime",
                "LoadBalancer",
                props.loadBalancerArnSuffix,
              ],
            ],
            { stat: "p95" },
          ),
          widget("Instances", [["AWS/AutoScaling", "GroupInServiceInstances", ...asg]], {
            stat: "Maximum",
          }),
          widget(
            "App CPU / memory / disk (%)",
            [
              ["AWS/EC2", "CPUUtilization", ...asg],
              [METRICS_NAMESPACE, "mem_used_percent", ...asg],
              [METRICS_NAMESPACE, "disk_used_percent", ...asg],
            ],
            { stat: "Average" },
          ),
          widget(
            "Database CPU (%) and connections",
            [
              ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", props.dbInstanceIdentifier],
              [
                "AWS/RDS",
                "DatabaseConnections",
                "DBInstanceIdentifier",
                props.dbInstanceIdentifier,
              ],
            ],
            { stat: "Average" },
          ),
        ],
      }),
    });
  }
}
