import { describe, expect, it } from 'vitest';
import { AppError, asAppError, describeError, ErrorCode } from '../../src/shared/errors.js';

describe('asAppError', () => {
  it('keeps an AppError, wraps an Error with its cause, and describes anything else thrown', () => {
    const app = new AppError(ErrorCode.NotFound, 'gone');
    expect(asAppError(app)).toBe(app);
    const plain = new Error('boom');
    const wrapped = asAppError(plain);
    expect(wrapped.code).toBe(ErrorCode.Unknown);
    expect(wrapped.message).toBe('boom');
    expect(wrapped.cause).toBe(plain);
    expect(describeError('a string')).toBe('a string');
    expect(describeError(42)).toBe('42');
  });

  it('never throws itself, even for a thrown object that cannot be turned into a string', () => {
    const bare = Object.create(null) as object;
    expect(describeError(bare)).toBe('[object Object]');
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(asAppError(hostile).code).toBe(ErrorCode.Unknown);
  });
});
