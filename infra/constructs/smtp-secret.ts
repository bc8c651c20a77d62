import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { smtpUrlSecretName } from "../lib/naming.js";

export interface SmtpSecretProps {
  readonly environment: string;
}

/**
 * The SMTP URL the app sends mail with (SMTP_URL_SECRET_ARN), as a plain string:
 * smtps://USER:PASS@email-smtp.<region>.amazonaws.com:465, what
 * app/lib/aws-secrets.server.ts resolveSmtpUrl expects.
 *
 * Only the secret is created, never a version: the value is an SES SMTP
 * credential that operations create and put (docs/operations.md, "Mail"), so it
 * is in no plan and no state. Like the session secret, no plan may destroy it
 * (prevent_destroy) and a deletion outside Terraform keeps a 7-day recovery
 * window. See docs/decisions/045-production-mail.md.
 */
export class SmtpSecret extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: SmtpSecretProps) {
    super(scope, id);
    const secret = new SecretsmanagerSecret(this, "secret", {
      name: smtpUrlSecretName(props.environment),
      description:
        "Bookstore SMTP_URL: the SES SMTP URL with its credentials, a plain string put by operations (docs/operations.md)",
      recoveryWindowInDays: 7,
      lifecycle: { preventDestroy: true },
    });
    this.arn = secret.arn;
  }
}
