import type { Entities } from '../nlu/index.js';

/** The slots the rules read reliably from the text itself; names and menu terms stay the model's. */
const CHECKED = ['date', 'time', 'partySize'] as const;
export type CheckedField = (typeof CHECKED)[number];

export interface CrossChecked {
  entities: Entities;
  /** Fields where the LLM gave a different value from the one the rules read in the text. */
  disagreements: CheckedField[];
}

/**
 * Issue 17: a date the rules found in the text is not replaced by a different one the text does
 * not support. The rules' reading is the text's support: where they found a date, time or party
 * size and the LLM says otherwise, the rules' value stands and the disagreement is recorded; where
 * the rules found nothing, the LLM's value is kept (it reads what the tables miss).
 */
export function crossCheckEntities(llm: Entities, rules: Entities): CrossChecked {
  const entities: Entities = { ...llm };
  const disagreements: CheckedField[] = [];
  for (const field of CHECKED) {
    const found = rules[field];
    if (found === undefined) continue;
    if (llm[field] !== undefined && llm[field] !== found) disagreements.push(field);
    Object.assign(entities, { [field]: found });
  }
  return { entities, disagreements };
}
