import { Construct } from "constructs";
import { Fn } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
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
  readonly dbAllocatedStorageGiB: number;
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
    alarm("rds-free-storage", {
      alarmDescription: "Database free storage below 10% of the allocated size",
      namespace: "AWS/RDS",
      metricName: "FreeStorageSpace",
      dimensions: db,
      statistic: "Minimum",
      period: 300,
      evaluationPeriods: 1,
      threshold: Math.round(props.dbAllocatedStorageGiB * 0.1 * 1024 ** 3),
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "missing",
    });
    alarm("rds-connections", {
      alarmDescription: "Unusually many database connections (pool leak or runaway scaling)",
      namespace: "AWS/RDS",
      metricName: "DatabaseConnections",
      dimensions: db,
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 2,
      threshold: 100,
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
