/**
 * `terraform validate` of the stacks exactly as a real deploy synthesizes them
 * (S3 backend, AMI lookup by tag), and of the plain-HCL export
 * (`cdktf synth --hcl`, our exit from the deprecated CDKTF).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environments } from "../../infra/environments/index.js";
import {
  PLAN_AMI,
  PLUGIN_MIRROR,
  offlineTerraformEnv,
  type Synthesized,
  synthEnvironment,
  terraform,
  terraformGate,
} from "./helpers.js";

const gate = terraformGate("terraform-validate.test");

describe.runIf(gate.requiredButMissing)("terraform validate (required)", () => {
  it("needs terraform and the provider mirror under CI=true TF_REQUIRED=1", () => {
    expect.fail("terraform or /opt/tf-plugins is missing");
  });
});

/** The WAF API's JSON (PascalCase) in the provider's block names (snake_case). */
const API_TO_BLOCK: Record<string, string> = {
  Statements: "statement",
  RuleActionOverrides: "rule_action_override",
  TextTransformations: "text_transformation",
  CloudWatchMetricsEnabled: "cloudwatch_metrics_enabled",
};
function snakeCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCase);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        API_TO_BLOCK[key] ?? key.replace(/(?<!^)([A-Z])/g, "_$1").toLowerCase(),
        snakeCase(v),
      ]),
    );
  }
  return value;
}

const validate = async (dir: string) => {
  await terraform(dir, "init", "-backend=false", `-plugin-dir=${PLUGIN_MIRROR}`);
  return JSON.parse(await terraform(dir, "validate", "-json")) as {
    valid: boolean;
    error_count: number;
    diagnostics: unknown[];
  };
};

describe.runIf(gate.run)("terraform validate of the deployable synth (production)", () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthEnvironment(environments.production); // latest-tagged AMI, S3 backend: as deployed
  });
  afterAll(() => synth?.cleanup());

  it.each(["foundation", "app"] as const)("the %s stack is valid Terraform", async (kind) => {
    const result = await validate(synth[kind].dir);
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe.runIf(gate.run)("npm run infra:hcl exports valid plain Terraform", () => {
  const outdir = mkdtempSync(join(tmpdir(), "bookstore-infra-hcl-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  beforeAll(async () => {
    const infraDir = new URL("../../infra/", import.meta.url).pathname;
    await promisify(execFile)(
      "npx",
      ["--no-install", "cdktf", "synth", "--hcl", "--output", outdir],
      {
        cwd: infraDir,
        env: { ...process.env, ...offlineTerraformEnv, BOOKSTORE_ENVIRONMENTS: "production" },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  });

  it("carries the WAF rules as rule_json, the same rules the deployed JSON has as blocks", () => {
    // cdktf cannot print a rule's untyped `statement` as HCL blocks (infra/constructs/web-firewall.ts).
    const hcl = readFileSync(join(outdir, "stacks", "app-production", "cdk.tf"), "utf8");
    const quoted = /^\s*rule_json\s*=\s*("(?:[^"\\]|\\.)*")$/m.exec(hcl)?.[1];
    expect(quoted).toBeDefined();
    const api = JSON.parse(JSON.parse(quoted!) as string) as unknown[];
    const json = synthEnvironment(environments.production, { amiId: PLAN_AMI });
    try {
      const acl = Object.values(json.app.json.resource!.aws_wafv2_web_acl)[0];
      expect(api.map(snakeCase)).toEqual(acl.rule);
    } finally {
      json.cleanup();
    }
  });

  it.each(["foundation-production", "app-production"])(
    "%s: cdk.tf only, and terraform validate passes",
    async (stack) => {
      const dir = join(outdir, "stacks", stack);
      expect(readdirSync(dir)).toContain("cdk.tf");
      expect(readdirSync(dir)).not.toContain("cdk.tf.json");
      const result = await validate(dir);
      expect(result.valid, JSON.stringify(result.diagnostics)).toBe(true);
      expect(result.error_count).toBe(0);
    },
  );
});
