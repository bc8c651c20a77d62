import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { APP_PORT, MYSQL_PORT, NFS_PORT, SMTPS_PORT } from "../lib/naming.js";

export interface SecurityGroupsProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  /**
   * The app instances send mail (config `mail`): SMTPS (465) to the internet, for
   * Amazon SES's SMTP endpoint, whose addresses are not fixed. Off: no mail port at all.
   */
  readonly smtpsEgress?: boolean;
}

/**
 * The four security groups, chained by reference rather than by CIDR:
 * internet → ALB (80/443) → app (3000) → MySQL (3306) and NFS (2049).
 * No group opens port 22: instances are reached through SSM Session Manager.
 * Each rule is its own resource with a description (no inline rules).
 */
export class SecurityGroups extends Construct {
  readonly albId: string;
  readonly appId: string;
  readonly databaseId: string;
  readonly efsId: string;

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const group = (name: string, description: string) =>
      new SecurityGroup(this, name, {
        name: `${props.namePrefix}-${name}`,
        description,
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-${name}` },
        lifecycle: { createBeforeDestroy: true },
      });

    const alb = group("alb", "Bookstore load balancer: HTTP and HTTPS from the internet");
    const app = group("app", "Bookstore app instances: app port from the load balancer only");
    const database = group("database", "Bookstore MySQL: 3306 from the app instances only");
    const efs = group("efs", "Bookstore EFS mount targets: NFS from the app instances only");

    const ingress = (
      name: string,
      description: string,
      rule: Omit<ConstructorParameters<typeof VpcSecurityGroupIngressRule>[2], "description">,
    ) => new VpcSecurityGroupIngressRule(this, name, { description, ...rule });
    const egress = (
      name: string,
      description: string,
      rule: Omit<ConstructorParameters<typeof VpcSecurityGroupEgressRule>[2], "description">,
    ) => new VpcSecurityGroupEgressRule(this, name, { description, ...rule });

    // The only internet-facing rules in the whole VPC: the ALB's 80 (redirect) and 443, IPv4 only
    // (the VPC has no IPv6 CIDR).
    for (const port of [80, 443]) {
      ingress(`alb-in-${port}`, `HTTP${port === 443 ? "S" : ""} from the internet`, {
        securityGroupId: alb.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: "0.0.0.0/0",
      });
    }
    egress("alb-out-app", "Forward requests and health checks to the app instances", {
      securityGroupId: alb.id,
      ipProtocol: "tcp",
      fromPort: APP_PORT,
      toPort: APP_PORT,
      referencedSecurityGroupId: app.id,
    });

    ingress("app-in-alb", "App port from the load balancer only", {
      securityGroupId: app.id,
      ipProtocol: "tcp",
      fromPort: APP_PORT,
      toPort: APP_PORT,
      referencedSecurityGroupId: alb.id,
    });
    egress(
      "app-out-https",
      "HTTPS to AWS APIs (SSM, Secrets Manager, CloudWatch, EFS utils) through NAT",
      {
        securityGroupId: app.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      },
    );
    if (props.smtpsEgress) {
      egress("app-out-smtps", "SMTPS (implicit TLS) to Amazon SES's SMTP endpoint through NAT", {
        securityGroupId: app.id,
        ipProtocol: "tcp",
        fromPort: SMTPS_PORT,
        toPort: SMTPS_PORT,
        cidrIpv4: "0.0.0.0/0",
      });
    }
    egress("app-out-mysql", "MySQL to the database", {
      securityGroupId: app.id,
      ipProtocol: "tcp",
      fromPort: MYSQL_PORT,
      toPort: MYSQL_PORT,
      referencedSecurityGroupId: database.id,
    });
    egress("app-out-nfs", "NFS to the EFS mount targets", {
      securityGroupId: app.id,
      ipProtocol: "tcp",
      fromPort: NFS_PORT,
      toPort: NFS_PORT,
      referencedSecurityGroupId: efs.id,
    });

    // Database and EFS only answer; they have no egress rules at all.
    ingress("database-in-app", "MySQL from the app instances only", {
      securityGroupId: database.id,
      ipProtocol: "tcp",
      fromPort: MYSQL_PORT,
      toPort: MYSQL_PORT,
      referencedSecurityGroupId: app.id,
    });
    ingress("efs-in-app", "NFS from the app instances only", {
      securityGroupId: efs.id,
      ipProtocol: "tcp",
      fromPort: NFS_PORT,
      toPort: NFS_PORT,
      referencedSecurityGroupId: app.id,
    });

    this.albId = alb.id;
    this.appId = app.id;
    this.databaseId = database.id;
    this.efsId = efs.id;
  }
}
