/**
 * server/runtime.ts resolveSecrets: the SMTP URL read from its secret
 * (SMTP_URL_SECRET_ARN) next to the session secret, through the real AWS SDK
 * against a loopback Secrets Manager, and the resolved URL kept out of the logs.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../app/lib/config.server";
import { createLogger } from "../../app/lib/logger.server";
import { resolveSecrets } from "../../server/runtime";
import { FakeSecretsManager } from "../helpers/fake-secrets-manager";

const region = "us-east-1";
const arn = (name: string) => `arn:aws:secretsmanager:${region}:111122223333:secret:${name}-AbCdEf`;
const SMTP_URL = "smtps://AKIAEXAMPLE:ses-smtp-password@email-smtp.us-east-1.amazonaws.com:465";
const fake = new FakeSecretsManager();
const saved = { ...process.env };

beforeAll(async () => {
  await fake.start();
  // The SDK's default client (region + endpoint from the environment), as on an instance.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.endpoint,
    AWS_ACCESS_KEY_ID: "test-access-key-id",
    AWS_SECRET_ACCESS_KEY: "test-secret",
  });
  fake.secrets.set(arn("session"), JSON.stringify({ SESSION_SECRET: "f".repeat(64) }));
  fake.secrets.set(arn("smtp-url"), `${SMTP_URL}\n`);
  fake.secrets.set(arn("not-a-url"), "https://AKIAEXAMPLE:leaked-password@example.com");
});

afterAll(async () => {
  await fake.stop();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

const awsEnv = (smtpArn: string) => ({
  NODE_ENV: "production",
  AWS_REGION: region,
  SESSION_SECRET_ARN: arn("session"),
  SMTP_URL_SECRET_ARN: smtpArn,
  MAIL_FROM: "Bookstore <no-reply@shop.example.com>",
  PUBLIC_URL: "https://shop.example.com",
});

describe("resolving the SMTP URL from Secrets Manager", () => {
  it("fills in the SMTP URL and the session secret, one read each", async () => {
    const before = fake.fetchesOf(arn("smtp-url"));
    const config = await resolveSecrets(loadConfig(awsEnv(arn("smtp-url"))));
    expect(config.mail).toMatchObject({ smtpUrl: SMTP_URL, smtpUrlSecretArn: arn("smtp-url") });
    expect(config.sessionSecrets).toEqual(["f".repeat(64)]);
    expect(fake.fetchesOf(arn("smtp-url")) - before).toBe(1);
  });

  it("reads nothing when nothing is to be resolved", async () => {
    const count = fake.requests.length;
    const config = loadConfig({ SESSION_SECRET: "s".repeat(40), SMTP_URL: SMTP_URL });
    expect(await resolveSecrets(config)).toBe(config);
    expect(fake.requests.length).toBe(count);
  });

  it("fails fast, without echoing the value, on a secret that holds no SMTP URL", async () => {
    const error = await resolveSecrets(loadConfig(awsEnv(arn("not-a-url")))).then(
      () => new Error("resolved"),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(arn("not-a-url"));
    expect(error.message).not.toContain("leaked-password");
  });

  it("fails fast on a secret that has no value yet (operations have not put it)", async () => {
    await expect(resolveSecrets(loadConfig(awsEnv(arn("missing"))))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("never logs the resolved URL, however the config is logged", async () => {
    const config = await resolveSecrets(loadConfig(awsEnv(arn("smtp-url"))));
    const lines: string[] = [];
    const logger = createLogger(
      "info",
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString("utf8"));
          done();
        },
      }),
    );
    logger.info(config, "config at top level");
    logger.info({ mail: config.mail }, "mail settings");
    logger.info({ config }, "config nested");
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain("ses-smtp-password");
      expect(line).toContain('"smtpUrl":"[redacted]"');
    }
  });
});
