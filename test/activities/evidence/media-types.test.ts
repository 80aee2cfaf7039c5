import { DEFAULT_ALLOWED_MEDIA_TYPES, isAllowedMediaType, matchesMagic } from '../../../activities/evidence';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (s: string) => new TextEncoder().encode(s);

describe('accepted evidence types', () => {
  it('accepts the usual office and image formats by default', () => {
    for (const type of [
      'application/pdf',
      'image/png',
      'image/jpeg',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.oasis.opendocument.text',
      'text/csv',
      'application/zip',
    ]) {
      expect(isAllowedMediaType(type, DEFAULT_ALLOWED_MEDIA_TYPES)).toBe(true);
    }
  });

  it('ignores case and parameters when comparing types', () => {
    expect(isAllowedMediaType('Text/CSV; charset=UTF-8', DEFAULT_ALLOWED_MEDIA_TYPES)).toBe(true);
  });

  it('refuses executables, HTML and old binary Office formats by default', () => {
    for (const type of ['application/x-msdownload', 'text/html', 'application/msword', 'image/svg+xml']) {
      expect(isAllowedMediaType(type, DEFAULT_ALLOWED_MEDIA_TYPES)).toBe(false);
    }
  });
});

describe('first bytes agree with the declared type', () => {
  it('finds a PDF header at the start, or after junk in the first kilobyte', () => {
    expect(matchesMagic('application/pdf', text('%PDF-1.7\n'))).toBe(true);
    expect(matchesMagic('application/pdf', text(`${' '.repeat(500)}%PDF-1.4`))).toBe(true);
    expect(matchesMagic('application/pdf', text(`${' '.repeat(1100)}%PDF-1.4`))).toBe(false);
    expect(matchesMagic('application/pdf', text('MZ\x90'))).toBe(false);
  });

  it('checks PNG, JPEG and zip-based signatures', () => {
    expect(matchesMagic('image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe(true);
    expect(matchesMagic('image/png', bytes(0x89, 0x50, 0x4e, 0x47))).toBe(false);
    expect(matchesMagic('image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0))).toBe(true);
    expect(matchesMagic('image/jpeg', text('%PDF-1.7'))).toBe(false);
    expect(matchesMagic('application/vnd.oasis.opendocument.spreadsheet', text('PK\x03\x04mimetype'))).toBe(true);
    expect(matchesMagic('application/zip', text('PK\x05\x06'))).toBe(true);
    expect(matchesMagic('application/zip', text('Rar!\x1a\x07'))).toBe(false);
  });

  it('takes text with no NUL bytes, or with a UTF-16 byte-order mark, as text', () => {
    expect(matchesMagic('text/plain', text('Acta de reunión del comité'))).toBe(true);
    expect(matchesMagic('text/csv', bytes(0xff, 0xfe, 0x61, 0x00))).toBe(true);
    expect(matchesMagic('text/plain', bytes(0x4d, 0x5a, 0x90, 0x00))).toBe(false);
  });

  it('an empty file matches no signature', () => {
    expect(matchesMagic('application/pdf', bytes())).toBe(false);
    expect(matchesMagic('image/png', bytes())).toBe(false);
  });
});
