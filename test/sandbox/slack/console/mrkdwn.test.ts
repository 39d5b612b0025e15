import { describe, expect, it } from 'vitest';
import { composeText, decodeEntities, parseMrkdwn, plainText } from '../../../../src/sandbox/slack/console/mrkdwn.js';

describe('parseMrkdwn', () => {
  it('bold, italic, strike and code, nested where Slack nests them', () => {
    expect(parseMrkdwn('*Status:* _triggered_ ~old~ `code`')).toEqual([
      { type: 'bold', children: [{ type: 'text', text: 'Status:' }] },
      { type: 'text', text: ' ' },
      { type: 'italic', children: [{ type: 'text', text: 'triggered' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 'old' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'code' },
    ]);
    expect(parseMrkdwn('*bold _and italic_*')).toEqual([
      {
        type: 'bold',
        children: [
          { type: 'text', text: 'bold ' },
          { type: 'italic', children: [{ type: 'text', text: 'and italic' }] },
        ],
      },
    ]);
  });

  it('leaves markers alone where Slack does: inside words, with spaces inside, unclosed', () => {
    expect(plainText(parseMrkdwn('2*3*4 = 24'))).toBe('2*3*4 = 24');
    expect(parseMrkdwn('snake_case_name')).toEqual([{ type: 'text', text: 'snake_case_name' }]);
    expect(parseMrkdwn('* not bold *')).toEqual([{ type: 'text', text: '* not bold *' }]);
    expect(parseMrkdwn('*unclosed')).toEqual([{ type: 'text', text: '*unclosed' }]);
  });

  it('links, mentions, broadcasts and dates from control sequences', () => {
    expect(
      parseMrkdwn(
        '<https://pd.test/incidents/P1|P1> <https://x.test> <@U123> <@U9|bob> <#C1|incidents> <!subteam^S1|@oncall> <!here>',
      ),
    ).toEqual([
      { type: 'link', url: 'https://pd.test/incidents/P1', label: 'P1' },
      { type: 'text', text: ' ' },
      { type: 'link', url: 'https://x.test', label: 'https://x.test' },
      { type: 'text', text: ' ' },
      { type: 'user', id: 'U123' },
      { type: 'text', text: ' ' },
      { type: 'user', id: 'U9', label: 'bob' },
      { type: 'text', text: ' ' },
      { type: 'channel', id: 'C1', label: 'incidents' },
      { type: 'text', text: ' ' },
      { type: 'usergroup', id: 'S1', label: '@oncall' },
      { type: 'text', text: ' ' },
      { type: 'broadcast', range: 'here' },
    ]);
    expect(parseMrkdwn('<!date^1700000000^{date_short}|Nov 14>')).toEqual([{ type: 'date', text: 'Nov 14' }]);
  });

  it('escaped text stays text: entities decode to characters, never to markup', () => {
    const nodes = parseMrkdwn('&lt;script&gt;alert(1)&lt;/script&gt; &amp; <b>');
    expect(nodes[0]).toEqual({ type: 'text', text: '<script>alert(1)</script> & ' });
    // A raw <b> is a Slack control sequence: a "link" to "b", which the DOM layer only makes clickable for http(s).
    expect(nodes[1]).toEqual({ type: 'link', url: 'b', label: 'b' });
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
  });

  it('quotes, line breaks, pre blocks and emoji', () => {
    expect(parseMrkdwn('line 1\nline 2')).toEqual([
      { type: 'text', text: 'line 1' },
      { type: 'br' },
      { type: 'text', text: 'line 2' },
    ]);
    expect(parseMrkdwn('&gt; quoted *text*\n&gt; more\nafter')).toEqual([
      {
        type: 'quote',
        children: [
          { type: 'text', text: 'quoted ' },
          { type: 'bold', children: [{ type: 'text', text: 'text' }] },
          { type: 'br' },
          { type: 'text', text: 'more' },
        ],
      },
      { type: 'text', text: 'after' },
    ]);
    expect(parseMrkdwn('before ```\nconst a = *b*;\n``` after')).toEqual([
      { type: 'text', text: 'before ' },
      { type: 'pre', text: 'const a = *b*;' },
      { type: 'text', text: ' after' },
    ]);
    expect(parseMrkdwn(':rotating_light: :not_an_emoji_we_know:')).toEqual([
      { type: 'emoji', name: 'rotating_light', char: '🚨' },
      { type: 'text', text: ' ' },
      { type: 'emoji', name: 'not_an_emoji_we_know' },
    ]);
  });

  it('plainText resolves names through the given lookup', () => {
    const names = (kind: string, id: string): string => (kind === 'user' ? ({ U1: 'alice' }[id] ?? id) : id);
    expect(plainText(parseMrkdwn('ack by <@U1> in <#C1|incidents> :white_check_mark:'), names)).toBe(
      'ack by @alice in #incidents ✅',
    );
  });
});

describe('composeText (what Slack’s composer sends)', () => {
  const people = [
    { id: 'U1', name: 'alice' },
    { id: 'UBOT', name: 'incident-bot' },
  ];
  const channels = [{ id: 'C1', name: 'incidents' }];

  it('escapes the three control characters and turns known @names and #channels into mentions', () => {
    expect(composeText('@incident-bot why is p99 > 2s & rising? cc @Alice in #incidents.', people, channels)).toBe(
      '<@UBOT> why is p99 &gt; 2s &amp; rising? cc <@U1> in <#C1|incidents>.',
    );
  });

  it('leaves unknown names, e-mail addresses and markup alone (escaped)', () => {
    expect(composeText('mail bob@example.com, ping @nobody, <!channel> <b>', people, channels)).toBe(
      'mail bob@example.com, ping @nobody, &lt;!channel&gt; &lt;b&gt;',
    );
  });

  it('round-trips through parseMrkdwn as the same visible text', () => {
    const typed = 'a < b && c > d';
    expect(plainText(parseMrkdwn(composeText(typed, people, channels)))).toBe(typed);
  });
});
