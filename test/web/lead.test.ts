/**
 * An area lead's own page: signed in through a real OpenID Connect provider, a lead sees every
 * activity of their areas across the entity's plans (overdue first, then by due date), hands in
 * evidence and reports progress from it with the same checks as a notice's link, and is counted per
 * account. Other areas' activities are refused; Control Interno reads everything and sends nothing;
 * OAPLA sees every area. Real workflows on the dev server, real SMTP capture, the app over HTTP.
 */
import { BusinessCalendar } from '../../calendar/business-calendar';
import { startPlan } from '../../client/start-plan';
import { WRITE_BOUNDS } from '../../client/write-gate';
import { AREA_FEEDS_MAX } from '../../web/routes/lead';
import { statusQuery } from '../../workflows/shared';
import { seedPlan } from '../helpers/seed';
import { startOidcStack, type OidcStack } from './oidc-stack';
import { BASE_URL, Browser, csrfOf, eventually, Multipart, webTestPlan, type Response } from './stack';

jest.setTimeout(120_000);

const ACCOUNTS = {
  ana: { preferred_username: 'ana@entidad.gov.co', groups: ['plazos-oapla'] },
  carlos: { preferred_username: 'carlos@entidad.gov.co', groups: ['plazos-control-interno'] },
  beatriz: { preferred_username: 'beatriz@entidad.gov.co', groups: ['plazos-arcom'] },
  bruno: { preferred_username: 'bruno@entidad.gov.co', groups: ['plazos-arcom'] },
};
const ROLES = 'claim: groups\nroles:\n  plazos-oapla: oapla\n  plazos-control-interno: control-interno\n  plazos-arcom: area:ARCOM\n';
/** Small, so the per-account bound shows in a few requests; the activity's bound stays above it. */
const PROGRESS_PER_SENDER = 3;

// Plan A: 1 ARVIV, 2 ASERA+ARCOM, 3 ARCOM, 4 ARACF, all due in 20 business days.
const { calendar, today, due, plan } = webTestPlan(4);
// Plan B, another plan of the entity: ARCOM owes one overdue and one due sooner than plan A's.
const cal = new BusinessCalendar();
const overdueDue = cal.addBusinessDays(today, -3);
const soonDue = cal.addBusinessDays(today, 5);
const other = {
  ...seedPlan([
    {
      number: 1,
      title: 'Publicar el informe de gestión',
      responsible: ['ARCOM'],
      deliverable: 'Informe publicado.',
      start: cal.addBusinessDays(today, -30),
      due: overdueDue,
    },
    {
      number: 2,
      title: 'Actualizar el sitio de transparencia',
      responsible: ['ARCOM'],
      deliverable: 'Sitio actualizado.',
      start: cal.addBusinessDays(today, -1),
      due: soonDue,
    },
    { number: 3, title: 'Medir la satisfacción', responsible: ['ASERA'], deliverable: 'Encuesta.', start: cal.addBusinessDays(today, -1), due: soonDue },
  ]),
  id: 'plan-anticorrupcion-2026',
};

