/** Structure of each synthesized stack, per environment. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENV_FILE_KEYS, MAIL_ENV_FILE_KEYS } from "../../infra/constructs/user-data.js";
import type { EnvironmentConfig } from "../../infra/config.js";
import { environments } from "../../infra/environments/index.js";
import { freeStorageAlarm } from "../../infra/constructs/monitoring.js";
import { connectionBudget } from "../../infra/lib/connection-budget.js";
import { performanceInsightsSupported } from "../../infra/lib/instance-types.js";
import { FOUNDATION_OUTPUTS, OPTIONAL_FOUNDATION_OUTPUTS } from "../../infra/lib/naming.js";
import {
  type Block,
  dataSources,
  ofType,
  only,
  PLAN_AMI,
  referenced,
  type StackJson,
  type Synthesized,
  synthEnvironment,
} from "./helpers.js";

const devMode: EnvironmentConfig = {
  ...environments.staging,
  name: "dev",
  domainName: undefined,
  certificateArn: undefined,
  devModeHttpOnly: true,
  // No domain, so no PUBLIC_URL for links in e-mails: dev mode keeps mail in the outbox.
  mail: undefined,
};

const decodeUserData = (launchTemplate: Block) => {
  const match = /^\$\{base64encode\("([\s\S]*)"\)\}$/.exec(String(launchTemplate.user_data));
  if (!match)
    throw new Error(
      `user_data is not base64encode("..."): ${String(launchTemplate.user_data).slice(0, 80)}`,
    );
  return JSON.parse(`"${match[1]}"`) as string;
};

/** The KEY=value lines user data writes into the environment file. */
const userDataEnv = (launchTemplate: Block): Record<string, string> => {
  const body = /<<'BOOKSTORE_ENV'\n([\s\S]*?)\nBOOKSTORE_ENV\n/.exec(
    decodeUserData(launchTemplate),
  )![1];
  return Object.fromEntries(
    body
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
};

describe.each(Object.values(environments).map((c) => [c.name, c] as const))(
  "%s",
  (_name, config) => {
    let synth: Synthesized;
    beforeAll(() => {
      synth = synthEnvironment(config, { amiId: PLAN_AMI });
    });
    afterAll(() => synth.cleanup());

    describe("foundation stack", () => {
      it("has public, private and database subnets in every AZ", () => {
        const subnets = ofType(synth.foundation, "aws_subnet").map((s) => s.body);
        for (const tier of ["public", "private", "database"]) {
          const azs = subnets
            .filter((s) => (s.tags as Block).Tier === tier)
            .map((s) => s.availability_zone);
          expect(azs.sort(), tier).toEqual([...config.availabilityZones].sort());
        }
      });

      it("has as many NAT gateways as the NAT strategy says", () => {
        const expected = config.natGateways === "single" ? 1 : config.availabilityZones.length;
        expect(ofType(synth.foundation, "aws_nat_gateway")).toHaveLength(expected);
      });

      it("runs MySQL 8.4 sized from the config, with Performance Insights where the class has it", () => {
        const db = only(synth.foundation, "aws_db_instance");
        expect(db).toMatchObject({
          engine: "mysql",
          engine_version: "8.4",
          performance_insights_enabled: performanceInsightsSupported(config.database.instanceClass),
          instance_class: config.database.instanceClass,
          allocated_storage: config.database.allocatedStorageGiB,
          max_allocated_storage: config.database.maxAllocatedStorageGiB,
          multi_az: config.database.multiAz,
          backup_retention_period: config.database.backupRetentionDays,
          db_name: config.database.databaseName,
          username: config.database.username,
        });
      });

      it("creates the secrets of the app and migrator users, generated once and never destroyed", () => {
        const secrets = ofType(synth.foundation, "aws_secretsmanager_secret").map((x) => x.body);
        expect(secrets.map((x) => x.name).sort()).toEqual(
          [
            `bookstore/${config.name}/db-app`,
            `bookstore/${config.name}/db-migrator`,
            `bookstore/${config.name}/session-secret`,
            ...(config.mail ? [`bookstore/${config.name}/smtp-url`] : []),
          ].sort(),
        );
        const versions = ofType(synth.foundation, "aws_secretsmanager_secret_version").map((v) =>
          String(v.body.secret_string),
        );
        for (const username of [config.database.appUsername, config.database.migratorUsername]) {
          expect(
            versions.some((v) => v.includes(`"username" = "${username}"`) && v.includes("uuid()")),
          ).toBe(true);
        }
      });

      it("creates the log groups the image's CloudWatch agent writes to", () => {
        const names = ofType(synth.foundation, "aws_cloudwatch_log_group").map((g) => g.body.name);
        expect(names).toEqual(
          expect.arrayContaining([
            `/bookstore/${config.name}/app`,
            `/bookstore/${config.name}/syslog`,
          ]),
        );
      });

      it("exports every output the app stack reads", () => {
        expect(Object.keys(synth.foundation.json.output ?? {}).sort()).toEqual(
          [
            ...Object.values(FOUNDATION_OUTPUTS),
            ...(config.mail ? [OPTIONAL_FOUNDATION_OUTPUTS.smtpUrlSecretArn] : []),
          ].sort(),
        );
      });
    });

    describe("app stack", () => {
      it("sizes the Auto Scaling group from the config and follows the template's latest version", () => {
        const asg = only(synth.app, "aws_autoscaling_group");
        expect(asg).toMatchObject({
          min_size: config.app.minSize,
          max_size: config.app.maxSize,
          desired_capacity: config.app.desiredCapacity,
        });
        expect((asg.launch_template as Block).version).toMatch(
          /^\$\{aws_launch_template\.[^.]+\.latest_version\}$/,
        );
      });

      it("tracks CPU and requests per target", () => {
        const metrics = ofType(synth.app, "aws_autoscaling_policy").map(
          (p) =>
            (
              (p.body.target_tracking_configuration as Block)
                .predefined_metric_specification as Block
            ).predefined_metric_type,
        );
        expect(metrics.sort()).toEqual(["ALBRequestCountPerTarget", "ASGAverageCPUUtilization"]);
      });

      it("boots the pinned AMI with user data that writes exactly the contract's environment keys", () => {
        const lt = only(synth.app, "aws_launch_template");
        expect(lt.image_id).toBe(PLAN_AMI);
        expect(lt.instance_type).toBe(config.app.instanceType);
        const script = decodeUserData(lt);
        const env = userDataEnv(lt);
        expect(Object.keys(env)).toEqual([
          ...ENV_FILE_KEYS,
          ...(config.mail ? MAIL_ENV_FILE_KEYS : []),
        ]);
        expect(env).toMatchObject({
          NODE_ENV: "production",
          PORT: "3000",
          BOOKSTORE_ENVIRONMENT: config.name,
          AWS_REGION: config.region,
          DB_PORT: "3306",
          DB_SSL_CA: "/etc/bookstore/rds-global-bundle.pem",
          UPLOADS_DIR: "/mnt/efs/uploads",
          SHARED_ASSETS_DIR: "/mnt/efs/assets",
          TRUST_PROXY: "1",
          LOG_LEVEL: "info",
          DB_HOST: "${data.terraform_remote_state.foundation.outputs.db_address}",
          DB_USER: "${data.terraform_remote_state.foundation.outputs.db_app_username}",
          DATABASE_SECRET_ARN:
            "${data.terraform_remote_state.foundation.outputs.db_app_secret_arn}",
          DATABASE_MIGRATOR_SECRET_ARN:
            "${data.terraform_remote_state.foundation.outputs.db_migrator_secret_arn}",
          SESSION_SECRET_ARN:
            "${data.terraform_remote_state.foundation.outputs.session_secret_arn}",
          WEB_CONCURRENCY: String(config.app.webConcurrency),
          DB_POOL_MAX: String(config.app.dbPoolMax),
        });
        expect(script).toContain("chmod 0640 /etc/bookstore/bookstore.env.new");
        expect(script).toContain("chown root:bookstore /etc/bookstore/bookstore.env.new");
        expect(script).toContain(
          "systemctl restart bookstore-cloudwatch.service bookstore.service",
        );
      });

      it("serves HTTPS with the configured certificate and redirects HTTP", () => {
        const listeners = ofType(synth.app, "aws_lb_listener").map((l) => l.body);
        expect(listeners.map((l) => l.port).sort()).toEqual([443, 80]);
        const https = listeners.find((l) => l.port === 443)!;
        if (config.certificateArn) expect(https.certificate_arn).toBe(config.certificateArn);
        else
          expect(referenced(synth.app, https.certificate_arn)?.type).toBe(
            "aws_acm_certificate_validation",
          );
      });

      it("derives the database alarms from the connection budget and storage autoscaling", () => {
        const alarms = ofType(synth.app, "aws_cloudwatch_metric_alarm").map((a) => a.body);
        const connections = alarms.find((a) => a.metric_name === "DatabaseConnections")!;
        const budget = connectionBudget(config)!;
        expect(connections.threshold).toBe(budget.peak);
        expect(budget.peak).toBe(
          config.app.maxSize * 2 * config.app.webConcurrency * config.app.dbPoolMax,
        );
        expect(budget.peak).toBeLessThanOrEqual(budget.appAllowance);
        const storage = alarms.find((a) => a.metric_name === "FreeStorageSpace")!;
        expect(storage.threshold).toBe(freeStorageAlarm(config.database).thresholdBytes);
      });

      it("has the outputs operators need", () => {
        expect(Object.keys(synth.app.json.output ?? {}).sort()).toEqual([
          "alb_dns_name",
          "asg_name",
          "db_app_secret_arn",
          "db_endpoint",
          "db_master_secret_arn",
          "db_migrator_secret_arn",
          "efs_access_point_id",
          "efs_file_system_id",
          "site_url",
        ]);
        expect(synth.app.json.output!.site_url.value).toBe(`https://${config.domainName}`);
      });

      it("reads the foundation from the same backend the foundation writes to", () => {
        const remote = synth.app.json.data!.terraform_remote_state.foundation;
        const backend = synth.foundation.json.terraform!.backend!;
        if (config.stateBackend) {
          expect(backend.s3).toMatchObject({
            bucket: config.stateBackend.bucket,
            key: remote.config && (remote.config as Block).key,
            use_lockfile: true,
            encrypt: true,
          });
          expect(remote.backend).toBe("s3");
        } else {
          expect(backend.local).toMatchObject({
            path: `../../../terraform.foundation-${config.name}.tfstate`,
          });
          expect(remote).toMatchObject({
            backend: "local",
            config: { path: (backend.local as Block).path },
          });
        }
      });
    });
  },
);

describe("state", () => {
  it.each(Object.values(environments).map((c) => [c.name, c] as const))(
    "%s keeps its state in the S3 backend with a lock file",
    (_name, config) => {
      expect(config.stateBackend).toBeDefined();
    },
  );
});

describe("Route 53 and the ACM DNS validation when a hosted zone is given", () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthEnvironment(environments.production, { amiId: PLAN_AMI });
  });
  afterAll(() => synth.cleanup());

  it("validates the certificate with Route 53 records and adds an alias to the ALB", () => {
    const records = ofType(synth.app, "aws_route53_record").map((r) => r.body);
    expect(
      records.some((r) => r.for_each && r.zone_id === environments.production.hostedZoneId),
    ).toBe(true);
    const alias = records.find((r) => r.alias)!;
    expect(alias).toMatchObject({
      name: environments.production.domainName,
      type: "A",
      zone_id: environments.production.hostedZoneId,
    });
  });
});

