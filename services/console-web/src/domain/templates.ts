import type { Template } from '@reserveit/console-api';

/** The parameter inputs for a template: as many as its body has, keeping what was already typed. */
export function resizeParameters(values: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => values[i] ?? '');
}

export type TemplateFill =
  | { ok: true; template: { name: string; language: string; parameters: string[] } }
  | { ok: false; missing: number[] };

/** A template reply's body, or the (0-based) parameters still empty: WhatsApp refuses a blank one. */
export function fillTemplate(template: Template, values: readonly string[]): TemplateFill {
  const parameters = resizeParameters(values, template.bodyParameters).map((v) => v.trim());
  const missing = parameters.flatMap((v, i) => (v === '' ? [i] : []));
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, template: { name: template.name, language: template.language, parameters } };
}

/** A stable key for a template in a select: the same name exists once per language. */
export function templateKey(t: Pick<Template, 'name' | 'language'>): string {
  return `${t.name}:${t.language}`;
}
