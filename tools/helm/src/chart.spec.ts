import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { parse as parseYaml } from 'yaml';
import { appNames, type AppName } from '@knutepunkt/schemas';
import { chartDir, helmLint, helmTemplate, readToolVersions, repoRoot } from './helm';
import { KubernetesSchemas } from './kubernetes-schemas';
import { objectId, ofKind, type KubernetesObject } from './manifests';
import { ciValuesFiles, renderChart, type CiValuesFile } from './render';

/** What DESIGN.md says about each service ("Services", default ports). */
const design: Readonly<
  Record<AppName, { readonly port: number; readonly database: boolean; readonly api: boolean }>
> = {
  ingest: { port: 3000, database: true, api: true },
  consent: { port: 3001, database: true, api: true },
  'journal-writer': { port: 3002, database: true, api: true },
  audit: { port: 3003, database: true, api: true },
  normalizer: { port: 3004, database: false, api: false },
};
/** The APIs outside callers reach through the Ingress: vendors (ingest) and EPJs (journal-writer). */
const publicApis: readonly AppName[] = ['ingest', 'journal-writer'];
const postgresPort = 5432;
/** The broker and registry ports each ci/ file configures, and whether it fetches the JWKS by URL. */
const externalPorts: Readonly<
  Record<
    CiValuesFile,
    { readonly kafka: number; readonly registry: number; readonly jwksByUrl: boolean }
  >
> = {
  'ci/minimal-values.yaml': { kafka: 9092, registry: 8081, jwksByUrl: true },
  // Strimzi's TLS listener, Apicurio's port, and the JWKS mounted as a file.
  'ci/strimzi-values.yaml': { kafka: 9093, registry: 8080, jwksByUrl: false },
  'ci/managed-values.yaml': { kafka: 9096, registry: 443, jwksByUrl: true },
};

const releaseName = 'knutepunkt';
const componentName = (component: string): string => `${releaseName}-${component}`;

const schemasByVersion = new Map<string, KubernetesSchemas>();
function kubernetesSchemas(version: string): KubernetesSchemas {
  let schemas = schemasByVersion.get(version);
  if (!schemas) {
    schemas = KubernetesSchemas.load(version);
    schemasByVersion.set(version, schemas);
  }
  return schemas;
}

const rendered = new Map<CiValuesFile, KubernetesObject[]>();
function manifests(file: CiValuesFile): KubernetesObject[] {
  let objects = rendered.get(file);
  if (!objects) {
    objects = renderChart({ valuesFiles: [file], releaseName });
    rendered.set(file, objects);
  }
  return objects;
}

function named<T extends { metadata?: { name?: string } }>(objects: readonly T[], name: string): T {
  const found = objects.find((object) => object.metadata?.name === name);
  if (!found) throw new Error(`no object named ${name}`);
  return found;
}

function appContainer(deployment: IDeployment): IContainer {
  const container = deployment.spec?.template.spec?.containers[0];
  if (!container) throw new Error(`${String(deployment.metadata?.name)} has no container`);
  return container;
}

function envOf(container: IContainer): Map<string, NonNullable<IContainer['env']>[number]> {
  return new Map((container.env ?? []).map((variable) => [variable.name, variable]));
}

/** `TCP/5432`-style keys of every port an egress rule of the policy allows. */
function egressPorts(policy: INetworkPolicy): Set<string> {
  const ports = new Set<string>();
  for (const rule of policy.spec?.egress ?? []) {
    for (const port of rule.ports ?? [])
      ports.add(`${port.protocol ?? 'TCP'}/${String(port.port)}`);
  }
  return ports;
}

