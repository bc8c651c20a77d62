/**
 * What the image installs from packer/files: the systemd units, the default
 * environment file, the logrotate policy and the CloudWatch agent template.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  agentSchemaFile,
  packerFilesDir,
  parseUnitFile,
  readRepoFile,
  validateAgentConfig,
} from "./support";

const unit = parseUnitFile(readRepoFile("packer/files/bookstore.service"));
const cloudwatchUnit = parseUnitFile(readRepoFile("packer/files/bookstore-cloudwatch.service"));
const agentTemplate = JSON.parse(readRepoFile("packer/files/cloudwatch-agent.json"));

function only(section: Record<string, string[]>, key: string): string {
  expect(section[key], key).toHaveLength(1);
  return section[key][0];
}

function seconds(value: string): number {
  const match = /^(\d+)(s|min)?$/.exec(value);
  if (!match) throw new Error(`unsupported time span ${value}`);
  return Number(match[1]) * (match[2] === "min" ? 60 : 1);
}

describe("bookstore.service", () => {
  it("runs as the bookstore user from the current release with the environment file", () => {
    expect(only(unit.Service, "User")).toBe("bookstore");
    expect(only(unit.Service, "Group")).toBe("bookstore");
    expect(only(unit.Service, "WorkingDirectory")).toBe("/opt/bookstore/current");
    expect(only(unit.Service, "EnvironmentFile")).toBe("/etc/bookstore/bookstore.env");
  });

  it("waits for the network and the EFS mount", () => {
    expect(unit.Unit.After.join(" ")).toContain("network-online.target");
    expect(unit.Unit.Wants.join(" ")).toContain("network-online.target");
    expect(only(unit.Unit, "RequiresMountsFor")).toBe("/mnt/efs");
  });

  it("migrates as the migrator user, then starts the server with the release's start command", () => {
    expect(unit.Service.ExecStartPre.at(-1)).toBe(
      "/usr/bin/node build/server/cli.js migrate --as migrator",
    );
    expect(only(unit.Service, "ExecStart")).toBe("/usr/bin/node build/server/index.js");
  });

  it("is skipped, not failed, until user data has written the environment", () => {
    expect(only(unit.Service, "ExecCondition")).toBe('/usr/bin/test -n "${BOOKSTORE_ENVIRONMENT}"');
    expect(only(cloudwatchUnit.Service, "ExecCondition")).toBe(
      '/usr/bin/test -n "${BOOKSTORE_ENVIRONMENT}"',
    );
  });

  it("restarts on failure and gives the app longer than its 10 s shutdown deadline", () => {
    expect(only(unit.Service, "Restart")).toBe("on-failure");
    expect(only(unit.Service, "KillSignal")).toBe("SIGTERM");
    expect(seconds(only(unit.Service, "TimeoutStopSec"))).toBeGreaterThan(10);
  });

  it("appends the app's output to the log file CloudWatch ships", () => {
    const appLog = agentTemplate.logs.logs_collected.files.collect_list[0].file_path;
    expect(only(unit.Service, "StandardOutput")).toBe(`append:${appLog}`);
    expect(only(unit.Service, "StandardError")).toBe(`append:${appLog}`);
  });

  it("is hardened: no new privileges, read-only system except the listed paths, private /tmp", () => {
    expect(only(unit.Service, "NoNewPrivileges")).toBe("yes");
    expect(only(unit.Service, "ProtectSystem")).toBe("strict");
    expect(only(unit.Service, "ReadWritePaths").split(/\s+/)).toContain("/mnt/efs");
    expect(only(unit.Service, "PrivateTmp")).toBe("yes");
    expect(only(unit.Service, "ProtectHome")).toBe("yes");
    expect(only(unit.Service, "CapabilityBoundingSet")).toBe("");
    // V8's JIT needs writable+executable memory.
    expect(unit.Service.MemoryDenyWriteExecute).toBeUndefined();
  });

  it("is wanted by multi-user.target so enabling it starts it at boot", () => {
    expect(only(unit.Install, "WantedBy")).toBe("multi-user.target");
    expect(only(cloudwatchUnit.Install, "WantedBy")).toBe("multi-user.target");
  });
});

describe("bookstore-cloudwatch.service", () => {
  it("renders the agent config once per (re)start from the environment file", () => {
    expect(only(cloudwatchUnit.Service, "Type")).toBe("oneshot");
    expect(only(cloudwatchUnit.Service, "RemainAfterExit")).toBe("yes");
    expect(only(cloudwatchUnit.Service, "EnvironmentFile")).toBe("/etc/bookstore/bookstore.env");
    expect(only(cloudwatchUnit.Service, "ExecStart")).toBe(
      "/usr/local/libexec/bookstore/render-cloudwatch-config.sh",
    );
  });
});

describe("default bookstore.env", () => {
  const entries = Object.fromEntries(
    readRepoFile("packer/files/bookstore.env")
      .split("\n")
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => line.split("=", 2) as [string, string]),
  );

  it("sets production defaults and no secrets", () => {
    expect(entries).toMatchObject({
      NODE_ENV: "production",
      PORT: "3000",
      UPLOADS_DIR: "/mnt/efs/uploads",
    });
    expect(Object.keys(entries).filter((key) => /SECRET$|PASSWORD/.test(key))).toEqual([]);
  });

  it("leaves BOOKSTORE_ENVIRONMENT to user data, so both units wait for it", () => {
    expect(entries.BOOKSTORE_ENVIRONMENT).toBeUndefined();
  });
});

describe("logrotate policy", () => {
  const policy = readRepoFile("packer/files/bookstore.logrotate");

  it("rotates the app log in place, since systemd keeps it open", () => {
    expect(policy).toMatch(/^\/var\/log\/bookstore\/\*\.log \{/m);
    expect(policy).toMatch(/^\s+copytruncate$/m);
    expect(policy).toMatch(/^\s+compress$/m);
    expect(policy).toMatch(/^\s+rotate \d+$/m);
  });
});

describe("cloudwatch-agent.json", () => {
  it("validates against the agent's JSON schema", () => {
    const { valid, errors } = validateAgentConfig(agentTemplate);
    expect(errors).toBeNull();
    expect(valid).toBe(true);
  });

  it("ships the app log and syslog to the environment's log groups", () => {
    const collected = agentTemplate.logs.logs_collected.files.collect_list;
    expect(collected).toEqual([
      expect.objectContaining({
        file_path: "/var/log/bookstore/app.log",
        log_group_name: "/bookstore/__ENVIRONMENT__/app",
      }),
      expect.objectContaining({
        file_path: "/var/log/syslog",
        log_group_name: "/bookstore/__ENVIRONMENT__/syslog",
      }),
    ]);
  });

  it("publishes memory and root disk use to the Bookstore namespace by Auto Scaling group", () => {
    const { metrics } = agentTemplate;
    expect(metrics.namespace).toBe("Bookstore");
    expect(metrics.append_dimensions).toEqual({
      AutoScalingGroupName: "${aws:AutoScalingGroupName}",
    });
    expect(metrics.aggregation_dimensions).toContainEqual(["AutoScalingGroupName"]);
    expect(metrics.metrics_collected.mem.measurement).toEqual(["mem_used_percent"]);
    expect(metrics.metrics_collected.disk.measurement).toEqual(["used_percent"]);
    expect(metrics.metrics_collected.disk.resources).toEqual(["/"]);
  });

  it("is refused by the schema when broken, so the validation is real", () => {
    const broken = structuredClone(agentTemplate);
    broken.logs.logs_collected.files.collect_list[0].log_group = "typo";
    expect(validateAgentConfig(broken).valid).toBe(false);
  });

  it("validates against the committed upstream schema that packer/schemas/README.md describes", () => {
    const bytes = fs.readFileSync(agentSchemaFile);
    const schema = JSON.parse(bytes.toString("utf8"));
    expect(schema.$schema).toBe("http://json-schema.org/draft-04/schema#");
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["agent", "metrics", "logs"]),
    );

    // The README names the upstream file, commit and hash; the copy is byte-identical to it.
    const readme = readRepoFile("packer/schemas/README.md");
    expect(readme).toContain("aws/amazon-cloudwatch-agent");
    expect(readme).toContain("translator/config/schema.json");
    expect(readme).toContain("ab55b8daa204e95c42c0267ee5aa49ec3b3a7317");
    const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
    expect(readme).toContain(sha256);

    const licence = readRepoFile("packer/schemas/LICENSE");
    expect(licence).toMatch(/^MIT License$/m);
    expect(licence).toContain("Copyright Amazon.com, Inc. or its affiliates. All Rights Reserved.");

    // A test fixture, not part of the image: Packer uploads packer/files only.
    expect(fs.readdirSync(packerFilesDir).filter((f) => f.includes("schema"))).toEqual([]);
  });
});
