/**
 * A real `terraform plan` of every stack, offline: dummy credentials, the
 * provider's skip_* flags, an explicit AMI and placeholder foundation outputs.
 * Asserts on `terraform show -json`: only creates, and the expected resources.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environments } from "../../infra/environments/index.js";
import { type PlanJson, summarizePlan } from "../../infra/lib/plan-check.js";
import {
  PLAN_AMI,
  PLUGIN_MIRROR,
  type Synthesized,
  synthEnvironment,
  terraform,
  terraformGate,
} from "./helpers.js";

const gate = terraformGate("terraform-plan.test");

describe.runIf(gate.requiredButMissing)("terraform plan (required)", () => {
  it("needs terraform and the provider mirror under CI=true TF_REQUIRED=1", () => {
    expect.fail("terraform or /opt/tf-plugins is missing");
  });
});

describe.runIf(gate.run).each(Object.values(environments).map((c) => [c.name, c] as const))(
  "offline terraform plan: %s",
  (_name, config) => {
    let synth: Synthesized;
    const plans: Record<"foundation" | "app", PlanJson> = { foundation: {}, app: {} };

    beforeAll(async () => {
      synth = synthEnvironment(config, { amiId: PLAN_AMI, offline: true });
      // One stack after the other inside a file: two cores are shared with the other test files.
      for (const kind of ["foundation", "app"] as const) {
        const dir = synth[kind].dir;
        await terraform(dir, "init", `-plugin-dir=${PLUGIN_MIRROR}`);
        await terraform(dir, "plan", "-lock=false", "-out=tfplan");
        plans[kind] = JSON.parse(await terraform(dir, "show", "-json", "tfplan")) as PlanJson;
      }
    });
    afterAll(() => synth?.cleanup());

    for (const kind of ["foundation", "app"] as const) {
      it(`the ${kind} plan only creates, and creates every expected resource type`, () => {
        const summary = summarizePlan(plans[kind], kind);
        expect(summary.unexpected).toEqual([]);
        expect(summary.missingTypes).toEqual([]);
        console.log(
          `[terraform-plan.test] ${synth[kind].name}: ${Object.values(summary.creates).reduce((a, b) => a + b, 0)} to create, 0 to change, 0 to destroy`,
        );
      });
    }

    it("the foundation plan builds the network, database and storage the config describes", () => {
      const { creates } = summarizePlan(plans.foundation, "foundation");
      const azs = config.availabilityZones.length;
      expect(creates.aws_subnet).toBe(3 * azs);
      expect(creates.aws_nat_gateway).toBe(config.natGateways === "single" ? 1 : azs);
      expect(creates.aws_efs_mount_target).toBe(azs);
      expect(creates.aws_db_instance).toBe(1);
      // The session secret and the app and migrator users' secrets, and with mail the SMTP URL's.
      expect(creates.aws_secretsmanager_secret).toBe(config.mail ? 4 : 3);
      // Only the generated ones get a value: the SMTP URL is put by operations, never planned.
      expect(creates.aws_secretsmanager_secret_version).toBe(3);
      const db = (
        plans.foundation as {
          planned_values: {
            root_module: { resources: { type: string; values: Record<string, unknown> }[] };
          };
        }
      ).planned_values.root_module.resources.find((r) => r.type === "aws_db_instance")!.values;
      expect(db).toMatchObject({
        engine: "mysql",
        engine_version: "8.4",
        multi_az: true,
        storage_encrypted: true,
        publicly_accessible: false,
        manage_master_user_password: true,
      });
    });

    it("the app plan wires the fleet to the placeholder foundation and the pinned AMI", () => {
      const resources = (
        plans.app as {
          planned_values: {
            root_module: { resources: { type: string; values: Record<string, unknown> }[] };
          };
        }
      ).planned_values.root_module.resources;
      const lt = resources.find((r) => r.type === "aws_launch_template")!.values;
      expect(lt.image_id).toBe(PLAN_AMI);
      const asg = resources.find((r) => r.type === "aws_autoscaling_group")!.values;
      expect(asg.vpc_zone_identifier).toHaveLength(config.availabilityZones.length);
      const userData = Buffer.from(String(lt.user_data), "base64").toString("utf8");
      expect(userData).toContain(
        `DB_HOST=bookstore-${config.name}.offline.${config.region}.rds.amazonaws.com`,
      );
      expect(userData).toContain("EFS_ACCESS_POINT_ID=fsap-00000000000000001");
      if (config.mail) {
        expect(userData).toContain(
          `SMTP_URL_SECRET_ARN=arn:aws:secretsmanager:${config.region}:000000000000:secret:bookstore/${config.name}/smtp-url-AbCdEf\n`,
        );
        expect(userData).toContain(`MAIL_FROM=${config.mail.from}\n`);
        expect(userData).toContain(`PUBLIC_URL=https://${config.domainName}\n`);
      }
      expect(userData).not.toMatch(/smtps?:\/\/|SMTP_URL=/);
    });

    it("plans no SMTP URL or credential: the SMTP secret's value is never in a plan", () => {
      for (const kind of ["foundation", "app"] as const) {
        const text = JSON.stringify(plans[kind]);
        expect(text, kind).not.toMatch(/smtps?:\/\//);
        expect(text, kind).not.toContain("SMTP_URL=");
      }
      const smtp = (
        plans.foundation as {
          planned_values: {
            root_module: { resources: { type: string; values: Record<string, unknown> }[] };
          };
        }
      ).planned_values.root_module.resources.filter(
        (r) =>
          r.type === "aws_secretsmanager_secret" &&
          r.values.name === `bookstore/${config.name}/smtp-url`,
      );
      expect(smtp).toHaveLength(config.mail ? 1 : 0);
    });

    it(`the app plan ${config.waf.enabled ? "puts" : "puts no"} WAF in front of the ALB`, () => {
      const { creates } = summarizePlan(plans.app, "app");
      const expected = config.waf.enabled ? 1 : undefined;
      expect(creates.aws_wafv2_web_acl).toBe(expected);
      expect(creates.aws_wafv2_web_acl_association).toBe(expected);
    });

    it("leaves the planned outputs for operators", () => {
      const outputs = (plans.app as { planned_values: { outputs: Record<string, unknown> } })
        .planned_values.outputs;
      expect(Object.keys(outputs)).toEqual(
        expect.arrayContaining([
          "site_url",
          "alb_dns_name",
          "asg_name",
          "db_endpoint",
          "efs_file_system_id",
        ]),
      );
      const planFile = readFileSync(join(synth.app.dir, "tfplan"));
      expect(planFile.length).toBeGreaterThan(0);
    });
  },
);
