/**
 * The roles file (config/roles.yaml, PLAZOS_OIDC_ROLES): which claim of the id token lists a
 * person's groups or app roles, and which role each of its values gives. Read and checked once at
 * start; an error names the file, the line and the field, and the web app does not start.
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { SessionRoles } from '../store/records';

export type Role = 'oapla' | 'control-interno' | `area:${string}`;

export interface RoleMap {
  /** The claim read from the id token. */
  claim: string;
  /** Claim value to the roles it gives. */
  roles: ReadonlyMap<string, readonly Role[]>;
}

const ROLE = /^(oapla|control-interno|area:[A-Z][A-Z0-9]{1,15})$/;

const RoleSchema = z.string().regex(ROLE, { message: 'rol desconocido: use oapla, control-interno o area:<CÓDIGO> (p. ej. area:ARCOM)' });

const RolesFileSchema = z.object({
  claim: z
    .string({ message: 'falta el nombre del claim (p. ej. groups o roles)' })
    .regex(/^[A-Za-z0-9_.:/-]{1,200}$/, { message: 'nombre de claim inválido (p. ej. groups, roles, email)' }),
  roles: z.record(
    z.string().min(1, { message: 'valor vacío' }).max(500, { message: 'valor demasiado largo' }),
    z.union([RoleSchema, z.array(RoleSchema).min(1, { message: 'lista vacía de roles' })], {
      message: 'cada valor da un rol o una lista de roles',
    }),
    { message: 'roles debe ser un mapa de valores del claim a roles' },
  ),
});

export class RolesFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolesFileError';
  }
}

/** Parses the roles file's text; `knownAreas` are the area codes of config/areas.yaml. Throws RolesFileError. */
export function parseRoles(text: string, file: string, knownAreas: ReadonlySet<string>): RoleMap {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const lineAt = (pos: number | undefined) => (pos === undefined ? 1 : counter.linePos(pos).line);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new RolesFileError(`${file}, línea ${lineAt(e.pos[0])}: no es YAML válido (${e.code}).`);
  }
  if (!isMap(doc.contents)) throw new RolesFileError(`${file}, línea 1: debe ser un mapa con claim: y roles:.`);
  const lineOf = (path: (string | number)[]): number => {
    for (let p = path; p.length > 0; p = p.slice(0, -1)) {
      const node = doc.getIn(p, true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineAt(node.range[0]);
      // A key that does not parse (a value that is not a role) is found by its pair's key.
      const parent = doc.getIn(p.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((i) => String((i.key as { value?: unknown })?.value ?? i.key) === String(p[p.length - 1]));
        const key = pair?.key as { range?: [number, number, number] } | undefined;
        if (key?.range) return lineAt(key.range[0]);
      }
    }
    return 1;
  };
  const parsed = RolesFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const field = path.length > 0 ? path.join('.') : 'archivo';
    throw new RolesFileError(`${file}, línea ${lineOf(path)}, ${field}: ${issue.message}.`);
  }
  const roles = new Map<string, Role[]>();
  for (const [value, given] of Object.entries(parsed.data.roles)) {
    const list = (Array.isArray(given) ? given : [given]) as Role[];
    for (const [i, role] of list.entries()) {
      const code = role.startsWith('area:') ? role.slice('area:'.length) : null;
      if (code !== null && !knownAreas.has(code)) {
        const path = Array.isArray(given) ? ['roles', value, i] : ['roles', value];
        throw new RolesFileError(`${file}, línea ${lineOf(path)}, roles.${value}: el área ${code} no está en el directorio de áreas.`);
      }
    }
    roles.set(value, list);
  }
  return { claim: parsed.data.claim, roles };
}

export function loadRoles(file: string, knownAreas: ReadonlySet<string>): RoleMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RolesFileError(`${file}: no se pudo leer el archivo de roles (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  return parseRoles(text, file, knownAreas);
}

/**
 * The roles file as it is now, read again at the sign-in after it changed (its modification time or
 * size): IT edits the mapping when someone joins or leaves an area, and a restart of the web app for
 * that would end nobody's session but delay everyone's. A file that no longer reads or parses keeps
 * the last mapping that did, and the error (file, line, field) goes to `onError` once per change:
 * a typo must not lock the entity out, and the users file stays as the way in.
 */
export function watchedRoles(file: string, knownAreas: ReadonlySet<string>, onError: (err: RolesFileError) => void): () => RoleMap {
  let current = loadRoles(file, knownAreas);
  let seen = stamp(file);
  return () => {
    const now = stamp(file);
    if (now === seen) return current;
    seen = now;
    try {
      current = loadRoles(file, knownAreas);
    } catch (err) {
      if (!(err instanceof RolesFileError)) throw err;
      onError(err);
    }
    return current;
  };
}

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}

/**
 * The roles a person's claims give. The claim may be one string or a list of strings (Entra ID's
 * `groups` and `roles`; `email` is one string); anything else gives no role.
 */
export function rolesFromClaims(map: RoleMap, claims: Record<string, unknown>): SessionRoles {
  const raw = claims[map.claim];
  const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  const given = new Set(values.flatMap((v) => map.roles.get(v) ?? []));
  return {
    oapla: given.has('oapla'),
    control: given.has('control-interno'),
    areas: [...given]
      .filter((r) => r.startsWith('area:'))
      .map((r) => r.slice('area:'.length))
      .sort(),
  };
}
