import { EVIDENCE_CHECK_CODES, evidenceMessage } from '../../../activities/evidence';

describe('what the area lead reads', () => {
  it.each(EVIDENCE_CHECK_CODES)('has a Spanish and an English text for %s', (code) => {
    const message = evidenceMessage(code, { kind: 'url', status: 500, maxBytes: 1024, maxRedirects: 5, allowedMediaTypes: ['application/pdf'] });
    expect(message.es.length).toBeGreaterThan(20);
    expect(message.en.length).toBeGreaterThan(20);
    expect(message.es).not.toEqual(message.en);
  });

  it('states the size limit as people write it in Colombia', () => {
    expect(evidenceMessage('too-large', { maxBytes: 25 * 1024 * 1024 }).es).toContain('25 MB');
    expect(evidenceMessage('too-large', { maxBytes: 1.5 * 1024 * 1024 }).es).toContain('1,5 MB');
    expect(evidenceMessage('too-large', { maxBytes: 1.5 * 1024 * 1024 }).en).toContain('1.5 MB');
    expect(evidenceMessage('too-large', { maxBytes: 512 * 1024 }).es).toContain('512 KB');
  });

  it("says a server error is the site's fault", () => {
    expect(evidenceMessage('http-status', { status: 503 }).es).toContain('El enlace respondió con el error 503: el sitio tiene una falla');
  });

  it('lists the configured formats, joined with "o"', () => {
    const message = evidenceMessage('type-not-allowed', { allowedMediaTypes: ['application/pdf', 'image/png', 'text/markdown'] });
    expect(message.es).toContain('PDF, PNG o text/markdown');
  });

  it('tells a file from a link when all is well', () => {
    expect(evidenceMessage('ok', { kind: 'file' }).es).toContain('archivo');
    expect(evidenceMessage('ok', { kind: 'url' }).es).toContain('enlace');
  });
});
