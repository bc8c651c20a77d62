/**
 * Structured JSON logs (pino), one object per line, ready for CloudWatch.
 * Anything that could carry a secret is redacted by path, so a careless
 * `logger.info({ req })` cannot leak a cookie or a password.
 */
import pino, { type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "bookstore", pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"info" reads better in CloudWatch Logs Insights than "level":30.
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          "password",
          "*.password",
          "*.passwordHash",
          "headers.cookie",
          "headers.authorization",
          "*.headers.cookie",
          "*.headers.authorization",
          "sessionSecrets",
          "*.sessionSecrets",
          "cardNumber",
          "*.cardNumber",
          "cvc",
          "*.cvc",
          // The SMTP URL carries the SES SMTP password (config.mail.smtpUrl).
          "smtpUrl",
          "*.smtpUrl",
          "*.*.smtpUrl",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
