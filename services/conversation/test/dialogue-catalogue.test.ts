import { describe, expect, it } from 'vitest';
import { catalogueFor, LIMITS } from '../src/dialogue/index.js';

describe('the catalogues', () => {
  it.each(['en', 'ar'] as const)(
    'keep every fixed button title within WhatsApp’s 20 characters (%s)',
    (language) => {
      const cat = catalogueFor(language);
      const titles = [
        ...Object.values(cat.menuButtons),
        ...Object.values(cat.confirmButtons),
        ...Object.values(cat.cancelButtons),
        ...Object.values(cat.changeButtons),
        cat.talkToTeam,
        cat.listButton,
        cat.menuButton,
      ];
      for (const title of titles) {
        expect(title.length).toBeGreaterThan(0);
        expect(title.length).toBeLessThanOrEqual(LIMITS.buttonTitle);
      }
    },
  );
});
