/**
 * The Packer template, parsed from HCL to JSON (Debian's packer 1.6.6 cannot
 * validate a template with required_plugins, so we assert on its structure).
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  packerFilesDir,
  packerScriptsDir,
  parseHclFile,
  readRepoFile,
  type HclJson,
} from "./support";

let template: HclJson;
let variables: HclJson;
let source: HclJson;
let build: HclJson;

beforeAll(async () => {
  template = await parseHclFile("packer/bookstore.pkr.hcl");
  variables = (await parseHclFile("packer/variables.pkr.hcl")).variable;
  source = template.source["amazon-ebs"].bookstore[0];
  build = template.build[0];
});

/** The first regex("…") in a validation condition, unescaped from HCL. */
function validationRegex(name: string): RegExp {
  const condition: string = variables[name][0].validation[0].condition;
  const match = /regex\("((?:[^"\\]|\\.)*)"/.exec(condition);
  if (!match) throw new Error(`no regex in the validation of ${name}: ${condition}`);
  return new RegExp(JSON.parse(`"${match[1]}"`) as string);
}

describe("packer block", () => {
  it("requires the official Amazon plugin", () => {
    const plugins = template.packer[0].required_plugins[0];
    expect(plugins.amazon.source).toBe("github.com/hashicorp/amazon");
    expect(plugins.amazon.version).toMatch(/^~> 1\./);
  });
});

describe("variables", () => {
  const validated = [
    "aws_region",
    "instance_type",
    "release_tarball",
    "app_version",
    "git_sha",
    "efs_file_system_id",
    "efs_access_point_id",
    "node_major",
  ];

  it.each(validated)("%s is typed, described and validated", (name) => {
    const variable = variables[name]?.[0];
    expect(variable, `variable ${name}`).toBeDefined();
    expect(variable.type).toMatch(/^\$\{(string|number)\}$/);
    expect(variable.description.length).toBeGreaterThan(10);
    expect(variable.validation[0].condition).toBeTruthy();
    expect(variable.validation[0].error_message).toMatch(/\.$/);
  });

  it("accepts real AWS ids and refuses look-alikes", () => {
    const fs_ = validationRegex("efs_file_system_id");
    expect(fs_.test("fs-0123456789abcdef0")).toBe(true);
    expect(fs_.test("fs-12345678")).toBe(true);
    for (const bad of [
      "fs-xyz",
      "fsap-0123456789abcdef0",
      "fs-0123456789ABCDEF0",
      " fs-12345678",
    ]) {
      expect(fs_.test(bad), bad).toBe(false);
    }
    const ap = validationRegex("efs_access_point_id");
    expect(ap.test("fsap-0123456789abcdef0")).toBe(true);
    expect(ap.test("fs-0123456789abcdef0")).toBe(false);
    expect(variables.efs_access_point_id[0].default).toBe("");
  });

  it("accepts the names npm run package produces", () => {
    expect(validationRegex("release_tarball").test("dist/bookstore-0.1.0-0123456789ab.tgz")).toBe(
      true,
    );
    expect(validationRegex("release_tarball").test("dist/bookstore.zip")).toBe(false);
    expect(validationRegex("app_version").test("0.1.0")).toBe(true);
    expect(validationRegex("app_version").test("latest")).toBe(false);
    expect(validationRegex("git_sha").test("0123456789abcdef0123456789abcdef01234567")).toBe(true);
    expect(validationRegex("git_sha").test("main")).toBe(false);
    expect(validationRegex("aws_region").test("eu-west-1")).toBe(true);
    expect(validationRegex("aws_region").test("us-gov-west-1")).toBe(true);
    expect(validationRegex("aws_region").test("Europe")).toBe(false);
  });

  it("installs an LTS line of Node.js by default", () => {
    const nodeMajor = variables.node_major[0];
    expect(nodeMajor.default % 2).toBe(0);
    expect(nodeMajor.validation[0].condition).toContain("% 2 == 0");
  });
});

