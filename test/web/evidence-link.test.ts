/**
 * An area lead hands in evidence through the link in a real e-mail: the real workflows on the dev
 * server, the real SMTP capture, the web app through HTTP (inject). Also: the refusals a wrong link
 * gets, the security headers, and the OAPLA dashboard, actions and report on the same workflows.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signEvidenceToken } from '../../activities/email/links';
import { BusinessCalendar } from '../../calendar/business-calendar';
import { dateLabel } from '../../web/labels';
import { startPlan } from '../../client/start-plan';
import { statusQuery } from '../../workflows/shared';
import { BASE_URL, Browser, csrfOf, eventually, Multipart, PASSWORD, startStack, webTestPlan, type Stack } from './stack';

jest.setTimeout(60_000);

const { calendar, today, due, plan } = webTestPlan(3);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('plazos-web-test');
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await stack.mail.waitFor(3, 30_000);
}, 90_000);
afterAll(async () => {
  for (const n of [1, 2, 3])
    await stack?.env.client.workflow
      .getHandle(`${plan.id}/${n}`)
      .signal('cancel', { reason: 'fin de la prueba' })
      .catch(() => undefined);
  await stack?.stop();
});

const status = (n: number) => stack.env.client.workflow.getHandle(`${plan.id}/${n}`).query(statusQuery);

/** The evidence link of the kickoff mail sent to an address, as the lead would click it. */
function linkFor(address: string): string {
  const mail = stack.mail.messages.find((m) => m.to.includes(address) && m.subject.startsWith('Inicia la actividad'));
  const m = mail && new RegExp(`${BASE_URL}/evidencia/[A-Za-z0-9_.-]+`).exec(mail.text);
  if (!m) throw new Error(`no evidence link in the kickoff mail to ${address}`);
  return m[0].slice(BASE_URL.length);
}

