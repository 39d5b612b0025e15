import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  parseSignatureHeader,
  verifyPagerDutySignature,
} from '../../../src/webhooks/pagerduty/verify-signature.js';

const SPECS = '/work/shared/specs/pagerduty-webhooks';
interface Vector {
  file: string;
  secret: string;
  x_pagerduty_signature: string;
  expect: string;
}
const vectors = (JSON.parse(readFileSync(join(SPECS, 'signature-test-vectors.json'), 'utf8')) as { vectors: Vector[] })
  .vectors;
const body = (file: string): Buffer => readFileSync(join(SPECS, file));

describe('verifyPagerDutySignature against the published vectors', () => {
  it('has both valid and invalid vectors to check', () => {
    expect(vectors.filter((v) => v.expect === 'valid').length).toBeGreaterThanOrEqual(5);
    expect(vectors.filter((v) => v.expect !== 'valid').length).toBeGreaterThanOrEqual(2);
  });

  for (const [i, v] of vectors.entries()) {
    it(`vector ${i} (${v.file}) is ${v.expect}`, () => {
      const result = verifyPagerDutySignature({
        secrets: [v.secret],
        rawBody: body(v.file),
        header: v.x_pagerduty_signature,
      });
      if (v.expect === 'valid') expect(result).toEqual({ ok: true });
      else expect(result).toEqual({ ok: false, reason: 'mismatch' });
    });
  }

  it('accepts when any secret of a rotation list matches and any v1 entry matches', () => {
    const valid = vectors.find((v) => v.expect === 'valid' && v.file.includes('triggered'));
    if (!valid) throw new Error('no triggered vector');
    const other = 'v1=0000000000000000000000000000000000000000000000000000000000000000';
    for (const header of [
      `${other},${valid.x_pagerduty_signature}`,
      `${valid.x_pagerduty_signature}, ${other}`,
      `v2=abc,${valid.x_pagerduty_signature}`,
      valid.x_pagerduty_signature.toUpperCase().replace('V1=', 'v1='),
    ]) {
      expect(
        verifyPagerDutySignature({ secrets: ['old-secret', valid.secret], rawBody: body(valid.file), header }),
      ).toEqual({
        ok: true,
      });
    }
    expect(
      verifyPagerDutySignature({
        secrets: [valid.secret],
        rawBody: body(valid.file),
        header: [other, valid.x_pagerduty_signature],
      }),
    ).toEqual({ ok: true });
  });

  it('refuses a wrong secret, a changed byte, and a reformatted body', () => {
    const valid = vectors.find((v) => v.expect === 'valid' && v.file.includes('acknowledged'));
    if (!valid) throw new Error('no acknowledged vector');
    const raw = body(valid.file);
    const check = (secrets: string[], rawBody: Buffer): unknown =>
      verifyPagerDutySignature({ secrets, rawBody, header: valid.x_pagerduty_signature });
    expect(check(['not-the-secret'], raw)).toEqual({ ok: false, reason: 'mismatch' });
    const flipped = Buffer.from(raw);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(check([valid.secret], flipped)).toEqual({ ok: false, reason: 'mismatch' });
    const pretty = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8')), null, 2));
    expect(check([valid.secret], pretty)).toEqual({ ok: false, reason: 'mismatch' });
    expect(check([valid.secret], Buffer.concat([raw, Buffer.from('\n')]))).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('names why a header is unusable', () => {
    const raw = Buffer.from('{}');
    const verify = (header: string | undefined, secrets = ['s3cret']): unknown =>
      verifyPagerDutySignature({ secrets, rawBody: raw, header });
    expect(verify(undefined)).toEqual({ ok: false, reason: 'missing_header' });
    expect(verify('   ')).toEqual({ ok: false, reason: 'missing_header' });
    expect(verify('sha256=abcd')).toEqual({ ok: false, reason: 'malformed_header' });
    expect(verify('v1=xyz')).toEqual({ ok: false, reason: 'malformed_header' });
    expect(verify(`v1=${'a'.repeat(63)}`)).toEqual({ ok: false, reason: 'malformed_header' });
    expect(verify(`v0=${computeSignature('s3cret', raw)}`)).toEqual({ ok: false, reason: 'malformed_header' });
    expect(verify(`v1=${'a'.repeat(64)},`.repeat(100))).toEqual({ ok: false, reason: 'malformed_header' });
    expect(verify(`v1=${computeSignature('s3cret', raw)}`, [])).toEqual({ ok: false, reason: 'no_secrets' });
    expect(verify(`v1=${computeSignature('s3cret', raw)}`, [''])).toEqual({ ok: false, reason: 'no_secrets' });
  });

  it('parses only v1 entries with 64 hex digits', () => {
    const hex = 'ab'.repeat(32);
    expect(parseSignatureHeader(`v1=${hex}`)?.map((b) => b.toString('hex'))).toEqual([hex]);
    expect(parseSignatureHeader(`v9=${hex}, v1=${hex.toUpperCase()}`)?.map((b) => b.toString('hex'))).toEqual([hex]);
    expect(parseSignatureHeader('=,v1=,,')).toBeNull();
  });

  it('holds for arbitrary bodies and secrets: the right signature passes, any other fails', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.string({ minLength: 1, maxLength: 80 }),
        (bytes, secret, otherSecret) => {
          const raw = Buffer.from(bytes);
          const header = `v1=${computeSignature(secret, raw)}`;
          expect(verifyPagerDutySignature({ secrets: [secret], rawBody: raw, header }).ok).toBe(true);
          if (otherSecret !== secret) {
            expect(verifyPagerDutySignature({ secrets: [otherSecret], rawBody: raw, header }).ok).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
