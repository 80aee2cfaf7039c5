/**
 * The feed as a calendar client reads it: written by ical-generator, parsed here by ical.js, a
 * second implementation, so a folding or escaping mistake shows as a wrong value, not a matching one.
 */
import ICAL from 'ical.js';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { feedIcs, feedQuery, feedUid, FEED_MAX_EVENTS, type FeedEvent } from '../../client/calendar-feed';
import type { ListedWorkflow } from '../../domain/listed-workflow';

const calendar = new BusinessCalendar();
const NOW = new Date('2023-06-01T15:00:00Z');

function listed(over: Partial<ListedWorkflow>): ListedWorkflow {
  return {
    workflowId: 'pc-2023/13',
    planId: 'pc-2023',
    activity: 13,
    period: null,
    title: 'Informe de rendición de cuentas',
    areas: ['ARCOM'],
    start: '2023-05-02',
    due: '2023-06-16',
    status: 'active',
    evidence: 0,
    lastNotice: null,
    nextNotice: null,
    running: true,
    progress: null,
    followUp: null,
    closeTime: null,
    ...over,
  };
}

const event = (over: Partial<ListedWorkflow> = {}): FeedEvent => {
  const w = listed(over);
  return { uid: feedUid(w, 'plazos.entidad.gov.co'), listed: w };
};

function parse(ics: string): ICAL.Component[] {
  return new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent');
}

test('a deadline is an all-day event on its due date, in Spanish, with a reminder 10 and 3 business days before at 08:00 in Bogotá, holidays skipped', () => {
  const ics = feedIcs({ scope: 'ARCOM', events: [event()], versions: new Map(), calendar, now: NOW });
  const cal = new ICAL.Component(ICAL.parse(ics));
  expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
  expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Plazos: ARCOM');
  const [vevent] = parse(ics);
  const e = new ICAL.Event(vevent);
  expect(e.startDate.isDate).toBe(true);
  expect(e.startDate.toString()).toBe('2023-06-16');
  expect(e.endDate.toString()).toBe('2023-06-17');
  expect(e.summary).toBe('Fecha límite: Informe de rendición de cuentas');
  expect(e.description).toBe('Plan pc-2023, actividad 13.\nÁreas: ARCOM.\nEstado: en curso.');
  expect(vevent!.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
  const triggers = vevent!.getAllSubcomponents('valarm').map((a) => (a.getFirstPropertyValue('trigger') as ICAL.Time).toJSDate().toISOString());
  // 16 June 2023 is a Friday; counting back skips the weekends and Monday 12 June (Corpus Christi): 1 and 13 June.
  expect(triggers).toEqual(['2023-06-01T13:00:00.000Z', '2023-06-13T13:00:00.000Z']);
});

test('titles with ; , line breaks and HTML come back exactly as written, folded lines included', () => {
  const title = 'Informe; anexos, tablas\nsegunda línea <script>alert("x")</script> & ' + 'ñ'.repeat(80);
  const ics = feedIcs({ scope: 'all', events: [event({ title })], versions: new Map(), calendar, now: NOW });
  expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  expect(ics).toContain('Informe\\; anexos\\, tablas\\nsegunda');
  const [vevent] = parse(ics);
  expect(vevent!.getFirstPropertyValue('summary')).toBe(`Fecha límite: ${title}`);
});

test('the UID is one per plan, activity and period, whatever the dates; SEQUENCE and LAST-MODIFIED are the stored version', () => {
  const a = event();
  const moved = event({ due: '2023-06-23' });
  expect(moved.uid).toBe(a.uid);
  expect(event({ period: '2023-06' }).uid).not.toBe(a.uid);
  expect(event({ planId: 'pc-2024' }).uid).not.toBe(a.uid);
  expect(a.uid).toMatch(/^[0-9a-f]{32}@plazos\.entidad\.gov\.co$/);
  const ics = feedIcs({
    scope: 'ARCOM',
    events: [moved],
    versions: new Map([[a.uid, { sequence: 2, modifiedAt: Date.UTC(2023, 4, 20) }]]),
    calendar,
    now: NOW,
  });
  const [vevent] = parse(ics);
  expect(vevent!.getFirstPropertyValue('uid')).toBe(a.uid);
  expect(vevent!.getFirstPropertyValue('sequence')).toBe(2);
  expect((vevent!.getFirstPropertyValue('last-modified') as ICAL.Time).toJSDate().toISOString()).toBe('2023-05-20T00:00:00.000Z');
  expect((vevent!.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString()).toBe(NOW.toISOString());
});

test("an area's query names only that area and reads closed runs of the last 400 days only; a quote in a scope cannot end the string", () => {
  const bound = '(ExecutionStatus = "Running" OR CloseTime > "2022-04-27T15:00:00.000Z")';
  expect(feedQuery('ARCOM', NOW)).toBe(`PlazosAreas = "ARCOM" AND ${bound}`);
  expect(feedQuery('all', NOW)).toBe(`PlazosPlan IS NOT NULL AND ${bound}`);
  expect(feedQuery('A" OR PlazosPlan IS NOT NULL OR "', NOW)).not.toMatch(/" OR PlazosPlan/);
});

test('a feed of the most events it holds stays a few megabytes', () => {
  const events = Array.from({ length: FEED_MAX_EVENTS }, (_, i) => event({ activity: i + 1, title: 'T'.repeat(1_500) }));
  const ics = feedIcs({ scope: 'all', events, versions: new Map(), calendar, now: NOW });
  expect(parse(ics)).toHaveLength(FEED_MAX_EVENTS);
  expect(Buffer.byteLength(ics)).toBeLessThan(4 * 1024 * 1024);
});
