/**
 * Replies to a plazos notice as three mail clients write them, byte for byte in their MIME
 * structure and habits, to put into the test IMAP server:
 *
 * - Outlook (Microsoft 365, desktop): top-posted; the text part ends with its line of underscores
 *   and a "De: / Enviado: / Para: / Asunto:" block over the notice; the signature's logo is
 *   image001.png inline in multipart/related; Thread-Index and Thread-Topic; In-Reply-To/References.
 * - Gmail (web): top-posted; "El lun, 4 dic 2023 a las 8:00, Plazos (<…>) escribió:" wrapped over
 *   two lines, the notice quoted with "> "; a "-- " signature with an inline image (ii_…);
 *   forwarding writes "---------- Forwarded message ---------" and keeps the attachment.
 * - Thunderbird: bottom-posted by default, "On 4/12/23 8:00, Plazos wrote:" and "> " quotes above the
 *   reply; format=flowed; a "-- " signature with an inline image in multipart/related.
 */
import { randomBytes } from 'node:crypto';
import type { CapturedMail } from '../../simulation/mail-capture';

export interface Attachment {
  name: string;
  type: string;
  content: Buffer;
}

export interface ReplyShape {
  /** The notice answered, as the test SMTP server captured it. */
  notice: CapturedMail;
  from: string;
  /** Where the reply goes: the notice's Reply-To, unless a test says otherwise. */
  to?: string;
  body: string;
  attachments?: Attachment[];
  /** Extra header lines (e.g. `Auto-Submitted: auto-replied`). */
  headers?: string[];
  messageId?: string;
}

