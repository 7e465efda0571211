/*
 * npm run fuzz -- [--max-examples 100] [--seed N] [--checks a,b|all]
 *
 * Schemathesis (PyPI, pinned in tools/fuzz/ensure-schemathesis.sh, installed into
 * .local/fuzz-venv on first use) against ingest's own OpenAPI description: starts the stack if
 * needed and ingest alone as a process (free port, the test database), onboards a fresh
 * municipality and vendor, then lets Schemathesis generate valid and invalid requests for every
 * operation in /docs/json. Prints operations, requests and failures per check; exits 1 when
 * ingest answered anything with a 5xx (its stack trace is in .local/logs/fuzz/ingest.log).
 * tools/fuzz/src/fuzz.int-spec.ts runs it short (25 examples per operation, a fixed seed) in
 * `npm test`; a longer run (the default 100, or more) takes minutes and explores differently
 * each time without `--seed`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { issueToken } from '@knutepunkt/auth/testing';
import { aVkpVitalSignObservation, vkpPatientIdentifier } from '@knutepunkt/fhir/testing';
import { ensureStack } from '@knutepunkt/devstack';
import { HubClient, Platform } from '@knutepunkt/platform';
import { readTopic } from '@knutepunkt/kafka/testing';
import { createSerde, Topics } from '@knutepunkt/schemas';
import { aFreshOrgnr } from '@knutepunkt/schemas/testing';
import { integrationEnv, uniqueName } from '@knutepunkt/testing';
import { declareMissingPathParameters, type OpenApiDocument } from './openapi';
import {
  formatSummary,
  hasServerError,
  publishedVerdict,
  summarize,
  type HarLog,
  type SchemathesisEvent,
  type SchemathesisRunReport,
} from './summary';

const root = join(__dirname, '..', '..', '..');
const here = join(root, 'tools', 'fuzz');
const workDir = join(root, '.local', 'fuzz');
const reportDir = join(workDir, 'report');
const logDir = join(root, '.local', 'logs', 'fuzz');
const schemathesis = join(root, '.local', 'fuzz-venv', 'bin', 'schemathesis');

/**
 * The default `--checks`: a 5xx, and whether each answer is one the description declares (status,
 * media type, headers, body schema). The description declares bodies only for refusals (the
 * OperationOutcome) and no response headers, so the conformance checks judge refusals alone.
 * Left off (`--checks all` shows them): `positive_data_acceptance` (the request body schemas are
 * `{ resourceType: string }`-loose, so nearly every "valid" body is a refusal), `unsupported_method`
 * (an undeclared method answers 404, not 405) and `negative_data_rejection` (a path segment outside
 * its enum, e.g. `$status`'s `{type}`, is not refused); they flag the description's looseness.
 */
const defaultChecks = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
] as const;

