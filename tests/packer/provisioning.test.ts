/**
 * The provisioning steps that write files run against a temporary root
 * directory, twice: the second run must change nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  hasCommand,
  inCi,
  makeTempDir,
  packerFilesDir,
  packerScriptsDir,
  runScript,
  snapshotTree,
  validateAgentConfig,
} from "./support";

const efsMount = path.join(packerScriptsDir, "configure-efs-mount.sh");
const service = path.join(packerScriptsDir, "configure-service.sh");
const render = path.join(packerFilesDir, "render-cloudwatch-config.sh");

const FS_ID = "fs-0123456789abcdef0";
const AP_ID = "fsap-0fedcba9876543210";
const ROOT_LINE = "LABEL=cloudimg-rootfs / ext4 discard,errors=remount-ro 0 1";

let root: string;

beforeEach(() => {
  root = makeTempDir("root");
  fs.mkdirSync(path.join(root, "etc"));
  fs.writeFileSync(
    path.join(root, "etc/fstab"),
    `# <file system> <mount point> <type>\n${ROOT_LINE}\n`,
  );
});

function fstabLines(): string[] {
  return fs.readFileSync(path.join(root, "etc/fstab"), "utf8").split("\n").filter(Boolean);
}

function efsLines(): string[] {
  return fstabLines().filter((line) => line.split(/\s+/)[1] === "/mnt/efs");
}

describe("configure-efs-mount.sh", () => {
  it("adds one fstab line for EFS over TLS with IAM, and a second run adds nothing", () => {
    const env = { ROOT: root, EFS_FILE_SYSTEM_ID: FS_ID };
    expect(runScript(efsMount, env).status).toBe(0);
    const afterFirst = snapshotTree(root);
    const second = runScript(efsMount, env);
    expect(second.status).toBe(0);
    expect(snapshotTree(root)).toEqual(afterFirst);

    expect(efsLines()).toEqual([`${FS_ID}:/ /mnt/efs efs _netdev,noresvport,tls,iam,nofail 0 0`]);
    expect(fstabLines()).toContain(ROOT_LINE);
    expect(fs.statSync(path.join(root, "mnt/efs")).isDirectory()).toBe(true);
  });

  it("mounts through the access point when one is given, replacing the old line", () => {
    expect(runScript(efsMount, { ROOT: root, EFS_FILE_SYSTEM_ID: FS_ID }).status).toBe(0);
    const env = { ROOT: root, EFS_FILE_SYSTEM_ID: FS_ID, EFS_ACCESS_POINT_ID: AP_ID };
    expect(runScript(efsMount, env).status).toBe(0);
    expect(runScript(efsMount, env).status).toBe(0);
    expect(efsLines()).toEqual([
      `${FS_ID}:/ /mnt/efs efs _netdev,noresvport,tls,iam,nofail,accesspoint=${AP_ID} 0 0`,
    ]);
    expect(fstabLines().filter((line) => line === ROOT_LINE)).toHaveLength(1);
  });

  it.each([
    ["a malformed file system id", { EFS_FILE_SYSTEM_ID: "fs-xyz" }],
    ["a missing file system id", { EFS_FILE_SYSTEM_ID: "" }],
    ["an access point id as the file system", { EFS_FILE_SYSTEM_ID: AP_ID }],
    ["a malformed access point id", { EFS_FILE_SYSTEM_ID: FS_ID, EFS_ACCESS_POINT_ID: "fsap-1" }],
    ["an id that smuggles options", { EFS_FILE_SYSTEM_ID: `${FS_ID} /etc ext4` }],
  ])("refuses %s and leaves fstab alone", (_, ids) => {
    const before = snapshotTree(root);
    const run = runScript(efsMount, { ROOT: root, EFS_ACCESS_POINT_ID: "", ...ids });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/must look like/);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe.skipIf(!hasCommand("systemctl") && !inCi)("configure-service.sh", () => {
  const env = () => ({ ROOT: root, FILES_DIR: packerFilesDir });

  it("installs units, env file, logrotate and agent template; a second run changes nothing", () => {
    const first = runScript(service, env());
    expect(first.status, first.stderr).toBe(0);
    const afterFirst = snapshotTree(root);
    const second = runScript(service, env());
    expect(second.status, second.stderr).toBe(0);
    expect(snapshotTree(root)).toEqual(afterFirst);

    const installed = (file: string, from: string) =>
      expect(fs.readFileSync(path.join(root, file), "utf8")).toBe(
        fs.readFileSync(path.join(packerFilesDir, from), "utf8"),
      );
    installed("etc/systemd/system/bookstore.service", "bookstore.service");
    installed("etc/systemd/system/bookstore-cloudwatch.service", "bookstore-cloudwatch.service");
    installed("etc/bookstore/bookstore.env", "bookstore.env");
    installed("etc/logrotate.d/bookstore", "bookstore.logrotate");
    installed("etc/bookstore/cloudwatch-agent.template.json", "cloudwatch-agent.json");
    installed(
      "usr/local/libexec/bookstore/render-cloudwatch-config.sh",
      "render-cloudwatch-config.sh",
    );
    expect(
      fs.statSync(path.join(root, "usr/local/libexec/bookstore/render-cloudwatch-config.sh")).mode &
        0o777,
    ).toBe(0o755);
    expect(fs.statSync(path.join(root, "etc/systemd/system/bookstore.service")).mode & 0o777).toBe(
      0o644,
    );
  });

  it("enables both units for multi-user.target", () => {
    expect(runScript(service, env()).status).toBe(0);
    const wants = path.join(root, "etc/systemd/system/multi-user.target.wants");
    for (const unitName of ["bookstore.service", "bookstore-cloudwatch.service"]) {
      expect(fs.readlinkSync(path.join(wants, unitName))).toBe(`/etc/systemd/system/${unitName}`);
    }
  });

  it("keeps an environment file that user data already wrote", () => {
    const envFile = path.join(root, "etc/bookstore/bookstore.env");
    fs.mkdirSync(path.dirname(envFile), { recursive: true });
    fs.writeFileSync(envFile, "NODE_ENV=production\nBOOKSTORE_ENVIRONMENT=staging\n");
    expect(runScript(service, env()).status).toBe(0);
    expect(fs.readFileSync(envFile, "utf8")).toContain("BOOKSTORE_ENVIRONMENT=staging");
  });

  it("restores a unit file that was edited by hand", () => {
    expect(runScript(service, env()).status).toBe(0);
    const unitFile = path.join(root, "etc/systemd/system/bookstore.service");
    fs.appendFileSync(unitFile, "\n# local edit\n");
    expect(runScript(service, env()).status).toBe(0);
    expect(fs.readFileSync(unitFile, "utf8")).not.toContain("local edit");
  });
});

describe.skipIf(!hasCommand("systemctl") && !inCi)("render-cloudwatch-config.sh", () => {
  let agentCalls: string;
  let fakeAgentCtl: string;

  beforeEach(() => {
    expect(runScript(service, { ROOT: root, FILES_DIR: packerFilesDir }).status).toBe(0);
    agentCalls = path.join(root, "agent-calls.txt");
    fakeAgentCtl = path.join(root, "amazon-cloudwatch-agent-ctl");
    fs.writeFileSync(fakeAgentCtl, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${agentCalls}'\n`, {
      mode: 0o755,
    });
  });

  const rendered = () => path.join(root, "opt/aws/amazon-cloudwatch-agent/etc/bookstore.json");

  it("names the log groups after the environment and starts the agent with that file", () => {
    const env = { ROOT: root, AGENT_CTL: fakeAgentCtl, BOOKSTORE_ENVIRONMENT: "staging" };
    const run = runScript(render, env);
    expect(run.status, run.stderr).toBe(0);
    const config = JSON.parse(fs.readFileSync(rendered(), "utf8"));
    const groups = config.logs.logs_collected.files.collect_list.map(
      (c: { log_group_name: string }) => c.log_group_name,
    );
    expect(groups).toEqual(["/bookstore/staging/app", "/bookstore/staging/syslog"]);
    expect(fs.readFileSync(rendered(), "utf8")).not.toContain("__ENVIRONMENT__");
    expect(validateAgentConfig(config).valid).toBe(true);
    expect(fs.readFileSync(agentCalls, "utf8").trim()).toBe(
      `-a fetch-config -m ec2 -s -c file:${rendered()}`,
    );
  });

  it("rewrites nothing on a second run but still (re)starts the agent", () => {
    const env = { ROOT: root, AGENT_CTL: fakeAgentCtl, BOOKSTORE_ENVIRONMENT: "production" };
    expect(runScript(render, env).status).toBe(0);
    const before = fs.statSync(rendered()).mtimeMs;
    expect(runScript(render, env).status).toBe(0);
    expect(fs.statSync(rendered()).mtimeMs).toBe(before);
    expect(fs.readFileSync(agentCalls, "utf8").trim().split("\n")).toHaveLength(2);
  });

  it.each(["", "Prod", "prod/../../x", "a;b"])("refuses the environment name %j", (name) => {
    const run = runScript(render, {
      ROOT: root,
      AGENT_CTL: fakeAgentCtl,
      BOOKSTORE_ENVIRONMENT: name,
    });
    expect(run.status).not.toBe(0);
    expect(fs.existsSync(rendered())).toBe(false);
    expect(fs.existsSync(agentCalls)).toBe(false);
  });
});

const runningAsRoot = process.getuid?.() === 0;
if (!runningAsRoot) console.warn("NOTICE: not root; create-app-user.sh (chroot) is not run.");

describe.runIf(runningAsRoot)("create-app-user.sh", () => {
  const createUser = path.join(packerScriptsDir, "create-app-user.sh");

  beforeEach(() => {
    fs.writeFileSync(path.join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    fs.writeFileSync(path.join(root, "etc/group"), "root:x:0:\n");
    fs.writeFileSync(path.join(root, "etc/shadow"), "root:*:19000:0:99999:7:::\n", { mode: 0o640 });
    fs.writeFileSync(path.join(root, "etc/gshadow"), "root:*::\n", { mode: 0o640 });
  });

  const entry = (file: string) =>
    fs
      .readFileSync(path.join(root, "etc", file), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("bookstore:"));

  it("creates user and group 10001 with no login shell, and a second run changes nothing", () => {
    const first = runScript(createUser, { ROOT: root });
    expect(first.status, first.stderr).toBe(0);
    const afterFirst = snapshotTree(root);
    expect(runScript(createUser, { ROOT: root }).status).toBe(0);
    expect(snapshotTree(root)).toEqual(afterFirst);

    expect(entry("passwd")).toEqual(["bookstore:x:10001:10001::/opt/bookstore:/usr/sbin/nologin"]);
    expect(entry("group")).toEqual(["bookstore:x:10001:"]);
  });

  it("refuses a bookstore group with another gid rather than run with the wrong ids", () => {
    fs.appendFileSync(path.join(root, "etc/group"), "bookstore:x:999:\n");
    const run = runScript(createUser, { ROOT: root });
    expect(run.status).toBe(65);
    expect(run.stderr).toContain("gid 999");
    expect(entry("passwd")).toEqual([]);
  });
});
