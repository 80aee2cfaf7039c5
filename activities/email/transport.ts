/**
 * The SMTP transport, built one way for everything that sends or checks mail: the worker's
 * activities and `plazos mail check` log in with the same options, so a check that passes means
 * the worker's login would pass too.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { SmtpOAuthLogin } from './mail-login';

/** Without PLAZOS_SMTP_URL, mail goes to the local test inbox that `plazos up` starts. */
export const DEFAULT_SMTP_URL = 'smtp://127.0.0.1:1025';

/**
 * With `oauth`, nodemailer logs in by XOAUTH2 and asks the token source for a token at each login
 * (its provisionCallback), again with `renew` when the server refused one.
 */
export function createSmtpTransport(smtpUrl: string, opts: { pool?: boolean; oauth?: SmtpOAuthLogin } = {}): Transporter {
  // nodemailer's pool defaults (5 connections, 100 messages each) stay: in the burst benchmark
  // 10 or 20 connections sent no faster, because the worker's CPU is the limit there, and mail
  // relays often cap how many connections one sender may open. Operators can still raise them in
  // PLAZOS_SMTP_URL (`?maxConnections=10&maxMessages=500`), which nodemailer reads.
  const url = smtpUrl + (opts.pool === false ? '' : (smtpUrl.includes('?') ? '&' : '?') + 'pool=true');
  if (!opts.oauth) return nodemailer.createTransport(url);
  const { user, tokens } = opts.oauth;
  const options: SMTPTransport.Options = {
    url,
    auth: {
      type: 'OAuth2',
      user,
      provisionCallback: (_user, renew, callback) => {
        tokens.get({ renew }).then(
          (token) => callback(null, token.value, token.refreshAt),
          (err: Error) => callback(err, '', 0),
        );
      },
    },
  };
  return nodemailer.createTransport(options);
}
