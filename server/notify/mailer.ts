/**
 * The SMTP mailer (nodemailer), configured by OMBUD_SMTP_URL. Plain-text
 * messages only; no tracking, no HTML, no headers beyond the needed ones.
 */
import nodemailer from 'nodemailer';
import type { ConnectionOptions } from 'node:tls';

/**
 * Outgoing e-mail as the rest of the server sees it. Declared here, beside
 * the one implementation, so that the app context and the notifier both
 * import it from notify/ and neither imports the other.
 */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export interface SmtpOptions {
  /** Extra TLS options (tests pass the CA of their self-signed certificate). */
  tls?: ConnectionOptions;
}

/**
 * `smtp://` to another machine must upgrade with STARTTLS before it sends the
 * password or a notice (nodemailer would otherwise carry on in the clear when
 * a server or a man in the middle does not offer STARTTLS). A relay on the
 * same machine (loopback) often has no TLS and needs none. Either default is
 * overridden by `?requireTLS=true|false` in OMBUD_SMTP_URL.
 */
export function requiresStartTls(smtpUrl: string): boolean {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127\./.test(host));
}

export function createSmtpMailer(mail: { smtpUrl: string; from: string }, options: SmtpOptions = {}): Mailer & { close(): void } {
  const transport = nodemailer.createTransport({
    url: mail.smtpUrl, // its options (host, port, auth, ?query) win over those below
    requireTLS: requiresStartTls(mail.smtpUrl),
    ...(options.tls ? { tls: options.tls } : {}),
    // Give up within a minute rather than hold the queue.
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail({ from: mail.from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => transport.close(),
  };
}
