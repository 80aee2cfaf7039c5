/**
 * The shape scan the reader runs before mailparser: it counts what the parser would build, and
 * gives up at the first bound passed, so a bomb costs one linear look at its bytes.
 */
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { MIME_BOUNDS, scanMime, type MimeBounds } from '../../mailbox/mime-shape';
import { mimeBomb } from './bombs';

type Node = { kind: 'text' } | { kind: 'file' } | { kind: 'message'; body: Node } | { kind: 'multi'; children: Node[] };

const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<Node>({ kind: 'text' }),
    fc.constant<Node>({ kind: 'file' }),
    fc.record({ kind: fc.constant('message' as const), body: tie('node') }),
    fc.record({ kind: fc.constant('multi' as const), children: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
  ),
})).node;

let boundaries = 0;
/** The part's header and body lines; `root` adds the message's own headers. */
function render(node: Node, root = false): string[] {
  const head = root ? ['From: vivienda@entidad.gov.co', 'Message-ID: <forma@entidad.gov.co>', 'MIME-Version: 1.0'] : [];
  switch (node.kind) {
    case 'text':
      return [...head, 'Content-Type: text/plain; charset=utf-8', '', 'Avance: 10 %', '-- ', 'firma'];
    case 'file':
      return [
        ...head,
        'Content-Type: application/pdf; name="i.pdf"',
        'Content-Disposition: attachment; filename="i.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK',
      ];
    case 'message':
      return [...head, 'Content-Type: message/rfc822', '', 'From: otra@entidad.gov.co', 'Subject: reenviado', 'MIME-Version: 1.0', ...render(node.body)];
    case 'multi': {
      const b = `b${boundaries++}`;
      return [
        ...head,
        `Content-Type: multipart/mixed;\r\n boundary="${b}"`,
        '',
        'preámbulo',
        ...node.children.flatMap((c) => [`--${b}`, ...render(c)]),
        `--${b}--`,
        '',
      ];
    }
  }
}

function stats(node: Node): { depth: number; parts: number; attachments: number } {
  switch (node.kind) {
    case 'text':
      return { depth: 0, parts: 1, attachments: 0 };
    case 'file':
      return { depth: 0, parts: 1, attachments: 1 };
    case 'message': {
      const s = stats(node.body);
      return { depth: s.depth + 1, parts: s.parts + 1, attachments: s.attachments };
    }
    case 'multi': {
      const all = node.children.map(stats);
      return {
        depth: 1 + Math.max(...all.map((s) => s.depth)),
        parts: 1 + all.reduce((n, s) => n + s.parts, 0),
        attachments: all.reduce((n, s) => n + s.attachments, 0),
      };
    }
  }
}

const LARGE: MimeBounds = { maxDepth: 1000, maxParts: 100_000, maxAttachments: 100_000, maxHeaderBytes: 1 << 20 };
const bytesOf = (node: Node) => Buffer.from(`${render(node, true).join('\r\n')}\r\n`);

describe('the shape of a message, before it is parsed', () => {
  it('counts the nesting, the parts and the attachments of any message as they are built', () => {
    fc.assert(
      fc.property(tree, (node) => {
        expect(scanMime(bytesOf(node), LARGE)).toEqual({ ok: true, ...stats(node), messageId: '<forma@entidad.gov.co>' });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a message exactly when one of its counts is over its bound', () => {
    const bounds = fc.record({ maxDepth: fc.nat(4), maxParts: fc.nat(12), maxAttachments: fc.nat(4), maxHeaderBytes: fc.constant(1 << 20) });
    fc.assert(
      fc.property(tree, bounds, (node, b) => {
        const s = stats(node);
        const over = s.depth > b.maxDepth || s.parts > b.maxParts || s.attachments > b.maxAttachments;
        const shape = scanMime(bytesOf(node), b);
        expect(shape.ok).toBe(!over);
        expect(shape.messageId).toBe('<forma@entidad.gov.co>');
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['2,000 levels of nesting', { depth: 2000, parts: 1, attachments: 0 }, 'depth'],
    ['20,000 parts', { depth: 0, parts: 20_000, attachments: 0 }, 'parts'],
    ['5,000 attachments among 20,000 parts in 2,000 levels', { depth: 2000, parts: 20_000, attachments: 5000 }, 'depth'],
    ['60 attachments', { depth: 1, parts: 60, attachments: 60 }, 'attachments'],
  ] as const)('a bomb of %s is refused in a few milliseconds, naming the first bound it passes', (_what, shape, why) => {
    const raw = mimeBomb(shape, ['From: x@y.example', 'Message-ID: <bomba@y.example>']);
    const started = performance.now();
    expect(scanMime(raw)).toEqual({ ok: false, why, messageId: '<bomba@y.example>' });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('a header block past its bound is refused without reading further', () => {
    const raw = Buffer.from(`From: x@y.example\r\n${'X-Relleno: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(10_000)}\r\ncuerpo\r\n`);
    expect(scanMime(raw)).toMatchObject({ ok: false, why: 'headers' });
  });

  it('a message at the bounds is within them, and mailparser reads it', async () => {
    const raw = mimeBomb({ depth: MIME_BOUNDS.maxDepth - 1, parts: MIME_BOUNDS.maxParts - MIME_BOUNDS.maxDepth, attachments: MIME_BOUNDS.maxAttachments }, [
      'From: x@y.example',
      'Message-ID: <borde@y.example>',
    ]);
    expect(scanMime(raw)).toEqual({
      ok: true,
      depth: MIME_BOUNDS.maxDepth,
      parts: MIME_BOUNDS.maxParts,
      attachments: MIME_BOUNDS.maxAttachments,
      messageId: '<borde@y.example>',
    });
    expect((await simpleParser(raw)).attachments).toHaveLength(MIME_BOUNDS.maxAttachments);
  });
});
