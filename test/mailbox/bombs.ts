/**
 * MIME bombs as an attacker writes them, to put into the test IMAP server: thousands of nested
 * multiparts, tens of thousands of parts, thousands of attachments. Small in bytes on purpose (a
 * bomb costs the parser its structure, not its size), so the tests stay fast.
 */
export interface BombShape {
  /** Multipart levels around the parts. */
  depth: number;
  /** Parts in the innermost multipart. */
  parts: number;
  /** How many of those are attachments (the rest are text). */
  attachments: number;
}

export function mimeBomb(shape: BombShape, headers: string[]): Buffer {
  const lines = [...headers, 'MIME-Version: 1.0'];
  for (let i = 0; i < shape.depth; i++) lines.push(`Content-Type: multipart/mixed; boundary="lvl${i}"`, '', `--lvl${i}`);
  lines.push('Content-Type: multipart/mixed; boundary="inner"', '');
  for (let j = 0; j < shape.parts; j++) {
    lines.push('--inner');
    if (j < shape.attachments)
      lines.push(`Content-Type: application/octet-stream; name="a${j}.bin"`, `Content-Disposition: attachment; filename="a${j}.bin"`, '', 'QUFBQQ==');
    else lines.push('Content-Type: text/plain', '', `parte ${j}`);
  }
  lines.push('--inner--');
  for (let i = shape.depth - 1; i >= 0; i--) lines.push(`--lvl${i}--`);
  lines.push('');
  return Buffer.from(lines.join('\r\n'));
}
