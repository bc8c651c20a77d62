/**
 * cdktf entry point: two stacks per environment (foundation-<env>, app-<env>).
 *
 * Environment variables:
 *   BOOKSTORE_ENVIRONMENTS  comma-separated subset to synthesize (default: all in environments/)
 *   BOOKSTORE_AMI_ID        pin the launch template's AMI (e.g. from packer/manifest.json)
 *   BOOKSTORE_OFFLINE=1     offline mode for `infra:plan`: no credential checks, local state,
 *                           placeholder foundation outputs. Never for a real deploy.
 */
import { App } from "cdktf";
import { addEnvironment } from "./build.js";
import { ConfigError } from "./config.js";
import { environments } from "./environments/index.js";

const selected = (process.env.BOOKSTORE_ENVIRONMENTS ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of selected) {
  if (!(name in environments)) {
    console.error(
      `BOOKSTORE_ENVIRONMENTS: unknown environment "${name}" (known: ${Object.keys(environments).join(", ")})`,
    );
    process.exit(1);
  }
}

const app = new App();
try {
  for (const [name, config] of Object.entries(environments)) {
    if (selected.length > 0 && !selected.includes(name)) continue;
    addEnvironment(app, config, {
      offline: process.env.BOOKSTORE_OFFLINE === "1",
      amiId: process.env.BOOKSTORE_AMI_ID || undefined,
    });
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
app.synth();
