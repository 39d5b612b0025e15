import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EnvSchema } from '../../src/config/schema.js';

const dir = join(import.meta.dirname, '..', '..', 'deploy', 'kubernetes');

function load(file: string): Array<Record<string, unknown>> {
  return parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
}

const models: Record<string, new (data: never) => { validate(): void }> = {
  Deployment: Deployment as never,
  Service: Service as never,
  PodDisruptionBudget: PodDisruptionBudget as never,
  Secret: Secret as never,
};

describe('Kubernetes manifests', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('has the Deployment, Service, PodDisruptionBudget and example Secret', () => {
    const kinds = files.flatMap((f) => load(f).map((d) => d.kind)).sort();
    expect(kinds).toEqual(['Deployment', 'PodDisruptionBudget', 'Secret', 'Service']);
  });

  it.each(files)('%s validates against the Kubernetes schema', (file) => {
    for (const doc of load(file)) {
      const Model = models[String(doc.kind)];
      expect(Model, `no model for ${String(doc.kind)}`).toBeDefined();
      if (Model) expect(() => new Model(doc as never).validate()).not.toThrow();
    }
  });

  it('rejects a broken manifest (the validator is live)', () => {
    const [deployment] = load('deployment.yaml');
    const broken = structuredClone(deployment) as { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken as never).validate()).toThrow();
  });

  it('runs two replicas with probes on /healthz, resources and secrets from a Secret', () => {
    const [deployment] = load('deployment.yaml') as [
      {
        spec: {
          replicas: number;
          selector: { matchLabels: Record<string, string> };
          template: { spec: { containers: unknown[]; securityContext: Record<string, unknown> } };
        };
      },
    ];
    expect(deployment.spec.replicas).toBe(2);
    const [container] = deployment.spec.template.spec.containers as Array<{
      readinessProbe: { httpGet: { path: string; port: string } };
      livenessProbe: { httpGet: { path: string } };
      resources: { requests: Record<string, string>; limits: Record<string, string> };
      envFrom: Array<{ secretRef: { name: string } }>;
      env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }>;
      ports: Array<{ name: string; containerPort: number }>;
    }>;
    expect(container).toBeDefined();
    if (!container) return;
    expect(container.readinessProbe.httpGet.path).toBe('/healthz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.requests.cpu).toBeTruthy();
    expect(container.resources.requests.memory).toBeTruthy();
    expect(container.resources.limits.memory).toBeTruthy();
    expect(container.envFrom[0]?.secretRef.name).toBe('incident-bot');
    // Replicas must share one Postgres: DATABASE_URL is a required key of the Secret, not an optional one.
    const database = container.env.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
    expect(database).toMatchObject({ name: 'incident-bot', key: 'DATABASE_URL' });
    expect(database?.optional).not.toBe(true);
    expect(container.ports[0]?.containerPort).toBe(3100);
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  });

  it('the example Secret holds only placeholders, requires DATABASE_URL and uses real variable names', () => {
    const [secret] = load('secret.example.yaml') as [{ stringData: Record<string, string> }];
    expect(secret.stringData.DATABASE_URL).toMatch(/^postgres:\/\//);
    const known = Object.keys(EnvSchema.shape);
    for (const [key, value] of Object.entries(secret.stringData)) {
      expect(known, `${key} is not a variable the bot reads`).toContain(key);
      if (/TOKEN|SECRET|KEY/.test(key)) expect(value).toMatch(/REPLACE-ME/);
    }
  });

  it('the Service and the PodDisruptionBudget select the Deployment pods', () => {
    const [deployment] = load('deployment.yaml') as [{ spec: { selector: { matchLabels: Record<string, string> } } }];
    const [service] = load('service.yaml') as [{ spec: { selector: Record<string, string> } }];
    const [pdb] = load('pdb.yaml') as [
      { spec: { selector: { matchLabels: Record<string, string> }; minAvailable: number } },
    ];
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBe(1);
  });
});
