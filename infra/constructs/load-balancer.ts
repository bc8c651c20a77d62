import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { APP_PORT, HEALTH_CHECK_PATH } from "../lib/naming.js";
import type { AccessLogsBucket } from "./access-logs-bucket.js";

/** TLS 1.3 with TLS 1.2 fallback for older clients; no TLS 1.0/1.1. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly deletionProtection: boolean;
  readonly accessLogs: AccessLogsBucket;
  readonly accessLogsPrefix: string;
  /** Undefined only in dev mode: then port 80 forwards instead of redirecting. */
  readonly certificateArn?: string;
}

/**
 * Internet-facing ALB: HTTPS on 443 (TLS 1.3 policy) forwarding to the app's
 * target group, HTTP on 80 answering 301 to HTTPS.
 */
export class LoadBalancer extends Construct {
  readonly arn: string;
  readonly arnSuffix: string;
  readonly dnsName: string;
  readonly zoneId: string;
  readonly targetGroupArn: string;
  readonly targetGroupArnSuffix: string;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const lb = new Lb(this, "alb", {
      name: `${props.namePrefix}-alb`.slice(0, 32),
      internal: false,
      loadBalancerType: "application",
      securityGroups: [props.securityGroupId],
      subnets: props.subnetIds,
      dropInvalidHeaderFields: true, // request smuggling hardening
      enableDeletionProtection: props.deletionProtection,
      idleTimeout: 60,
      accessLogs: {
        bucket: props.accessLogs.bucketName,
        prefix: props.accessLogsPrefix,
        enabled: true,
      },
      dependsOn: [props.accessLogs.policy],
    });

    const targets = new LbTargetGroup(this, "app", {
      name: `${props.namePrefix}-app`.slice(0, 32),
      port: APP_PORT,
      protocol: "HTTP",
      targetType: "instance",
      vpcId: props.vpcId,
      deregistrationDelay: "30", // in-flight requests finish well within the app's SIGTERM grace period
      healthCheck: {
        enabled: true,
        path: HEALTH_CHECK_PATH,
        port: "traffic-port",
        protocol: "HTTP",
        matcher: "200",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      lifecycle: { createBeforeDestroy: true },
    });

    if (props.certificateArn !== undefined) {
      new LbListener(this, "https", {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: [{ type: "forward", targetGroupArn: targets.arn }],
      });
      new LbListener(this, "http-redirect", {
        loadBalancerArn: lb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [
          {
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
          },
        ],
      });
    } else {
      // Dev mode only (devModeHttpOnly): plain HTTP straight to the app.
      new LbListener(this, "http-dev-only", {
        loadBalancerArn: lb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "forward", targetGroupArn: targets.arn }],
      });
    }

    this.arn = lb.arn;
    this.arnSuffix = lb.arnSuffix;
    this.dnsName = lb.dnsName;
    this.zoneId = lb.zoneId;
    this.targetGroupArn = targets.arn;
    this.targetGroupArnSuffix = targets.arnSuffix;
  }
}