describe('evidence by secure link', () => {
  it('the kickoff e-mail carries a link that opens the activity page in Spanish, with what is expected and what was sent', async () => {
    const page = await new Browser(stack.origin).get(linkFor('vivienda@entidad.gov.co'));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Desarrollar ferias inmobiliarias');
    expect(page.body).toContain('Informe de ferias.');
    expect(page.body).toContain(`Fecha de entrega</dt><dd><span class="fecha">${dateLabel(due)}</span>`);
    expect(page.body).toMatch(/correo de inicio a ARVIV/);
    expect(page.body).toContain('Enviar evidencia');
  });

  it('every page carries the security headers: CSP without scripts, no referrer, no framing, nosniff', async () => {
    const res = await new Browser(stack.origin).get(linkFor('vivienda@entidad.gov.co'));
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).not.toContain('script-src');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).not.toMatch(/<script/i);
  });

  it('a tampered link is refused with a Spanish page that names no activity', async () => {
    const link = linkFor('vivienda@entidad.gov.co');
    const tampered = link.slice(0, -2) + (link.endsWith('AA') ? 'BB' : 'AA');
    const res = await new Browser(stack.origin).get(tampered);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Este enlace no es válido');
    expect(res.body).not.toContain('ferias');
  });

  it('a link signed for another activity cannot be bent to this one: changing the activity breaks the signature', async () => {
    const token = linkFor('vivienda@entidad.gov.co').split('/').pop()!;
    const [, sig] = token.split('.');
    const other = Buffer.from(JSON.stringify({ w: `${plan.id}/3`, a: 'ARVIV', x: '2099-12-31' })).toString('base64url');
    const res = await new Browser(stack.origin).get(`/evidencia/${other}.${sig}`);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('Seguimiento al sitio web');
  });

  it('an expired link gets 410 and a Spanish page asking for the latest e-mail', async () => {
    const expired = signEvidenceToken({ workflowId: `${plan.id}/1`, area: 'ARVIV', expires: calendar.previousBusinessDay(today) }, stack.secret);
    const res = await new Browser(stack.origin).get(`/evidencia/${expired}`);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('Este enlace ya venció');
    expect(res.body).not.toContain('ferias');
  });

  it('a form posted without its CSRF token is refused and nothing reaches the workflow', async () => {
    const browser = new Browser(stack.origin);
    const link = linkFor('vivienda@entidad.gov.co');
    await browser.get(link);
    const res = await browser.request('POST', link, { multipart: new Multipart().field('url', stack.evidence.url('ferias.pdf')) });
    expect(res.statusCode).toBe(403);
    expect((await status(1)).status).toBe('active');
  });

  it('the lead submits a URL with a note through the form, sees a receipt, and the activity goes to review', async () => {
    const browser = new Browser(stack.origin);
    const link = linkFor('vivienda@entidad.gov.co');
    const form = await browser.get(link);
    const res = await browser.request('POST', link, {
      multipart: new Multipart().field('_csrf', csrfOf(form.body)).field('url', stack.evidence.url('ferias.pdf')).field('note', 'Informe final'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Recibimos la evidencia de la actividad 1');
    expect(res.body).toContain('E1');
    const s = await eventually(
      () => status(1),
      (v) => v.status === 'in-review',
      'activity 1 in review',
    );
    if (s.kind !== 'period') throw new Error('expected a one-off activity');
    expect(s.evidence[0]).toMatchObject({ submittedBy: 'ARVIV', note: 'Informe final', evidence: { kind: 'url' } });
  });

  it('the lead submits a PDF file; it is stored by its sha256 and the activity goes to review', async () => {
    const browser = new Browser(stack.origin);
    const link = linkFor('servicio.afiliado@entidad.gov.co');
    const form = await browser.get(link);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const res = await browser.request('POST', link, {
      multipart: new Multipart().field('_csrf', csrfOf(form.body)).file('archivo', 'informe.pdf', 'application/pdf', pdf).field('note', ''),
    });
    expect(res.statusCode).toBe(200);
    const s = await eventually(
      () => status(2),
      (v) => v.status === 'in-review',
      'activity 2 in review',
    );
    if (s.kind !== 'period') throw new Error('expected a one-off activity');
    expect(s.evidence[0]?.evidence).toEqual({
      kind: 'file',
      sha256: createHash('sha256').update(pdf).digest('hex'),
      size: pdf.length,
      mediaType: 'application/pdf',
      name: 'informe.pdf',
    });
    expect(s.evidence[0]?.submittedBy).toBe('ASERA');
  });

  it('a file of a type that is not accepted is refused on the form, in Spanish', async () => {
    const browser = new Browser(stack.origin);
    const link = linkFor('comunicaciones@entidad.gov.co');
    const form = await browser.get(link);
    const res = await browser.request('POST', link, {
      multipart: new Multipart().field('_csrf', csrfOf(form.body)).file('archivo', 'virus.exe', 'application/octet-stream', Buffer.from('MZ')),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('tipo de archivo no aceptado');
  });
});

describe('OAPLA dashboard', () => {
  async function signedIn(): Promise<Browser> {
    const browser = new Browser(stack.origin);
    const login = await browser.get('/entrar');
    const res = await browser.post('/entrar', { _csrf: csrfOf(login.body), usuario: 'planeacion', clave: PASSWORD, volver: '/' });
    expect(res.statusCode).toBe(303);
    return browser;
  }

  it('the dashboard asks to sign in first', async () => {
    const res = await new Browser(stack.origin).get(`/planes/${plan.id}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/entrar/);
  });

  it('signing in sets an HttpOnly, SameSite=Lax session cookie; a wrong password says so', async () => {
    const browser = new Browser(stack.origin);
    const login = await browser.get('/entrar');
    const bad = await browser.post('/entrar', { _csrf: csrfOf(login.body), usuario: 'planeacion', clave: 'otra' });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('Usuario o contraseña incorrectos.');
    // Each attempt spends the page's token: the next one uses the token of the page the failure returned.
    const ok = await browser.post('/entrar', { _csrf: csrfOf(bad.body), usuario: 'planeacion', clave: PASSWORD });
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/plazos_session=.*HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('OAPLA downloads a file handed in as evidence; once the stored copy is damaged, a Spanish page instead of the damaged bytes', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await eventually(
      () => status(2),
      (v) => v.kind === 'period' && v.evidence.some((e) => e.evidence.kind === 'file' && e.evidence.sha256 === sha256),
      'the PDF of activity 2 recorded',
    );
    const browser = await signedIn();
    const url = `/archivo/${sha256}?id=${encodeURIComponent(`${plan.id}/2`)}`;
    const ok = await browser.get(url);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe(pdf.toString());

    const file = join(stack.blobDir, sha256.slice(0, 2), sha256.slice(2));
    const damaged = pdf.toString().replace('endobj', 'ENDOBJ');
    await writeFile(file, damaged);
    try {
      const refused = await browser.get(url);
      expect(refused.statusCode).toBe(500);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
      expect(refused.body).toContain('Archivo dañado');
      expect(refused.body).toContain('Pida al área que lo cargue de nuevo');
      expect(refused.body).not.toContain('ENDOBJ');
    } finally {
      // Handed in again, as the page asks: the same content repairs the stored copy.
      await stack.store.put(pdf, { maxBytes: 1024 });
    }
    expect((await browser.get(url)).body).toBe(pdf.toString());
  });

  it('the plan overview shows counts per area, a light per activity and the timeline with today marked', async () => {
    const browser = await signedIn();
    const res = await browser.get(`/planes/${plan.id}`);
    expect(res.statusCode).toBe(200);
    for (const area of ['ARVIV', 'ASERA', 'ARCOM']) expect(res.body).toContain(`<td class="title-cell"><a href="/areas/${area}">${area}</a></td>`);
    expect(res.body).toContain(`hoy, ${dateLabel(today)}`);
    expect(res.body.match(/<tr><td class="light-cell"><span class="dot /g)).toHaveLength(3);
  });

  it('OAPLA rejects with a new due date, then the lead resubmits, then OAPLA approves and the activity closes', async () => {
    await eventually(
      () => status(1),
      (v) => v.status === 'in-review',
      'activity 1 in review',
    );
    const browser = await signedIn();
    const id = `${plan.id}/1`;
    const pageRes = await browser.get(`/actividad?id=${encodeURIComponent(id)}`);
    expect(pageRes.body).toContain('Historia (registro de auditoría)');
    const newDue = calendar.addBusinessDays(due, 5);
    const rejected = await browser.post('/actividad/accion', { _csrf: csrfOf(pageRes.body), id, accion: 'reject', motivo: 'Falta la firma', fecha: newDue });
    expect(rejected.statusCode).toBe(303);
    const s = await eventually(
      () => status(1),
      (v) => v.status === 'active',
      'activity 1 back to active',
    );
    expect(s.kind === 'period' && s.due).toBe(newDue);

    // Each action spends the page's token; the browser follows the redirect to a fresh page.
    const afterReject = await browser.get(rejected.headers.location as string);
    const refused = await browser.post('/actividad/accion', { _csrf: csrfOf(afterReject.body), id, accion: 'approve' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Rechazado por la actividad: No hay evidencia en revisión');

    const lead = new Browser(stack.origin);
    const link = linkFor('vivienda@entidad.gov.co');
    const form = await lead.get(link);
    await lead.request('POST', link, { multipart: new Multipart().field('_csrf', csrfOf(form.body)).field('url', stack.evidence.url('ferias-firmado.pdf')) });
    await eventually(
      () => status(1),
      (v) => v.status === 'in-review',
      'activity 1 in review again',
    );
    const approved = await browser.post('/actividad/accion', { _csrf: csrfOf(refused.body), id, accion: 'approve' });
    expect(approved.statusCode).toBe(303);
    await expect(stack.env.client.workflow.getHandle(id).result()).resolves.toMatchObject({ status: 'on-time' });
  });

  it('OAPLA applies the calendar from the plan page: a día cívico on a pending reminder moves it to the day before; again, nothing changes', async () => {
    const open = (await Promise.all([1, 2, 3].map(status))).find((s) => s.kind === 'period' && s.next?.kind === 'reminder');
    if (!open || open.kind !== 'period' || !open.next) throw new Error('no activity waits for a reminder');
    const reminderDay = open.next.at.slice(0, 10);
    stack.setCalendar(new BusinessCalendar(undefined, [{ date: reminderDay, name: 'Día cívico' }]));
    const browser = await signedIn();
    const planPage = await browser.get(`/planes/${plan.id}`);
    expect(planPage.body).toContain(`action="/planes/${plan.id}/calendario"`);
    const applied = await browser.post(`/planes/${plan.id}/calendario`, { _csrf: csrfOf(planPage.body) });
    expect(applied.statusCode).toBe(200);
    expect(applied.body).toMatch(/\d+ actividades en curso: [1-9]\d* tomaron el calendario nuevo \([1-9]\d* avisos cambiaron de fecha\)/);
    expect(applied.body).toContain('es día no laborable de la entidad (Día cívico)');
    const moved = await status(open.activity.number);
    const dayBefore = calendar.previousBusinessDay(reminderDay);
    expect(moved.kind === 'period' && moved.next?.at.slice(0, 10)).toBe(dayBefore);
    const again = await browser.post(`/planes/${plan.id}/calendario`, { _csrf: csrfOf(planPage.body) });
    expect(again.body).toMatch(/: 0 tomaron el calendario nuevo \(0 avisos cambiaron de fecha\), \d+ ya estaban al día\./);
    const forged = await browser.post(`/planes/${plan.id}/calendario`, { _csrf: 'x' });
    expect(forged.statusCode).toBe(403);
    // The page's own sign-out button carries its token.
    const out = await browser.post('/salir', { _csrf: csrfOf(applied.body) });
    expect(out.statusCode).toBe(303);
    expect((await browser.get(`/planes/${plan.id}`)).statusCode).toBe(303);
  });

  it('the CSV report has one row per activity with the status the workflows report', async () => {
    await eventually(
      () => status(1),
      (v) => v.status === 'on-time',
      'activity 1 closed',
    );
    const browser = await signedIn();
    const statuses = await Promise.all([1, 2, 3].map(status));
    const label: Record<string, string> = { 'on-time': 'a tiempo', 'in-review': 'en revisión', active: 'en curso', checking: 'verificando' };
    // The report reads visibility, which follows each workflow by a moment.
    const csv = await eventually(
      () => browser.get(`/planes/${plan.id}/informe.csv`),
      (r) => r.body.includes(',a tiempo,'),
      'the CSV shows activity 1 closed',
    );
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('plan,actividad,periodo,nombre,areas,inicio,vence,estado,vencida,evidencias,ultimo_aviso,proximo_aviso,avance');
    expect(lines.slice(1).map((l) => l.split(',')[7])).toEqual(statuses.map((s) => label[s.status]));
    const report = await browser.get(`/planes/${plan.id}/informe`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('<title>a-tiempo: 1</title>');
  });

  it('a user who keeps mistyping waits a growing number of seconds, never a lockout: the right password gets in once the wait is over', async () => {
    const browser = new Browser(stack.origin);
    let form = await browser.get('/entrar');
    const attempt = async (clave: string) => {
      const res = await browser.post('/entrar', { _csrf: csrfOf(form.body), usuario: 'planeacion', clave });
      form = res;
      return res;
    };
    for (let i = 0; i < 3; i++) expect((await attempt('adivinanza')).statusCode).toBe(401);
    const waiting = await attempt(PASSWORD);
    expect(waiting.statusCode).toBe(429);
    expect(waiting.body).toContain('Demasiados intentos fallidos. Espere 1 segundo e intente de nuevo.');
    expect(waiting.headers['retry-after']).toBe('1');
    stack.setNow(Date.now() + 2_000);
    try {
      expect((await attempt(PASSWORD)).statusCode).toBe(303);
    } finally {
      stack.setNow(Date.now());
    }
  });

  it('GET /health answers ok', async () => {
    const res = await new Browser(stack.origin).get('/health');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('ok');
  });
});