describe.each(ciValuesFiles)('the chart with %s', (file) => {
  it('passes helm lint --strict', () => {
    const result = helmLint({ valuesFiles: [file] });
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it.each(readToolVersions().kubernetesSchemaVersions)(
    'renders only objects valid against the strict Kubernetes %s schemas',
    (version) => {
      const schemas = kubernetesSchemas(version);
      const objects = manifests(file);
      expect(objects.length).toBeGreaterThan(20);
      expect(objects.flatMap((object) => schemas.validate(object))).toEqual([]);
    },
  );

  it('deploys exactly the five services, each with a Service, a ServiceAccount and a PodDisruptionBudget', () => {
    const objects = manifests(file);
    const names = (kind: string): string[] =>
      objects
        .filter(
          (object) =>
            object.kind === kind && object.metadata.annotations?.['helm.sh/hook'] === undefined,
        )
        .map((object) => object.metadata.name)
        .sort();
    const expected = appNames.map(componentName).sort();
    expect(names('Deployment')).toEqual(expected);
    expect(names('Service')).toEqual(expected);
    expect(names('ServiceAccount')).toEqual(expected);
    expect(names('PodDisruptionBudget')).toEqual(expected);
    // Each service's, and the audit verification CronJob's.
    expect(names('NetworkPolicy')).toEqual([...expected, componentName('audit-verify')].sort());
  });

  it('renders no Secret: credentials come only from existing Secrets', () => {
    const objects = manifests(file);
    expect(objects.filter((object) => object.kind === 'Secret').map(objectId)).toEqual([]);
    const secretLike = /PASSWORD|SECRET|DATABASE_URL|TOKEN|KEY$/;
    const pods = [
      ...ofKind<IDeployment>(objects, 'Deployment').map((object) => object.spec?.template),
      ...ofKind<IJob>(objects, 'Job').map((object) => object.spec?.template),
      ...ofKind<ICronJob>(objects, 'CronJob').map(
        (object) => object.spec?.jobTemplate.spec?.template,
      ),
    ];
    expect(pods.length).toBeGreaterThan(appNames.length);
    for (const pod of pods) {
      for (const container of pod?.spec?.containers ?? []) {
        for (const variable of container.env ?? []) {
          if (!secretLike.test(variable.name)) continue;
          expect({ name: variable.name, value: variable.value }).toEqual({
            name: variable.name,
            value: undefined,
          });
          expect(variable.valueFrom?.secretKeyRef?.name).toMatch(/\S/);
        }
      }
    }
  });

  describe.each(appNames)('%s Deployment', (app) => {
    const deployment = (): IDeployment =>
      named(ofKind<IDeployment>(manifests(file), 'Deployment'), componentName(app));

    it('runs as non-root with a read-only root filesystem, no capabilities and the runtime seccomp profile', () => {
      const pod = deployment().spec?.template.spec;
      expect(pod?.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod?.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod?.automountServiceAccountToken).toBe(false);
      expect(pod?.serviceAccountName).toBe(componentName(app));
      for (const container of pod?.containers ?? []) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.securityContext?.capabilities?.add).toBeUndefined();
      }
      // A read-only root still needs a writable /tmp.
      expect(appContainer(deployment()).volumeMounts).toContainEqual(
        expect.objectContaining({ name: 'tmp', mountPath: '/tmp' }),
      );
    });

    it('runs the built app on its designed port, listening on the pod address', () => {
      const container = appContainer(deployment());
      expect(container.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
      expect(container.ports).toEqual([
        { name: 'http', containerPort: design[app].port, protocol: 'TCP' },
      ]);
      const env = envOf(container);
      expect(env.get('PORT')?.value).toBe(String(design[app].port));
      expect(env.get('HTTP_HOST')?.value).toBe('0.0.0.0');
    });

    it('probes /health/live and /health/ready on the HTTP port', () => {
      const container = appContainer(deployment());
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    });

    it('has CPU and memory requests and limits', () => {
      const resources = appContainer(deployment()).resources;
      for (const bound of [resources?.requests, resources?.limits]) {
        expect(bound?.['cpu']).toBeDefined();
        expect(bound?.['memory']).toBeDefined();
      }
    });

    it('drains before it stops and gives a consumer time to commit', () => {
      const pod = deployment().spec?.template.spec;
      const preStop = appContainer(deployment()).lifecycle?.preStop?.exec?.command ?? [];
      expect(preStop[0]).toBe('sleep');
      const drainSeconds = Number(preStop[1]);
      expect(drainSeconds).toBeGreaterThan(0);
      // After the drain, SIGTERM: the consumer finishes its batch within the 30 s session timeout.
      expect(pod?.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(45);
      expect(pod?.terminationGracePeriodSeconds ?? 0).toBeGreaterThan(drainSeconds + 30);
    });

    it('reads its database from its own Secret and leaves migrations to the hook', () => {
      const env = envOf(appContainer(deployment()));
      if (design[app].database) {
        expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef?.name).toMatch(/\S/);
        expect(env.get('DATABASE_MIGRATIONS_RUN')?.value).toBe('false');
      } else {
        expect(env.has('DATABASE_URL')).toBe(false);
      }
    });

    it('gets Kafka, the registry and the patient key; auth settings only with an API', () => {
      const env = envOf(appContainer(deployment()));
      expect(env.get('KAFKA_BROKERS')?.value).toMatch(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/);
      expect(env.get('SCHEMA_REGISTRY_URL')?.value).toMatch(/^https?:\/\//);
      expect(env.get('PATIENT_KEY_SECRET')?.valueFrom?.secretKeyRef?.name).toMatch(/\S/);
      expect(env.has('AUTH_ISSUER')).toBe(design[app].api);
      expect(env.get('AUTH_CLOCK_TOLERANCE_SECONDS')?.value).toBe(
        design[app].api ? '5' : undefined,
      );
      expect(env.has('AUTH_JWKS_URL') || env.has('AUTH_JWKS_FILE')).toBe(design[app].api);
    });

    it('gets the audit checkpoint secret from its Secret when it is audit, and only then', () => {
      const env = envOf(appContainer(deployment()));
      expect(env.get('AUDIT_CHECKPOINT_SECRET')?.valueFrom?.secretKeyRef?.name).toBe(
        app === 'audit' ? 'knutepunkt-audit-checkpoint' : undefined,
      );
    });
  });

  describe.each(appNames)('%s NetworkPolicy', (app) => {
    const policy = (): INetworkPolicy =>
      named(ofKind<INetworkPolicy>(manifests(file), 'NetworkPolicy'), componentName(app));

    it('selects only its own pods and restricts both directions', () => {
      expect(policy().spec?.podSelector.matchLabels).toMatchObject({
        'app.kubernetes.io/component': app,
        'app.kubernetes.io/instance': releaseName,
      });
      expect(policy().spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    });

    it('may reach DNS, Kafka and the registry; PostgreSQL only with a schema; the JWKS only with an API', () => {
      const { kafka, registry, jwksByUrl } = externalPorts[file];
      const expected = ['UDP/53', 'TCP/53', `TCP/${String(kafka)}`, `TCP/${String(registry)}`];
      if (design[app].database) expected.push(`TCP/${String(postgresPort)}`);
      if (design[app].api && jwksByUrl) expected.push('TCP/443');
      expect([...egressPorts(policy())].sort()).toEqual([...new Set(expected)].sort());
      const toInternet = (policy().spec?.egress ?? []).some((rule) =>
        (rule.to ?? []).some((peer) => peer.ipBlock?.cidr === '0.0.0.0/0'),
      );
      expect(toInternet).toBe(design[app].api && jwksByUrl);
    });

    it('admits the ingress controller only to the public APIs, and Prometheus to every HTTP port', () => {
      const sources = (policy().spec?.ingress ?? []).map((rule) =>
        (rule.from ?? []).map(
          (peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'],
        ),
      );
      const ingressOn = file !== 'ci/minimal-values.yaml';
      expect(sources.flat().includes('ingress-nginx')).toBe(ingressOn && publicApis.includes(app));
      expect(sources.flat()).toContain('monitoring');
      for (const rule of policy().spec?.ingress ?? []) {
        expect(rule.ports).toEqual([{ protocol: 'TCP', port: 'http' }]);
      }
    });
  });

  it('runs topics, schemas and one migration per schema as pre-install/pre-upgrade hooks', () => {
    const jobs = ofKind<IJob>(manifests(file), 'Job');
    const commands = new Map(
      jobs.map((job) => [job.metadata?.name, job.spec?.template.spec?.containers[0]?.command]),
    );
    const withSchema = appNames.filter((app) => design[app].database);
    expect([...commands.keys()].sort()).toEqual(
      [
        componentName('hook-topics'),
        componentName('hook-schemas'),
        ...withSchema.map((app) => componentName(`hook-migrate-${app}`)),
      ].sort(),
    );
    expect(commands.get(componentName('hook-topics'))).toEqual([
      'node',
      'dist/tools/catalog/src/main.js',
      'topics',
    ]);
    expect(commands.get(componentName('hook-schemas'))).toEqual([
      'node',
      'dist/tools/catalog/src/main.js',
      'schemas',
    ]);
    for (const app of withSchema) {
      expect(commands.get(componentName(`hook-migrate-${app}`))).toEqual([
        'node',
        `dist/apps/${app}/src/main.js`,
        'migrate',
      ]);
    }
    for (const job of jobs) {
      expect(job.metadata?.annotations).toMatchObject({
        'helm.sh/hook': 'pre-install,pre-upgrade',
        'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
      });
      expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
      expect(job.spec?.template.spec?.containers[0]?.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('creates the hooks ServiceAccount and NetworkPolicies as hooks before the Jobs run', () => {
    const objects = manifests(file);
    const weight = (object: KubernetesObject): number =>
      Number(object.metadata.annotations?.['helm.sh/hook-weight']);
    const jobs = objects.filter((object) => object.kind === 'Job');
    const support = objects.filter(
      (object) =>
        object.kind !== 'Job' && object.metadata.annotations?.['helm.sh/hook'] !== undefined,
    );
    expect(support.map(objectId).sort()).toEqual(
      [
        `ServiceAccount/${componentName('hooks')}`,
        ...jobs.map((job) => `NetworkPolicy/${job.metadata.name}`),
      ].sort(),
    );
    const lastSupport = Math.max(...support.map(weight));
    for (const job of jobs) expect(weight(job)).toBeGreaterThan(lastSupport);
    // A migration Job reaches PostgreSQL and nothing else but DNS.
    const migrate = named(
      ofKind<INetworkPolicy>(objects, 'NetworkPolicy'),
      componentName('hook-migrate-consent'),
    );
    expect([...egressPorts(migrate)].sort()).toEqual(['TCP/53', 'TCP/5432', 'UDP/53']);
  });
});

describe.each(ciValuesFiles)('the audit chain verification with %s', (file) => {
  const objects = (): KubernetesObject[] => manifests(file);
  const cronJob = (): ICronJob =>
    named(ofKind<ICronJob>(objects(), 'CronJob'), componentName('audit-verify'));
  const jobSpec = (): NonNullable<NonNullable<ICronJob['spec']>['jobTemplate']['spec']> => {
    const spec = cronJob().spec?.jobTemplate.spec;
    if (!spec) throw new Error('the CronJob has no job template');
    return spec;
  };
  const container = (): IContainer => {
    const found = jobSpec().template.spec?.containers[0];
    if (!found) throw new Error('the CronJob has no container');
    return found;
  };
  const audit = (): IDeployment =>
    named(ofKind<IDeployment>(objects(), 'Deployment'), componentName('audit'));

  it('is a CronJob, not a hook, running audit’s verify command from the services’ image, one run at a time', () => {
    expect(cronJob().metadata?.annotations?.['helm.sh/hook']).toBeUndefined();
    expect(cronJob().spec).toMatchObject({ schedule: '23 2 * * *', concurrencyPolicy: 'Forbid' });
    expect(container().command).toEqual(['node', 'dist/apps/audit/src/main.js', 'verify']);
    const auditContainer = appContainer(audit());
    expect(container().image).toBe(auditContainer.image);
    expect(container().workingDir).toBe(auditContainer.workingDir);
    expect(jobSpec().template.spec?.restartPolicy).toBe('Never');
  });

  it('fails the Job at once on a broken chain (exit 1) and retries only a check that could not run', () => {
    expect(jobSpec().podFailurePolicy?.rules).toEqual([
      {
        action: 'FailJob',
        onExitCodes: { containerName: container().name, operator: 'In', values: [1] },
      },
    ]);
    expect(jobSpec().backoffLimit).toBeGreaterThan(0);
    expect(jobSpec().activeDeadlineSeconds).toBeGreaterThan(0);
    // A failed Job stays, with its log, for kubectl and kube-state-metrics.
    expect(cronJob().spec?.failedJobsHistoryLimit).toBeGreaterThan(0);
  });

  it('has the audit Deployment’s security contexts, resources, ServiceAccount and /tmp', () => {
    const pod = jobSpec().template.spec;
    const auditPod = audit().spec?.template.spec;
    expect(pod?.securityContext).toEqual(auditPod?.securityContext);
    expect(pod?.serviceAccountName).toBe(componentName('audit'));
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(container().securityContext).toEqual(appContainer(audit()).securityContext);
    expect(container().resources).toEqual(appContainer(audit()).resources);
    expect(container().volumeMounts).toEqual(
      appContainer(audit()).volumeMounts?.filter((mount) => mount.name !== 'jwks'),
    );
  });

  it('gets audit’s database and checkpoint Secrets, and nothing of Kafka, the registry, the patient key or tokens', () => {
    const env = envOf(container());
    const auditEnv = envOf(appContainer(audit()));
    for (const name of ['DATABASE_URL', 'AUDIT_CHECKPOINT_SECRET', 'KNUTEPUNKT_ENV', 'LOG_LEVEL']) {
      expect(env.get(name)).toEqual(auditEnv.get(name));
      expect(env.get(name)).toBeDefined();
    }
    expect(env.get('NODE_EXTRA_CA_CERTS')).toEqual(auditEnv.get('NODE_EXTRA_CA_CERTS'));
    const others = [...env.keys()].filter((name) => !auditEnv.has(name));
    expect(others).toEqual([]);
    expect(
      [...env.keys()].filter((name) => /^(KAFKA|SCHEMA_REGISTRY|AUTH|PATIENT_KEY)_/.test(name)),
    ).toEqual([]);
  });

  it('may reach PostgreSQL (where audit does) and DNS, and nothing may reach it', () => {
    const policy = named(
      ofKind<INetworkPolicy>(objects(), 'NetworkPolicy'),
      componentName('audit-verify'),
    );
    const podLabels = jobSpec().template.metadata?.labels ?? {};
    expect(policy.spec?.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'knutepunkt',
      'app.kubernetes.io/instance': releaseName,
      'app.kubernetes.io/component': 'audit-verify',
    });
    expect(podLabels).toMatchObject(policy.spec?.podSelector.matchLabels ?? { none: 'x' });
    // Not one of audit's pods: not behind its Service, not in its PodDisruptionBudget or policy.
    const auditSelector = audit().spec?.selector.matchLabels ?? {};
    expect(Object.entries(auditSelector).every(([key, value]) => podLabels[key] === value)).toBe(
      false,
    );
    expect(policy.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec?.ingress).toEqual([]);
    expect([...egressPorts(policy)].sort()).toEqual([
      'TCP/53',
      `TCP/${String(postgresPort)}`,
      'UDP/53',
    ]);
    const toPostgres = (p: INetworkPolicy) =>
      p.spec?.egress?.find((rule) => rule.ports?.some((port) => port.port === postgresPort));
    const auditPolicy = named(
      ofKind<INetworkPolicy>(objects(), 'NetworkPolicy'),
      componentName('audit'),
    );
    expect(toPostgres(policy)).toEqual(toPostgres(auditPolicy));
  });
});

describe('the audit chain verification’s values', () => {
  const kinds = (set: readonly string[]): string[] =>
    renderChart({ valuesFiles: ['ci/minimal-values.yaml'], set, releaseName })
      .filter((object) => object.metadata.name === componentName('audit-verify'))
      .map(objectId);

  it('is rendered only with audit, and can be turned off', () => {
    expect(kinds([]).sort()).toEqual([
      `CronJob/${componentName('audit-verify')}`,
      `NetworkPolicy/${componentName('audit-verify')}`,
    ]);
    expect(kinds(['auditVerify.enabled=false'])).toEqual([]);
    expect(kinds(['services.audit.enabled=false'])).toEqual([]);
    expect(kinds(['networkPolicy.enabled=false'])).toEqual([
      `CronJob/${componentName('audit-verify')}`,
    ]);
  });

  it('takes its schedule, time zone and own resources from the values', () => {
    const objects = renderChart({
      valuesFiles: ['ci/minimal-values.yaml'],
      set: [
        'auditVerify.schedule=0 */6 * * *',
        'auditVerify.timeZone=Europe/Oslo',
        'auditVerify.resources.requests.cpu=500m',
        'auditVerify.resources.requests.memory=1Gi',
        'auditVerify.resources.limits.cpu=1500m',
        'auditVerify.resources.limits.memory=1Gi',
      ],
      releaseName,
    });
    const [cronJob] = ofKind<ICronJob>(objects, 'CronJob');
    expect(cronJob?.spec).toMatchObject({ schedule: '0 */6 * * *', timeZone: 'Europe/Oslo' });
    expect(cronJob?.spec?.jobTemplate.spec?.template.spec?.containers[0]?.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '1500m', memory: '1Gi' },
    });
    const schemas = kubernetesSchemas(readToolVersions().kubernetesSchemaVersions[0] ?? 'v1.29.0');
    expect(objects.flatMap((object) => schemas.validate(object))).toEqual([]);
  });

  it('may read the chain through its own database Secret, e.g. a SELECT-only role', () => {
    const objects = renderChart({
      valuesFiles: ['ci/minimal-values.yaml'],
      set: ['auditVerify.database.existingSecret=knutepunkt-audit-reader-db'],
      releaseName,
    });
    const [cronJob] = ofKind<ICronJob>(objects, 'CronJob');
    const container = cronJob?.spec?.jobTemplate.spec?.template.spec?.containers[0];
    expect(container && envOf(container).get('DATABASE_URL')).toEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'knutepunkt-audit-reader-db', key: 'url' } },
    });
  });

  it('rejects a schedule that is not five cron fields, and a misspelt key', () => {
    for (const set of [['auditVerify.schedule=daily'], ['auditVerify.schedul=@daily']]) {
      const result = helmTemplate({ valuesFiles: ['ci/minimal-values.yaml'], set });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/auditVerify/);
    }
  });
});

