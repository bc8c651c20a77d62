import type { Construct } from "constructs";
import { Fn } from "cdktf";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";

export interface GeneratedSecretProps {
  readonly name: string;
  readonly description: string;
  /**
   * The JSON object to store. `random()` is 64 hex characters: two uuid()s
   * without dashes (244 random bits from Terraform's CSPRNG), evaluated at apply.
   */
  readonly value: (random: () => string) => Record<string, string>;
}

/**
 * A Secrets Manager secret whose first value Terraform generates once
 * (docs/decisions/011-session-secret-bootstrap.md): only the aws provider is
 * available (no `random`), and GetRandomPassword would need AWS at plan time.
 *
 * - `ignore_changes = [secret_string]`: later applies never touch the value, so a
 *   rotation done by hand (docs/operations.md) is not undone by the next deploy.
 * - `prevent_destroy` on the secret: Terraform refuses any plan that would delete
 *   it (a replaced secret would lock the app out of its database or sign everyone out).
 * - A 7-day recovery window if it is ever deleted outside Terraform.
 *
 * Creates `secret` and `initial` directly under `scope` (addresses stay stable
 * for the constructs that existed before this helper).
 */
export function generatedSecret(scope: Construct, props: GeneratedSecretProps): string {
  const secret = new SecretsmanagerSecret(scope, "secret", {
    name: props.name,
    description: props.description,
    recoveryWindowInDays: 7,
    lifecycle: { preventDestroy: true },
  });
  const randomHex = () => Fn.replace(Fn.uuid(), "-", "");
  new SecretsmanagerSecretVersion(scope, "initial", {
    secretId: secret.id,
    secretString: Fn.jsonencode(props.value(() => Fn.join("", [randomHex(), randomHex()]))),
    lifecycle: { ignoreChanges: ["secret_string"] },
  });
  return secret.arn;
}
