import { describe, expect, it } from 'vitest';
import {
  formatInZone,
  fromWall,
  isValidTimeZone,
  offsetMinutes,
  parseTimestamp,
  toWall,
} from '../../../src/sandbox/pagerduty/time-zones.js';

const utc = (s: string): number => Date.parse(s);

describe('time zones', () => {
  it('knows offsets on both sides of DST changes, and in zones without DST or with half hours', () => {
    expect(offsetMinutes(utc('2024-03-10T06:59:59Z'), 'America/New_York')).toBe(-300);
    expect(offsetMinutes(utc('2024-03-10T07:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(utc('2024-10-27T00:59:59Z'), 'Europe/London')).toBe(60);
    expect(offsetMinutes(utc('2024-10-27T01:00:00Z'), 'Europe/London')).toBe(0);
    expect(offsetMinutes(utc('2024-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(offsetMinutes(utc('2024-01-01T00:00:00Z'), 'Australia/Sydney')).toBe(660);
    expect(offsetMinutes(utc('2024-04-07T16:00:00Z'), 'Australia/Sydney')).toBe(600);
  });

  it('converts wall clock to instants, pushing DST gaps forward and taking the earlier of an overlap', () => {
    const wall = (s: string): number => Date.parse(`${s}Z`);
    expect(new Date(fromWall(wall('2024-03-04T10:00:00'), 'America/New_York')).toISOString()).toBe(
      '2024-03-04T15:00:00.000Z',
    );
    expect(new Date(fromWall(wall('2024-03-11T10:00:00'), 'America/New_York')).toISOString()).toBe(
      '2024-03-11T14:00:00.000Z',
    );
    // 01:30 does not exist in London on 2024-03-31 (01:00 GMT jumps to 02:00 BST).
    expect(new Date(fromWall(wall('2024-03-31T01:30:00'), 'Europe/London')).toISOString()).toBe(
      '2024-03-31T01:30:00.000Z',
    );
    // 01:30 happens twice on 2024-10-27: first in BST (00:30Z), then in GMT (01:30Z).
    expect(new Date(fromWall(wall('2024-10-27T01:30:00'), 'Europe/London')).toISOString()).toBe(
      '2024-10-27T00:30:00.000Z',
    );
    for (const zone of ['America/Los_Angeles', 'Asia/Tokyo', 'Europe/Berlin', 'Africa/Lagos']) {
      const instant = utc('2025-02-14T18:45:00Z');
      expect(fromWall(toWall(instant, zone), zone)).toBe(instant);
    }
  });

  it('formats like PagerDuty: offsets in a zone, Z for UTC, whole seconds', () => {
    expect(formatInZone(utc('2015-11-09T13:00:00.789Z'), 'America/New_York')).toBe('2015-11-09T08:00:00-05:00');
    expect(formatInZone(utc('2024-07-01T12:00:00Z'), 'Asia/Kolkata')).toBe('2024-07-01T17:30:00+05:30');
    expect(formatInZone(utc('2024-07-01T12:00:00.5Z'))).toBe('2024-07-01T12:00:00Z');
  });

  it('parses ISO dates and date-times with or without an offset, and refuses anything else', () => {
    expect(parseTimestamp('2024-07-01T12:00:00Z')).toBe(utc('2024-07-01T12:00:00Z'));
    expect(parseTimestamp('2024-07-01T12:00:00-05:00')).toBe(utc('2024-07-01T17:00:00Z'));
    expect(parseTimestamp('2024-07-01T12:00:00+0530')).toBe(utc('2024-07-01T06:30:00Z'));
    expect(parseTimestamp('2024-07-01')).toBe(utc('2024-07-01T00:00:00Z'));
    expect(parseTimestamp('2024-07-01T09:00', 'America/Chicago')).toBe(utc('2024-07-01T14:00:00Z'));
    expect(parseTimestamp('2015-07-17T08:42:58.315+0000')).toBe(utc('2015-07-17T08:42:58.315Z'));
    for (const bad of ['yesterday', '2024-02-30', '2024-13-01', '2024-07-01T25:00:00Z', '']) {
      expect(parseTimestamp(bad), bad).toBeUndefined();
    }
  });

  it('recognises IANA zones', () => {
    expect(isValidTimeZone('Europe/Oslo')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
