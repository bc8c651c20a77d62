/**
 * The contract between the image and the infrastructure, checked from both
 * sides: infra/lib/naming.ts and the launch template's user data on one, the
 * units, scripts and files the image ships on the other.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../app/lib/config.server";
import { ENV_FILE_KEYS, environmentFile, userDataScript } from "../../infra/constructs/user-data";
import * as naming from "../../infra/lib/naming";
import { packerFilesDir, packerScriptsDir, parseUnitFile, readRepoFile } from "./support";

const instance = {
  environment: "staging",
  region: "eu-west-1",
  dbHost: "db.example.internal",
  dbName: "bookstore",
  dbUser: "bookstore",
  databaseSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-app",
  migratorSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-migrator",
  sessionSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:session",
  efsFileSystemId: "fs-0123456789abcdef0",
  efsAccessPointId: "fsap-0123456789abcdef0",
  webConcurrency: 2,
  dbPoolMax: 4,
};
const written = environmentFile(instance) as Record<string, string>;

const unit = parseUnitFile(readRepoFile("packer/files/bookstore.service")).Service;
const cloudwatchUnit = parseUnitFile(
  readRepoFile("packer/files/bookstore-cloudwatch.service"),
).Service;
const defaults = Object.fromEntries(
  readRepoFile("packer/files/bookstore.env")
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => line.split("=", 2) as [string, string]),
);

/** The value of `readonly NAME=...` in one of the provisioning scripts. */
function scriptSetting(script: string, name: string): string {
  const text = fs.readFileSync(path.join(packerScriptsDir, script), "utf8");
  const match = new RegExp(`^readonly ${name}="?([^"\\n]*)"?$`, "m").exec(text);
  if (!match) throw new Error(`${script} has no readonly ${name}`);
  return match[1];
}

const under = (dir: string, file: string) => file === dir || file.startsWith(`${dir}/`);

describe("the environment file", () => {
  it("is where both units read it", () => {
    expect(unit.EnvironmentFile).toEqual([naming.ENV_FILE]);
    expect(cloudwatchUnit.EnvironmentFile).toEqual([naming.ENV_FILE]);
  });

  it("has, by default, only keys user data writes, with the values it writes", () => {
    for (const [key, value] of Object.entries(defaults)) {
      expect(ENV_FILE_KEYS as readonly string[], key).toContain(key);
      expect(value, key).toBe(written[key]);
    }
  });

  it("names the environment the units wait for", () => {
    expect(written.BOOKSTORE_ENVIRONMENT).toBe("staging");
    expect(unit.ExecCondition[0]).toContain("${BOOKSTORE_ENVIRONMENT}");
  });

  it("puts uploads and shared assets on EFS, where the unit may write", () => {
    for (const key of ["UPLOADS_DIR", "SHARED_ASSETS_DIR"]) {
      expect(under(naming.EFS_MOUNT_POINT, written[key]), key).toBe(true);
      expect(
        unit.ReadWritePaths.join(" ")
          .split(" ")
          .some((dir) => under(dir, written[key])),
      ).toBe(true);
    }
  });

  it("points DB_SSL_CA at the bundle the image downloads", () => {
    expect(written.DB_SSL_CA).toBe(naming.RDS_CA_BUNDLE);
    expect(scriptSetting("install-rds-ca-bundle.sh", "BUNDLE_PATH")).toBe(naming.RDS_CA_BUNDLE);
  });

  it("serves on the port the load balancer checks", () => {
    expect(written.PORT).toBe(String(naming.APP_PORT));
  });
});

describe("database identities and the connection budget", () => {
  // What the app makes of the file user data writes: app/lib/config.server.ts, as on an instance.
  const parsed = loadConfig(written);

  it("connects the server as the app user and migrates as the migrator, by their secrets", () => {
    expect(parsed.database).toMatchObject({
      client: "mysql",
      user: instance.dbUser,
      secretArn: instance.databaseSecretArn,
      migratorSecretArn: instance.migratorSecretArn,
    });
    expect(parsed.database).not.toHaveProperty("masterSecretArn");
    expect(unit.ExecStartPre.at(-1)).toBe(
      "/usr/bin/node build/server/cli.js migrate --as migrator",
    );
    expect(unit.ExecStart).toEqual(["/usr/bin/node build/server/index.js"]);
  });

  it("runs the workers and pool sizes the infrastructure budgeted", () => {
    expect(written.WEB_CONCURRENCY).toBe("2");
    expect(written.DB_POOL_MAX).toBe("4");
    expect(parsed.webConcurrency).toBe(instance.webConcurrency);
    expect(parsed.pool.max).toBe(instance.dbPoolMax);
  });

  it("leaves per-environment sizes out of the image's default file", () => {
    for (const key of ["WEB_CONCURRENCY", "DB_POOL_MAX", "DATABASE_MIGRATOR_SECRET_ARN"]) {
      expect(defaults[key], key).toBeUndefined();
      expect(ENV_FILE_KEYS as readonly string[]).toContain(key);
    }
  });
});

describe("user data", () => {
  const script = userDataScript(instance);

  it("restarts exactly the units the image ships", () => {
    const restart = /^systemctl restart (.+)$/m.exec(script)?.[1].split(" ") ?? [];
    expect(restart.sort()).toEqual(["bookstore-cloudwatch.service", "bookstore.service"]);
    for (const unitName of restart)
      expect(fs.existsSync(path.join(packerFilesDir, unitName))).toBe(true);
  });

  it("gives the env file to the group the image creates", () => {
    expect(script).toMatch(/^chown root:bookstore /m);
    expect(scriptSetting("create-app-user.sh", "APP_USER")).toBe("bookstore");
  });
});

describe("identities, mounts and telemetry", () => {
  it("runs the app as the uid and gid the EFS access point enforces", () => {
    expect(Number(scriptSetting("create-app-user.sh", "APP_UID"))).toBe(naming.BOOKSTORE_UID);
    expect(Number(scriptSetting("create-app-user.sh", "APP_GID"))).toBe(naming.BOOKSTORE_UID);
    expect(readRepoFile("Dockerfile")).toContain(`--uid ${naming.BOOKSTORE_UID}`);
  });

  it("mounts EFS where the infra expects it", () => {
    expect(scriptSetting("configure-efs-mount.sh", "MOUNT_POINT")).toBe(naming.EFS_MOUNT_POINT);
    expect(
      parseUnitFile(readRepoFile("packer/files/bookstore.service")).Unit.RequiresMountsFor,
    ).toEqual([naming.EFS_MOUNT_POINT]);
  });

  it("ships logs to the log groups the foundation stack creates", () => {
    const rendered = JSON.parse(
      readRepoFile("packer/files/cloudwatch-agent.json").replaceAll("__ENVIRONMENT__", "staging"),
    );
    const groups = rendered.logs.logs_collected.files.collect_list.map(
      (c: { log_group_name: string }) => c.log_group_name,
    );
    expect(groups).toEqual([
      naming.appLogGroupName("staging"),
      naming.syslogLogGroupName("staging"),
    ]);
  });

  it("publishes metrics to the namespace the alarms watch", () => {
    const agent = JSON.parse(readRepoFile("packer/files/cloudwatch-agent.json"));
    expect(agent.metrics.namespace).toBe(naming.METRICS_NAMESPACE);
  });

  it("answers the load balancer's health check path in the container too", () => {
    expect(readRepoFile("Dockerfile")).toContain(naming.HEALTH_CHECK_PATH);
  });
});
