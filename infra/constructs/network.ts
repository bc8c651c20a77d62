import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { subnetPlan } from "../lib/cidr.js";
import { flowLogGroupName } from "../lib/naming.js";
import { assumeRolePolicy, policyDocument } from "../lib/policy.js";

export interface NetworkProps {
  readonly environment: string;
  readonly namePrefix: string;
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly natGateways: "single" | "one-per-az";
  readonly logRetentionDays: number;
}

/**
 * A VPC with three subnet tiers in every AZ: public (ALB, NAT), private (app
 * instances, outbound through NAT) and database (no route to the internet).
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly databaseSubnetIds: string[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { namePrefix, availabilityZones: azs } = props;
    const plan = subnetPlan(props.vpcCidr, azs.length);

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true, // EFS mount targets and the RDS endpoint resolve through VPC DNS
      tags: { Name: namePrefix },
    });
    this.vpcId = vpc.id;

    // CIS 5.4: the default security group allows nothing, so nothing can use it by accident.
    new DefaultSecurityGroup(this, "default-sg", {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${namePrefix}-default-deny` },
    });

    const igw = new InternetGateway(this, "igw", { vpcId: vpc.id, tags: { Name: namePrefix } });

    const publicRoutes = new RouteTable(this, "public-rt", {
      vpcId: vpc.id,
      tags: { Name: `${namePrefix}-public` },
    });
    new Route(this, "public-default-route", {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });

    const subnet = (tier: string, index: number, cidr: string) =>
      new Subnet(this, `${tier}-${index}`, {
        vpcId: vpc.id,
        cidrBlock: cidr,
        availabilityZone: azs[index],
        mapPublicIpOnLaunch: false, // nothing gets a public IP implicitly, not even in public subnets
        tags: { Name: `${namePrefix}-${tier}-${azs[index]}`, Tier: tier },
      });

    const publicSubnets = plan.public.map((cidr, i) => subnet("public", i, cidr));
    publicSubnets.forEach(
      (s, i) =>
        new RouteTableAssociation(this, `public-rta-${i}`, {
          subnetId: s.id,
          routeTableId: publicRoutes.id,
        }),
    );

    const natCount = props.natGateways === "one-per-az" ? azs.length : 1;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, {
        domain: "vpc",
        tags: { Name: `${namePrefix}-nat-${azs[i]}` },
      });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.id,
        subnetId: publicSubnets[i].id,
        tags: { Name: `${namePrefix}-nat-${azs[i]}` },
        dependsOn: [igw],
      });
    });

    const privateSubnets = plan.private.map((cidr, i) => subnet("private", i, cidr));
    privateSubnets.forEach((s, i) => {
      const table = new RouteTable(this, `private-rt-${i}`, {
        vpcId: vpc.id,
        tags: { Name: `${namePrefix}-private-${azs[i]}` },
      });
      new Route(this, `private-default-route-${i}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nats[Math.min(i, nats.length - 1)].id,
      });
      new RouteTableAssociation(this, `private-rta-${i}`, {
        subnetId: s.id,
        routeTableId: table.id,
      });
    });

    // Database tier: its own route table with only the implicit local route.
    const databaseRoutes = new RouteTable(this, "database-rt", {
      vpcId: vpc.id,
      tags: { Name: `${namePrefix}-database` },
    });
    const databaseSubnets = plan.database.map((cidr, i) => subnet("database", i, cidr));
    databaseSubnets.forEach(
      (s, i) =>
        new RouteTableAssociation(this, `database-rta-${i}`, {
          subnetId: s.id,
          routeTableId: databaseRoutes.id,
        }),
    );

    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.databaseSubnetIds = databaseSubnets.map((s) => s.id);

    // CIS 3.9: VPC flow logs, to CloudWatch Logs with a retention.
    const flowLogGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      name: flowLogGroupName(props.environment),
      retentionInDays: props.logRetentionDays,
    });
    const flowLogRole = new IamRole(this, "flow-log-role", {
      name: `${namePrefix}-vpc-flow-logs`,
      description: "Lets VPC Flow Logs write to its CloudWatch log group",
      assumeRolePolicy: assumeRolePolicy("vpc-flow-logs.amazonaws.com"),
    });
    new IamRolePolicy(this, "flow-log-policy", {
      name: "write-flow-logs",
      role: flowLogRole.id,
      policy: policyDocument(this, "flow-log-policy-document", [
        {
          sid: "WriteFlowLogs",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [flowLogGroup.arn, `${flowLogGroup.arn}:*`],
        },
      ]),
    });
    new FlowLog(this, "flow-log", {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 600,
      tags: { Name: `${namePrefix}-flow-log` },
    });
  }
}
