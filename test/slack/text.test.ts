import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  escapeMrkdwn,
  fallbackText,
  formatAge,
  formatDuration,
  link,
  mrkdwn,
  plain,
  slackToPlain,
  splitText,
  TRUNCATION_MARKER,
  truncate,
  userMention,
} from '../../src/slack/text.js';

const MENTION = /<[!@#]|<https?:/;

describe('mrkdwn', () => {
  it('escapes the three control characters', () => {
    expect(escapeMrkdwn('a & b <!channel> <@U1> c')).toBe('a &amp; b &lt;!channel&gt; &lt;@U1&gt; c');
    expect(mrkdwn('<!here|here> <!subteam^S1> <https://evil|click>')).not.toMatch(MENTION);
  });

  it('never exceeds the limit, never cuts an entity and marks truncation', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'grapheme' }), fc.integer({ min: 20, max: 300 }), (s, max) => {
        const out = mrkdwn(s, max);
        expect(codePointLength(out)).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/[<>]/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        if (codePointLength(escapeMrkdwn(s)) > max) expect(out.endsWith(TRUNCATION_MARKER)).toBe(true);
      }),
    );
  });

  it('keeps short text intact', () => {
    expect(mrkdwn('disk full on db-1', 100)).toBe('disk full on db-1');
  });
});

describe('truncate and plain', () => {
  it('counts code points, not UTF-16 units', () => {
    const emoji = '🔥'.repeat(10);
    expect(truncate(emoji, 10)).toBe(emoji);
    expect(codePointLength(truncate(emoji.repeat(3), 20))).toBe(20);
  });
  it('plain collapses whitespace and never returns empty', () => {
    expect(plain('  a \n\n b ', 10)).toBe('a b');
    expect(plain('   ', 10)).toBe('—');
    expect(codePointLength(plain('x'.repeat(500), 150))).toBe(150);
  });
});

describe('fallbackText', () => {
  it('breaks links and mentions in notification text', () => {
    const out = fallbackText('see https://evil.example/x and @here <!channel>');
    expect(out).not.toMatch(/https:\/\//);
    expect(out).not.toMatch(MENTION);
    expect(out).not.toContain('@here');
  });
});

describe('link and userMention', () => {
  it('links only http(s) URLs and escapes labels', () => {
    expect(link('https://acme.pagerduty.com/incidents/P1', 'a <b> | c')).toBe(
      '<https://acme.pagerduty.com/incidents/P1|a &lt;b&gt; ¦ c>',
    );
    expect(link('javascript:alert(1)', 'x')).toBe('x');
    expect(link(undefined, '<!here>')).toBe('&lt;!here&gt;');
  });
  it('mentions only real user ids', () => {
    expect(userMention('U123ABC')).toBe('<@U123ABC>');
    expect(userMention('<!channel>', '<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe('slackToPlain', () => {
  it('turns Slack encodings into readable text', () => {
    expect(slackToPlain('ping <@U1|alice> in <#C1|ops> and <!subteam^S1|@sre> &lt;3 &amp; <https://x.io|docs>')).toBe(
      'ping @alice in #ops and @sre <3 & docs (https://x.io)',
    );
    expect(slackToPlain('<!here> <https://x.io>')).toBe('@here https://x.io');
  });
});

describe('ages and durations', () => {
  it('formats relative ages', () => {
    expect(formatAge(0, 30_000)).toBe('just now');
    expect(formatAge(0, 5 * 60_000)).toBe('5m');
    expect(formatAge(0, 125 * 60_000)).toBe('2h 5m');
    expect(formatAge(0, 49 * 3_600_000)).toBe('2d 1h');
    expect(formatAge(10_000, 0)).toBe('just now');
  });
  it('formats durations', () => {
    expect(formatDuration(1800)).toBe('30m');
    expect(formatDuration(5400)).toBe('1h 30m');
    expect(formatDuration(86400 * 2)).toBe('2d');
  });
});

describe('splitText', () => {
  it('splits into bounded chunks that cover the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.integer({ min: 50, max: 500 }), (s, max) => {
        const chunks = splitText(s, max);
        for (const c of chunks) expect(codePointLength(c)).toBeLessThanOrEqual(max);
        expect(chunks.join('').replace(/\s/g, '')).toBe(s.replace(/\s/g, ''));
      }),
    );
  });
  it('prefers paragraph breaks', () => {
    const text = `${'a'.repeat(60)}\n\n${'b'.repeat(60)}`;
    expect(splitText(text, 100)).toEqual(['a'.repeat(60), 'b'.repeat(60)]);
  });
});