describe('the Ingress', () => {
  it('serves the ingest API and the EPJ read API over TLS, each on its own host', () => {
    const ingresses = ofKind<IIngress>(manifests('ci/strimzi-values.yaml'), 'Ingress');
    expect(ingresses.map((ingress) => ingress.metadata?.name).sort()).toEqual(
      publicApis.map(componentName).sort(),
    );
    for (const ingress of ingresses) {
      const rule = ingress.spec?.rules?.[0];
      expect(ingress.spec?.tls?.[0]?.hosts).toEqual([rule?.host]);
      expect(ingress.spec?.tls?.[0]?.secretName).toMatch(/\S/);
      expect(rule?.http?.paths[0]?.backend.service).toEqual({
        name: ingress.metadata?.name,
        port: { name: 'http' },
      });
    }
    const ingest = named(ingresses, componentName('ingest'));
    // Chart-wide annotations and the API's own are merged.
    expect(ingest.metadata?.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'nginx.ingress.kubernetes.io/proxy-body-size': '2m',
    });
  });

  it('refuses an exposed API without a TLS certificate', () => {
    const result = helmTemplate({
      valuesFiles: ['ci/strimzi-values.yaml'],
      set: ['ingress.apis.ingest.tlsSecretName='],
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ingress.apis.ingest.tlsSecretName is required');
  });
});

describe('autoscaling', () => {
  it('uses CPU HorizontalPodAutoscalers without KEDA, and drops the fixed replica count', () => {
    const objects = renderChart({
      valuesFiles: ['ci/minimal-values.yaml'],
      set: ['services.normalizer.autoscaling.enabled=true'],
      releaseName,
    });
    const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    expect(hpas.map((hpa) => hpa.metadata?.name)).toEqual([componentName('normalizer')]);
    expect(hpas[0]?.spec?.metrics?.[0]?.resource).toEqual({
      name: 'cpu',
      target: { type: 'Utilization', averageUtilization: 70 },
    });
    const deployment = named(
      ofKind<IDeployment>(objects, 'Deployment'),
      componentName('normalizer'),
    );
    expect(deployment.spec?.replicas).toBeUndefined();
  });

  it('with KEDA, scales on CPU and the consumer group lag instead, with no HorizontalPodAutoscaler', () => {
    const objects = manifests('ci/managed-values.yaml');
    expect(objects.filter((object) => object.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    const scaled = ofKind<IScaledObject>(objects, 'ScaledObject');
    expect(scaled.map((object) => object.metadata?.name).sort()).toEqual(
      ['ingest', 'normalizer', 'consent', 'journal-writer'].map(componentName).sort(),
    );
    for (const object of scaled) {
      const app = object.spec.scaleTargetRef.name.replace(`${releaseName}-`, '');
      const kafka = object.spec.triggers.find((trigger) => trigger.type === 'kafka');
      expect(kafka?.metadata).toMatchObject({
        consumerGroup: `knutepunkt-${app}`,
        sasl: 'scram_sha512',
        tls: 'enable',
      });
      expect(kafka?.authenticationRef?.name).toBe(componentName('kafka'));
      expect(object.spec.triggers.map((trigger) => trigger.type)).toContain('cpu');
    }
    const auth = objects.find((object) => object.kind === 'TriggerAuthentication');
    expect(auth?.['spec']).toEqual({
      secretTargetRef: [
        { parameter: 'username', name: 'knutepunkt-kafka-credentials', key: 'username' },
        { parameter: 'password', name: 'knutepunkt-kafka-credentials', key: 'password' },
      ],
    });
  });
  it('with KEDA on Strimzi, reads the literal SASL user from the Deployment and trusts the cluster CA', () => {
    const objects = renderChart({
      valuesFiles: ['ci/strimzi-values.yaml'],
      set: ['keda.enabled=true', 'services.consent.autoscaling.enabled=true'],
      releaseName,
    });
    const auth = objects.filter((object) => object.kind === 'TriggerAuthentication');
    expect(auth.map((object) => object['spec'])).toEqual([
      {
        env: [{ parameter: 'username', name: 'KAFKA_SASL_USERNAME' }],
        secretTargetRef: [
          { parameter: 'password', name: 'knutepunkt-kafka-user', key: 'password' },
          { parameter: 'ca', name: 'knutepunkt-cluster-ca-cert', key: 'ca.crt' },
        ],
      },
    ]);
    const schemas = kubernetesSchemas(readToolVersions().kubernetesSchemaVersions[0] ?? 'v1.29.0');
    expect(objects.flatMap((object) => schemas.validate(object))).toEqual([]);
  });
});

describe('monitoring', () => {
  /** The rules of deploy/prometheus/ (the source the chart's copy is made from). */
  interface SourceRule {
    readonly alert?: string;
    readonly record?: string;
    readonly expr: string;
    readonly for?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  }
  const source = parseYaml(
    readFileSync(path.join(repoRoot, 'deploy/prometheus/rules/knutepunkt.rules.yaml'), 'utf8'),
  ) as { groups: { name: string; rules: SourceRule[] }[] };
  const rulesOf = (objects: readonly KubernetesObject[]): SourceRule[] => {
    const [rule] = ofKind<IPrometheusRule>(objects, 'PrometheusRule');
    return (rule?.spec.groups ?? []).flatMap((group) => group.rules ?? []) as SourceRule[];
  };

  it('renders the rules of deploy/prometheus/, scoped to the release, with the runbook base', () => {
    const objects = manifests('ci/managed-values.yaml');
    const [rule] = ofKind<IPrometheusRule>(objects, 'PrometheusRule');
    expect(rule?.spec.groups?.map((group) => group.name)).toEqual(
      source.groups.map((group) => group.name),
    );
    const rendered = rulesOf(objects);
    const expected = source.groups.flatMap((group) => group.rules);
    expect(rendered.map((r) => r.alert ?? r.record)).toEqual(
      expected.map((r) => r.alert ?? r.record),
    );
    rendered.forEach((r, index) => {
      const original = expected[index]!;
      // Only `up{job=…}` gains the release namespace; every other expression is the source's.
      expect(r.expr).toBe(original.expr.replaceAll('up{job=', 'up{namespace="knutepunkt", job='));
      expect(r.labels).toEqual(original.labels);
      if (r.alert) {
        expect(r.annotations?.['runbook_url']).toBe(
          `https://runbooks.knutepunkt.example.net/${r.alert}.md`,
        );
        expect(r.labels?.['severity']).toMatch(/^(critical|warning)$/);
      }
    });
    for (const app of appNames) {
      const down = rendered.find(
        (r) => r.alert === 'KnutepunktServiceDown' && r.labels?.['app'] === app,
      );
      expect(down?.expr).toContain(`up{namespace="knutepunkt", job="${app}"}`);
      expect(down?.for).toBe('5m');
    }
    const dlq = rendered.find((r) => r.alert === 'KnutepunktDLQNotEmpty');
    expect(dlq?.expr).toContain(
      '{__name__=~"knutepunkt_.+_kafka_messages_failed_total", outcome=~"dead_lettered|undecodable"}',
    );
    const monitor = objects.find((object) => object.kind === 'ServiceMonitor');
    // The alerts select `job=<app>`: the ServiceMonitor must name jobs after the component.
    expect(monitor?.['spec']).toMatchObject({
      jobLabel: 'app.kubernetes.io/component',
      endpoints: [{ port: 'http', path: '/metrics' }],
    });
  });

  it('leaves out the down alert of a service the release does not deploy', () => {
    const objects = renderChart({
      valuesFiles: ['ci/managed-values.yaml'],
      set: ['services.audit.enabled=false', 'prometheusRule.serviceDownFor=10m'],
      releaseName,
    });
    const down = rulesOf(objects).filter((r) => r.alert === 'KnutepunktServiceDown');
    expect(down.map((r) => r.labels?.['app'])).toEqual(appNames.filter((app) => app !== 'audit'));
    expect(down.map((r) => r.for)).toEqual(down.map(() => '10m'));
  });

  it('keeps the repository runbook paths when no runbook base is set', () => {
    const objects = renderChart({
      valuesFiles: ['ci/minimal-values.yaml'],
      set: ['prometheusRule.enabled=true'],
      releaseName,
    });
    const alerts = rulesOf(objects).filter((r) => r.alert);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      expect(alert.annotations?.['runbook_url']).toBe(`docs/runbooks/${String(alert.alert)}.md`);
    }
  });

  it('renders no ServiceMonitor or PrometheusRule unless asked', () => {
    const kinds = manifests('ci/minimal-values.yaml').map((object) => object.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
  });

  it('turns each dashboard of deploy/grafana/dashboards/ into a ConfigMap for the Grafana sidecar', () => {
    const dashboardsDir = path.join(repoRoot, 'deploy/grafana/dashboards');
    const files = readdirSync(dashboardsDir).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const maps = ofKind<IConfigMap>(manifests('ci/minimal-values.yaml'), 'ConfigMap');
    expect(maps.map((map) => map.metadata?.name).sort()).toEqual(
      files.map((file) => componentName(`dashboard-${file.replace(/\.json$/, '')}`)).sort(),
    );
    for (const file of files) {
      const map = maps.find((m) => m.data?.[file] !== undefined);
      expect(map?.metadata?.labels?.['grafana_dashboard']).toBe('1');
      // The chart's copy is the committed dashboard (tools/ops checks the copy is current).
      expect(map?.data?.[file]).toBe(
        readFileSync(path.join(dashboardsDir, file), 'utf8').trimEnd(),
      );
    }
    const off = renderChart({
      valuesFiles: ['ci/minimal-values.yaml'],
      set: ['dashboards.enabled=false'],
      releaseName,
    });
    expect(off.map((object) => object.kind)).not.toContain('ConfigMap');
  });

  it('names a dashboard ConfigMap after its file', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'knutepunkt-chart-'));
    try {
      const chart = path.join(copy, 'knutepunkt');
      cpSync(chartDir, chart, { recursive: true });
      const dashboards = path.join(chart, 'dashboards');
      for (const name of readdirSync(dashboards)) {
        if (name.endsWith('.json')) rmSync(path.join(dashboards, name));
      }
      const dashboard = JSON.stringify({ title: 'Knutepunkt overview', panels: [] });
      writeFileSync(path.join(dashboards, 'Knutepunkt Overview.json'), dashboard);
      const objects = renderChart({ chart, valuesFiles: ['ci/minimal-values.yaml'], releaseName });
      const maps = ofKind<IConfigMap>(objects, 'ConfigMap');
      expect(maps.map((map) => map.metadata?.name)).toEqual([
        componentName('dashboard-knutepunkt-overview'),
      ]);
      expect(maps[0]?.data).toEqual({ 'Knutepunkt Overview.json': dashboard });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('values.schema.json', () => {
  const failure = (set: readonly string[]): string => {
    const result = helmTemplate({ valuesFiles: ['ci/minimal-values.yaml'], set });
    expect(result.status).not.toBe(0);
    return result.stderr;
  };

  it('rejects an unknown top-level value', () => {
    expect(failure(['typo=1'])).toMatch(/additional properties 'typo' not allowed/);
  });

  it('rejects a misspelt nested value', () => {
    expect(failure(['services.ingest.replicas=3'])).toMatch(
      /services\/ingest.*additional properties 'replicas' not allowed/,
    );
    expect(failure(['kafka.sasl.mechanizm=plain'])).toMatch(/'mechanizm' not allowed/);
  });

  it('rejects a database for the normalizer, which owns no schema', () => {
    expect(failure(['services.normalizer.database.existingSecret=x'])).toMatch(
      /services\/normalizer.*'database' not allowed/,
    );
  });

  it('rejects a value of the wrong type or outside its enum', () => {
    expect(failure(['environment=staging'])).toMatch(/environment/);
    expect(failure(['services.ingest.port=70000'])).toMatch(/port/);
  });

  it('names what is missing when a required setting is absent', () => {
    expect(failure(['services.consent.database.existingSecret='])).toContain(
      'services.consent.database.existingSecret is required',
    );
    expect(failure(['patientKey.existingSecret='])).toContain(
      'patientKey.existingSecret is required',
    );
    expect(failure(['auth.issuer='])).toContain('auth.issuer is required');
    expect(failure(['auditCheckpoint.existingSecret='])).toContain(
      'auditCheckpoint.existingSecret is required',
    );
  });

  it('wants exactly one JWKS source, and https in production, as the services do at boot', () => {
    expect(failure(['auth.jwks.existingSecret=jwks'])).toContain(
      'auth.jwksUrl and auth.jwks.existingSecret: set one, not both',
    );
    expect(failure(['auth.jwksUrl='])).toContain(
      'auth.jwksUrl or auth.jwks.existingSecret is required',
    );
    expect(failure(['auth.jwksUrl=http://issuer.example/jwks'])).toContain(
      'auth.jwksUrl must be https in production',
    );
  });
});
