/**
 * The data a notice's templates see. Pure: built from the notice and the areas directory only.
 *
 * Plan text is data written by people (titles, deliverables, notes). It is cleaned here so that
 * single-line fields stay on one line in every part (a CR/LF in a title must not reach a subject
 * or break the text layout), while notes keep their paragraphs.
 */
import type { AreasDirectory } from '../../plans/areas';
import { longDate, periodLabel } from './dates';
import type { NoticeEmailInput, NoticeKind, NoticeLocale } from './types';

export interface AreaRef {
  code: string;
  name: string;
}

export interface NoticeView {
  kind: NoticeKind;
  locale: NoticeLocale;
  plan: { title: string; year: number; entity: string | null };
  /** The plan's lead area: escalations go there and it answers questions. */
  owner: AreaRef;
  /** The first responsible area, which leads the activity. */
  lead: AreaRef;
  activity: {
    number: number;
    title: string;
    /** The title cut at a word for subjects, which must leave room for what to do and by when. */
    shortTitle: string;
    deliverable: string;
    start: string;
    due: string;
    responsible: AreaRef[];
  };
  period: string | null;
  dueDate: string;
  reason: string | null;
  escalation: number | null;
  maxEscalations: number | null;
  lastEscalation: boolean;
  note: string | null;
  checkMessage: string | null;
  rejectReason: string | null;
  newDue: string | null;
  /** Where the received evidence can be seen. */
  evidenceUrl: string | null;
  /** Where the evidence is submitted. */
  submitUrl: string | null;
  failedRecipients: AreaRef[];
}

const DEFAULT_OWNER = 'OAPLA';

// C0/C1 controls (CR, LF, tab, DEL...) and the Unicode line/paragraph separators.
const CONTROLS = /[\p{Cc}\u2028\u2029]+/gu;

/** One line: every control character (CR, LF, tab...) becomes a space. */
export function singleLine(text: string): string {
  return text.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
}

/** Paragraphs kept as `\n`; other control characters dropped. */
export function multiLine(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .split('\n')
    .map((line) => singleLine(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Titles and deliverables often end with a period in the plan; the sentences around them add their own. */
function phrase(text: string): string {
  return singleLine(text).replace(/(?<!\.)\.$/, '');
}

/** Mail clients show about 60 characters of a subject on a phone; the action and the date come first. */
const SUBJECT_TITLE = 32;

/** `text` if short, otherwise cut at the last whole word that fits, with an ellipsis. */
export function shortPhrase(text: string, max = SUBJECT_TITLE): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  // One character more than fits: when it is a space, the last word fits whole.
  const head = chars.slice(0, max + 1).join('');
  const cut = head.lastIndexOf(' ');
  const kept = cut > max / 2 ? head.slice(0, cut) : chars.slice(0, max).join('');
  return `${kept.replace(/[\s,;:.]+$/, '')}…`;
}

function optionalText(text: string | undefined): string | null {
  const cleaned = text === undefined ? '' : multiLine(text);
  return cleaned === '' ? null : cleaned;
}

function areaRef(code: string, areas: AreasDirectory): AreaRef {
  return { code, name: areas[code]?.name ?? code };
}

export function buildView(input: NoticeEmailInput, areas: AreasDirectory): NoticeView {
  const { locale, detail = {} } = input;
  const responsible = input.activity.responsible.map((code) => areaRef(code, areas));
  const escalation = detail.escalation ?? null;
  const maxEscalations = detail.maxEscalations ?? null;
  return {
    kind: input.kind,
    locale,
    plan: { title: singleLine(input.plan.title), year: input.plan.year, entity: input.plan.entity ? singleLine(input.plan.entity) : null },
    owner: areaRef(input.plan.owner ?? DEFAULT_OWNER, areas),
    lead: responsible[0] ?? areaRef(input.to[0] ?? DEFAULT_OWNER, areas),
    activity: {
      number: input.activity.number,
      title: phrase(input.activity.title),
      shortTitle: shortPhrase(phrase(input.activity.title)),
      deliverable: phrase(input.activity.deliverable),
      start: longDate(input.activity.start, locale),
      due: longDate(input.activity.due, locale),
      responsible,
    },
    period: input.period === null ? null : periodLabel(singleLine(input.period), locale),
    dueDate: longDate(input.dueDate, locale),
    // The templates put it after "Por qué recibe este aviso hoy:" and end the sentence themselves.
    reason: optionalText(input.reason?.replace(/(?<!\.)\.\s*$/, '')),
    escalation,
    maxEscalations,
    lastEscalation: escalation !== null && maxEscalations !== null && escalation >= maxEscalations,
    note: optionalText(detail.note),
    checkMessage: optionalText(detail.checkMessage),
    rejectReason: optionalText(detail.rejectReason),
    newDue: detail.newDue ? longDate(detail.newDue, locale) : null,
    evidenceUrl: detail.evidenceUrl ?? null,
    submitUrl: input.links?.evidence ?? null,
    failedRecipients: (detail.failedRecipients ?? []).map((code) => areaRef(code, areas)),
  };
}
