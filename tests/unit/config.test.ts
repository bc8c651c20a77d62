import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseSmtpUrl } from "../../app/lib/config.server";

const SECRET = "s".repeat(40);
const SMTP_URL = "smtps://AKIAEXAMPLE:hunter2@email-smtp.us-east-1.amazonaws.com:465";
const SMTP_ARN =
  "arn:aws:secretsmanager:us-east-1:123456789012:secret:bookstore/production/smtp-url";

describe("configuration", () => {
  it("defaults to the embedded SQLite database on port 3000 in development", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: "development",
      port: 3000,
      database: { client: "sqlite", filename: "var/bookstore.sqlite" },
      uploadsDir: "var/uploads",
      webConcurrency: 1,
      trustProxy: 0,
      logLevel: "info",
    });
    expect(config.sessionSecrets?.[0]?.length).toBeGreaterThanOrEqual(32);
  });

  it("parses a MySQL URL with escaped credentials", () => {
    const config = loadConfig({
      DATABASE_URL: "mysql://shop:p%40ss%3Aword@db.internal:3307/bookstore",
    });
    expect(config.database).toEqual({
      client: "mysql",
      host: "db.internal",
      port: 3307,
      database: "bookstore",
      user: "shop",
      password: "p@ss:word",
      sslCa: undefined,
    });
  });

  it("uses every core in production unless WEB_CONCURRENCY says otherwise", () => {
    const production = loadConfig({ NODE_ENV: "production", SESSION_SECRET: SECRET });
    expect(production.webConcurrency).toBeGreaterThanOrEqual(1);
    expect(
      loadConfig({ NODE_ENV: "production", SESSION_SECRET: SECRET, WEB_CONCURRENCY: "3" })
        .webConcurrency,
    ).toBe(3);
  });

  it("reads the database from Secrets Manager settings on AWS", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      SESSION_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:session",
      DATABASE_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds",
      DB_HOST: "db.example.internal",
      DB_NAME: "bookstore",
      DB_USER: "bookstore_admin",
      DB_SSL_CA: "/etc/bookstore/rds-global-bundle.pem",
    });
    expect(config.database).toMatchObject({
      client: "mysql",
      host: "db.example.internal",
      port: 3306,
      secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds",
      sslCa: "/etc/bookstore/rds-global-bundle.pem",
    });
    expect(config.sessionSecrets).toBeUndefined();
  });

  it.each([
    [{ PORT: "abc" }, "PORT", /PORT must be a whole number between 0 and 65535 \(got "abc"\)/],
    [{ PORT: "70000" }, "PORT", /PORT/],
    [
      { DATABASE_URL: "postgres://x/y" },
      "DATABASE_URL",
      /DATABASE_URL must be sqlite:<path> or mysql:/,
    ],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL", /LOG_LEVEL must be one of fatal, error/],
    [{ TRUST_PROXY: "-1" }, "TRUST_PROXY", /TRUST_PROXY/],
    [
      { NODE_ENV: "production" },
      "SESSION_SECRET",
      /SESSION_SECRET is required when NODE_ENV=production/,
    ],
    [
      { SESSION_SECRET: "short" },
      "SESSION_SECRET",
      /SESSION_SECRET must be at least 32 characters \(each, when comma-separated\)$/,
    ],
    [{ DATABASE_SECRET_ARN: "arn:aws:secretsmanager:x" }, "DB_HOST", /DB_HOST is required/],
    [{ DB_POOL_MIN: "20", DB_POOL_MAX: "5" }, "DB_POOL_MIN", /DB_POOL_MIN must not exceed/],
    [
      { NODE_ENV: "production", SESSION_SECRET: SECRET, SMTP_URL: SMTP_URL },
      "PUBLIC_URL",
      /PUBLIC_URL is required with SMTP_URL in production/,
    ],
    [
      { NODE_ENV: "production", SESSION_SECRET: SECRET, SMTP_URL_SECRET_ARN: SMTP_ARN },
      "PUBLIC_URL",
      /PUBLIC_URL is required with SMTP_URL_SECRET_ARN in production/,
    ],
    [
      { SMTP_URL_SECRET_ARN: "bookstore/production/smtp-url" },
      "SMTP_URL_SECRET_ARN",
      /SMTP_URL_SECRET_ARN must be a Secrets Manager ARN/,
    ],
    [
      { SMTP_URL: SMTP_URL, SMTP_URL_SECRET_ARN: SMTP_ARN },
      "SMTP_URL_SECRET_ARN",
      /SMTP_URL_SECRET_ARN cannot be combined with SMTP_URL/,
    ],
  ])("refuses %o naming %s in one line", (env, variable, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toMatch(message);
    expect((error as ConfigError).message).not.toContain("\n");
  });

  it("never echoes a secret's value in its error", () => {
    expect(() => loadConfig({ SESSION_SECRET: "hunter2" })).toThrow(/^(?!.*hunter2)/);
    // The SMTP URL carries the SES SMTP password.
    expect(() => loadConfig({ SMTP_URL: "smtp//user:hunter2@host" })).toThrow(
      /^Invalid configuration: SMTP_URL must be smtp:\/\/… or smtps:\/\/…$/,
    );
  });

  it("reads the SMTP URL's secret ARN on AWS, leaving the URL to be resolved at start", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      SESSION_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:session",
      SMTP_URL_SECRET_ARN: SMTP_ARN,
      MAIL_FROM: "Bookstore <no-reply@shop.example.com>",
      PUBLIC_URL: "https://shop.example.com",
    });
    expect(config.mail).toEqual({
      smtpUrl: undefined,
      smtpUrlSecretArn: SMTP_ARN,
      from: "Bookstore <no-reply@shop.example.com>",
      outboxDir: "var/outbox",
    });
    expect(config.publicUrl).toBe("https://shop.example.com");
  });

  it("needs no PUBLIC_URL for mail outside production", () => {
    expect(loadConfig({ SMTP_URL_SECRET_ARN: SMTP_ARN }).mail.smtpUrlSecretArn).toBe(SMTP_ARN);
    expect(loadConfig({ SMTP_URL: SMTP_URL }).mail.smtpUrl).toBe(SMTP_URL);
  });

  it("checks an SMTP URL read from a secret by SMTP_URL's rule", () => {
    expect(parseSmtpUrl(` ${SMTP_URL}\n`)).toBe(SMTP_URL);
    expect(() => parseSmtpUrl("https://user:hunter2@host")).toThrow(ConfigError);
    expect(() => parseSmtpUrl("https://user:hunter2@host")).toThrow(/^(?!.*hunter2)/);
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "" }).port).toBe(3000);
  });
});
