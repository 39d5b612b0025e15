import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseCommand,
  parseDuration,
  parseIncidentRef,
  parseUserMention,
  SUBCOMMANDS,
  tokenize,
  USAGE,
} from '../../src/slack/command-parser.js';

function ok(text: string) {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(`expected ${text} to parse, got: ${r.error}`);
  return r.command;
}

function bad(text: string) {
  const r = parseCommand(text);
  if (r.ok) throw new Error(`expected ${text} to fail, got ${JSON.stringify(r.command)}`);
  return r;
}

describe('tokenize', () => {
  it('keeps Slack entities with spaces whole', () => {
    expect(tokenize('page <@U123|John Smith> now')).toEqual(['page', '<@U123|John Smith>', 'now']);
    expect(tokenize('  a\tb\n c ')).toEqual(['a', 'b', 'c']);
    expect(tokenize('x<@U1>')).toEqual(['x', '<@U1>']);
  });
});

describe('parseIncidentRef', () => {
  it('accepts PagerDuty ids, #numbers and incident URLs', () => {
    expect(parseIncidentRef('PT4KHLK')).toEqual({ kind: 'id', id: 'PT4KHLK' });
    expect(parseIncidentRef('Q0RIJJZL24RC6W')).toEqual({ kind: 'id', id: 'Q0RIJJZL24RC6W' });
    expect(parseIncidentRef('pt4khl9')).toEqual({ kind: 'id', id: 'PT4KHL9' });
    expect(parseIncidentRef('#42')).toEqual({ kind: 'number', number: 42 });
    expect(parseIncidentRef('<https://acme.pagerduty.com/incidents/PT4KHLK>')).toEqual({ kind: 'id', id: 'PT4KHLK' });
    expect(parseIncidentRef('https://acme.pagerduty.com/incidents/1234')).toEqual({ kind: 'number', number: 1234 });
  });
  it('rejects words, plain numbers and lowercase words without digits', () => {
    for (const t of ['database', 'DATABASE', '42', '#', '#abc', 'problem', 'P12', undefined]) {
      expect(parseIncidentRef(t)).toBeNull();
    }
  });
});

describe('parseDuration', () => {
  it('reads common forms', () => {
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('2h')).toBe(7200);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('1h 30m')).toBe(5400);
    expect(parseDuration('90')).toBe(5400);
    expect(parseDuration('1d')).toBe(86400);
    expect(parseDuration('45 minutes')).toBe(2700);
  });
  it('refuses junk', () => {
    for (const t of ['', 'soon', '1x', '30m later', 'h']) expect(parseDuration(t)).toBeNull();
  });
});

describe('parseUserMention', () => {
  it('reads escaped mentions only', () => {
    expect(parseUserMention('<@U123ABC|alice>')).toBe('U123ABC');
    expect(parseUserMention('<@W9>')).toBe('W9');
    expect(parseUserMention('@alice')).toBeNull();
    expect(parseUserMention('<#C1|ops>')).toBeNull();
  });
});

