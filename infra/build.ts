import type { App } from "cdktf";
import { type EnvironmentConfig, validateConfig, withAmiId } from "./config.js";
import { AppStack } from "./stacks/app.js";
import type { StackOptions } from "./stacks/common.js";
import { FoundationStack } from "./stacks/foundation.js";

export interface BuildOptions extends StackOptions {
  /** Pins every environment's AMI to this id (BOOKSTORE_AMI_ID). */
  readonly amiId?: string;
}

/** Validates one environment's config and adds its two stacks to `app`. */
export function addEnvironment(app: App, config: EnvironmentConfig, options: BuildOptions = {}) {
  const effective = validateConfig(options.amiId ? withAmiId(config, options.amiId) : config);
  return {
    foundation: new FoundationStack(app, effective, options),
    app: new AppStack(app, effective, options),
  };
}
