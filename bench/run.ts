/**
 * `npm run bench [-- name …]`: runs every `bench/*.bench.ts` (or the named ones) one after another and rewrites
 * its section of docs/BENCHMARKS.md. Each bench module exports `run(): Promise<BenchSection>`; sections not run
 * this time are kept as they were, so partial runs never erase earlier figures.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchSection {
  /** Section title, also its identity in docs/BENCHMARKS.md. */
  title: string;
  /** Markdown body: tables of measured figures and a sentence on what they mean. */
  markdown: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const docPath = join(here, '..', 'docs', 'BENCHMARKS.md');
const BEGIN = (name: string): string => `<!-- bench:${name}:begin -->`;
const END = (name: string): string => `<!-- bench:${name}:end -->`;

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
}

function readDoc(): string {
  try {
    return readFileSync(docPath, 'utf8');
  } catch {
    return '# Benchmarks\n\nEvery figure below was measured by the command shown with it. Re-run with `npm run bench`.\n';
  }
}

function upsert(doc: string, name: string, body: string): string {
  const begin = BEGIN(name);
  const end = END(name);
  const block = `${begin}\n${body.trim()}\n${end}`;
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(end);
  if (start >= 0 && stop > start) return doc.slice(0, start) + block + doc.slice(stop + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .filter((f) => wanted.length === 0 || wanted.includes(basename(f, '.bench.ts')));
  if (files.length === 0) throw new Error(`no benchmark matches ${wanted.join(', ')}`);
  for (const file of files) {
    const name = basename(file, '.bench.ts');
    process.stderr.write(`bench ${name}…\n`);
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<BenchSection> };
    const section = await mod.run();
    const body = [
      `## ${section.title}`,
      '',
      `Command: \`npm run bench -- ${name}\` · measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.`,
      '',
      section.markdown.trim(),
    ].join('\n');
    writeFileSync(docPath, upsert(readDoc(), name, body));
    process.stderr.write(`bench ${name}: written to docs/BENCHMARKS.md\n`);
  }
}

await main();
