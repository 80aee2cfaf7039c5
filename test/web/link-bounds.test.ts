/**
 * What a link holder can write into an activity's workflow is bounded before anything is stored or
 * sent (client/write-gate.ts, counted in the store): past the bound, a Spanish 429 page that says
 * when to try again. OAPLA's actions are never counted. And a body the multipart parser cannot read
 * is a Spanish 400 page, not a 500.
 */
import { createHash } from 'node:crypto';
import { signEvidenceToken } from '../../activities/email/links';
import { startPlan } from '../../client/start-plan';
import { WRITE_BOUNDS } from '../../client/write-gate';
import { statusQuery } from '../../workflows/shared';
import { BASE_URL, Browser, csrfOf, Multipart, PASSWORD, startStack, webTestPlan, type Response, type Stack } from './stack';

jest.setTimeout(120_000);

const { calendar, due, plan } = webTestPlan(2);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('plazos-web-bounds');
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await stack.mail.waitFor(2, 30_000);
}, 90_000);
afterAll(async () => {
  for (const n of [1, 2])
    await stack?.env.client.workflow
      .getHandle(`${plan.id}/${n}`)
      .signal('cancel', { reason: 'fin de la prueba' })
      .catch(() => undefined);
  await stack?.stop();
});

/** The kickoff mail's link for activity 1, and another link to the same activity (a later mail's). */
function kickoffLink(): string {
  const mail = stack.mail.messages.find((m) => m.to.includes('vivienda@entidad.gov.co') && m.subject.startsWith('Inicia la actividad'));
  const m = mail && new RegExp(`${BASE_URL}/evidencia/[A-Za-z0-9_.-]+`).exec(mail.text);
  if (!m) throw new Error('no evidence link in the kickoff mail');
  return m[0].slice(BASE_URL.length);
}
const linkTo = (n: number, area: string, expires = due) => `/evidencia/${signEvidenceToken({ workflowId: `${plan.id}/${n}`, area, expires }, stack.secret)}`;

async function send(link: string, fill: (m: Multipart) => Multipart): Promise<Response> {
  const browser = new Browser(stack.origin);
  const form = await browser.get(link);
  return browser.request('POST', link, { multipart: fill(new Multipart().field('_csrf', csrfOf(form.body))) });
}
const progress = (link: string, percent: number) => send(link, (m) => m.field('progress', String(percent)));

function tooMany(res: Response, words: string): void {
  expect(res.statusCode).toBe(429);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.body).toContain(words);
  expect(res.body).toMatch(/Intente de nuevo después de las \d\d:\d\d \(hora de Colombia\)/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3600);
}

describe('writes through a link', () => {
  it('progress past the bound of one link: 429 in Spanish; another link of the activity gets in up to the activity’s bound; OAPLA’s extension still goes through', async () => {
    const { sender, activity } = WRITE_BOUNDS.progress;
    const link = kickoffLink();
    for (let i = 1; i <= sender.max; i++) expect((await progress(link, i)).statusCode).toBe(200);
    tooMany(await progress(link, 99), 'Se recibieron demasiados reportes de avance desde este remitente');
    const s = await stack.env.client.workflow.getHandle(`${plan.id}/1`).query(statusQuery);
    expect(s.kind === 'period' && s.progress?.map((p) => p.percent)).not.toContain(99);

    const other = linkTo(1, 'ARVIV', calendar.addBusinessDays(due, 1));
    for (let i = sender.max + 1; i <= activity.max; i++) expect((await progress(other, i % 100)).statusCode).toBe(200);
    tooMany(await progress(other, 50), 'para esta actividad');

    const oapla = new Browser(stack.origin);
    const login = await oapla.get('/entrar');
    expect((await oapla.post('/entrar', { _csrf: csrfOf(login.body), usuario: 'planeacion', clave: PASSWORD })).statusCode).toBe(303);
    const id = `${plan.id}/1`;
    const page = await oapla.get(`/actividad?id=${encodeURIComponent(id)}`);
    const newDue = calendar.addBusinessDays(due, 5);
    const extended = await oapla.post('/actividad/accion', {
      _csrf: csrfOf(page.body),
      id,
      accion: 'extend',
      fecha: newDue,
      motivo: 'Prórroga tras la avalancha',
    });
    expect(extended.statusCode).toBe(303);
    const after = await stack.env.client.workflow.getHandle(id).query(statusQuery);
    expect(after.kind === 'period' && after.due).toBe(newDue);
  });

  it('evidence past the bound of one link: 429 before the file is stored or the URL checked', async () => {
    const link = linkTo(2, 'ASERA');
    const statuses: number[] = [];
    for (let i = 0; i < WRITE_BOUNDS.evidence.sender.max; i++)
      statuses.push((await send(link, (m) => m.field('url', stack.evidence.url(`no-existe-${i}.pdf`)))).statusCode);
    expect(statuses).not.toContain(429);
    const pdf = Buffer.from('%PDF-1.4\nuno más\n%%EOF\n');
    tooMany(await send(link, (m) => m.file('archivo', 'informe.pdf', 'application/pdf', pdf)), 'Se recibieron demasiadas evidencias desde este remitente');
    expect(await stack.store.has(createHash('sha256').update(pdf).digest('hex'))).toBe(false);
  });
});

describe('bodies the multipart parser cannot read: a Spanish 400 page', () => {
  async function raw(type: string, payload: string | Buffer): Promise<Response> {
    const browser = new Browser(stack.origin);
    const link = linkTo(2, 'ARCOM');
    const form = await browser.get(link);
    const csrf = csrfOf(form.body);
    return browser.request('POST', link, { raw: { type, payload: typeof payload === 'string' ? payload.replace('CSRF', csrf) : payload } });
  }
  function badForm(res: Response): void {
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('Formulario no válido');
    expect(res.body).not.toMatch(/Error interno|\n\s+at /);
  }

  it('multipart with no boundary', async () =>
    badForm(await raw('multipart/form-data', '--x\r\nContent-Disposition: form-data; name="url"\r\n\r\nhttps://a\r\n--x--\r\n')));
  it('a garbage body', async () => badForm(await raw('multipart/form-data; boundary=zz', Buffer.from([0, 1, 2, 255, 254, 13, 10, 45, 45]))));
  it('no closing boundary after the token', async () =>
    badForm(
      await raw(
        'multipart/form-data; boundary=zz',
        '--zz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nCSRF\r\n--zz\r\nContent-Disposition: form-data; name="note"\r\n\r\nsin fin',
      ),
    ));
  it('no closing boundary inside a file', async () =>
    badForm(
      await raw(
        'multipart/form-data; boundary=zz',
        '--zz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nCSRF\r\n--zz\r\nContent-Disposition: form-data; name="archivo"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 cortado',
      ),
    ));
});
