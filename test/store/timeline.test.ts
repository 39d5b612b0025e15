import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/shared/errors.js';
import { TIMELINE_TEXT_MAX } from '../../src/store/timeline.js';
import { BACKENDS, useTestStore } from './support.js';

describe.each(BACKENDS)('timeline on %s', (backend) => {
  const t = useTestStore(backend);

  it('records channel messages once per (incident, source, ts), however often Slack redelivers', async () => {
    const event = {
      incidentId: 'PABC',
      source: 'message' as const,
      ts: '1767225600.000200',
      text: 'restarting the db primary',
      channelId: 'C0INC1',
      authorId: 'U01',
      authorName: 'Ada',
    };
    const first = await t.store.timeline.append(event);
    expect(first.inserted).toBe(true);
    expect(first.event.occurredAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const again = await Promise.all([t.store.timeline.append(event), t.store.timeline.append({ ...event, text: 'x' })]);
    expect(again.map((r) => r.inserted)).toEqual([false, false]);
    expect(again[1]?.event.text).toBe('restarting the db primary');
    // The same ts as a pin is a different event.
    expect((await t.store.timeline.append({ ...event, source: 'pin' })).inserted).toBe(true);
    expect(await t.store.timeline.list('PABC')).toHaveLength(2);
  });

  it('lists in time order (not insertion order), with limit and since', async () => {
    const add = (ts: string, text: string, source: 'message' | 'bot_post' = 'message') =>
      t.store.timeline.append({ incidentId: 'PABC', source, ts, text });
    await add('1767225900.000000', 'third');
    await add('1767225600.000000', 'first');
    await add('1767225700.000000', 'second', 'bot_post');
    await t.store.timeline.append({
      incidentId: 'PABC',
      source: 'note',
      ts: 'PNOTE1',
      text: 'note from PagerDuty',
      occurredAt: Date.UTC(2026, 0, 1, 0, 2, 0),
    });
    await t.store.timeline.append({ incidentId: 'POTHER', source: 'message', ts: '1.000000', text: 'elsewhere' });
    const all = await t.store.timeline.list('PABC');
    // 00:00:00 first, 00:01:40 second, 00:02:00 the note, 00:05:00 third.
    expect(all.map((e) => e.text)).toEqual(['first', 'second', 'note from PagerDuty', 'third']);
    expect((await t.store.timeline.list('PABC', { limit: 2 })).map((e) => e.text)).toEqual(['first', 'second']);
    const since = await t.store.timeline.list('PABC', { since: Date.UTC(2026, 0, 1, 0, 2, 0) });
    expect(since.map((e) => e.text)).toEqual(['note from PagerDuty', 'third']);
  });

  it('dates notes without a Slack ts at "now" from the injected clock', async () => {
    t.clock.set(Date.UTC(2026, 4, 5, 6, 7, 8));
    const { event } = await t.store.timeline.append({ incidentId: 'PABC', source: 'note', ts: 'N-1', text: 'n' });
    expect(event.occurredAt.toISOString()).toBe('2026-05-05T06:07:08.000Z');
  });

  it('applies edits and deletions (message_changed / message_deleted)', async () => {
    await t.store.timeline.append({ incidentId: 'PABC', source: 'message', ts: '5.000001', text: 'typo' });
    expect(await t.store.timeline.edit('PABC', 'message', '5.000001', 'fixed')).toBe(true);
    expect(await t.store.timeline.edit('PABC', 'message', '5.000009', 'nothing')).toBe(false);
    const [edited] = await t.store.timeline.list('PABC');
    expect(edited).toMatchObject({ text: 'fixed', edited: true });
    expect(await t.store.timeline.remove('PABC', 'message', '5.000001')).toBe(true);
    expect(await t.store.timeline.list('PABC')).toEqual([]);
  });

  it('keeps untrusted text exactly (mrkdwn, quotes, unicode) and drops NUL bytes Postgres cannot hold', async () => {
    const text = `<!channel> & "quotes" 'single' \\ 🚨 ${'é'.repeat(10)}\u0000end`;
    const { event } = await t.store.timeline.append({ incidentId: 'PABC', source: 'message', ts: '9.000001', text });
    expect(event.text).toBe(text.replace('\u0000', ''));
  });

  it('rejects bad events with messages naming the fields, and stores nothing', async () => {
    const error = await t.store.timeline
      .append({
        incidentId: 'PABC',
        source: 'tweet' as 'message',
        ts: 'not-a-ts',
        text: 'x'.repeat(TIMELINE_TEXT_MAX + 1),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    const paths = (error as InvalidInputError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['source', 'text']));
    const badTs = await t.store.timeline
      .append({ incidentId: 'PABC', source: 'message', ts: 'not-a-ts', text: 'ok' })
      .catch((e: unknown) => e);
    expect((badTs as InvalidInputError).issues.map((i) => i.path)).toEqual(['ts']);
    await expect(t.store.timeline.list('PABC', { limit: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    expect(await t.store.timeline.list('PABC')).toEqual([]);
  });
});
