import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/store/index.js';
import {
  botNoteContentKey,
  isBotNote,
  markBotNote,
  normaliseNoteContent,
} from '../../../src/webhooks/pagerduty/bot-notes.js';

describe('bot notes', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ memory: true, purgeEveryMs: 0 });
  });
  afterAll(async () => {
    await store.close();
  });

  it('recognises a note the bot marked, by content before the write and by id after it', async () => {
    const note = {
      incidentId: 'PINC001',
      content: 'From Slack (@alice): rolled back  the deploy\n',
      noteId: 'PNOTE01',
    };
    expect(await isBotNote(store.processedKeys, note)).toBe(false);
    await markBotNote(store.processedKeys, { incidentId: note.incidentId, content: note.content });
    // PagerDuty may store the text trimmed or with other whitespace.
    expect(
      await isBotNote(store.processedKeys, { ...note, content: 'From Slack (@alice): rolled back the deploy' }),
    ).toBe(true);
    await markBotNote(store.processedKeys, note);
    expect(await isBotNote(store.processedKeys, { ...note, content: 'edited later in PagerDuty' })).toBe(true);
  });

  it('does not confuse the same text on another incident, or another text', async () => {
    await markBotNote(store.processedKeys, { incidentId: 'PINC002', content: 'Mitigated' });
    expect(
      await isBotNote(store.processedKeys, { incidentId: 'PINC003', content: 'Mitigated', noteId: 'PNOTE09' }),
    ).toBe(false);
    expect(
      await isBotNote(store.processedKeys, { incidentId: 'PINC002', content: 'Mitigated?', noteId: 'PNOTE10' }),
    ).toBe(false);
    expect(normaliseNoteContent('  a\u0301  b \n')).toBe('á b');
    expect(botNoteContentKey('PINC002', 'x')).toMatch(/^pagerduty:bot-note:PINC002:[0-9a-f]{32}$/);
  });
});