let oidc: OidcStack;
beforeAll(async () => {
  oidc = await startOidcStack('web-lead', {
    accounts: ACCOUNTS,
    roles: ROLES,
    knownAreas: ['OAPLA', 'ARCOM', 'ASERA', 'ARVIV', 'ARACF'],
    stack: {
      limits: {
        writes: { ...WRITE_BOUNDS, progress: { sender: { max: PROGRESS_PER_SENDER, windowMs: 3_600_000 }, activity: { max: 30, windowMs: 3_600_000 } } },
      },
    },
  });
  const { stack } = oidc;
  for (const p of [plan, other]) await startPlan(stack.env.client, p, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  // Every deliverable is in visibility with its status before a page lists them.
  await eventually(
    async () => {
      const listed: string[] = [];
      for await (const wf of stack.env.client.workflow.list({ query: 'PlazosStatus IS NOT NULL' })) listed.push(wf.workflowId);
      return listed;
    },
    (listed) => listed.length >= 7,
    'the 7 activities of both plans listed with a status',
    { timeoutMs: 30_000 },
  );
}, 120_000);

afterAll(async () => {
  for (const id of [1, 2, 3, 4].map((n) => `${plan.id}/${n}`).concat([1, 2, 3].map((n) => `${other.id}/${n}`)))
    await oidc?.stack.env.client.workflow
      .getHandle(id)
      .signal('cancel', { reason: 'fin de la prueba' })
      .catch(() => undefined);
  await oidc?.stop();
});

const status = (id: string) => oidc.stack.env.client.workflow.getHandle(id).query(statusQuery);
const activityPath = (id: string) => `/entregables/actividad?id=${id}`;
/** How the list links to an activity (the ID as it is: its slashes are fine in a query). */
const listed = (id: string) => `href="${activityPath(id)}"`;

async function signIn(account: keyof typeof ACCOUNTS): Promise<Browser> {
  const { browser, res } = await oidc.signInAs(account);
  expect(res.statusCode).toBe(303);
  return browser;
}

async function handIn(browser: Browser, id: string, fill: (m: Multipart) => Multipart): Promise<Response> {
  const form = await browser.get(activityPath(id));
  expect(form.statusCode).toBe(200);
  return browser.request('POST', activityPath(id), { multipart: fill(new Multipart().field('_csrf', csrfOf(form.body))) });
}

describe("an area lead's page", () => {
  it("lists every activity of the lead's area across plans, overdue first and then by due date, and nothing of other areas", async () => {
    const lead = await signIn('beatriz');
    const page = await lead.get('/entregables');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Entregables de ARCOM');
    const order = [`${other.id}/1`, `${other.id}/2`, `${plan.id}/2`, `${plan.id}/3`].map((id) => page.body.indexOf(listed(id)));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page.body).toContain('Vencidas sin evidencia aceptada');
    expect(page.body).toMatch(/venció hace \d+ días/);
    for (const foreign of [`${plan.id}/1`, `${plan.id}/4`, `${other.id}/3`]) expect(page.body).not.toContain(listed(foreign));
    // The navigation is the lead's: their page, not OAPLA's portfolio.
    expect(page.body).toContain('Mis entregables');
    expect(page.body).not.toContain('href="/">Planes');
  });

  it('hands in evidence from the page: the workflow records it as the area, and the receipt links back', async () => {
    const lead = await signIn('beatriz');
    const id = `${plan.id}/3`;
    const res = await handIn(lead, id, (m) => m.field('url', oidc.stack.evidence.url('sitio-web.pdf')).field('note', 'Informe de la página'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Evidencia recibida');
    // Handlebars writes the query's "=" as an entity; a browser reads it back.
    expect(res.body.replace(/&#x3D;/g, '=')).toContain(`href="/entregables/actividad?id=${encodeURIComponent(id)}"`);
    const view = await status(id);
    expect(view.kind === 'period' && view.evidence.map((e) => [e.submittedBy, e.evidence.kind === 'url' && e.evidence.url])).toEqual([
      ['ARCOM', oidc.stack.evidence.url('sitio-web.pdf')],
    ]);
  });

  it('an activity shared with another area is handed in as the lead’s own area', async () => {
    const lead = await signIn('beatriz');
    const id = `${plan.id}/2`;
    const res = await handIn(lead, id, (m) => m.field('progress', '40'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Avance recibido');
    const view = await status(id);
    expect(view.kind === 'period' && view.progress?.map((p) => [p.percent, p.reportedBy, p.via])).toEqual([[40, 'ARCOM', 'web']]);
  });

  it('the same checks as the link: a form without its token, or with neither link, file nor progress, is refused and nothing is written', async () => {
    const lead = await signIn('beatriz');
    const id = `${other.id}/2`;
    const noToken = await lead.request('POST', activityPath(id), { multipart: new Multipart().field('progress', '10') });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('Formulario vencido');
    const empty = await handIn(lead, id, (m) => m.field('note', 'sin nada'));
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Indique un enlace, adjunte un archivo o escriba el avance en %.');
    const view = await status(id);
    expect(view.kind === 'period' && [view.evidence.length, (view.progress ?? []).length]).toEqual([0, 0]);
  });

  it("another area's activity is refused, to read and to write, and so is another area's list", async () => {
    const lead = await signIn('beatriz');
    const id = `${plan.id}/1`;
    const read = await lead.get(activityPath(id));
    expect(read.statusCode).toBe(403);
    expect(read.body).toContain('Actividad de otra área');
    expect(read.body).not.toContain('Desarrollar ferias inmobiliarias');
    const form = await lead.get(activityPath(`${plan.id}/3`));
    const write = await lead.request('POST', activityPath(id), { multipart: new Multipart().field('_csrf', csrfOf(form.body)).field('progress', '90') });
    expect(write.statusCode).toBe(403);
    expect(write.body).toContain('Actividad de otra área');
    const view = await status(id);
    expect(view.kind === 'period' && (view.progress ?? []).length).toBe(0);
    const list = await lead.get('/entregables?area=ARVIV');
    expect(list.statusCode).toBe(403);
    expect(list.body).toContain('Entregables de otra área');
    expect((await lead.get('/entregables/actividad?id=..%2F..%2Fetc')).statusCode).toBe(404);
  });

  it('a lead is counted per account: past the bound a Spanish 429, while the notice’s link (another sender) still gets in', async () => {
    // A lead who has written nothing yet: the bound counts an account across every activity.
    const lead = await signIn('bruno');
    const id = `${other.id}/2`;
    const answers: number[] = [];
    for (let i = 1; i <= PROGRESS_PER_SENDER + 1; i++) answers.push((await handIn(lead, id, (m) => m.field('progress', String(i * 10)))).statusCode);
    expect(answers).toEqual([...Array(PROGRESS_PER_SENDER).fill(200), 429]);
    const refused = await handIn(lead, id, (m) => m.field('progress', '99'));
    expect(refused.body).toContain('demasiados reportes de avance desde este remitente');
    const mail = oidc.stack.mail.messages.find((m) => m.subject.startsWith('Inicia la actividad') && m.text.includes('Actualizar el sitio de transparencia'));
    const link = mail && new RegExp(`${BASE_URL}/evidencia/[A-Za-z0-9_.-]+`).exec(mail.text)?.[0].slice(BASE_URL.length);
    expect(link).toBeTruthy();
    const anonymous = new Browser(oidc.stack.origin);
    const form = await anonymous.get(link!);
    const byLink = await anonymous.request('POST', link!, { multipart: new Multipart().field('_csrf', csrfOf(form.body)).field('progress', '80') });
    expect(byLink.statusCode).toBe(200);
    const view = await status(id);
    expect(view.kind === 'period' && view.progress?.map((p) => p.percent)).toEqual([10, 20, 30, 80]);
  });
});

describe("the lead's calendar address", () => {
  it('is created from the page, shown once, lists only the area’s deadlines, and is revoked from the page', async () => {
    const lead = await signIn('beatriz');
    const page = await lead.get('/entregables');
    expect(page.body).toContain('Crear una dirección de calendario para ARCOM');
    const created = await lead.post('/entregables/calendario', { _csrf: csrfOf(page.body), area: 'ARCOM' });
    expect(created.statusCode).toBe(200);
    const url = /value="(http:\/\/plazos\.test\/calendario\/[A-Za-z0-9_-]{43}\.ics)"/.exec(created.body)?.[1];
    expect(url).toBeDefined();
    const path = url!.slice(BASE_URL.length);
    const ics = await new Browser(oidc.stack.origin).get(path);
    expect(ics.statusCode).toBe(200);
    expect(ics.body).toContain('Seguimiento al sitio web');
    expect(ics.body).toContain('Publicar el informe de gestión');
    expect(ics.body).not.toContain('Desarrollar ferias inmobiliarias');
    // The page lists it by id (never its address again), with a button to revoke it.
    const id = /Calendario ([0-9a-f]{8}) de ARCOM/.exec(created.body)?.[1];
    expect(id).toBeDefined();
    expect((await lead.get('/entregables')).body).not.toContain(path);
    const revoked = await lead.post('/entregables/calendario', { _csrf: csrfOf(created.body), area: 'ARCOM', revocar: id! });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.body).toContain(`Calendario ${id!} revocado`);
    expect((await new Browser(oidc.stack.origin).get(path)).statusCode).toBe(404);
  });

  it("is refused for another area, another area's address cannot be revoked by its id, and an area holds a bounded number", async () => {
    const lead = await signIn('beatriz');
    let page = await lead.get('/entregables');
    const foreign = await lead.post('/entregables/calendario', { _csrf: csrfOf(page.body), area: 'ARVIV' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).toContain('Calendario de otra área');
    // OAPLA hands ARVIV an address; ARCOM's lead cannot revoke it, under either area.
    const oapla = await signIn('ana');
    const forArviv = await oapla.post('/entregables/calendario', { _csrf: csrfOf((await oapla.get('/entregables?area=ARVIV')).body), area: 'ARVIV' });
    expect(forArviv.statusCode).toBe(200);
    const arvivId = /Calendario ([0-9a-f]{8}) de ARVIV/.exec(forArviv.body)?.[1];
    expect(arvivId).toBeDefined();
    const asArcom = await lead.post('/entregables/calendario', { _csrf: csrfOf((await lead.get('/entregables')).body), area: 'ARCOM', revocar: arvivId! });
    expect(asArcom.statusCode).toBe(404);
    expect(asArcom.body).toContain(`El área ARCOM no tiene un calendario activo con el id ${arvivId!}`);
    const asArviv = await lead.post('/entregables/calendario', { _csrf: csrfOf((await lead.get('/entregables')).body), area: 'ARVIV', revocar: arvivId! });
    expect(asArviv.statusCode).toBe(403);
    expect(asArviv.body).toContain('Calendario de otra área');
    expect((await oapla.get('/calendarios')).body).toMatch(
      new RegExp(`${arvivId!}</td><td>ARVIV</td><td>(?:<span class="fecha">[^<]+</span> ?)+</td><td>activo`),
    );
    page = await lead.get('/entregables');
    const answers: number[] = [];
    for (let i = 0; i < AREA_FEEDS_MAX + 1; i++) {
      const res = await lead.post('/entregables/calendario', { _csrf: csrfOf(page.body), area: 'ARCOM' });
      answers.push(res.statusCode);
      page = res;
    }
    expect(answers.slice(0, -1).every((c) => c === 200)).toBe(true);
    expect(answers.at(-1)).toBe(429);
    expect(page.body).toContain(`El área ARCOM ya tiene ${AREA_FEEDS_MAX} calendarios activos`);
  });
});

describe('OAPLA and Control Interno on the same pages', () => {
  it('Control Interno sees every area and each activity, with no form to hand in, and its POST is refused', async () => {
    const control = await signIn('carlos');
    const all = await control.get('/entregables');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Entregables de todas las áreas');
    for (const id of [`${plan.id}/1`, `${plan.id}/4`, `${other.id}/3`]) expect(all.body).toContain(listed(id));
    const one = await control.get(activityPath(`${plan.id}/4`));
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('Solo consulta');
    expect(one.body).not.toContain('enctype="multipart/form-data"');
    const post = await control.request('POST', activityPath(`${plan.id}/4`), {
      multipart: new Multipart().field('_csrf', csrfOf(all.body)).field('progress', '5'),
    });
    expect(post.statusCode).toBe(403);
  });

  it("Control Interno's dashboard pages show no action button: no review, extension, cancellation nor calendar apply", async () => {
    const control = await signIn('carlos');
    const activity = await control.get(`/actividad?id=${encodeURIComponent(`${plan.id}/4`)}`);
    expect(activity.statusCode).toBe(200);
    expect(activity.body).toContain('Atender al consumidor financiero');
    expect(activity.body).not.toContain('action="/actividad/accion"');
    const planPage = await control.get(`/planes/${plan.id}`);
    expect(planPage.statusCode).toBe(200);
    expect(planPage.body).not.toContain(`action="/planes/${plan.id}/calendario"`);
    const feeds = await control.get('/calendarios');
    expect(feeds.body).not.toContain('<form method="post" action="/calendarios">');
    // OAPLA's own pages keep every action.
    const oapla = await signIn('ana');
    expect((await oapla.get(`/actividad?id=${encodeURIComponent(`${plan.id}/4`)}`)).body).toContain('action="/actividad/accion"');
    expect((await oapla.get(`/planes/${plan.id}`)).body).toContain(`action="/planes/${plan.id}/calendario"`);
  });

  it('OAPLA picks any area, and hands in for an activity as OAPLA without being counted', async () => {
    const oapla = await signIn('ana');
    const arviv = await oapla.get('/entregables?area=ARVIV');
    expect(arviv.statusCode).toBe(200);
    expect(arviv.body).toContain('Entregables de ARVIV');
    expect(arviv.body).toContain(listed(`${plan.id}/1`));
    expect(arviv.body).not.toContain(listed(`${plan.id}/3`));
    const id = `${plan.id}/4`;
    const answers: number[] = [];
    for (let i = 1; i <= PROGRESS_PER_SENDER + 1; i++) answers.push((await handIn(oapla, id, (m) => m.field('progress', String(i * 5)))).statusCode);
    expect(answers).toEqual(Array(PROGRESS_PER_SENDER + 1).fill(200));
    const view = await status(id);
    expect(view.kind === 'period' && view.progress?.map((p) => p.reportedBy)).toEqual(Array(PROGRESS_PER_SENDER + 1).fill('OAPLA'));
  });
});

it('dates of the plans in this test: overdue before today, soon before plan A', () => {
  // The order the first test checks rests on these; a calendar change that broke them would make it vacuous.
  expect(overdueDue < today && today < soonDue && soonDue < due).toBe(true);
});
