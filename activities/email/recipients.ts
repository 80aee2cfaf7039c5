/**
 * Area codes -> mailboxes, at send time, from the areas directory. The reverse map lets the
 * activity report what the SMTP server accepted or refused as area codes, never as addresses.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { AreasDirectory } from '../../plans/areas';

export interface Recipients {
  to: string[];
  cc: string[];
  /** Lower-cased address -> the area codes it stands for (a shared mailbox may serve several). */
  areasOf: Map<string, string[]>;
}

/** Codes the directory does not know, in input order, without repeats. */
export function unknownAreas(codes: readonly string[], areas: AreasDirectory): string[] {
  return [...new Set(codes.filter((code) => !Object.hasOwn(areas, code)))];
}

export function resolveRecipients(toCodes: readonly string[], ccCodes: readonly string[], areas: AreasDirectory): Recipients {
  const to = new Map<string, string>();
  const cc = new Map<string, string>();
  const areasOf = new Map<string, string[]>();
  const add = (target: Map<string, string>, address: string, code: string) => {
    const key = address.toLowerCase();
    const codes = areasOf.get(key) ?? [];
    if (!codes.includes(code)) areasOf.set(key, [...codes, code]);
    // An address already in To is not copied again.
    if (!to.has(key) && !target.has(key)) target.set(key, address);
  };
  for (const code of toCodes) {
    const area = areas[code];
    area?.email.forEach((address) => add(to, address, code));
    area?.cc.forEach((address) => add(cc, address, code));
  }
  for (const code of ccCodes) {
    const area = areas[code];
    [...(area?.email ?? []), ...(area?.cc ?? [])].forEach((address) => add(cc, address, code));
  }
  for (const key of to.keys()) cc.delete(key);
  return { to: [...to.values()], cc: [...cc.values()], areasOf };
}

/** The area codes behind a list of addresses as the SMTP layer reports them. */
export function areasFor(addresses: readonly string[], recipients: Recipients): string[] {
  const codes = new Set<string>();
  for (const address of addresses) {
    for (const code of recipients.areasOf.get(address.toLowerCase()) ?? []) codes.add(code);
  }
  return [...codes];
}

/** Every area the message was addressed to. */
export function allAreas(recipients: Recipients): string[] {
  return [...new Set([...recipients.areasOf.values()].flat())];
}

/**
 * A mail about a whole plan (the weekly digest, a cut report) goes to the area that leads it: one
 * missing from the directory has no address, and retrying will not give it one. `what` names the mail.
 */
export function requirePlanOwner(owner: string, areas: AreasDirectory, what: string): void {
  if (unknownAreas([owner], areas).length > 0) {
    throw ApplicationFailure.nonRetryable(
      `El área ${owner}, que lidera el plan, no está en el directorio de áreas (config/areas.yaml); no se sabe a qué correo enviar ${what}.`,
      'UnknownArea',
    );
  }
}
