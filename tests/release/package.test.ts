/**
 * The release artifact end to end: `npm run package` (without rebuilding),
 * then the image's own install step (packer/scripts/install-release.sh)
 * against a temporary root, installing production dependencies from the local
 * npm cache (--prefer-offline); then migrate a fresh SQLite database, start the
 * server, wait until /readyz answers and stop it with SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  inCi,
  makeTempDir,
  packerFilesDir,
  packerScriptsDir,
  parseUnitFile,
  repoRoot,
  runScript,
  type ScriptRun,
} from "../packer/support";
import { freePort } from "../helpers/net";

const buildExists = fs.existsSync(path.join(repoRoot, "build/server/index.js"));
if (!buildExists && !inCi) {
  console.warn(
    "NOTICE: no build/server/index.js; run `npm run build` first. The release test is skipped.",
  );
}

const packageScript = path.join(repoRoot, "scripts/package.sh");
const installRelease = path.join(packerScriptsDir, "install-release.sh");
const version: string = JSON.parse(
  fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"),
).version;
const owner = `${os.userInfo().uid}:${os.userInfo().gid}`;

function packageInto(outDir: string, env: Record<string, string> = {}): string {
  const run = runScript(packageScript, env, ["--skip-build", "--out-dir", outDir]);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split("\n").at(-1)!;
}

function installInto(root: string, tarball: string, appVersion = version): ScriptRun {
  return runScript(installRelease, {
    ROOT: root,
    RELEASE_TARBALL: tarball,
    APP_VERSION: appVersion,
    APP_OWNER: owner,
    // From the local npm cache; the registry only for what the cache lacks (this
    // project's npm config omits resolved URLs, so a cold packument is fetched).
    npm_config_prefer_offline: "true",
  });
}

describe.runIf(buildExists || inCi)("release tarball", () => {
  let work: string;
  let tarball: string;
  let root: string;
  let current: string;
  let firstInstall: ScriptRun;
  let revision: string;
  let repacked: string;

  beforeAll(() => {
    expect(buildExists, "build/server/index.js (npm test builds first)").toBe(true);
    work = makeTempDir("release");
    tarball = packageInto(path.join(work, "dist"));
    // Others may commit while this runs: compare with what was packed, not with HEAD now.
    revision = spawnSync("tar", ["-xzOf", tarball, "./REVISION"], {
      encoding: "utf8",
    }).stdout.trim();
    // Packed again at once, before anyone can rebuild build/ in this shared checkout.
    repacked = packageInto(path.join(work, "dist-again"), { GIT_SHA: revision });
    root = path.join(work, "root");
    firstInstall = installInto(root, tarball);
    current = path.join(root, "opt/bookstore/current");
  }, 600_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("is named after the version and the commit, with a checksum beside it", () => {
    expect(revision).toMatch(/^[0-9a-f]{40}$/);
    const commit = spawnSync("git", ["cat-file", "-e", `${revision}^{commit}`], { cwd: repoRoot });
    expect(commit.status, "REVISION is a commit of this repository").toBe(0);
    expect(path.basename(tarball)).toBe(`bookstore-${version}-${revision.slice(0, 12)}.tgz`);
    const [sum] = fs.readFileSync(`${tarball}.sha256`, "utf8").split(/\s+/);
    expect(sum).toBe(crypto.createHash("sha256").update(fs.readFileSync(tarball)).digest("hex"));
  });

  it("holds the built server and client, the package files, VERSION and REVISION, and nothing else", () => {
    const entries = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" }).stdout.split("\n");
    const topLevel = new Set(
      entries.filter(Boolean).map((e) => e.replace(/^\.\//, "").split("/")[0]),
    );
    topLevel.delete("");
    expect([...topLevel].sort()).toEqual(
      ["REVISION", "VERSION", "build", "package-lock.json", "package.json", "public"].sort(),
    );
    for (const file of ["./build/index.js", "./build/server/index.js", "./build/server/cli.js"]) {
      expect(entries).toContain(file);
    }
    expect(entries.some((e) => e.startsWith("./public/build/"))).toBe(true);
    expect(entries.some((e) => e.includes("node_modules/"))).toBe(false);
  });

  it("is reproducible: packing the same build again gives the same bytes", () => {
    expect(path.basename(repacked)).toBe(path.basename(tarball));
    expect(fs.readFileSync(repacked).equals(fs.readFileSync(tarball))).toBe(true);
  });

  it("installs under releases/<version> with production dependencies only", () => {
    expect(firstInstall.status, firstInstall.stderr).toBe(0);
    expect(fs.readlinkSync(current)).toBe(`releases/${version}`);
    expect(fs.readFileSync(path.join(current, "VERSION"), "utf8").trim()).toBe(version);
    expect(fs.existsSync(path.join(current, "node_modules/better-sqlite3"))).toBe(true);
    expect(fs.existsSync(path.join(current, "node_modules/vitest"))).toBe(false);
    expect(fs.existsSync(path.join(root, `opt/bookstore/releases/${version}.staging`))).toBe(false);
  });

  it("does nothing on a second install of the same release", () => {
    const marker = path.join(current, ".bookstore-installed");
    const before = fs.statSync(marker).mtimeMs;
    const again = installInto(root, tarball);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain("already installed");
    expect(fs.statSync(marker).mtimeMs).toBe(before);
  });

  it("refuses a tarball whose VERSION is not the version asked for", () => {
    const wrong = installInto(path.join(work, "other-root"), tarball, "9.9.9");
    expect(wrong.status).toBe(65);
    expect(fs.existsSync(path.join(work, "other-root/opt/bookstore/releases/9.9.9"))).toBe(false);
  });

  it("gives the systemd unit every path it names, once the other bake steps ran in the same root", () => {
    const efs = runScript(path.join(packerScriptsDir, "configure-efs-mount.sh"), {
      ROOT: root,
      EFS_FILE_SYSTEM_ID: "fs-0123456789abcdef0",
    });
    expect(efs.status, efs.stderr).toBe(0);
    const service = runScript(path.join(packerScriptsDir, "configure-service.sh"), {
      ROOT: root,
      FILES_DIR: packerFilesDir,
    });
    expect(service.status, service.stderr).toBe(0);

    const unit = parseUnitFile(
      fs.readFileSync(path.join(root, "etc/systemd/system/bookstore.service"), "utf8"),
    ).Service;
    const inRoot = (p: string) => path.join(root, p);
    const workingDirectory = unit.WorkingDirectory[0];
    expect(fs.existsSync(inRoot(unit.EnvironmentFile[0]))).toBe(true);
    expect(fs.existsSync(inRoot(unit.ReadWritePaths[0]))).toBe(true);
    expect(
      fs.existsSync(path.dirname(inRoot(unit.StandardOutput[0].replace(/^append:/, "")))),
    ).toBe(true);
    for (const command of [...unit.ExecStartPre, ...unit.ExecStart]) {
      const script = command.split(" ").find((word) => word.startsWith("build/"));
      if (script)
        expect(fs.existsSync(path.join(inRoot(workingDirectory), script)), script).toBe(true);
    }
  });

  describe("running the installed release", () => {
    let server: ChildProcess | undefined;
    let output = "";
    let port: number;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      port = await freePort();
      const data = path.join(work, "data");
      fs.mkdirSync(path.join(data, "uploads"), { recursive: true });
      // Only what production gets: no test runner variables leak in.
      env = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        PORT: String(port),
        DATABASE_URL: `sqlite:${path.join(data, "bookstore.sqlite")}`,
        UPLOADS_DIR: path.join(data, "uploads"),
        SHARED_ASSETS_DIR: path.join(data, "assets"),
        SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
      };
    });

    afterAll(() => {
      server?.kill("SIGKILL");
    });

    it("migrates a fresh SQLite database", () => {
      const migrate = spawnSync("node", ["build/server/cli.js", "migrate"], {
        cwd: current,
        env,
        encoding: "utf8",
      });
      expect(migrate.status, migrate.stdout + migrate.stderr).toBe(0);
      const again = spawnSync("node", ["build/server/cli.js", "migrate"], {
        cwd: current,
        env,
        encoding: "utf8",
      });
      expect(again.status, again.stdout + again.stderr).toBe(0);
    });

    it("starts with the image's start command and answers /readyz", async () => {
      server = spawn("node", ["build/server/index.js"], {
        cwd: current,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      server.stdout?.on("data", (chunk) => (output += chunk));
      server.stderr?.on("data", (chunk) => (output += chunk));
      let exited = false;
      server.once("exit", () => (exited = true));
      server.once("error", (error) => {
        exited = true;
        output += String(error);
      });

      const deadline = Date.now() + 60_000;
      let ready: Response | undefined;
      while (!ready && !exited && Date.now() < deadline) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(exited, `server exited early:\n${output}`).toBe(false);
      expect(ready?.status, output).toBe(200);
      expect(ready?.headers.get("content-type")).toMatch(/application\/json/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
    }, 90_000);

    it("serves the fingerprinted client assets from the release", async () => {
      const home = await fetch(`http://127.0.0.1:${port}/`);
      const html = await home.text();
      const asset = /\/build\/[^"']+\.js/.exec(html)?.[0];
      expect(asset, html.slice(0, 500)).toBeDefined();
      expect((await fetch(`http://127.0.0.1:${port}${asset}`)).status).toBe(200);
      // …and published them for other releases on the shared folder (EFS on AWS).
      const shared = path.join(work, "data/assets", asset!.replace(/^\/build\//, ""));
      expect(fs.existsSync(shared), shared).toBe(true);
    });

    it("exits 0 within the systemd stop timeout after SIGTERM", async () => {
      const exit = new Promise<number | null>((resolve) =>
        server!.once("exit", (code) => resolve(code)),
      );
      server!.kill("SIGTERM");
      const code = await Promise.race([
        exit,
        new Promise((resolve) => setTimeout(() => resolve("timeout"), 30_000)),
      ]);
      expect(code, output).toBe(0);
      server = undefined;
    }, 35_000);
  });
});
