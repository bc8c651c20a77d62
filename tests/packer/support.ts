/**
 * Shared helpers for the release, image, container and workflow tests: where
 * the repository is, which tools this machine has, and how to run a script.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseHcl } from "@cdktf/hcl2json";
import Ajv from "ajv-draft-04";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const packerDir = path.join(repoRoot, "packer");
export const packerScriptsDir = path.join(packerDir, "scripts");
export const packerFilesDir = path.join(packerDir, "files");
/** Third-party schemas the tests validate against, committed as-is (see packer/schemas/README.md). */
export const packerSchemasDir = path.join(packerDir, "schemas");
export const agentSchemaFile = path.join(packerSchemasDir, "cloudwatch-agent.schema.json");

export const inCi = process.env.CI === "true";

export function hasCommand(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/**
 * Whether a test that needs `tool` can run. A missing tool skips with a
 * visible notice; under CI=true a tool marked required is a failure instead.
 */
export function toolAvailable(tool: string, { requiredInCi }: { requiredInCi: boolean }): boolean {
  if (hasCommand(tool)) return true;
  if (inCi && requiredInCi) {
    throw new Error(`${tool} is required under CI=true but is not installed`);
  }
  console.warn(`NOTICE: ${tool} is not installed; tests that need it are skipped.`);
  return false;
}

export function readRepoFile(relativePath: string): string {
  return fs.readFileSync(path.join(repoRoot, relativePath), "utf8");
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bookstore-${prefix}-`));
}

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a bash script with extra environment; never throws on a failed exit. */
export function runScript(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
): ScriptRun {
  const result: SpawnSyncReturns<string> = spawnSync("bash", [script, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Every file, directory and symlink under `root` with its mode and content
 * hash (or link target): two equal snapshots mean nothing changed.
 */
export function snapshotTree(root: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full);
      const stat = fs.lstatSync(full);
      const mode = (stat.mode & 0o7777).toString(8);
      if (entry.isSymbolicLink()) {
        snapshot[relative] = `link -> ${fs.readlinkSync(full)}`;
      } else if (entry.isDirectory()) {
        snapshot[relative] = `dir ${mode}`;
        walk(full);
      } else {
        const hash = crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex");
        snapshot[relative] = `file ${mode} ${hash} ${stat.mtimeMs}`;
      }
    }
  };
  walk(root);
  return snapshot;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- HCL JSON is untyped
export type HclJson = Record<string, any>;

export async function parseHclFile(relativePath: string): Promise<HclJson> {
  const file = path.join(repoRoot, relativePath);
  return (await parseHcl(file, fs.readFileSync(file, "utf8"))) as HclJson;
}

/** The default value of a Packer variable, straight from variables.pkr.hcl. */
export async function packerVariableDefault(name: string): Promise<unknown> {
  const variables = await parseHclFile("packer/variables.pkr.hcl");
  return variables.variable[name][0].default;
}

/**
 * A systemd unit as sections of key → values (keys may repeat, e.g.
 * ExecStartPre). Comments and blank lines are dropped.
 */
export function parseUnitFile(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = sections[header[1]] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (!current || eq < 0) throw new Error(`not a unit file line: ${line}`);
    const key = line.slice(0, eq).trim();
    (current[key] ??= []).push(line.slice(eq + 1).trim());
  }
  return sections;
}

/** Validates a CloudWatch agent config against the agent's own schema (draft-04), packer/schemas. */
export function validateAgentConfig(config: unknown): { valid: boolean; errors: unknown } {
  const schema = JSON.parse(fs.readFileSync(agentSchemaFile, "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const valid = validate(config) as boolean;
  return { valid, errors: validate.errors };
}
