import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import type { AppFleetConfig } from "../config.js";
import { assumeRolePolicy, policyDocument } from "../lib/policy.js";
import { type InstanceEnvironment, userDataScript } from "./user-data.js";

/** Root device of Canonical's Ubuntu 22.04 AMIs (and so of the baked image). */
const ROOT_DEVICE = "/dev/sda1";

/** ASG metrics collected (GroupInServiceInstances feeds the "at max" alarm). */
export const ASG_METRICS = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
];

export interface AppFleetProps {
  readonly namePrefix: string;
  readonly config: AppFleetConfig;
  readonly imageId: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly targetGroupArn: string;
  /** "<alb arn suffix>/<target group arn suffix>" for the requests-per-target policy. */
  readonly requestCountResourceLabel: string;
  readonly instanceEnvironment: InstanceEnvironment;
  readonly efsFileSystemArn: string;
  readonly efsAccessPointArn: string;
}

/**
 * The app instances: an IAM role with only what the app needs, a launch
 * template for the baked AMI, and an Auto Scaling group over the private
 * subnets that rolls instances whenever the template changes.
 */
export class AppFleet extends Construct {
  readonly autoScalingGroupName: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: AppFleetProps) {
    super(scope, id);
    const { namePrefix, config } = props;
    const env = props.instanceEnvironment;

    const role = new IamRole(this, "role", {
      name: `${namePrefix}-app-instance`,
      description:
        "Bookstore app instances: SSM, CloudWatch agent, its secrets, its EFS file system",
      assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
    });
    // SSM Session Manager replaces SSH; the CloudWatch agent ships logs and metrics.
    for (const [name, arn] of [
      ["ssm-core", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
      ["cloudwatch-agent", "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
    ] as const) {
      new IamRolePolicyAttachment(this, name, { role: role.name, policyArn: arn });
    }
    new IamRolePolicy(this, "app-access", {
      name: "bookstore-app",
      role: role.id,
      policy: policyDocument(this, "app-access-document", [
        {
          // Least privilege: exactly the app user's and the migrator's DB secrets and the
          // session secret; never the RDS master user's secret (break-glass, docs/decisions/031).
          sid: "ReadAppSecrets",
          effect: "Allow",
          actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
          resources: [env.databaseSecretArn, env.migratorSecretArn, env.sessionSecretArn],
        },
        // With mail: the SMTP URL's secret, that one ARN, read only (docs/decisions/045).
        ...(env.mail
          ? [
              {
                sid: "ReadSmtpUrlSecret",
                effect: "Allow" as const,
                actions: ["secretsmanager:GetSecretValue"],
                resources: [env.mail.smtpUrlSecretArn],
              },
            ]
          : []),
        {
          sid: "MountUploadsThroughAccessPoint", // this file system only, through its access point only
          effect: "Allow",
          actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
          resources: [props.efsFileSystemArn],
          condition: {
            StringEquals: { "elasticfilesystem:AccessPointArn": props.efsAccessPointArn },
          },
        },
      ]),
    });
    const profile = new IamInstanceProfile(this, "profile", {
      name: `${namePrefix}-app-instance`,
      role: role.name,
    });

    const template = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${namePrefix}-app-`,
      description: "Bookstore app instance: baked AMI, environment from user data",
      imageId: props.imageId,
      instanceType: config.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      // IMDSv2 only, and a hop limit of 1 so nothing in a container or proxy can reach the credentials.
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: ROOT_DEVICE,
          ebs: {
            volumeType: "gp3",
            volumeSize: config.rootVolumeGiB,
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      // Private subnets only and no public address; no key pair: access is through SSM.
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          securityGroups: [props.securityGroupId],
          deleteOnTermination: "true",
        },
      ],
      userData: Fn.base64encode(userDataScript(env)),
      updateDefaultVersion: true,
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${namePrefix}-app` } },
        { resourceType: "volume", tags: { Name: `${namePrefix}-app` } },
      ],
    });

    const group = new AutoscalingGroup(this, "group", {
      name: `${namePrefix}-app`,
      minSize: config.minSize,
      maxSize: config.maxSize,
      desiredCapacity: config.desiredCapacity,
      vpcZoneIdentifier: props.subnetIds, // one private subnet per AZ: instances spread over the AZs
      targetGroupArns: [props.targetGroupArn],
      healthCheckType: "ELB", // replace instances the ALB finds unhealthy, not only dead ones
      healthCheckGracePeriod: 300,
      defaultInstanceWarmup: 120,
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      // A new AMI or user data makes a new template version, which starts a rolling refresh:
      // launch before terminate, roll back automatically if the new instances never get healthy.
      instanceRefresh: {
        strategy: "Rolling",
        preferences: {
          minHealthyPercentage: 100,
          maxHealthyPercentage: 200,
          instanceWarmup: "120",
          autoRollback: true,
        },
      },
      enabledMetrics: ASG_METRICS,
      metricsGranularity: "1Minute",
      waitForCapacityTimeout: "15m",
      tag: [{ key: "Name", value: `${namePrefix}-app`, propagateAtLaunch: true }],
      // Scaling policies own the desired capacity after creation; a deploy must not reset it.
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });

    new AutoscalingPolicy(this, "cpu-target", {
      name: `${namePrefix}-cpu-target`,
      autoscalingGroupName: group.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: config.cpuTargetPercent,
      },
    });
    new AutoscalingPolicy(this, "requests-target", {
      name: `${namePrefix}-requests-per-target`,
      autoscalingGroupName: group.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: props.requestCountResourceLabel,
        },
        targetValue: config.requestsPerTarget,
      },
    });

    this.autoScalingGroupName = group.name;
    this.roleName = role.name;
  }
}
