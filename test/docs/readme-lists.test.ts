/**
 * The README's lists that name things in the code are checked against the code, as
 * test/deploy/compose.test.ts does for deploy/temporal/init-namespace.sh: the search attributes and
 * their types, the workflows' messages, and the environment variables of the settings table. A
 * README that drifts from the code fails here instead of misleading whoever reads it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SearchAttributeType } from '@temporalio/common';
import { REPO_ROOT } from '../../config/paths';
import { EnvSchema } from '../../config/schema';
import * as shared from '../../workflows/shared';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const paragraphs = README.split(/\n\s*\n/);

/** Temporal's names for the types, as `temporal operator search-attribute create --type` takes them. */
const TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
};
const ATTRIBUTES = new Map(Object.values(shared.SEARCH_ATTRIBUTES).map((k) => [k.name, TYPE_NAMES[k.type]]));

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

describe('the search attributes the README lists', () => {
  it('every "`PlazosX` (Type)" and "--sa PlazosX=Type" names an attribute of the code with its type', () => {
    const named = [...README.matchAll(/`(Plazos\w+)`\s+\((\w+)\)|--sa (Plazos\w+)=(\w+)/g)].map((m) => [m[1] ?? m[3], m[2] ?? m[4]]);
    expect(named.length).toBeGreaterThan(0);
    for (const [name, type] of named) expect([name, type]).toEqual([name, ATTRIBUTES.get(name!)]);
  });

  it('a paragraph that lists them lists them all', () => {
    const lists = paragraphs.filter((p) => (p.match(/`Plazos\w+`\s+\(\w+\)|--sa Plazos\w+=/g) ?? []).length >= 3);
    expect(lists.length).toBeGreaterThanOrEqual(3);
    for (const p of lists) {
      const names = new Set([...p.matchAll(/`(Plazos\w+)`\s+\(\w+\)|--sa (Plazos\w+)=/g)].map((m) => m[1] ?? m[2]));
      expect([...names].sort()).toEqual([...ATTRIBUTES.keys()].sort());
    }
  });

  it('the counts it gives are the code’s: how many attributes, and how many of each SQL-limited type', () => {
    const count = [...README.matchAll(/the (\w+) `Plazos\*` search attributes/g)].map((m) => m[1]);
    expect(count.length).toBeGreaterThan(0);
    for (const word of count) expect(word).toBe(NUMBER_WORDS[ATTRIBUTES.size]);
    const perType = /plazos uses (\d+) Int, (\d+) Datetime and (\d+) Text/.exec(README.replace(/\s+/g, ' '));
    expect(perType).not.toBeNull();
    const of = (type: string) => [...ATTRIBUTES.values()].filter((t) => t === type).length;
    expect(perType!.slice(1).map(Number)).toEqual([of('Int'), of('Datetime'), of('Text')]);
  });
});

describe('the workflow messages the README lists', () => {
  const defined = (type: string) =>
    (Object.values(shared) as unknown[])
      .filter((v): v is { type: string; name: string } => typeof v === 'object' && v !== null && (v as { type?: unknown }).type === type)
      .map((v) => v.name)
      .sort();

  it('names every update, signal and query the workflows define, and no other', () => {
    const bullet = paragraphs.join('\n').replace(/\s+/g, ' ');
    const m = /\*\*Messages\*\*[^:]*: updates ((?:`\w+`(?:, | and )?)+); signals? ((?:`\w+`(?:, | and )?)+); quer(?:y|ies) ((?:`\w+`(?:, | and )?)+)/.exec(
      bullet,
    );
    expect(m).not.toBeNull();
    const names = (list: string) => [...list.matchAll(/`(\w+)`/g)].map((x) => x[1]).sort();
    expect(names(m![1]!)).toEqual(defined('update'));
    expect(names(m![2]!)).toEqual(defined('signal'));
    expect(names(m![3]!)).toEqual(defined('query'));
    expect(defined('update').length).toBeGreaterThanOrEqual(6);
  });
});

describe('the environment variables in the READMEs’ tables', () => {
  // The S3 settings have their table in store/README.md, which the settings table links to.
  const docs = `${README}\n${readFileSync(join(REPO_ROOT, 'store/README.md'), 'utf8')}`;
  const rows = docs.split('\n').filter((l) => l.startsWith('| `'));
  const listed = new Set(rows.flatMap((r) => [...(r.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)));
  const schema = Object.keys(EnvSchema.shape);
  /** What docker-compose.yml reads from .env for itself (ports, passwords of its own services). */
  const compose = new Set([...readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));

  it('document every variable plazos reads (EnvSchema)', () => {
    expect(schema.filter((v) => !listed.has(v))).toEqual([]);
  });

  it('name only variables plazos reads, or that docker-compose.yml reads for its own services', () => {
    expect(listed.size).toBeGreaterThan(40);
    expect([...listed].filter((v) => !schema.includes(v) && !compose.has(v))).toEqual([]);
  });
});
