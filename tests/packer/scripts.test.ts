/**
 * Every shell script we ship is shellcheck-clean and follows the same shape;
 * the unit files pass systemd's own verifier; the template is packer-fmt'd.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  hasCommand,
  makeTempDir,
  packerDir,
  packerFilesDir,
  packerScriptsDir,
  repoRoot,
  toolAvailable,
} from "./support";

const shellScripts = [
  ...fs.readdirSync(packerScriptsDir).map((f) => path.join(packerScriptsDir, f)),
  ...fs.readdirSync(packerFilesDir).map((f) => path.join(packerFilesDir, f)),
  path.join(repoRoot, "scripts/package.sh"),
]
  .filter((file) => file.endsWith(".sh"))
  .map((file) => path.relative(repoRoot, file));

describe("shell scripts", () => {
  it("are all found", () => {
    expect(shellScripts.length).toBeGreaterThanOrEqual(12);
  });

  // Missing shellcheck skips here, but fails under CI=true (.ci/run installs it).
  describe.runIf(toolAvailable("shellcheck", { requiredInCi: true }))("shellcheck", () => {
    it.each(shellScripts)("%s is clean", (script) => {
      const result = spawnSync(
        "shellcheck",
        ["--shell=bash", "--severity=style", "--external-sources", script],
        {
          cwd: repoRoot,
          encoding: "utf8",
        },
      );
      expect(result.stdout + result.stderr).toBe("");
      expect(result.status).toBe(0);
    });
  });

  it.each(shellScripts)("%s is strict, executable and silences no check", (script) => {
    const text = fs.readFileSync(path.join(repoRoot, script), "utf8");
    expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(text).not.toMatch(/shellcheck disable/);
    expect(text).toMatch(/^main "\$@"$/m);
    expect(fs.statSync(path.join(repoRoot, script)).mode & 0o111).not.toBe(0);
  });

  it.each(shellScripts.filter((s) => s.startsWith("packer/")))(
    "%s names its steps for what they ensure and keeps its settings readonly",
    (script) => {
      const text = fs.readFileSync(path.join(repoRoot, script), "utf8");
      const functions = [...text.matchAll(/^([a-z_]+)\(\) \{$/gm)].map((m) => m[1]);
      expect(functions.some((name) => /^(ensure|require)_/.test(name))).toBe(true);
      expect(text).toMatch(/^readonly [A-Z_]+=/m);
    },
  );
});

describe.runIf(hasCommand("systemd-analyze"))("systemd-analyze verify", () => {
  // Paths that exist on the image but not necessarily on this machine.
  const providedByImage =
    /Command (\/usr\/local\/libexec\/bookstore\/\S+|\/usr\/bin\/node) is not executable/;

  it.each(["bookstore.service", "bookstore-cloudwatch.service"])(
    "%s has no unknown or malformed settings",
    (unit) => {
      const dir = makeTempDir("units");
      fs.copyFileSync(path.join(packerFilesDir, unit), path.join(dir, unit));
      const result = spawnSync("systemd-analyze", ["verify", "--man=no", `./${unit}`], {
        cwd: dir,
        encoding: "utf8",
      });
      const problems = result.stderr
        .split("\n")
        .filter((line) => line.trim() !== "" && !providedByImage.test(line));
      expect(problems).toEqual([]);
    },
  );
});

describe.runIf(toolAvailable("packer", { requiredInCi: false }))("packer fmt", () => {
  it("finds the template and variables already formatted", () => {
    const result = spawnSync("packer", ["fmt", "-check", "-diff", packerDir], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe.runIf(hasCommand("logrotate"))("logrotate", () => {
  it("reads the policy without errors", () => {
    const state = path.join(makeTempDir("logrotate"), "state");
    const result = spawnSync(
      "logrotate",
      ["--debug", "--state", state, path.join(packerFilesDir, "bookstore.logrotate")],
      { encoding: "utf8" },
    );
    expect(result.stderr.split("\n").filter((line) => line.startsWith("error:"))).toEqual([]);
    expect(result.status).toBe(0);
  });
});
