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
  return {
    from: ctx.from,
    to: recipients.to,
    cc: recipients.cc,
    subject,
    text,
    html,
    messageId,
    ...(replyTo ? { replyTo } : {}),
    headers: plazosHeaders(input.kind, input.locale),
    attachments: KINDS_WITH_CALENDAR.includes(input.kind) ? [calendarAttachment(input, view, ctx)] : [],
    // Everything in the message is built here; nothing in it may make nodemailer read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