describe("the latest tagged AMI, for real deploys", () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthEnvironment({ ...environments.staging, ami: { source: "latest-tagged" } });
  });
  afterAll(() => synth.cleanup());

  it("looks up the newest AMI of this account tagged App=bookstore", () => {
    const ami = Object.values(synth.app.json.data!.aws_ami)[0];
    expect(ami).toMatchObject({
      most_recent: true,
      owners: ["self"],
      filter: expect.arrayContaining([{ name: "tag:App", values: ["bookstore"] }]),
    });
    expect(only(synth.app, "aws_launch_template").image_id).toMatch(/^\$\{data\.aws_ami\./);
  });
});

describe("dev mode (plain HTTP, no certificate)", () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthEnvironment(devMode, { amiId: PLAN_AMI });
  });
  afterAll(() => synth.cleanup());

  it("has a single HTTP listener forwarding to the app and an http:// site URL", () => {
    const listener = only(synth.app, "aws_lb_listener");
    expect(listener).toMatchObject({ port: 80, protocol: "HTTP" });
    expect((listener.default_action as Block[])[0].type).toBe("forward");
    expect(ofType(synth.app, "aws_acm_certificate")).toHaveLength(0);
    expect(synth.app.json.output!.site_url.value).toMatch(/^http:\/\/\$\{aws_lb\./);
  });
});

