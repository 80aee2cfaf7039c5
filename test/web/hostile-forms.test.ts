/**
 * The evidence form and the sign-in form against requests a browser would not send: other content
 * types, oversize fields and bodies, missing and spent CSRF tokens, file names with folders or
 * control characters, zip bombs dressed as office files, files whose first bytes contradict their
 * name. Each gets a Spanish 4xx page; nothing is stored and nothing reaches the workflow.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { startPlan } from '../../client/start-plan';
import { statusQuery } from '../../workflows/shared';
import { buildZip, zipBomb } from '../helpers/zip';
import { BASE_URL, Browser, csrfOf, Multipart, startStack, webTestPlan, type Stack } from './stack';

jest.setTimeout(60_000);

const { calendar, plan } = webTestPlan(1);
/** The stack's upload limit (test/web/stack.ts): archives may expand to ten times it. */
const MAX_UPLOAD = 1024 * 1024;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('plazos-web-hostile');
  await startPlan(stack.env.client, plan, calendar, { taskQueue: stack.taskQueue, searchAttributes: true, kickoffNow: true });
  await stack.mail.waitFor(1, 30_000);
}, 90_000);
afterAll(async () => {
  await stack?.env.client.workflow
    .getHandle(`${plan.id}/1`)
    .signal('cancel', { reason: 'fin de la prueba' })
    .catch(() => undefined);
  await stack?.stop();
});

function link(): string {
  const mail = stack.mail.messages.find((m) => m.subject.startsWith('Inicia la actividad'));
  const m = mail && new RegExp(`${BASE_URL}/evidencia/[A-Za-z0-9_.-]+`).exec(mail.text);
  if (!m) throw new Error('no evidence link in the kickoff mail');
  return m[0].slice(BASE_URL.length);
}

const activity = () => stack.env.client.workflow.getHandle(`${plan.id}/1`).query(statusQuery);

/** Nothing reached the workflow: still active, no evidence. */
async function untouched(): Promise<void> {
  const s = await activity();
  if (s.kind !== 'period') throw new Error('expected a one-off activity');
  expect(s.status).toBe('active');
  expect(s.evidence).toEqual([]);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A page a person reads: HTML, in Spanish, with the security headers, no stack trace. */
function spanishPage(res: { statusCode: number; body: string; headers: Record<string, string> }, status: number, words: string): void {
  expect({ status: res.statusCode, words: res.body.includes(words) }).toEqual({ status, words: true });
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.body).not.toMatch(/\n\s+at /);
}

/** A browser with the evidence form open, and its CSRF token. */
async function openForm(): Promise<{ browser: Browser; csrf: string }> {
  const browser = new Browser(stack.origin);
  const form = await browser.get(link());
  return { browser, csrf: csrfOf(form.body) };
}

async function submitFile(name: string, content: Buffer, type = 'application/octet-stream') {
  const { browser, csrf } = await openForm();
  return browser.request('POST', link(), { multipart: new Multipart().field('_csrf', csrf).file('archivo', name, type, content) });
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('files refused before they are stored', () => {
  it.each([
    ['a name with folders', '../../etc/informe.pdf', PDF, 'no puede incluir carpetas'],
    ['a Windows path', 'C:\\Users\\ana\\informe.pdf', PDF, 'no puede incluir carpetas'],
    ['a name with a terminal sequence', 'informe\u001b[2J.pdf', PDF, 'caracteres de control'],
    ['a name with a right-to-left override', 'informe\u202efdp.exe', PDF, 'caracteres de control'],
    ['an executable named .pdf', 'informe.pdf', Buffer.from('MZ\u0090\u0000 este programa no puede ejecutarse'), 'el contenido no es un PDF'],
    ['a PNG named .docx', 'acta.docx', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'el contenido no es un DOCX'],
    ['a damaged .zip', 'soportes.zip', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(40)]), 'está dañado'],
  ])('%s: 400 on the form, in Spanish', async (_case, name, content, words) => {
    const res = await submitFile(name, content);
    spanishPage(res, 400, words);
    expect(await stack.store.has(sha256(content))).toBe(false);
    await untouched();
  });

  it('a zip bomb named .docx whose directory tells the truth: 413, not stored', async () => {
    const bomb = zipBomb('word/document.xml', 10 * MAX_UPLOAD + 1);
    expect(bomb.length).toBeLessThan(MAX_UPLOAD);
    const res = await submitFile('informe.docx', bomb);
    spanishPage(res, 413, 'se expande a más de 10 MB');
    expect(await stack.store.has(sha256(bomb))).toBe(false);
    await untouched();
  });

  it('a zip bomb whose directory lies about the size, as a .zip: 413, not stored', async () => {
    const bomb = buildZip([
      { name: 'a.txt', data: Buffer.from('hola') },
      { name: 'b.csv', data: Buffer.alloc(10 * MAX_UPLOAD + 1), declaredSize: 10 },
    ]);
    const res = await submitFile('soportes.zip', bomb);
    spanishPage(res, 413, 'se expande a más de 10 MB');
    expect(await stack.store.has(sha256(bomb))).toBe(false);
    await untouched();
  });

  it('a bomb declaring 2 GB inside a zip inside a zip: 413 naming the entry, not stored', async () => {
    const inner = buildZip([{ name: 'datos.csv', data: Buffer.from('a;b\n'), declaredSize: 2 ** 31 }]);
    const outer = buildZip([{ name: 'interno.zip', data: inner }]);
    const res = await submitFile('soportes.zip', outer);
    spanishPage(res, 413, 'se expande a más de 10 MB');
    expect(await stack.store.has(sha256(outer))).toBe(false);
    await untouched();
  });

  it('a .zip whose entry would be written to ../../../etc/cron.d: 400 naming the entry, not stored', async () => {
    const zip = buildZip([{ name: '../../../etc/cron.d/evil', data: Buffer.from('* * * * * root sh\n') }]);
    const res = await submitFile('soportes.zip', zip);
    spanishPage(res, 400, 'contiene &quot;../../../etc/cron.d/evil&quot;, un nombre que al descomprimir escribiría fuera de la carpeta');
    expect(await stack.store.has(sha256(zip))).toBe(false);
    await untouched();
  });

  it('a file past the upload limit: 413, not stored', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_UPLOAD)]);
    const res = await submitFile('informe.pdf', big);
    spanishPage(res, 413, 'MB');
    expect(await stack.store.has(sha256(big))).toBe(false);
    await untouched();
  });

  it('two files in one form: refused, and the first one is not stored either', async () => {
    const { browser, csrf } = await openForm();
    const other = Buffer.from('%PDF-1.4\notro\n%%EOF\n');
    const res = await browser.request('POST', link(), {
      multipart: new Multipart().field('_csrf', csrf).file('archivo', 'a.pdf', 'application/pdf', PDF).file('archivo', 'b.pdf', 'application/pdf', other),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).toMatch(/Formulario no válido|un solo archivo/);
    expect(await stack.store.has(sha256(PDF))).toBe(false);
    await untouched();
  });
});

