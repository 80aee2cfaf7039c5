import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  createEvidenceActivities,
  createEvidenceStore,
  DEFAULT_ALLOWED_MEDIA_TYPES,
  type EvidenceLimits,
  type EvidenceStore,
} from '../../../activities/evidence';
import { createLocalBlobStore } from '../../../store/blobs';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const ACTA_PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
// The first bytes of a Windows executable: "MZ", then a DOS header full of NULs.
const EXECUTABLE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), Buffer.alloc(120)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
const ZIP = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('[Content_Types].xml')]);
const CSV = Buffer.from('actividad;area;fecha\n1;OAPLA;2023-03-31\n');
const UTF16_CSV = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('actividad;area\n', 'utf16le')]);

const LIMITS: EvidenceLimits = {
  maxBytes: 4096,
  allowedMediaTypes: DEFAULT_ALLOWED_MEDIA_TYPES,
  urlTimeoutMs: 1000,
  maxRedirects: 3,
  allowPrivateNetworks: false,
};

let dataDir: string;
let store: EvidenceStore;
let logLines: string[];

/** Where the local engine keeps a blob: what a disk fault or an intruder would change. */
const blobPath = (sha256: string) => join(dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2));

function activities(limits: Partial<EvidenceLimits> = {}) {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  return createEvidenceActivities({ store, limits: { ...LIMITS, ...limits }, logger });
}

/** Uploads content and returns the evidence record the web form would have saved. */
async function upload(content: Buffer, mediaType: string, name: string) {
  const { sha256, size } = await store.put(content, { maxBytes: LIMITS.maxBytes });
  return { kind: 'file' as const, sha256, size, mediaType, name };
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'plazos-evidence-'));
  const blobLogger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  store = createEvidenceStore(createLocalBlobStore({ dir: join(dataDir, 'blobs'), logger: blobLogger }));
  logLines = [];
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('an uploaded file', () => {
  it('is accepted when it is the PDF that was uploaded', async () => {
    const result = await activities().checkEvidence(await upload(ACTA_PDF, PDF, 'acta.pdf'));
    expect(result).toEqual({ ok: true, code: 'ok', message: expect.objectContaining({ es: expect.stringContaining('OAPLA') }) });
  });

  it.each([
    ['a PNG image', PNG, 'image/png', 'foto-audiencia.png'],
    ['a Word document (zip inside)', ZIP, DOCX, 'informe.docx'],
    ['a CSV with a charset parameter', CSV, 'text/csv; charset=utf-8', 'asistentes.csv'],
    ['a UTF-16 CSV saved by Excel', UTF16_CSV, 'text/csv', 'asistentes.csv'],
  ])('is accepted when it is %s', async (_label, content, mediaType, name) => {
    const result = await activities().checkEvidence(await upload(content, mediaType, name));
    expect(result).toMatchObject({ ok: true, code: 'ok' });
  });

  it('is refused when it is an executable named .pdf', async () => {
    const result = await activities().checkEvidence(await upload(EXECUTABLE, PDF, 'acta.pdf'));
    expect(result).toMatchObject({ ok: false, code: 'type-not-allowed' });
    expect(result.message.es).toContain('no corresponde a su tipo');
  });

  it.each([
    ['a PNG', 'image/png'],
    ['a Word document', DOCX],
    ['plain text', 'text/plain'],
  ])('is refused when an executable claims to be %s', async (_label, mediaType) => {
    const result = await activities().checkEvidence(await upload(EXECUTABLE, mediaType, 'evidencia'));
    expect(result).toMatchObject({ ok: false, code: 'type-not-allowed' });
  });

  it('is refused when its type is not on the list, naming the accepted formats', async () => {
    const result = await activities().checkEvidence(await upload(EXECUTABLE, 'application/x-msdownload', 'setup.exe'));
    expect(result).toMatchObject({ ok: false, code: 'type-not-allowed' });
    expect(result.message.es).toContain('PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, CSV, TXT o ZIP');
  });

  it('is refused when the stored copy was changed after the upload', async () => {
    const evidence = await upload(ACTA_PDF, PDF, 'acta.pdf');
    const tampered = Buffer.from(ACTA_PDF);
    tampered[12] = 0x21;
    await writeFile(blobPath(evidence.sha256), tampered);
    const result = await activities().checkEvidence(evidence);
    expect(result).toMatchObject({ ok: false, code: 'hash-mismatch' });
    expect(result.message.es).toContain('Cárguelo de nuevo');
    expect(logLines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ level: 50, sha256: evidence.sha256, msg: expect.stringContaining('corrupt') }),
    );
  });

  it('is refused when the recorded size differs from the stored file', async () => {
    const evidence = await upload(ACTA_PDF, PDF, 'acta.pdf');
    const result = await activities().checkEvidence({ ...evidence, size: evidence.size + 1 });
    expect(result).toMatchObject({ ok: false, code: 'size-mismatch' });
  });

  it('is refused as missing when it is not in the store', async () => {
    const evidence = await upload(ACTA_PDF, PDF, 'acta.pdf');
    await rm(blobPath(evidence.sha256));
    const result = await activities().checkEvidence(evidence);
    expect(result).toMatchObject({ ok: false, code: 'missing-file' });
  });

  it('is refused when larger than the limit, stating the limit', async () => {
    const evidence = await upload(ACTA_PDF, PDF, 'acta.pdf');
    const result = await activities({ maxBytes: 10 }).checkEvidence(evidence);
    expect(result).toMatchObject({ ok: false, code: 'too-large' });
    expect(result.message.es).toContain('supera el tamaño máximo de 10 bytes');
  });

  it('is refused as too large when the stored file outgrew a record that claims it is small', async () => {
    const evidence = await upload(ACTA_PDF, PDF, 'acta.pdf');
    const result = await activities({ maxBytes: 20 }).checkEvidence({ ...evidence, size: 10 });
    expect(result).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('is logged by code and hash, without the file name', async () => {
    const evidence = await upload(ACTA_PDF, PDF, 'acta firmada por Juan Pérez.pdf');
    await activities().checkEvidence(evidence);
    expect(logLines).toHaveLength(1);
    expect(JSON.parse(logLines[0] ?? '{}')).toMatchObject({ evidence: 'file', code: 'ok', sha256: evidence.sha256 });
    expect(logLines[0]).not.toContain('Juan');
  });
});
