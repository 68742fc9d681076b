import { z } from 'zod';
import { type Entities, INTENTS, type Interpretation, LANGUAGES } from '../nlu/index.js';

/**
 * The JSON the model must return, as a JSON Schema for `response_format` and as the zod schema
 * its answer is checked against (a model may ignore the schema; its output is untrusted input).
 */
export const ANSWER_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'language', 'confidence', 'answer', 'entities'],
  properties: {
    intent: { type: 'string', enum: [...INTENTS] },
    language: { type: 'string', enum: [...LANGUAGES] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    answer: {
      type: 'boolean',
      description: 'true when the message only answers a question (a date, time, count or name)',
    },
    entities: {
      type: 'object',
      additionalProperties: false,
      required: ['date', 'time', 'party_size', 'guest_name', 'menu_category', 'menu_item'],
      properties: {
        date: { type: ['string', 'null'], description: 'YYYY-MM-DD in the business timezone' },
        time: { type: ['string', 'null'], description: 'HH:MM, 24h, business timezone' },
        party_size: { type: ['integer', 'null'], minimum: 1 },
        guest_name: { type: ['string', 'null'] },
        menu_category: { type: ['string', 'null'] },
        menu_item: { type: ['string', 'null'] },
      },
    },
  },
} as const;

const optionalText = z.string().trim().min(1).max(200).nullish();

export const llmAnswerSchema = z.object({
  intent: z.enum(INTENTS),
  language: z.enum(LANGUAGES).catch('und'),
  confidence: z.number().min(0).max(1),
  answer: z.boolean().default(false),
  entities: z.object({
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullish(),
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .nullish(),
    party_size: z.number().int().min(1).max(200).nullish(),
    guest_name: optionalText,
    menu_category: optionalText,
    menu_item: optionalText,
  }),
});

/** The OpenAI chat-completions envelope, only the part we read. */
export const chatCompletionSchema = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

export function toInterpretation(answer: z.infer<typeof llmAnswerSchema>): Interpretation {
  const { entities: e } = answer;
  const entities: Entities = {};
  if (e.date) entities.date = e.date;
  if (e.time) entities.time = e.time;
  if (e.party_size) entities.partySize = e.party_size;
  if (e.guest_name) entities.guestName = e.guest_name;
  if (e.menu_category) entities.menuCategory = e.menu_category;
  if (e.menu_item) entities.menuItem = e.menu_item;
  return {
    intent: answer.intent,
    entities,
    language: answer.language,
    confidence: answer.confidence,
    answer: answer.answer,
  };
}
