/** Synthesizes stacks into a temp dir and reads them back as plain JSON. */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { App } from "cdktf";
import { addEnvironment, type BuildOptions } from "../../infra/build.js";
import type { EnvironmentConfig } from "../../infra/config.js";

export type Block = Record<string, unknown>;

export interface StackJson {
  readonly name: string;
  readonly dir: string;
  readonly json: {
    resource?: Record<string, Record<string, Block>>;
    data?: Record<string, Record<string, Block>>;
    output?: Record<string, Block>;
    provider?: Record<string, Block[]>;
    terraform?: { backend?: Record<string, Block> };
  };
}

export interface Synthesized {
  readonly outdir: string;
  readonly foundation: StackJson;
  readonly app: StackJson;
  cleanup(): void;
}

export const PLAN_AMI = "ami-0123456789abcdef0";

/** One environment's two stacks, synthesized once (call from beforeAll and reuse). */
export function synthEnvironment(
  config: EnvironmentConfig,
  options: BuildOptions = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), `bookstore-infra-${config.name}-`));
  const app = new App({ outdir });
  const stacks = addEnvironment(app, config, options);
  app.synth();
  const read = (name: string): StackJson => {
    const dir = join(outdir, "stacks", name);
    return {
      name,
      dir,
      json: JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackJson["json"],
    };
  };
  return {
    outdir,
    foundation: read(stacks.foundation.node.id),
    app: read(stacks.app.node.id),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export interface ResourceEntry {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly body: Block;
}

/** Every managed resource of a stack, flattened. */
export function resources(stack: StackJson): ResourceEntry[] {
  return Object.entries(stack.json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({
      type,
      name,
      address: `${type}.${name}`,
      body,
    })),
  );
}

export function dataSources(stack: StackJson): ResourceEntry[] {
  return Object.entries(stack.json.data ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({
      type,
      name,
      address: `data.${type}.${name}`,
      body,
    })),
  );
}

export function ofType(stack: StackJson, type: string): ResourceEntry[] {
  return resources(stack).filter((r) => r.type === type);
}

/** The single resource of a type (fails loudly if there are several or none). */
export function only(stack: StackJson, type: string): Block {
  const found = ofType(stack, type);
  if (found.length !== 1)
    throw new Error(`${stack.name}: expected one ${type}, found ${found.length}`);
  return found[0].body;
}

/** Resolves "${aws_x.name.attr}" to the referenced resource's entry. */
export function referenced(stack: StackJson, expression: unknown): ResourceEntry | undefined {
  const match = /\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)/.exec(String(expression));
  if (!match) return undefined;
  const [, data, type, name] = match;
  const pool = data ? dataSources(stack) : resources(stack);
  return pool.find((r) => r.type === type && r.name === name);
}

/** All strings anywhere inside a value. */
export function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

export const TERRAFORM = "/usr/local/bin/terraform";
export const PLUGIN_MIRROR = "/opt/tf-plugins";

/** Terraform and the offline provider mirror are both present. */
export const terraformAvailable =
  existsSync(TERRAFORM) &&
  existsSync(join(PLUGIN_MIRROR, "registry.terraform.io/hashicorp/aws/5.100.0"));

const execFileAsync = promisify(execFile);

/** Environment for an offline Terraform: no CLI config, no telemetry, dummy credentials only. */
export const offlineTerraformEnv: NodeJS.ProcessEnv = {
  NODE_ENV: "test",
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  TF_CLI_CONFIG_FILE: "/dev/null",
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  TF_INPUT: "0",
  AWS_ACCESS_KEY_ID: "offline-test-access-key",
  AWS_SECRET_ACCESS_KEY: "offline-test-dummy-secret",
  AWS_EC2_METADATA_DISABLED: "true",
};

/** Runs terraform in `dir`; rejects with stdout+stderr on failure. */
export async function terraform(dir: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(TERRAFORM, [`-chdir=${dir}`, ...args, "-no-color"], {
      env: offlineTerraformEnv,
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `terraform ${args[0]} failed in ${dir}:\n${e.stderr || ""}\n${(e.stdout || "").slice(-4000)}`,
    );
  }
}

/**
 * Whether the terraform tests run here. They are skipped (with a notice) when
 * terraform or the provider mirror is missing, except under CI=true with
 * TF_REQUIRED=1, where that is a failure.
 */
export function terraformGate(suite: string): { run: boolean; requiredButMissing: boolean } {
  const required = process.env.CI === "true" && process.env.TF_REQUIRED === "1";
  if (terraformAvailable) {
    console.log(
      `[${suite}] terraform ${TERRAFORM} and provider mirror ${PLUGIN_MIRROR} found: RUNNING terraform checks`,
    );
    return { run: true, requiredButMissing: false };
  }
  const notice = `[${suite}] terraform (${TERRAFORM}) or the provider mirror (${PLUGIN_MIRROR}) is missing: terraform checks ${required ? "REQUIRED (TF_REQUIRED=1) and will FAIL" : "SKIPPED"}`;
  console.warn(notice);
  return { run: false, requiredButMissing: required };
}
