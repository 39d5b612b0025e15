/**
 * A small Prometheus registry (text exposition format 0.0.4). Fronts and clients record into it; `GET /metrics`
 * renders it. Factories receive a `Metrics` instance, so tests read exactly what one component recorded.
 */

type Labels = Record<string, string | number>;

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function labelKey(labels: Labels | undefined): string {
  if (!labels) return '';
  const keys = Object.keys(labels).sort();
  return keys.map((k) => `${k}="${escapeLabel(String(labels[k]))}"`).join(',');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(n);
}

export interface Counter {
  inc(labels?: Labels, value?: number): void;
  get(labels?: Labels): number;
}

export interface Gauge {
  set(value: number, labels?: Labels): void;
  get(labels?: Labels): number;
}

export interface Histogram {
  observe(value: number, labels?: Labels): void;
  /** Starts a timer; calling the returned function observes the elapsed seconds. */
  startTimer(labels?: Labels): (extra?: Labels) => number;
  count(labels?: Labels): number;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  render(): string[];
}

export interface Metrics {
  counter(name: string, help: string): Counter;
  gauge(name: string, help: string, collect?: () => Promise<Array<{ labels?: Labels; value: number }>>): Gauge;
  histogram(name: string, help: string, buckets?: number[]): Histogram;
  /** Prometheus text format, with collect callbacks run first. */
  render(): Promise<string>;
}

export function createMetrics(prefix = 'incident_bot_'): Metrics {
  const families = new Map<string, Family & { handle: Counter | Gauge | Histogram }>();
  const collectors: Array<() => Promise<void>> = [];

  /** One family, and one handle, per name: registering a name again returns the handle already made. */
  function family<H extends Counter | Gauge | Histogram>(
    name: string,
    type: Family['type'],
    make: () => { handle: H; render: () => string[] },
    help: string,
  ): H {
    const full = prefix + name;
    const existing = families.get(full);
    if (existing) {
      if (existing.type !== type) throw new Error(`metric ${full} registered twice with other types`);
      return existing.handle as H;
    }
    const { handle, render } = make();
    families.set(full, { name: full, help, type, render, handle });
    return handle;
  }

  function simple(name: string): { values: Map<string, number>; render: () => string[] } {
    const values = new Map<string, number>();
    return {
      values,
      render: () => [...values].map(([k, v]) => `${prefix}${name}${k ? `{${k}}` : ''} ${formatNumber(v)}`),
    };
  }

  return {
    counter(name, help) {
      return family<Counter>(
        name,
        'counter',
        () => {
          const { values, render } = simple(name);
          return {
            render,
            handle: {
              inc(labels, value = 1) {
                const key = labelKey(labels);
                values.set(key, (values.get(key) ?? 0) + value);
              },
              get: (labels) => values.get(labelKey(labels)) ?? 0,
            },
          };
        },
        help,
      );
    },

    gauge(name, help, collect) {
      return family<Gauge>(
        name,
        'gauge',
        () => {
          const { values, render } = simple(name);
          if (collect) {
            collectors.push(async () => {
              const samples = await collect();
              values.clear();
              for (const sample of samples) values.set(labelKey(sample.labels), sample.value);
            });
          }
          return {
            render,
            handle: {
              set(value, labels) {
                values.set(labelKey(labels), value);
              },
              get: (labels) => values.get(labelKey(labels)) ?? 0,
            },
          };
        },
        help,
      );
    },

    histogram(name, help, buckets = DEFAULT_BUCKETS) {
      return family<Histogram>(
        name,
        'histogram',
        () => {
          const sorted = [...buckets].sort((a, b) => a - b);
          const series = new Map<string, { counts: number[]; sum: number; count: number }>();
          const full = prefix + name;
          const render = (): string[] => {
            const lines: string[] = [];
            for (const [key, s] of series) {
              const sep = key ? ',' : '';
              sorted.forEach((le, i) => {
                lines.push(`${full}_bucket{${key}${sep}le="${formatNumber(le)}"} ${s.counts[i]}`);
              });
              lines.push(`${full}_bucket{${key}${sep}le="+Inf"} ${s.count}`);
              lines.push(`${full}_sum${key ? `{${key}}` : ''} ${formatNumber(s.sum)}`);
              lines.push(`${full}_count${key ? `{${key}}` : ''} ${s.count}`);
            }
            return lines;
          };
          const observe = (value: number, labels?: Labels): void => {
            const key = labelKey(labels);
            let s = series.get(key);
            if (!s) {
              s = { counts: sorted.map(() => 0), sum: 0, count: 0 };
              series.set(key, s);
            }
            for (let i = 0; i < sorted.length; i++) {
              if (value <= (sorted[i] ?? 0)) s.counts[i] = (s.counts[i] ?? 0) + 1;
            }
            s.sum += value;
            s.count += 1;
          };
          return {
            render,
            handle: {
              observe,
              startTimer(labels) {
                const start = process.hrtime.bigint();
                return (extra) => {
                  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
                  observe(seconds, { ...labels, ...extra });
                  return seconds;
                };
              },
              count: (labels) => series.get(labelKey(labels))?.count ?? 0,
            },
          };
        },
        help,
      );
    },

    async render() {
      await Promise.all(collectors.map((c) => c().catch(() => undefined)));
      const out: string[] = [];
      for (const f of families.values()) {
        out.push(`# HELP ${f.name} ${f.help.replace(/\n/g, ' ')}`);
        out.push(`# TYPE ${f.name} ${f.type}`);
        out.push(...f.render());
      }
      return `${out.join('\n')}\n`;
    },
  };
}
