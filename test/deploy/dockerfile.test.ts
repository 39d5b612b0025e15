import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
const lastStageStart = froms.at(-1)?.getRange().start.line ?? 0;
const runtime = instructions.filter((i) => i.getRange().start.line >= lastStageStart);
const keyword = (k: string) => runtime.filter((i) => i.getKeyword() === k);

describe('Dockerfile', () => {
  it('parses and is multi-stage on a pinned Node 20 base', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      expect(from.getImageName()).toBe('node');
      expect(from.getImageTag()).toMatch(/^20\.\d+\.\d+(-[a-z-]+)?$/);
    }
  });

  it('runs as a non-root user with production dependencies only', () => {
    const user = keyword('USER').at(-1)?.getArgumentsContent();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)$/);
    expect(text).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
    const copies = keyword('COPY').map((c) => c.getArgumentsContent() ?? '');
    expect(copies.some((c) => c.includes('/app/node_modules'))).toBe(true);
    expect(copies.some((c) => /\bsrc\b/.test(c) && !c.includes('--from'))).toBe(false);
  });

  it('has a HEALTHCHECK on /healthz, exposes PORT and starts the compiled bot', () => {
    const health = keyword('HEALTHCHECK')[0]?.getArgumentsContent() ?? '';
    expect(health).toContain('/healthz');
    expect(keyword('EXPOSE')[0]?.getArgumentsContent()).toBe('3100');
    expect(text).toMatch(/PORT=3100/);
    expect(keyword('CMD').at(-1)?.getArgumentsContent()).toContain('dist/main.js');
  });

  it('bakes in no secrets', () => {
    const env = keyword('ENV')
      .map((e) => e.getArgumentsContent() ?? '')
      .join(' ');
    expect(env).not.toMatch(/TOKEN|SECRET|API_KEY|DATABASE_URL|xox[bp]-/);
    expect(text).not.toMatch(/ARG\s+\S*(TOKEN|SECRET|KEY)/);
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.env', 'node_modules', 'data', '.git']) expect(ignore).toContain(entry);
  });
});
