/**
 * The digest's templates, compiled once from files in ./templates (never from user input). HTML
 * escapes every `{{value}}`; text and subject are compiled without escaping, as the notices are.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../../config/paths';
import type { RenderedEmail } from '../email/templates';
import { compileMailSet } from '../email/mail-set';
import { SAMPLE_DIGEST_VIEW, type DigestView } from './view';

export const DIGEST_TEMPLATES_DIR = join(REPO_ROOT, 'activities', 'digest', 'templates');

export type DigestTemplates = (view: DigestView) => RenderedEmail;

export function loadDigestTemplates(dir = DIGEST_TEMPLATES_DIR): DigestTemplates {
  return compileMailSet(dir, 'del resumen semanal', SAMPLE_DIGEST_VIEW);
}
