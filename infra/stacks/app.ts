import type { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { type EnvironmentConfig, frontDoor, publicUrl } from "../config.js";
import { AccessLogsBucket } from "../constructs/access-logs-bucket.js";
import { AppFleet } from "../constructs/app-fleet.js";
import type { InstanceEnvironment } from "../constructs/user-data.js";
import { DnsValidatedCertificate } from "../constructs/certificate.js";
import { DnsAlias } from "../constructs/dns-alias.js";
import { LoadBalancer } from "../constructs/load-balancer.js";
import { Monitoring } from "../constructs/monitoring.js";
import { WebFirewall } from "../constructs/web-firewall.js";
import { connectionBudget } from "../lib/connection-budget.js";
import { appStackName, resourcePrefix } from "../lib/naming.js";
import { awsProvider, configureBackend, type StackOptions } from "./common.js";
import { foundationRef } from "./foundation-ref.js";

const ACCESS_LOGS_PREFIX = "alb";

/**
 * What changes with each release: certificate, load balancer, the instance
 * fleet running the baked AMI, scaling, alarms and DNS. Reads the foundation
 * stack's outputs from its state.
 */
export class AppStack extends TerraformStack {
  constructor(scope: Construct, config: EnvironmentConfig, options: StackOptions = {}) {
    const name = appStackName(config.name);
    super(scope, name);
    awsProvider(this, config, name, options);
    configureBackend(this, config, name, options);
    const namePrefix = resourcePrefix(config.name);
    const foundation = foundationRef(this, config, options);

    const imageId = this.imageId(config, options);

    const door = frontDoor(config);
    let certificateArn: string | undefined;
    if (door.kind === "acm-dns") {
      certificateArn = new DnsValidatedCertificate(this, "certificate", door).certificateArn;
    } else if (door.kind === "imported-certificate") {
      certificateArn = door.certificateArn;
    }

    const accessLogs = new AccessLogsBucket(this, "access-logs", {
      namePrefix,
      retentionDays: config.accessLogRetentionDays,
      prefix: ACCESS_LOGS_PREFIX,
    });
    const lb = new LoadBalancer(this, "load-balancer", {
      namePrefix,
      vpcId: foundation.vpcId,
      subnetIds: foundation.publicSubnetIds,
      securityGroupId: foundation.albSecurityGroupId,
      deletionProtection: config.loadBalancerDeletionProtection,
      accessLogs,
      accessLogsPrefix: ACCESS_LOGS_PREFIX,
      certificateArn,
    });

    const fleet = new AppFleet(this, "app-fleet", {
      namePrefix,
      config: config.app,
      imageId,
      subnetIds: foundation.privateSubnetIds,
      securityGroupId: foundation.appSecurityGroupId,
      targetGroupArn: lb.targetGroupArn,
      requestCountResourceLabel: `${lb.arnSuffix}/${lb.targetGroupArnSuffix}`,
      efsFileSystemArn: foundation.efsFileSystemArn,
      efsAccessPointArn: foundation.efsAccessPointArn,
      instanceEnvironment: {
        environment: config.name,
        region: config.region,
        dbHost: foundation.dbAddress,
        dbName: foundation.dbName,
        // The server connects as the DML-only app user, migrations run as the migrator;
        // the master user's secret never reaches the instances (docs/decisions/031).
        dbUser: foundation.dbAppUsername,
        databaseSecretArn: foundation.dbAppSecretArn,
        migratorSecretArn: foundation.dbMigratorSecretArn,
        sessionSecretArn: foundation.sessionSecretArn,
        efsFileSystemId: foundation.efsFileSystemId,
        efsAccessPointId: foundation.efsAccessPointId,
        webConcurrency: config.app.webConcurrency,
        dbPoolMax: config.app.dbPoolMax,
        mail: this.mail(config, foundation.smtpUrlSecretArn),
      },
    });

    if (config.waf.enabled) {
      new WebFirewall(this, "web-firewall", {
        namePrefix,
        config: config.waf,
        loadBalancerArn: lb.arn,
      });
    }

    const budget = connectionBudget(config);
    if (!budget) throw new Error(`unreachable: environment ${config.name} was not validated`);

    new Monitoring(this, "monitoring", {
      namePrefix,
      region: config.region,
      alarmEmail: config.alarmEmail,
      loadBalancerArnSuffix: lb.arnSuffix,
      targetGroupArnSuffix: lb.targetGroupArnSuffix,
      autoScalingGroupName: fleet.autoScalingGroupName,
      maxInstances: config.app.maxSize,
      dbInstanceIdentifier: foundation.dbInstanceIdentifier,
      database: config.database,
      connectionBudget: budget,
    });

    if (config.domainName !== undefined && config.hostedZoneId !== undefined) {
      new DnsAlias(this, "dns", {
        hostedZoneId: config.hostedZoneId,
        domainName: config.domainName,
        targetDnsName: lb.dnsName,
        targetZoneId: lb.zoneId,
      });
    }

    const siteUrl =
      door.kind === "dev-http-only"
        ? `http://${lb.dnsName}`
        : `https://${config.domainName ?? lb.dnsName}`;
    const outputs: Record<string, { value: string; description: string }> = {
      site_url: { value: siteUrl, description: "Public URL of the shop" },
      alb_dns_name: {
        value: lb.dnsName,
        description: "DNS name of the load balancer (CNAME target without Route 53)",
      },
      efs_file_system_id: {
        value: foundation.efsFileSystemId,
        description: "EFS file system with the uploads",
      },
      efs_access_point_id: {
        value: foundation.efsAccessPointId,
        description: "EFS access point the app mounts",
      },
      db_endpoint: { value: foundation.dbEndpoint, description: "RDS endpoint (host:port)" },
      db_master_secret_arn: {
        value: foundation.dbMasterSecretArn,
        description:
          "RDS-managed secret of the master user: break-glass and db:users only, never the instances",
      },
      db_app_secret_arn: {
        value: foundation.dbAppSecretArn,
        description: "Secret of the app's DML-only MySQL user (DATABASE_SECRET_ARN)",
      },
      db_migrator_secret_arn: {
        value: foundation.dbMigratorSecretArn,
        description: "Secret of the migrator MySQL user (DATABASE_MIGRATOR_SECRET_ARN)",
      },
      asg_name: {
        value: fleet.autoScalingGroupName,
        description: "Auto Scaling group (instance refresh, scaling)",
      },
    };
    for (const [id, output] of Object.entries(outputs)) {
      new TerraformOutput(this, id, output).overrideLogicalId(id);
    }
  }

  /** SMTP_URL_SECRET_ARN, MAIL_FROM and PUBLIC_URL for the instances, when the config sends mail. */
  private mail(
    config: EnvironmentConfig,
    smtpUrlSecretArn: string | undefined,
  ): InstanceEnvironment["mail"] {
    if (config.mail === undefined) return undefined;
    const url = publicUrl(config);
    if (smtpUrlSecretArn === undefined || url === undefined) {
      throw new Error(`unreachable: environment ${config.name} was not validated`);
    }
    return { smtpUrlSecretArn, from: config.mail.from, publicUrl: url };
  }

  private imageId(config: EnvironmentConfig, options: StackOptions): string {
    if (config.ami.source === "id") return config.ami.id;
    if (options.offline) {
      throw new Error(
        `ami: environment ${config.name} looks up the newest tagged AMI, which needs AWS; the offline plan needs an explicit id (set BOOKSTORE_AMI_ID=ami-...)`,
      );
    }
    // The newest image the Packer build tagged App=bookstore in this account.
    return new DataAwsAmi(this, "bookstore-ami", {
      mostRecent: true,
      owners: ["self"],
      filter: [
        { name: "tag:App", values: ["bookstore"] },
        { name: "state", values: ["available"] },
      ],
    }).id;
  }
}
