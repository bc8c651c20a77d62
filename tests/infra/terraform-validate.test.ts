/**
 * `terraform validate` of the stacks exactly as a real deploy synthesizes them
 * (S3 backend, AMI lookup by tag), and of the plain-HCL export
 * (`cdktf synth --hcl`, our exit from the deprecated CDKTF).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environments } from "../../infra/environments/index.js";
import {
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
