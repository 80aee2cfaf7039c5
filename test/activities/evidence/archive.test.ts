/**
 * What an archive may hold, checked on real ZIP files built here (test/helpers/zip.ts writes
 * every header by hand, so a test can make one lie): archives inside archives, bombs at any
 * level, names that escape the folder they are extracted to, programs and web pages.
 */
import fc from 'fast-check';
import { checkArchive, entryNameProblem } from '../../../plans/importers/archive';
import { evidenceArchiveLimits } from '../../../activities/evidence/defaults';
import { checkUpload } from '../../../activities/evidence/upload-check';
import { buildZip, zipBomb, type ZipEntry } from '../../helpers/zip';

const MB = 1024 * 1024;
const LIMITS = evidenceArchiveLimits(MB);
const text = (s: string) => Buffer.from(s, 'utf8');
const zipOf = (...entries: ZipEntry[]) => buildZip(entries);

describe('archives inside archives', () => {
  it('an inner entry declaring 2 GB inside a zip inside a zip is refused, naming the path to it', async () => {
    const inner = zipOf({ name: 'datos.csv', data: text('a;b\n'), declaredSize: 2 ** 31 });
    const outer = zipOf({ name: 'soportes/interno.zip', data: inner });
    expect(outer.length).toBeLessThan(4096);
    expect(await checkArchive(outer, LIMITS)).toEqual({ ok: false, reason: 'too-large', entry: 'soportes/interno.zip › datos.csv' });
  });

  it('a deflate bomb two levels down whose directory lies about its size: inflation stops at the budget', async () => {
    const bomb = zipBomb('acta.txt', LIMITS.maxExpandedBytes + 1, 100);
    const outer = zipOf({ name: 'a.zip', data: zipOf({ name: 'b.docx', data: bomb }) });
    expect(outer.length).toBeLessThan(64 * 1024);
    const started = Date.now();
    expect(await checkArchive(outer, LIMITS)).toMatchObject({ ok: false, reason: 'too-large', entry: 'a.zip › b.docx › acta.txt' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the budget is for the whole file: entries that fit one by one are refused together', async () => {
    const half = Buffer.alloc(LIMITS.maxExpandedBytes / 2 + 1);
    const outer = zipOf({ name: 'uno.txt', data: half }, { name: 'dos.zip', data: zipOf({ name: 'otro.txt', data: half }) });
    expect(await checkArchive(outer, LIMITS)).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('a .zip of Word files with embedded workbooks (two levels) is accepted; a third level is refused', async () => {
    const xlsx = zipOf({ name: '[Content_Types].xml', data: text('<Types/>') }, { name: 'xl/workbook.xml', data: text('<workbook/>') });
    const docx = zipOf({ name: 'word/document.xml', data: text('<w:document/>') }, { name: 'word/embeddings/Hoja.xlsx', data: xlsx });
    const ok = await checkArchive(zipOf({ name: 'informe.docx', data: docx }, { name: 'acta.pdf', data: text('%PDF-1.4') }), LIMITS);
    expect(ok).toMatchObject({ ok: true, entries: 2 + 2 + 2 });
    const deeper = zipOf({ name: 'a.zip', data: zipOf({ name: 'b.zip', data: zipOf({ name: 'c.zip', data: zipOf({ name: 'd.txt', data: text('x') }) }) }) });
    expect(await checkArchive(deeper, LIMITS)).toEqual({ ok: false, reason: 'too-deep', entry: 'a.zip › b.zip › c.zip' });
  });

  it('an archive inside is recognised by its content, not its name', async () => {
    const hidden = zipOf({ name: 'fotos.dat', data: zipOf({ name: 'programa.exe', data: text('MZ') }) });
    expect(await checkArchive(hidden, LIMITS)).toEqual({ ok: false, reason: 'executable', entry: 'fotos.dat › programa.exe' });
  });

  it('an inner archive larger than a file one could upload alone is refused before it is held', async () => {
    const big = zipOf({ name: 'x.bin', data: Buffer.alloc(LIMITS.maxNestedBytes + 1), stored: true });
    expect(await checkArchive(zipOf({ name: 'grande.zip', data: big }), LIMITS)).toEqual({ ok: false, reason: 'nested-too-large', entry: 'grande.zip' });
  });

  it('entries of every level count towards the entry limit', async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}.txt`, data: text('x') }));
    const outer = buildZip([...many(6), { name: 'mas.zip', data: buildZip(many(6)) }]);
    expect(await checkArchive(outer, { ...LIMITS, maxEntries: 10 })).toMatchObject({ ok: false, reason: 'too-many-entries' });
    expect(await checkArchive(outer, { ...LIMITS, maxEntries: 13 })).toMatchObject({ ok: true, entries: 13 });
  });

  it('archives inside may be refused outright with a depth of 0', async () => {
    expect(await checkArchive(zipOf({ name: 'a.zip', data: zipOf({ name: 'b.txt', data: text('x') }) }), { ...LIMITS, maxDepth: 0 })).toEqual({
      ok: false,
      reason: 'too-deep',
      entry: 'a.zip',
    });
  });
});

describe('entry names', () => {
  it.each([
    ['../../../etc/cron.d/evil', 'unsafe-path'],
    ['/etc/passwd', 'unsafe-path'],
    ['soportes\\..\\..\\evil.txt', 'unsafe-path'],
    ['C:/Windows/evil.txt', 'unsafe-path'],
    ['acta.txt:oculto', 'unsafe-path'],
    ['acta\n.txt', 'unsafe-path'],
    ['informe\u202efdp.exe', 'unsafe-path'],
    ['instalar.exe', 'executable'],
    ['Instalar.EXE. . ', 'executable'],
    ['scripts/run.ps1', 'executable'],
    ['macro.xlsm', 'executable'],
    ['lib/app.jar', 'executable'],
    ['index.html', 'active-content'],
    ['logo.svg', 'active-content'],
    ['pagina.xhtml', 'active-content'],
    ['copia.rar', 'uninspectable'],
  ])('%s in a .zip is refused (%s), and the name is given back', async (name, reason) => {
    const result = await checkArchive(zipOf({ name: 'bien.txt', data: text('x') }, { name, data: text('x') }), LIMITS);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.entry).toBe(name.replace(/[\n\u202e]/g, ''));
  });

  it('a web page or SVG picture inside an Office document is a part Office renders, not refused; a program is', async () => {
    const docx = zipOf({ name: 'word/document.xml', data: text('<w:document/>') }, { name: 'word/media/image1.svg', data: text('<svg/>') });
    expect(await checkArchive(docx, LIMITS, 'office')).toMatchObject({ ok: true });
    expect(await checkArchive(docx, LIMITS, 'zip')).toMatchObject({ ok: false, reason: 'active-content' });
    const withExe = zipOf({ name: 'word/document.xml', data: text('<w:document/>') }, { name: 'word/embeddings/x.exe', data: text('MZ') });
    expect(await checkArchive(withExe, LIMITS, 'office')).toMatchObject({ ok: false, reason: 'executable' });
  });

  it('a traversal hidden in the Unicode path field or in the local header is found too', async () => {
    const unicode = zipOf({ name: 'acta.txt', data: text('x'), unicodePath: '../../evil.txt' });
    expect(await checkArchive(unicode, LIMITS)).toEqual({ ok: false, reason: 'unsafe-path', entry: '../../evil.txt' });
    const local = zipOf({ name: 'acta.txt', data: text('x'), localName: '../../evil.sh' });
    expect(await checkArchive(local, LIMITS)).toEqual({ ok: false, reason: 'unsafe-path', entry: '../../evil.sh' });
  });

  it('a long hostile name is cut for display, keeping its end', async () => {
    const name = `${'a/'.repeat(200)}evil.exe`;
    const result = await checkArchive(zipOf({ name, data: text('x') }), LIMITS);
    expect(result).toMatchObject({ ok: false, reason: 'executable' });
    if (!result.ok) {
      expect(result.entry!.length).toBeLessThanOrEqual(80);
      expect(result.entry!.endsWith('evil.exe')).toBe(true);
    }
  });

  const segment = fc.stringMatching(/^[A-Za-z0-9 _-]{1,8}$/);
  const escape = fc.oneof(
    fc.array(segment, { maxLength: 3 }).map((s) => ['..', ...s].join('/')),
    fc.array(segment, { maxLength: 3 }).map((s) => [...s, '..', 'x'].join('/')),
    segment.map((s) => `/${s}`),
    fc.tuple(fc.constantFrom('C', 'd', 'Z'), segment).map(([d, s]) => `${d}:${s}`),
    fc.tuple(segment, segment).map(([a, b]) => `${a}\\${b}`),
  );
  const nesting = fc.nat({ max: 2 });
  const wrap = (inner: Buffer, depth: number) => {
    let zip = inner;
    for (let i = 0; i < depth; i++) zip = zipOf({ name: 'bien.txt', data: text('x') }, { name: `nivel${i}.zip`, data: zip });
    return zip;
  };

  it('any name that escapes the folder, at any level of nesting, is refused as unsafe-path naming it', async () => {
    await fc.assert(
      fc.asyncProperty(escape, nesting, async (name, depth) => {
        const result = await checkArchive(wrap(zipOf({ name, data: text('x') }), depth), LIMITS);
        expect(result).toMatchObject({ ok: false, reason: 'unsafe-path' });
        if (!result.ok) expect(result.entry!.endsWith(name)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('any program extension, in any case and with trailing dots, at any level, is refused', async () => {
    const ext = fc.constantFrom('exe', 'bat', 'cmd', 'com', 'msi', 'scr', 'js', 'vbs', 'ps1', 'sh', 'jar', 'dll', 'hta', 'lnk');
    const upper = fc.boolean();
    await fc.assert(
      fc.asyncProperty(segment, ext, upper, fc.constantFrom('', '.', ' ', '. .'), nesting, async (base, e, up, tail, depth) => {
        const name = `${base}.${up ? e.toUpperCase() : e}${tail}`;
        expect(entryNameProblem(name, 'office')).toBe('executable');
        expect(await checkArchive(wrap(zipOf({ name, data: text('x') }), depth), LIMITS)).toMatchObject({ ok: false, reason: 'executable' });
      }),
      { numRuns: 60 },
    );
  });

  it('plain names of documents pass', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 3 }),
        segment,
        fc.constantFrom('pdf', 'docx', 'xlsx', 'csv', 'txt', 'png', 'jpg', 'xml', 'bin'),
        (dirs, base, e) => {
          expect(entryNameProblem([...dirs, `${base}.${e}`].join('/'), 'zip')).toBeNull();
        },
      ),
    );
  });
});

describe('what the person reads', () => {
  it('a traversal name in a .zip upload: 400, the entry and the rule named in Spanish', async () => {
    const zip = zipOf({ name: '../../../etc/cron.d/evil', data: text('* * * * * root sh') });
    const result = await checkUpload('soportes.zip', zip, MB);
    expect(result).toMatchObject({ ok: false, status: 400 });
    if (!result.ok)
      expect(result.message).toBe(
        '"soportes.zip" contiene "../../../etc/cron.d/evil", un nombre que al descomprimir escribiría fuera de la carpeta (ruta absoluta, "..", "\\", ":" o caracteres de control): no se acepta.',
      );
  });

  it('a bomb in a zip in a zip: 413, counted with what is inside', async () => {
    const outer = zipOf({ name: 'interno.zip', data: zipOf({ name: 'datos.csv', data: text('a'), declaredSize: 2 ** 31 }) });
    const result = await checkUpload('soportes.zip', outer, MB);
    expect(result).toMatchObject({ ok: false, status: 413, message: expect.stringContaining('se expande a más de 10 MB') });
  });

  it('an .exe in a .docx, and an .html in a .zip: 400 naming each', async () => {
    const docx = await checkUpload('informe.docx', zipOf({ name: 'word/x.exe', data: text('MZ') }), MB);
    expect(docx).toMatchObject({ ok: false, status: 400, message: expect.stringContaining('"informe.docx" contiene "word/x.exe", un programa') });
    const zip = await checkUpload('soportes.zip', zipOf({ name: 'web/index.html', data: text('<script>') }), MB);
    expect(zip).toMatchObject({ ok: false, status: 400, message: expect.stringContaining('"web/index.html", una página web') });
  });
});
