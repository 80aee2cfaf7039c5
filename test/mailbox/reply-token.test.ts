/** The signed reply tag: what it carries, that a changed one is refused, and the local-part limit. */
import { noticeIdFromAddress, noticeIdOf, replyAddress, replyKey } from '../../activities/email/reply-token';
import { messageIdFor } from '../../activities/email/message-id';

const key = replyKey(Buffer.alloc(32, 3));
const id = noticeIdOf(messageIdFor('participacion-ciudadana-2023/13/-/0/kickoff', 'entidad.gov.co'), 'entidad.gov.co')!;

describe('the reply tag', () => {
  it('names the notice by its Message-ID and fits the 64 characters RFC 5321 allows a local part', () => {
    const address = replyAddress('respuestas@entidad.gov.co', id, key);
    expect(address).toMatch(/^respuestas\+[0-9a-f]{48}@entidad\.gov\.co$/);
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(noticeIdFromAddress(address, 'respuestas@entidad.gov.co', key)).toBe(id);
  });

  it('survives a mail system that upper-cases the address', () => {
    const address = replyAddress('respuestas@entidad.gov.co', id, key).toUpperCase();
    expect(noticeIdFromAddress(address, 'respuestas@entidad.gov.co', key)).toBe(id);
  });

  it('refuses a tag with one digit changed, a tag signed with another key, and another mailbox', () => {
    const address = replyAddress('respuestas@entidad.gov.co', id, key);
    const changed = address.replace(/([0-9a-f])@/, (_m, c: string) => `${c === 'a' ? 'b' : 'a'}@`);
    expect(noticeIdFromAddress(changed, 'respuestas@entidad.gov.co', key)).toBeNull();
    expect(noticeIdFromAddress(replyAddress('respuestas@entidad.gov.co', id, replyKey(Buffer.alloc(32, 4))), 'respuestas@entidad.gov.co', key)).toBeNull();
    expect(noticeIdFromAddress(address.replace('respuestas', 'otro'), 'respuestas@entidad.gov.co', key)).toBeNull();
  });

  it('a Message-ID of another domain names no notice', () => {
    expect(noticeIdOf(messageIdFor('x', 'otra.gov.co'), 'entidad.gov.co')).toBeNull();
  });

  it('a mailbox whose local part leaves no room for the tag is refused in Spanish', () => {
    expect(() => replyAddress('respuestas.de.planeacion@entidad.gov.co', id, key)).toThrow(/hasta 15 caracteres/);
  });
});
