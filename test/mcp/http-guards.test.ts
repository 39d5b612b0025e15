import { describe, expect, it } from 'vitest';
import { bearerMatches, isAllowedHost, isAllowedOrigin } from '../../src/mcp/http-guards.js';

describe('isAllowedHost', () => {
  it('accepts the loopback names with the server port', () => {
    for (const host of ['127.0.0.1:3101', 'localhost:3101', 'LOCALHOST:3101', '[::1]:3101']) {
      expect(isAllowedHost(host, 3101), host).toBe(true);
    }
  });

  it('refuses other names, other ports, a missing port, and garbage', () => {
    for (const host of [
      undefined,
      '',
      'evil.example.com:3101',
      'localhost.evil.example.com:3101',
      '127.0.0.2:3101',
      '0.0.0.0:3101',
      'localhost:3102',
      'localhost',
      '[::1]',
      'localhost:3101:1',
      'user@localhost:3101',
      '[::2]:3101',
    ]) {
      expect(isAllowedHost(host, 3101), String(host)).toBe(false);
    }
    expect(isAllowedHost('localhost', 80)).toBe(true);
  });
});

describe('isAllowedOrigin', () => {
  it('accepts no Origin (non-browser clients) and loopback pages on any port', () => {
    for (const origin of [undefined, 'http://localhost:6274', 'http://127.0.0.1', 'https://[::1]:8443']) {
      expect(isAllowedOrigin(origin), String(origin)).toBe(true);
    }
  });

  it('refuses foreign pages, opaque origins and other schemes', () => {
    for (const origin of [
      'http://evil.example.com',
      'http://localhost.evil.example.com',
      'null',
      '',
      'file:///tmp/x.html',
      'chrome-extension://abc',
      'http://127.0.0.1.nip.io',
    ]) {
      expect(isAllowedOrigin(origin), origin).toBe(false);
    }
  });
});

describe('bearerMatches', () => {
  const token = 'a-long-secret-token-123456';

  it('accepts exactly "Bearer <token>" (scheme case-insensitive)', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
  });

  it('refuses anything else', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      token,
      `Basic ${token}`,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      `Bearer ${token} extra`,
      `Bearer ${token.toUpperCase()}`,
    ]) {
      expect(bearerMatches(header, token), String(header)).toBe(false);
    }
  });
});