describe('parseCommand', () => {
  it('treats empty text as help', () => {
    expect(ok('')).toEqual({ sub: 'help', topic: null });
    expect(ok('help snooze')).toEqual({ sub: 'help', topic: 'snooze' });
  });

  it('parses declare with and without a title, keeping spacing', () => {
    expect(ok('declare')).toEqual({ sub: 'declare', title: null });
    expect(ok('declare  Checkout  is down')).toEqual({ sub: 'declare', title: 'Checkout  is down' });
    expect(ok('new DB')).toEqual({ sub: 'declare', title: 'DB' });
  });

  it('parses list filters', () => {
    expect(ok('list')).toEqual({ sub: 'list', status: 'open', service: null });
    expect(ok('list resolved')).toEqual({ sub: 'list', status: 'resolved', service: null });
    expect(ok('list acked Checkout API')).toEqual({ sub: 'list', status: 'acknowledged', service: 'Checkout API' });
    expect(ok('ls Payments')).toEqual({ sub: 'list', status: 'open', service: 'Payments' });
  });

  it('implies the incident when no reference is given', () => {
    expect(ok('ack')).toEqual({ sub: 'ack', ref: { kind: 'implied' } });
    expect(ok('show #12')).toEqual({ sub: 'show', ref: { kind: 'number', number: 12 } });
    expect(ok('triage PT4KHLK')).toEqual({ sub: 'triage', ref: { kind: 'id', id: 'PT4KHLK' } });
  });

  it('parses resolve with an optional note', () => {
    expect(ok('resolve')).toEqual({ sub: 'resolve', ref: { kind: 'implied' }, note: null });
    expect(ok('resolve #3 rolled back the deploy')).toEqual({
      sub: 'resolve',
      ref: { kind: 'number', number: 3 },
      note: 'rolled back the deploy',
    });
  });

  it('parses escalate levels', () => {
    expect(ok('escalate')).toEqual({ sub: 'escalate', ref: { kind: 'implied' }, level: null });
    expect(ok('escalate #3 2')).toEqual({ sub: 'escalate', ref: { kind: 'number', number: 3 }, level: 2 });
    expect(ok('escalate L3')).toEqual({ sub: 'escalate', ref: { kind: 'implied' }, level: 3 });
    expect(bad('escalate high').error).toContain('/incident escalate');
    expect(bad('escalate 0').sub).toBe('escalate');
    expect(bad('escalate 2 now').sub).toBe('escalate');
  });

  it('parses page targets', () => {
    expect(ok('page #4 <@U1|a> <!subteam^S9|@sre> Database Team')).toEqual({
      sub: 'page',
      ref: { kind: 'number', number: 4 },
      targets: [
        { kind: 'user', slackUserId: 'U1' },
        { kind: 'usergroup', usergroupId: 'S9' },
        { kind: 'name', name: 'Database Team' },
      ],
    });
    expect(bad('page').error).toContain('Say who to page');
    expect(bad('page <#C1|ops>').sub).toBe('page');
  });

  it('parses snooze durations within PagerDuty bounds', () => {
    expect(ok('snooze 30m')).toEqual({ sub: 'snooze', ref: { kind: 'implied' }, seconds: 1800 });
    expect(ok('snooze #2 1h 30m')).toEqual({ sub: 'snooze', ref: { kind: 'number', number: 2 }, seconds: 5400 });
    expect(bad('snooze').sub).toBe('snooze');
    expect(bad('snooze 8d').error).toContain('between 1 minute and 7 days');
    expect(bad('snooze 30s').sub).toBe('snooze');
    expect(bad('snooze later').error).toContain("couldn't read");
  });

  it('parses note, update and reassign', () => {
    expect(ok('note #1 restarted <@U1|bob>')).toEqual({
      sub: 'note',
      ref: { kind: 'number', number: 1 },
      text: 'restarted <@U1|bob>',
    });
    expect(bad('note').sub).toBe('note');
    expect(ok('update')).toEqual({ sub: 'update', ref: { kind: 'implied' }, text: null });
    expect(ok('update Mitigated, monitoring')).toEqual({
      sub: 'update',
      ref: { kind: 'implied' },
      text: 'Mitigated, monitoring',
    });
    expect(ok('reassign <@U2|c>')).toEqual({ sub: 'reassign', ref: { kind: 'implied' }, slackUserId: 'U2' });
    expect(ok('reassign')).toEqual({ sub: 'reassign', ref: { kind: 'implied' }, slackUserId: null });
    expect(bad('reassign bob').sub).toBe('reassign');
  });

  it('parses roles', () => {
    expect(ok('role commander <@U1|a>')).toEqual({
      sub: 'role',
      ref: { kind: 'implied' },
      role: 'commander',
      slackUserId: 'U1',
    });
    expect(ok('role #9 IC <@U1>')).toMatchObject({ role: 'commander', ref: { kind: 'number', number: 9 } });
    expect(bad('role pilot <@U1>').error).toContain('commander, comms or scribe');
    expect(bad('role comms').sub).toBe('role');
  });

  it('parses oncall, fatigue and subscribe', () => {
    expect(ok('oncall')).toEqual({ sub: 'oncall', query: null });
    expect(ok('oncall Checkout API')).toEqual({ sub: 'oncall', query: 'Checkout API' });
    expect(ok('fatigue Primary')).toEqual({ sub: 'fatigue', schedule: 'Primary' });
    expect(ok('subscribe Payments')).toEqual({ sub: 'subscribe', service: 'Payments' });
    expect(bad('subscribe').sub).toBe('subscribe');
  });

  it('gives usage for extra words and unknown subcommands', () => {
    const r = bad('show #1 please');
    expect(r.sub).toBe('show');
    expect(r.error).toContain(USAGE.show.usage);
    const u = bad('<!channel> hi');
    expect(u.sub).toBeNull();
    expect(u.error).not.toContain('<!channel>');
  });

  it('never throws, and every failure names a usage or help', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = parseCommand(text);
        if (!r.ok) {
          expect(r.error.length).toBeGreaterThan(0);
          if (r.sub) {
            expect(r.error).toContain(USAGE[r.sub].usage);
            expect(r.error.replace(USAGE[r.sub].usage, '')).not.toMatch(/[<>]/);
          } else expect(r.error).not.toMatch(/[<>]/);
          if (r.sub) expect(r.error).toContain(USAGE[r.sub].usage);
          else expect(r.error).toContain('/incident help');
        }
      }),
    );
  });

  it('is not fooled by prototype keys', () => {
    for (const word of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(bad(word).sub).toBeNull();
      expect(ok(`list ${word}`)).toEqual({ sub: 'list', status: 'open', service: word });
      expect(bad(`role ${word} <@U1>`).sub).toBe('role');
    }
  });

  it('parses every subcommand word', () => {
    for (const sub of SUBCOMMANDS) {
      const r = parseCommand(sub);
      expect(r.ok ? r.command.sub : r.sub).toBe(sub);
    }
  });
});
