/**
 * Builds the message for one notice: rendered parts, recipients, the deterministic Message-ID and,
 * for kickoff and reminder, the due date as a calendar attachment.
 */
import type { SendMailOptions } from 'nodemailer';
import type { AreasDirectory } from '../../plans/areas';
import { calendarEvent, calendarFilename, calendarUid } from './calendar-event';
import type { Recipients } from './recipients';
import type { Templates } from './templates';
import { KINDS_WITH_CALENDAR, type NoticeEmailInput, type NoticeLocale } from './types';
import { buildView, type NoticeView } from './view';

export interface ComposeContext {
  templates: Templates;
  areas: AreasDirectory;
  from: string;
  /** Domain of `from`, used for Message-IDs and calendar UIDs. */
  domain: string;
}

const CONTENT_LANGUAGE: Record<NoticeLocale, string> = { es: 'es-CO', en: 'en' };

/**
 * The headers every mail plazos writes carries: which notice it is, in which language, and that a
 * program wrote it (RFC 3834: keeps out-of-office replies from answering a robot; an answer to a
 * person's reply is `auto-replied`).
 */
export function plazosHeaders(notice: string, locale: NoticeLocale, submitted: 'auto-generated' | 'auto-replied' = 'auto-generated'): Record<string, string> {
  return { 'Auto-Submitted': submitted, 'Content-Language': CONTENT_LANGUAGE[locale], 'X-Plazos-Notice': notice };
}

type Attachment = NonNullable<SendMailOptions['attachments']>[number];

/** What one mail of plazos says and to whom; the rest (headers, what nodemailer may read) is the same for all. */
export interface PlazosMail {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  /** `X-Plazos-Notice`: the notice kind, `digest`, `follow-up-cut`, `reply-…`. */
  notice: string;
  locale: NoticeLocale;
  /** An answer to a person's message (RFC 3834 `auto-replied`), rather than a message of plazos's own. */
  answering?: { inReplyTo: string; references: string[] } | true;
  messageId?: string;
  replyTo?: string;
  attachments?: Attachment[];
}

/**
 * Every mail plazos sends, built one way: the notices, the digest, the cut reports and the
 * answers to replies. Everything in the message is built by plazos; nothing in it may make
 * nodemailer read a file or a URL, whatever a template or an attachment says.
 */
export function plazosMail(mail: PlazosMail): SendMailOptions {
  const answer = typeof mail.answering === 'object' ? mail.answering : null;
  return {
    from: mail.from,
    to: mail.to,
    ...(mail.cc ? { cc: mail.cc } : {}),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
    ...(answer ? { inReplyTo: answer.inReplyTo, references: answer.references } : {}),
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    headers: plazosHeaders(mail.notice, mail.locale, mail.answering ? 'auto-replied' : 'auto-generated'),
    attachments: mail.attachments ?? [],
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function calendarAttachment(input: NoticeEmailInput, view: NoticeView, ctx: ComposeContext): Attachment {
  const { title, description } = ctx.templates.calendarText(view);
  const content = calendarEvent({
    uid: calendarUid(input, ctx.domain),
    dueDate: input.dueDate,
    title,
    description,
    url: view.submitUrl,
  });
  return {
    filename: calendarFilename(input.locale, input.activity.number),
    content,
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
  };
}

/** `replyTo`: the signed reply address (reply-token.ts), when plazos reads replies to this notice. */
export function composeNotice(input: NoticeEmailInput, recipients: Recipients, messageId: string, ctx: ComposeContext, replyTo?: string): SendMailOptions {
  const view = buildView(input, ctx.areas);
  const { subject, html, text } = ctx.templates.render(view);
  return plazosMail({
    from: ctx.from,
    to: recipients.to,
    cc: recipients.cc,
    subject,
    text,
    html,
    notice: input.kind,
    locale: input.locale,
    messageId,
    ...(replyTo ? { replyTo } : {}),
    attachments: KINDS_WITH_CALENDAR.includes(input.kind) ? [calendarAttachment(input, view, ctx)] : [],
  });
}
