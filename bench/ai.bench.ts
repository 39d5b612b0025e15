/**
 * `npm run bench -- ai`: the heuristic engine's speed and memory on large inputs — correlation of 1k / 10k / 50k
 * incidents (input validation included), a postmortem from 5,000 log entries, and batch classification
 * throughput. Wall time depends on machine load (the load average is printed with the figures), so CPU time of
 * the process is reported next to it.
 */
import { loadavg } from 'node:os';
import { createHeuristicEngine } from '../src/ai/engines/heuristic/engine.js';
import type { TimelineEntryInput } from '../src/ai/schemas/inputs.js';
import { textToTriageInput } from '../src/ai/text-input.js';
import { generateAlertStorm, loadTriageSet } from '../test/fixtures/ai-eval.js';
import { incident } from '../test/fixtures/ai-inputs.js';
import type { BenchSection } from './run.js';

interface Sample {
  wallMs: number;
  cpuMs: number;
}

async function measure(fn: () => Promise<unknown>): Promise<Sample> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const ms = (x: number): string => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
const peakMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Exactly `n` incidents: cascades plus unrelated background over a realistic span (the earliest n are kept). */
function stormOf(n: number): ReturnType<typeof generateAlertStorm> {
  const storm = generateAlertStorm({
    seed: 2026,
    clusters: Math.ceil(n / 6),
    noise: Math.ceil(n * 0.6),
    spanHours: Math.max(24, n / 250),
  });
  const rows = storm.incidents.map((incident, i) => ({ incident, truth: storm.truth[i] as number }));
  rows.sort((a, b) => a.incident.createdAt.localeCompare(b.incident.createdAt));
  const keep = rows.slice(0, n);
  return { incidents: keep.map((r) => r.incident), services: storm.services, truth: keep.map((r) => r.truth) };
}

export async function run(): Promise<BenchSection> {
  const engine = createHeuristicEngine();
  const load = loadavg()[0] ?? 0;
  const lines: string[] = [];

  lines.push(
    '### Correlation (`correlate`, validation included)',
    '',
    '| incidents | groups | first run wall / CPU (ms) | warm median wall / CPU (ms) | process peak RSS after (MB) |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const target of [1000, 10_000, 50_000]) {
    const storm = stormOf(target);
    let groups = 0;
    const input = { incidents: storm.incidents, services: storm.services };
    const first = await measure(async () => {
      groups = (await engine.correlate(input)).result.groups.length;
    });
    const warm: Sample[] = [];
    for (let i = 0; i < 3; i++) warm.push(await measure(() => engine.correlate(input)));
    lines.push(
      `| ${storm.incidents.length.toLocaleString('en-US')} | ${groups.toLocaleString('en-US')} | ${ms(first.wallMs)} / ${ms(first.cpuMs)} | ${ms(median(warm.map((s) => s.wallMs)))} / ${ms(median(warm.map((s) => s.cpuMs)))} | ${peakMb()} |`,
    );
  }

  const start = Date.parse('2026-03-10T10:00:00Z');
  const timeline: TimelineEntryInput[] = Array.from({ length: 5000 }, (_, i) => ({
    at: new Date(start + i * 2000).toISOString(),
    kind: i === 0 ? 'trigger' : i === 4999 ? 'resolve' : i % 4 === 0 ? 'notify' : i % 97 === 0 ? 'escalate' : 'message',
    summary:
      i % 500 === 250
        ? `Root cause candidate ${i}: the consumer group rebalanced because of a config change`
        : `update ${i}: checking consumer lag on partition ${i % 31}, still elevated`,
    actor: `responder-${i % 9}`,
    source: i % 4 === 0 ? 'pagerduty' : 'slack',
  }));
  const pmInput = {
    incident: incident({ createdAt: new Date(start).toISOString(), acknowledgedAt: null, resolvedAt: null }),
    timeline,
  };
  await engine.postmortem(pmInput);
  const pm: Sample[] = [];
  for (let i = 0; i < 5; i++) pm.push(await measure(() => engine.postmortem(pmInput)));
  lines.push(
    '',
    '### Postmortem from 5,000 log entries',
    '',
    `Median of 5 runs: ${ms(median(pm.map((s) => s.wallMs)))} ms wall, ${ms(median(pm.map((s) => s.cpuMs)))} ms CPU (timeline, metrics, extraction and Markdown).`,
  );

  const texts = loadTriageSet();
  const items = Array.from({ length: 10 }, (_, k) =>
    texts.map((t) => ({ id: `${t.id}-${k}`, title: t.title, text: t.text })),
  ).flat();
  const now = new Date(start).toISOString();
  const cls = await measure(async () => {
    for (const item of items) await engine.triage(textToTriageInput(item, now));
  });
  lines.push(
    '',
    '### Batch classification (`incident-bot classify` path)',
    '',
    `${items.length.toLocaleString('en-US')} texts (the evaluation set ×10): ${ms(cls.wallMs)} ms wall, ${ms(cls.cpuMs)} ms CPU → ${Math.round(items.length / (cls.wallMs / 1000)).toLocaleString('en-US')} texts/s wall, ${Math.round(items.length / (cls.cpuMs / 1000)).toLocaleString('en-US')} texts/s per CPU-second.`,
  );

  lines.push(
    '',
    `Machine load average during the run: ${load.toFixed(1)} (other engineers' test suites share the 2 cores), so wall times include waiting for a core; CPU time is the process's own user+system time. Target: 10k incidents correlated in under 1 s.`,
  );
  return { title: 'AI engines (heuristic)', markdown: lines.join('\n') };
}
