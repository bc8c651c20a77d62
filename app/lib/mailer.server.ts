/**
 * Outgoing e-mail through nodemailer: over SMTP when SMTP_URL is set
 * (production: e.g. Amazon SES's SMTP interface), otherwise into an outbox
 * folder, one JSON file per message (nodemailer's JSON transport), so
 * development and tests can read what would have been sent. Outside
 * production the log also prints the message's links, so a newcomer can
 * follow a password-reset link without a mail server.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { Config } from "./config.server";
import type { Logger } from "./logger.server";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export function createMailer(
  mail: Config["mail"],
  logger: Logger,
  { logLinks }: { logLinks: boolean },
): Mailer {
  if (mail.smtpUrl) {
    const transport = nodemailer.createTransport(mail.smtpUrl);
    return {
      async send(message) {
        await transport.sendMail({ from: mail.from, ...message });
        logger.info({ to: message.to, subject: message.subject }, "mail sent");
      },
    };
  }

  const transport = nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: mail.from, ...message });
      await fs.mkdir(mail.outboxDir, { recursive: true });
      const name = `${Date.now()}-${crypto.randomBytes(4).toString("hex")}.json`;
      const file = path.join(mail.outboxDir, name);
      // Written under a temporary name and renamed: a reader never sees half a message.
      await fs.writeFile(`${file}.tmp`, String(info.message));
      await fs.rename(`${file}.tmp`, file);
      const links = logLinks ? (message.text.match(/https?:\/\/\S+/g) ?? []) : undefined;
      logger.info(
        { to: message.to, subject: message.subject, file, links },
        "mail written to outbox",
      );
    },
  };
}
