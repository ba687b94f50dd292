/**
 * For tests: a real SMTP server (smtp-server) on 127.0.0.1 that keeps what
 * it receives, plain or with STARTTLS / implicit TLS, and a throwaway
 * self-signed certificate for 127.0.0.1 made with `openssl req -x509`
 * (node:crypto cannot make certificates; nodemailer's bundled test
 * certificate has expired).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  /** Headers and body as sent (CRLF line ends). */
  raw: string;
  subject: string;
  /** The text body, with quoted-printable undone. */
  text: string;
  /** The connection was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  user: string | undefined;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Resolves once `count` mails have arrived. */
  waitFor(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SinkOptions {
  /** `starttls`: offers STARTTLS with `cert`; `implicit`: TLS from the start (smtps). Default: plain. */
  tls?: 'starttls' | 'implicit';
  cert?: { key: string; cert: string };
  /** Answer every message with a 554 error. */
  refuse?: boolean;
  /** Called before each message is accepted; the answer waits for it. */
  hold?: () => Promise<void>;
}

export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ombud-smtp-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RFC 2047 words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) in a header, as text: a subject in Chinese or Vietnamese arrives so. */
function decodeWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'));
}

function parse(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  if (/^content-transfer-encoding:\s*quoted-printable/im.test(head)) {
    // Bytes first, then UTF-8: a non-English notice's characters are several bytes each.
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (/^content-transfer-encoding:\s*base64/im.test(head)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { subject: decodeWords(/^subject:\s*(.*)$/im.exec(head)?.[1] ?? ''), text: body.replace(/\r\n/g, '\n') };
}

export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    secure: options.tls === 'implicit',
    ...(options.tls ? { key: options.cert?.key, cert: options.cert?.cert } : { disabledCommands: ['STARTTLS'] }),
    allowInsecureAuth: options.tls === undefined,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void (async () => {
          await options.hold?.();
          if (options.refuse) return callback(Object.assign(new Error('refused'), { responseCode: 554 }));
          const raw = Buffer.concat(chunks).toString('utf8');
          mails.push({
            to: session.envelope.rcptTo.map((a) => a.address), raw, ...parse(raw), secure: session.secure,
            user: typeof session.user === 'string' ? session.user : undefined,
          });
          waiters.splice(0).forEach((wake) => wake());
          callback();
        })();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    async waitFor(count) {
      while (mails.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
