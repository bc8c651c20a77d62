import { Construct } from "constructs";
import { Fn } from "cdktf";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";

export interface SessionSecretProps {
  readonly environment: string;
  readonly namePrefix: string;
}

/**
 * The cookie-signing secret, stored as JSON {"SESSION_SECRET": "<64 hex chars>"}
 * (what app/lib/aws-secrets.server.ts resolveSessionSecret expects).
 *
 * The first value is two random UUIDs without dashes (244 random bits), made
 * by Terraform's uuid() at apply time because only the aws provider is
 * available (no `random`). Terraform ignores later changes, so rotating it by
 * hand (docs/operations.md) is not undone by the next deploy. See
 * docs/decisions/011-session-secret-bootstrap.md.
 */
export class SessionSecret extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: SessionSecretProps) {
    super(scope, id);
    const secret = new SecretsmanagerSecret(this, "secret", {
      name: `bookstore/${props.environment}/session-secret`,
      description:
        "Bookstore SESSION_SECRET (JSON key SESSION_SECRET) used to sign session cookies",
      recoveryWindowInDays: 7,
    });
    const randomHex = () => Fn.replace(Fn.uuid(), "-", "");
    new SecretsmanagerSecretVersion(this, "initial", {
      secretId: secret.id,
      secretString: Fn.jsonencode({ SESSION_SECRET: Fn.join("", [randomHex(), randomHex()]) }),
      lifecycle: { ignoreChanges: ["secret_string"] },
    });
    this.arn = secret.arn;
  }
}