describe('fields and bodies a browser would not send', () => {
  it('a note past the field size limit: 413, not cut and kept', async () => {
    const { browser, csrf } = await openForm();
    const res = await browser.request('POST', link(), {
      multipart: new Multipart()
        .field('_csrf', csrf)
        .field('url', stack.evidence.url('x.pdf'))
        .field('note', 'n'.repeat(9 * 1024)),
    });
    spanishPage(res, 413, 'El campo &quot;nota&quot; es demasiado largo.');
    await untouched();
  });

  it.each([
    ['JSON', 'application/json', '{"url":"https://example.org"}'],
    ['plain text', 'text/plain', 'url=https://example.org'],
    ['XML', 'application/xml', '<evidencia/>'],
  ])('a %s body to the evidence form: 415, before any handler reads it', async (_case, type, payload) => {
    const { browser } = await openForm();
    const res = await browser.request('POST', link(), { raw: { type, payload } });
    spanishPage(res, 415, 'tipo de contenido no aceptado');
    await untouched();
  });

  it('a sign-in form over the body limit: 413 with a page about the form, not about files', async () => {
    const browser = new Browser(stack.origin);
    const login = await browser.get('/entrar');
    const res = await browser.post('/entrar', { _csrf: csrfOf(login.body), usuario: 'planeacion', clave: 'x'.repeat(70 * 1024) });
    spanishPage(res, 413, 'Formulario demasiado grande');
  });
});

describe('CSRF tokens', () => {
  it('a form without its token: 403, nothing sent', async () => {
    const { browser } = await openForm();
    const res = await browser.request('POST', link(), { multipart: new Multipart().field('url', stack.evidence.url('x.pdf')) });
    spanishPage(res, 403, 'Formulario vencido');
    await untouched();
  });

  it("a token from another browser's page: 403, nothing sent", async () => {
    const { csrf } = await openForm();
    const { browser } = await openForm();
    const res = await browser.request('POST', link(), { multipart: new Multipart().field('_csrf', csrf).field('url', stack.evidence.url('x.pdf')) });
    spanishPage(res, 403, 'Formulario vencido');
    await untouched();
  });

  it('a sign-in token used once is spent: sending the same form again is refused', async () => {
    const browser = new Browser(stack.origin);
    const login = await browser.get('/entrar');
    const form = { _csrf: csrfOf(login.body), usuario: 'planeacion', clave: 'clave-de-prueba-1', volver: '/' };
    expect((await browser.post('/entrar', form)).statusCode).toBe(303);
    spanishPage(await browser.post('/entrar', form), 403, 'Formulario vencido');
  });
});

describe('fuzzed requests: any content type, size or field gets a Spanish 4xx page, never a 500', () => {
  const types = fc.constantFrom(
    'application/json',
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
  );

  it('bodies of any content type and size to the sign-in form', async () => {
    await fc.assert(
      fc.asyncProperty(types, fc.nat({ max: 80 * 1024 }), async (type, size) => {
        const res = await new Browser(stack.origin).request('POST', '/entrar', { raw: { type, payload: 'a'.repeat(size) } });
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.body).toMatch(/Formulario|Solicitud/);
      }),
      { numRuns: 25 },
    );
  });

  it('multipart forms with odd fields, sizes and files but a wrong token, to the evidence form: refused, nothing stored or sent', async () => {
    const files: Buffer[] = [];
    const part = fc.oneof(
      fc.tuple(fc.constantFrom('_csrf', 'url', 'note', 'otro', '__proto__'), fc.nat({ max: 10 * 1024 })).map(
        ([name, size]) =>
          (m: Multipart) =>
            m.field(name, 'x'.repeat(size)),
      ),
      fc
        .tuple(fc.constantFrom('informe.pdf', '../a.pdf', 'a\u0000.zip', 'acta.docx'), fc.uint8Array({ maxLength: 256 }))
        .map(([name, bytes]) => (m: Multipart) => {
          files.push(Buffer.from(bytes));
          return m.file('archivo', name, 'application/octet-stream', Buffer.from(bytes));
        }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 6 }), async (parts) => {
        const { browser } = await openForm();
        const form = new Multipart();
        for (const add of parts) add(form);
        const res = await browser.request('POST', link(), { multipart: form });
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
      }),
      { numRuns: 25 },
    );
    for (const content of files) expect(await stack.store.has(sha256(content))).toBe(false);
    await untouched();
  });
});