const adminScopes = 'knutepunkt:admin knutepunkt:consent.write knutepunkt:audit.read';
/** Outlives a run: Schemathesis has no way to fetch a new token midway. */
const tokenTtlSeconds = 3600;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'max-examples': { type: 'string', default: '100' },
      seed: { type: 'string' },
      checks: { type: 'string', default: defaultChecks.join(',') },
    },
  });
  const checks = values.checks.split(',');
  const started = Date.now();
  const installed = spawnSync('bash', [join(here, 'ensure-schemathesis.sh')], {
    stdio: 'inherit',
  });
  if (installed.status !== 0) throw new Error('tools/fuzz/ensure-schemathesis.sh failed');

  const stack = await ensureStack();
  mkdirSync(logDir, { recursive: true });
  const platform = await Platform.start({
    env: integrationEnv({
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
      DATABASE_URL: stack.testDatabaseUrl,
      LOG_LEVEL: 'warn',
    }),
    logDir,
    ports: 'free',
    only: ['ingest'],
  });
  try {
    const ingest = platform.url('ingest');
    const orgnr = aFreshOrgnr();
    const vendor = uniqueName('fuzz-vendor');
    const hub = new HubClient({ ingest });
    await hub.onboardMunicipality(orgnr, { name: 'Fuzz kommune' });
    // Its rate is far above what two workers send: a 429 would only hide what lies behind it.
    await hub.onboardVendor(vendor, orgnr, { name: 'Fuzz vendor' });
    // One real submission, so `$status` answers 200 for the right type rather than always 404.
    const submitted = await hub.submit(
      vendor,
      orgnr,
      'Observation',
      JSON.stringify(
        aVkpVitalSignObservation('heartRate', { patient: vkpPatientIdentifier(4242) }),
      ),
    );
    const submissionId = /\/Observation\/([^/]+)\/\$status$/.exec(submitted.location ?? '')?.[1];
    if (submitted.status !== 202 || submissionId === undefined) {
      throw new Error(`the seed submission answered ${String(submitted.status)}`);
    }

    const docsUrl = `${ingest}/docs/json`;
    const docs = await fetch(docsUrl);
    if (!docs.ok) throw new Error(`GET ${docsUrl} answered ${String(docs.status)}`);
    const { document, repaired } = declareMissingPathParameters(
      (await docs.json()) as OpenApiDocument,
    );
    for (const gap of repaired) {
      console.log(`fuzz: ingest's description does not declare ${gap}; declared it for this run`);
    }
    mkdirSync(workDir, { recursive: true });
    const description = join(workDir, 'openapi.json');
    writeFileSync(description, JSON.stringify(document, null, 2));
    // schemathesis.toml draws /devices/{orgnr}/{template} mostly from these.
    writeFileSync(
      join(workDir, 'device-templates.dict'),
      deviceTemplates()
        .map((name) => `"${name}"\n`)
        .join(''),
    );
    rmSync(reportDir, { recursive: true, force: true });

    const env = {
      ...process.env,
      FUZZ_ORGNR: orgnr,
      FUZZ_SUBMISSION_ID: submissionId,
      // orgnr_parent: JFT's /v1/{type} takes the municipality from it; /fhir/{orgnr} ignores it.
      FUZZ_VENDOR_TOKEN: await issueToken({
        sub: vendor,
        scope: 'knutepunkt:ingest.write',
        orgnrParent: orgnr,
        ttlSeconds: tokenTtlSeconds,
      }),
      // The admin PUTs land on a municipality and a client that nothing else uses.
      FUZZ_ADMIN_ORGNR: aFreshOrgnr(),
      FUZZ_ADMIN_CLIENT_ID: uniqueName('fuzz-admin-target'),
      FUZZ_ADMIN_TOKEN: await issueToken({
        sub: 'knutepunkt-dev-admin',
        scope: adminScopes,
        ttlSeconds: tokenTtlSeconds,
      }),
    };
    const args = [
      '--config-file',
      join(here, 'schemathesis.toml'),
      'run',
      // ingest's /docs/json, with the gaps Schemathesis cannot load declared (see above).
      description,
      '--url',
      ingest,
      '--checks',
      checks.join(','),
      '--max-examples',
      values['max-examples'],
      ...(values.seed === undefined ? [] : ['--seed', values.seed]),
      '--report-json-path',
      join(reportDir, 'report.json'),
      '--report-ndjson-path',
      join(reportDir, 'events.ndjson'),
      '--report-har-path',
      join(reportDir, 'requests.har'),
      '--no-color',
    ];
    console.log(
      `fuzz: ingest at ${ingest}, municipality ${orgnr}, vendor ${vendor}; ` +
        `${relative(root, schemathesis)} ${args.slice(2).join(' ')}`,
    );
    // Opened after the seed submission: from here on, only what the fuzzing got accepted.
    const accepted = await readTopic(stack.kafkaBrokers, Topics.accepted.name, { from: 'end' });
    const exit = await run(schemathesis, args, env);
    const report = JSON.parse(
      readFileSync(join(reportDir, 'report.json'), 'utf8'),
    ) as SchemathesisRunReport;
    const events = readFileSync(join(reportDir, 'events.ndjson'), 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as SchemathesisEvent);
    const har = JSON.parse(readFileSync(join(reportDir, 'requests.har'), 'utf8')) as HarLog;
    const summary = summarize(report, events, har, (Date.now() - started) / 1000);
    const shown = checks.includes('all') ? [...summary.checks.keys()] : checks;
    console.log(formatSummary(summary, shown));
    const published = await publishedFor(
      stack.schemaRegistryUrl,
      orgnr,
      accepted.messages,
      summary.byStatus.get(202) ?? 0,
    );
    await accepted.close();
    const verdict = publishedVerdict(published, summary.byStatus.get(202) ?? 0);
    console.log(verdict.line);
    console.log(
      `  reports in ${relative(root, reportDir)}, ingest's log in ${relative(root, join(logDir, 'ingest.log'))}`,
    );
    if (hasServerError(summary) || !verdict.ok) return 1;
    // Schemathesis' own verdict counts conformance failures too; only a crash of the run is ours.
    return exit === 0 || report.errors.length === 0 ? 0 : 2;
  } finally {
    await platform.stop();
  }
}

/**
 * The records on `accepted` for the fuzzed municipality: ingest answers 202 only after acks=all,
 * so they are all there when the run ends; the reader is given a few seconds to catch up.
 */
async function publishedFor(
  registryUrl: string,
  orgnr: string,
  messages: readonly { readonly value: Buffer | null }[],
  expected: number,
): Promise<number> {
  const serde = createSerde({ registryUrl });
  const count = async () => {
    const decoded = await Promise.all(
      messages.map((m) => serde.decode(Topics.accepted, m.value ?? Buffer.alloc(0))),
    );
    return decoded.filter((submission) => submission.orgnr === orgnr).length;
  };
  const until = Date.now() + 15_000;
  let published = await count();
  while (published < expected && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    published = await count();
  }
  return published;
}

/** The device templates ingest knows: apps/normalizer/templates/<template>.v<n>.json (ADR 0012). */
function deviceTemplates(): string[] {
  const names = readdirSync(join(root, 'apps', 'normalizer', 'templates'))
    .map((file) => /^(.+)\.v[0-9]+\.json$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].sort();
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(command, args, { cwd: workDir, env, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve(code ?? 1);
    });
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