describe("offline mode", () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthEnvironment(environments.production, { amiId: PLAN_AMI, offline: true });
  });
  afterAll(() => synth.cleanup());

  it("skips credential checks, keeps state local and gives the remote state placeholder outputs", () => {
    const provider = synth.app.json.provider!.aws[0];
    expect(provider).toMatchObject({
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: "true",
    });
    expect(synth.foundation.json.terraform!.backend).toHaveProperty("local");
    const remote = synth.app.json.data!.terraform_remote_state.foundation;
    expect(remote.defaults).toHaveProperty("private_subnet_ids");
    expect(String((remote.config as Block).path)).toMatch(
      /^assets\/.*empty-foundation-state\.json$/,
    );
  });
});

/** The SMTP URL's secret, its one reader and the instances' mail settings, or none of them. */
describe("mail over SES SMTP", () => {
  const withMail = environments.production;
  const withoutMail: EnvironmentConfig = {
    ...environments.staging,
    name: "nomail",
    mail: undefined,
  };
  let mail: Synthesized;
  let noMail: Synthesized;
  beforeAll(() => {
    mail = synthEnvironment(withMail, { amiId: PLAN_AMI });
    noMail = synthEnvironment(withoutMail, { amiId: PLAN_AMI });
  });
  afterAll(() => {
    mail?.cleanup();
    noMail?.cleanup();
  });

  const smtpSecrets = (stack: StackJson) =>
    ofType(stack, "aws_secretsmanager_secret").filter((s) =>
      String(s.body.name).endsWith("/smtp-url"),
    );
  const readers = (stack: StackJson) =>
    dataSources(stack)
      .filter((d) => d.type === "aws_iam_policy_document")
      .flatMap((d) => d.body.statement as Block[])
      .filter((st) => JSON.stringify(st.resources).includes("smtp_url_secret_arn"));
  const smtpsEgress = (stack: StackJson) =>
    ofType(stack, "aws_vpc_security_group_egress_rule").filter(
      (r) => r.body.from_port === 465 || r.body.to_port === 465,
    );
  const REMOTE_ARN = "${data.terraform_remote_state.foundation.outputs.smtp_url_secret_arn}";

  it("production sends mail; the shipped environments configure a sender on their own domain", () => {
    expect(withMail.mail).toBeDefined();
    for (const config of Object.values(environments)) {
      if (config.mail && config.domainName)
        expect(config.mail.from).toContain(`@${config.domainName}>`);
    }
  });

  it("creates bookstore/<env>/smtp-url without a value, never destroyed, exported to the app stack", () => {
    const [secret] = smtpSecrets(mail.foundation);
    expect(smtpSecrets(mail.foundation)).toHaveLength(1);
    expect(secret.body).toMatchObject({
      name: "bookstore/production/smtp-url",
      recovery_window_in_days: 7,
      lifecycle: { prevent_destroy: true },
    });
    // No version: operations put the SES SMTP URL (docs/operations.md, "Mail").
    const versions = ofType(mail.foundation, "aws_secretsmanager_secret_version");
    expect(
      versions.filter((v) => referenced(mail.foundation, v.body.secret_id)?.name === secret.name),
    ).toEqual([]);
    expect(mail.foundation.json.output!.smtp_url_secret_arn.value).toBe(
      `\${aws_secretsmanager_secret.${secret.name}.arn}`,
    );
  });

  it("lets the instance role read exactly that secret, and nothing more on it", () => {
    expect(readers(mail.app)).toEqual([
      {
        sid: "ReadSmtpUrlSecret",
        effect: "Allow",
        actions: ["secretsmanager:GetSecretValue"],
        resources: [REMOTE_ARN],
      },
    ]);
  });

  it("puts SMTP_URL_SECRET_ARN, MAIL_FROM and PUBLIC_URL in user data, never a URL with a password", () => {
    const env = userDataEnv(only(mail.app, "aws_launch_template"));
    expect(env).toMatchObject({
      SMTP_URL_SECRET_ARN: REMOTE_ARN,
      MAIL_FROM: withMail.mail!.from,
      PUBLIC_URL: `https://${withMail.domainName}`,
    });
    expect(env).not.toHaveProperty("SMTP_URL");
  });

  it("opens SMTPS (465) from the app instances only, and no other mail port", () => {
    const rules = smtpsEgress(mail.foundation);
    expect(rules).toHaveLength(1);
    expect(rules[0].body).toMatchObject({
      ip_protocol: "tcp",
      from_port: 465,
      to_port: 465,
      cidr_ipv4: "0.0.0.0/0",
    });
    expect(referenced(mail.foundation, rules[0].body.security_group_id)?.body.name).toBe(
      "bookstore-production-app",
    );
    for (const port of [25, 587, 2465, 2587]) {
      expect(
        ofType(mail.foundation, "aws_vpc_security_group_egress_rule").some(
          (r) => Number(r.body.from_port) <= port && port <= Number(r.body.to_port),
        ),
        String(port),
      ).toBe(false);
    }
  });

  it("holds no SMTP URL or credential anywhere in either stack", () => {
    for (const stack of [mail.foundation, mail.app]) {
      const text = JSON.stringify(stack.json);
      expect(text).not.toMatch(/smtps?:\/\//);
      expect(text).not.toMatch(/SMTP_URL=/);
    }
  });

  it("without mail: no secret, no reader, no SMTPS egress, no mail settings", () => {
    expect(smtpSecrets(noMail.foundation)).toEqual([]);
    expect(noMail.foundation.json.output).not.toHaveProperty("smtp_url_secret_arn");
    expect(readers(noMail.app)).toEqual([]);
    expect(smtpsEgress(noMail.foundation)).toEqual([]);
    const env = userDataEnv(only(noMail.app, "aws_launch_template"));
    for (const key of MAIL_ENV_FILE_KEYS) expect(env).not.toHaveProperty(key);
    expect(JSON.stringify(noMail.app.json)).not.toContain("smtp_url_secret_arn");
  });
});
