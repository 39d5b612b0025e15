import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_MODULES } from '../../../src/sandbox/slack/console-server.js';
import type { startSlackEmulator as StartSlackEmulator } from '../../../src/sandbox/slack/index.js';
import { SIGNING_SECRET, TOKEN } from './helpers.js';

const run = promisify(execFile);
const ROOT = process.cwd();

/**
 * The production build serves the console from what tsc emitted (no esbuild at run time): this compiles the emulator
 * with the project's tsconfig into a scratch `dist`, copies the two static files as the build does, and starts it.
 */
describe('console served from a production build (tsc output)', () => {
  let scratch: string;
  let dist: string;
  let start: typeof StartSlackEmulator;

  beforeAll(async () => {
    mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
    scratch = mkdtempSync(join(ROOT, 'node_modules/.cache/slack-console-build-'));
    dist = join(scratch, 'dist');
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        extends: join(ROOT, 'tsconfig.json'),
        compilerOptions: {
          noEmit: false,
          outDir: dist,
          rootDir: join(ROOT, 'src'),
          sourceMap: true,
          declaration: false,
        },
        include: [join(ROOT, 'src/sandbox/slack/**/*.ts')],
      }),
    );
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(scratch, 'tsconfig.json')], {
      cwd: ROOT,
    });
    for (const file of ['index.html', 'console.css']) {
      copyFileSync(join(ROOT, 'src/sandbox/slack/console', file), join(dist, 'sandbox/slack/console', file));
    }
    const built = (await import(pathToFileURL(join(dist, 'sandbox/slack/index.js')).href)) as {
      startSlackEmulator: typeof StartSlackEmulator;
    };
    start = built.startSlackEmulator;
  }, 180_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses to start with a clear message when the build did not copy the static files', async () => {
    rmSync(join(dist, 'sandbox/slack/console/console.css'));
    await expect(start({ bot: { token: TOKEN, signingSecret: SIGNING_SECRET } })).rejects.toThrow(
      /console\.css is missing: the build must copy src\/sandbox\/slack\/console\/console\.css/,
    );
    // Without the console the emulator still runs.
    const emu = await start({ bot: { token: TOKEN, signingSecret: SIGNING_SECRET }, console: false });
    expect((await fetch(emu.url)).status).toBe(404);
    await emu.close();
    // A failed load is not remembered: once the file is there, the console starts.
    copyFileSync(join(ROOT, 'src/sandbox/slack/console/console.css'), join(dist, 'sandbox/slack/console/console.css'));
  });

  it('serves the page and the compiled modules byte for byte (no transpiler at run time)', async () => {
    const emu = await start({ bot: { token: TOKEN, signingSecret: SIGNING_SECRET }, console: true });
    try {
      const page = await fetch(emu.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="/console/app.js">');
      for (const name of CONSOLE_MODULES) {
        const res = await fetch(`${emu.url}console/${name}.js`);
        expect(res.status, name).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        const compiled = readFileSync(join(dist, 'sandbox/slack/console', `${name}.js`), 'utf8');
        expect(await res.text()).toBe(compiled.replace(/\n\/\/# sourceMappingURL=.*$/m, ''));
      }
      const css = await fetch(`${emu.url}console/console.css`);
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    } finally {
      await emu.close();
    }
  });
});
