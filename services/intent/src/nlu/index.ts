export { interpretWithRules } from './rules.js';
export {
  type Entities,
  INTENTS,
  type Intent,
  type InteractiveReply,
  type Interpretation,
  type InterpretInput,
  LANGUAGES,
  type Language,
  type Slot,
} from './types.js';