describe("source amazon-ebs", () => {
  it("starts from the newest Ubuntu 22.04 LTS published by Canonical", () => {
    const filter = source.source_ami_filter[0];
    expect(filter.owners).toEqual(["099720109477"]);
    expect(filter.most_recent).toBe(true);
    expect(filter.filters.name).toContain("ubuntu-jammy-22.04-");
    expect(filter.filters["virtualization-type"]).toBe("hvm");
    expect(filter.filters["root-device-type"]).toBe("ebs");
  });

  it("encrypts the boot volume and the AMI's snapshot", () => {
    expect(source.encrypt_boot).toBe(true);
    const root = source.launch_block_device_mappings[0];
    expect(root.encrypted).toBe(true);
    expect(root.device_name).toBe("/dev/sda1");
    expect(root.volume_type).toBe("gp3");
  });

  it("requires IMDSv2 on the AMI and on the build instance", () => {
    expect(source.imds_support).toBe("v2.0");
    expect(source.metadata_options[0].http_tokens).toBe("required");
  });

  it("lets SSH in from the builder only, and takes the build's key out of the image", () => {
    expect(source.temporary_security_group_source_public_ip).toBe(true);
    expect(source.ssh_clear_authorized_keys).toBe(true);
  });

  it("tags the AMI and its snapshots with app, version, commit and build time", () => {
    expect(source.tags).toBe("${local.image_tags}");
    expect(source.snapshot_tags).toBe("${local.image_tags}");
    const tags = template.locals[0].image_tags;
    expect(tags).toEqual({
      App: "bookstore",
      Version: "${var.app_version}",
      GitSha: "${var.git_sha}",
      BuiltAt: "${local.built_at}",
    });
  });

  it("takes region and instance type from the variables", () => {
    expect(source.region).toBe("${var.aws_region}");
    expect(source.instance_type).toBe("${var.instance_type}");
  });
});

describe("build", () => {
  it("builds the amazon-ebs source", () => {
    expect(build.sources).toEqual(["source.amazon-ebs.bookstore"]);
  });

  it("uploads the release tarball and the files directory", () => {
    const uploads = build.provisioner.file.map((p: HclJson) => p.source);
    expect(uploads).toContain("${var.release_tarball}");
    expect(uploads).toContain("${path.root}/files/");
  });

  it("runs every provisioning script, each once, in a working order", () => {
    const shell = build.provisioner.shell.find((p: HclJson) => p.scripts);
    const scripts: string[] = shell.scripts.map((s: string) =>
      s.replace("${path.root}/scripts/", ""),
    );
    const onDisk = fs.readdirSync(packerScriptsDir).filter((f) => f.endsWith(".sh"));
    expect([...scripts].sort()).toEqual([...onDisk].sort());
    const before = (a: string, b: string) =>
      expect(scripts.indexOf(a), `${a} before ${b}`).toBeLessThan(scripts.indexOf(b));
    before("install-os-updates.sh", "install-nodejs.sh");
    before("install-nodejs.sh", "install-release.sh");
    before("create-app-user.sh", "install-release.sh");
    before("install-efs-utils.sh", "configure-efs-mount.sh");
    before("install-cloudwatch-agent.sh", "configure-service.sh");
    expect(scripts.at(-1)).toBe("cleanup.sh");
  });

  it("passes the EFS ids, versions and staging paths to the scripts", () => {
    const shell = build.provisioner.shell.find((p: HclJson) => p.scripts);
    expect(shell.environment_vars).toEqual(
      expect.arrayContaining([
        "EFS_FILE_SYSTEM_ID=${var.efs_file_system_id}",
        "EFS_ACCESS_POINT_ID=${var.efs_access_point_id}",
        "NODE_MAJOR=${var.node_major}",
        "APP_VERSION=${var.app_version}",
      ]),
    );
    expect(shell.execute_command).toMatch(
      /^chmod \+x \{\{ \.Path \}\}; sudo env \{\{ \.Vars \}\} bash/,
    );
  });

  it("uploads before it provisions (HCL order; hcl2json groups blocks by type)", () => {
    const text = readRepoFile("packer/bookstore.pkr.hcl");
    const order = [...text.matchAll(/provisioner "(\w+)"/g)].map((m) => m[1]);
    expect(order).toEqual(["shell", "file", "file", "shell"]);
  });

  it("records the AMI in a manifest for the app stack", () => {
    const manifest = build["post-processor"].manifest[0];
    expect(manifest.output).toBe("${path.root}/manifest.json");
    expect(manifest.custom_data).toMatchObject({
      app_version: "${var.app_version}",
      git_sha: "${var.git_sha}",
    });
  });

  it("keeps the manifest out of git", () => {
    expect(readRepoFile(".gitignore")).toMatch(/^\/packer\/manifest\.json$/m);
  });

  it("ships every file the provisioning scripts install", () => {
    for (const file of [
      "bookstore.service",
      "bookstore-cloudwatch.service",
      "bookstore.env",
      "bookstore.logrotate",
      "cloudwatch-agent.json",
      "render-cloudwatch-config.sh",
    ]) {
      expect(fs.existsSync(path.join(packerFilesDir, file)), file).toBe(true);
    }
  });
});

describe("references", () => {
  const text = readRepoFile("packer/bookstore.pkr.hcl");
  const referenced = (kind: string) =>
    new Set([...text.matchAll(new RegExp(`\\b${kind}\\.([a-z_]+)`, "g"))].map((m) => m[1]));

  it("uses only declared variables, and every declared variable", () => {
    expect([...referenced("var")].sort()).toEqual(Object.keys(variables).sort());
  });

  it("uses only defined locals", () => {
    const defined = Object.keys(template.locals[0]);
    for (const name of referenced("local")) expect(defined, `local.${name}`).toContain(name);
  });
});
