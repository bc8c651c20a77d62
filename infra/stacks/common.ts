import type { Construct } from "constructs";
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../config.js";

export interface StackOptions {
  /**
   * Offline mode, for `infra:plan` and the tests: the provider skips every
   * call that needs real credentials, state is local, and the app stack reads
   * placeholder foundation outputs. Never used for a real deploy.
   */
  readonly offline?: boolean;
}

/** AWS provider with default tags on every resource; offline mode skips the credential checks. */
export function awsProvider(
  scope: Construct,
  config: EnvironmentConfig,
  stackName: string,
  options: StackOptions,
): AwsProvider {
  return new AwsProvider(scope, "aws", {
    region: config.region,
    defaultTags: [
      {
        tags: { App: "bookstore", Environment: config.name, Stack: stackName, ManagedBy: "cdktf" },
      },
    ],
    ...(options.offline
      ? {
          skipCredentialsValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: "true",
          skipRegionValidation: true,
        }
      : {}),
  });
}

/** Relative to the directory Terraform runs in (cdktf.out/stacks/<stack>): state files live in infra/. */
export const localStatePath = (stackName: string) => `../../../terraform.${stackName}.tfstate`;

export const s3StateKey = (config: EnvironmentConfig, stackName: string) =>
  `${config.stateBackend?.keyPrefix ? `${config.stateBackend.keyPrefix}/` : ""}${stackName}.tfstate`;

/** S3 state with a native lock file when a bucket is configured (and not offline); local state otherwise. */
export function configureBackend(
  stack: TerraformStack,
  config: EnvironmentConfig,
  stackName: string,
  options: StackOptions,
): void {
  const backend = config.stateBackend;
  if (backend && !options.offline) {
    const s3 = new S3Backend(stack, {
      bucket: backend.bucket,
      region: backend.region,
      key: s3StateKey(config, stackName),
      encrypt: true,
    });
    s3.addOverride("use_lockfile", true); // S3-native locking (Terraform >= 1.10), no DynamoDB table
  } else {
    new LocalBackend(stack, {
      path: options.offline ? `terraform.${stackName}.tfstate` : localStatePath(stackName),
    });
  }
}