/** A minimal valid PDF (the magic bytes the evidence check reads, and a body). */
export function pdf(title: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${title}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

/** A 1x1 PNG: what a signature logo is, for these tests. */
export const LOGO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const b64 = (buf: Buffer) => buf.toString('base64').replace(/(.{76})/g, '$1\r\n');
const boundary = (tag: string) => `${tag}_${randomBytes(8).toString('hex')}`;

function replyToOf(notice: CapturedMail): string {
  const header = notice.parsed.replyTo?.value[0]?.address;
  if (!header) throw new Error(`the notice "${notice.subject}" has no Reply-To`);
  return header;
}

function quoted(notice: CapturedMail): string {
  return notice.text
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\r\n');
}

function attachmentParts(b: string, files: Attachment[]): string {
  return files
    .map(
      (f) =>
        `--${b}\r\nContent-Type: ${f.type}; name="${f.name}"\r\nContent-Disposition: attachment; filename="${f.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(f.content)}\r\n`,
    )
    .join('');
}

function newMessageId(domain: string): string {
  return `<${randomBytes(12).toString('hex')}@${domain}>`;
}

function commonHeaders(s: ReplyShape, subjectPrefix: string, date: string, id: string): string {
  return [
    `From: ${s.from}`,
    `To: ${s.to ?? replyToOf(s.notice)}`,
    `Subject: ${subjectPrefix}${s.notice.subject}`,
    `Date: ${date}`,
    `Message-ID: ${id}`,
    `In-Reply-To: ${s.notice.messageId}`,
    `References: ${s.notice.messageId}`,
    'MIME-Version: 1.0',
    ...(s.headers ?? []),
  ].join('\r\n');
}

export function outlookReply(s: ReplyShape): string {
  const id = s.messageId ?? newMessageId('CO1PR04MB1234.namprd04.prod.outlook.com');
  const mixed = boundary('_004_');
  const related = boundary('_003_');
  const alt = boundary('_000_');
  const text = [
    s.body,
    '',
    'Cordialmente,',
    '',
    'María Pérez',
    'Profesional, Área de Vivienda',
    '',
    '________________________________',
    `De: Plazos <${replyToOf(s.notice)}>`,
    'Enviado: lunes, 4 de diciembre de 2023 8:00',
    `Para: ${s.notice.to.join('; ')}`,
    `Asunto: ${s.notice.subject}`,
    '',
    s.notice.text,
  ].join('\r\n');
  const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div>${s.body.replace(/\n/g, '<br>')}</div><div>Cordialmente,<br>María Pérez<br><img src="cid:image001.png@01DA2691.5B3C0E40" width="120"></div><hr><div id="divRplyFwdMsg"><b>De:</b> Plazos<br><b>Enviado:</b> lunes, 4 de diciembre de 2023 8:00</div>${s.notice.html}</body></html>`;
  return [
    commonHeaders(s, 'RE: ', 'Mon, 4 Dec 2023 10:15:00 +0000', id),
    `Thread-Topic: ${s.notice.subject}`,
    'Thread-Index: AQHaJpFbPA5AqH1rYkO2mFq1e0Jx9A==',
    'Content-Language: es-CO',
    'X-MS-Has-Attach: yes',
    'X-MS-TNEF-Correlator:',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    `--${mixed}`,
    `Content-Type: multipart/related; boundary="${related}"; type="multipart/alternative"`,
    '',
    `--${related}`,
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    '',
    `--${alt}`,
    'Content-Type: text/plain; charset="utf-8"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(Buffer.from(text)),
    `--${alt}`,
    'Content-Type: text/html; charset="utf-8"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(Buffer.from(html)),
    `--${alt}--`,
    '',
    `--${related}`,
    'Content-Type: image/png; name="image001.png"',
    'Content-Description: image001.png',
    'Content-Disposition: inline; filename="image001.png"; size=70',
    'Content-ID: <image001.png@01DA2691.5B3C0E40>',
    'Content-Transfer-Encoding: base64',
    '',
    b64(LOGO),
    `--${related}--`,
    '',
    attachmentParts(mixed, s.attachments ?? []) + `--${mixed}--`,
    '',
  ].join('\r\n');
}

export function gmailReply(s: ReplyShape): string {
  const id = s.messageId ?? newMessageId('mail.gmail.com');
  const mixed = boundary('000000000000');
  const related = boundary('000000000000r');
  const alt = boundary('000000000000a');
  const text = [
    s.body,
    '',
    '-- ',
    'María Pérez',
    '[image: logo]',
    '',
    `El lun, 4 dic 2023 a las 8:00, Plazos (<${replyToOf(s.notice)}>)`,
    'escribió:',
    '',
    quoted(s.notice),
  ].join('\r\n');
  const html = `<div dir="ltr">${s.body.replace(/\n/g, '<br>')}<br clear="all"><br><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature">María Pérez<br><img src="cid:ii_lpr3x9a10"></div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">El lun, 4 dic 2023 a las 8:00, Plazos escribió:<br></div><blockquote class="gmail_quote">${s.notice.html}</blockquote></div>`;
  return [
    commonHeaders(s, 'Re: ', 'Mon, 4 Dec 2023 10:20:11 -0500', id),
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    `--${mixed}`,
    `Content-Type: multipart/related; boundary="${related}"`,
    '',
    `--${related}`,
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    '',
    `--${alt}`,
    'Content-Type: text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    toQuotedPrintable(text),
    `--${alt}`,
    'Content-Type: text/html; charset="UTF-8"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(Buffer.from(html)),
    `--${alt}--`,
    `--${related}`,
    'Content-Type: image/png; name="logo.png"',
    'Content-Disposition: inline; filename="logo.png"',
    'Content-Transfer-Encoding: base64',
    'X-Attachment-Id: ii_lpr3x9a10',
    'Content-ID: <ii_lpr3x9a10>',
    '',
    b64(LOGO),
    `--${related}--`,
    attachmentParts(mixed, s.attachments ?? []) + `--${mixed}--`,
    '',
  ].join('\r\n');
}

/**
 * Gmail's "Forward" of a colleague's mail to the plain mailbox address: the colleague's message
 * and its attachment come along, and References keeps the thread back to the notice.
 */
export function gmailForward(s: ReplyShape & { forwardedFrom: string }): string {
  const id = s.messageId ?? newMessageId('mail.gmail.com');
  const mixed = boundary('000000000000');
  const alt = boundary('000000000000a');
  const colleagueId = newMessageId('entidad.gov.co');
  const text = [
    s.body,
    '',
    '---------- Forwarded message ---------',
    `De: ${s.forwardedFrom}`,
    'Date: lun, 4 dic 2023 a las 9:40',
    `Subject: RE: ${s.notice.subject}`,
    `To: ${s.from}`,
    '',
    'Te envío el informe firmado; el borrador está en https://intranet.entidad.gov.co/borradores/informe.docx',
    '',
    quoted(s.notice),
  ].join('\r\n');
  return [
    `From: ${s.from}`,
    `To: ${s.to ?? 'respuestas@entidad.gov.co'}`,
    `Subject: Fwd: RE: ${s.notice.subject}`,
    'Date: Mon, 4 Dec 2023 10:45:00 -0500',
    `Message-ID: ${id}`,
    `In-Reply-To: ${colleagueId}`,
    `References: ${s.notice.messageId} ${colleagueId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    '',
    `--${alt}`,
    'Content-Type: text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    toQuotedPrintable(text),
    `--${alt}`,
    'Content-Type: text/html; charset="UTF-8"',
    '',
    `<div dir="ltr">${s.body}<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br></div></div></div>`,
    `--${alt}--`,
    attachmentParts(mixed, s.attachments ?? []) + `--${mixed}--`,
    '',
  ].join('\r\n');
}

export function thunderbirdReply(s: ReplyShape): string {
  const id = s.messageId ?? newMessageId('entidad.gov.co');
  const mixed = boundary('------------');
  const related = boundary('------------r');
  const text = ['On 4/12/23 8:00, Plazos wrote:', quoted(s.notice), '', s.body, '', '-- ', 'María Pérez', 'Área de Vivienda'].join('\r\n');
  const parts = [
    `--${related}`,
    'Content-Type: text/plain; charset=UTF-8; format=flowed',
    'Content-Transfer-Encoding: 8bit',
    '',
    text,
    `--${related}`,
    'Content-Type: image/png; name="firma.png"',
    'Content-Disposition: inline; filename="firma.png"',
    'Content-Id: <part1.Zx8Pw2Q1.aB3dE4fG@entidad.gov.co>',
    'Content-Transfer-Encoding: base64',
    '',
    b64(LOGO),
    `--${related}--`,
  ].join('\r\n');
  const files = s.attachments ?? [];
  const headers = [commonHeaders(s, 'Re: ', 'Mon, 4 Dec 2023 10:30:00 -0500', id), 'User-Agent: Mozilla Thunderbird', 'Content-Language: es-ES'].join('\r\n');
  if (files.length === 0) return [headers, `Content-Type: multipart/related; boundary="${related}"`, '', parts, ''].join('\r\n');
  return [
    headers,
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    `--${mixed}`,
    `Content-Type: multipart/related; boundary="${related}"`,
    '',
    parts,
    attachmentParts(mixed, files) + `--${mixed}--`,
    '',
  ].join('\r\n');
}

function toQuotedPrintable(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let line = '';
  for (const byte of bytes) {
    if (byte === 0x0d) continue;
    if (byte === 0x0a) {
      // A space at the end of a line is encoded, or transports may drop it (RFC 2045): "-- " must stay.
      out += `${line.endsWith(' ') ? `${line.slice(0, -1)}=20` : line}\r\n`;
      line = '';
      continue;
    }
    const chunk =
      (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + chunk.length > 75) {
      out += `${line}=\r\n`;
      line = '';
    }
    line += chunk;
  }
  return out + line;
}
