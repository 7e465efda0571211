/**
 * What `npm run fuzz` prints, from Schemathesis' reports: the JSON run report (operations, test
 * cases), the NDJSON event stream (each check's verdict on each test case: the JSON report only
 * names failure codes, and one code can come from several checks) and the HAR file (every request
 * and its status).
 */

/** The parts of Schemathesis' `--report json` document (schemathesis/cli/json_report.py) we read. */
export interface SchemathesisRunReport {
  readonly exit_code: number;
  readonly stop_reason: string;
  readonly running_time: number | null;
  readonly operations: {
    readonly total: number;
    readonly selected: number;
    readonly tested: number;
    readonly errored: number;
    readonly skipped: number;
  } | null;
  readonly test_cases: { readonly generated: number; readonly with_failures: number };
  readonly errors: readonly { readonly title: string; readonly count: number }[];
}

/** The parts of one line of `--report ndjson` we read: a scenario's check verdicts per test case. */
export interface SchemathesisEvent {
  readonly ScenarioFinished?: {
    readonly recorder: {
      readonly checks?: Readonly<
        Record<
          string,
          readonly {
            readonly name: string;
            readonly status: string;
            readonly failure_info?: { readonly failure: { readonly operation: string } } | null;
          }[]
        >
      >;
    };
  };
}

export interface CheckTally {
  /** Test cases the check judged. */
  readonly judged: number;
  readonly failed: number;
  readonly operations: ReadonlySet<string>;
}

/** The parts of a HAR 1.2 log (`--report har`) we read. */
export interface HarLog {
  readonly log: {
    readonly entries: readonly {
      readonly startedDateTime: string;
      readonly request: {
        readonly method: string;
        readonly url: string;
        readonly headers: readonly { readonly name: string; readonly value: string }[];
        readonly postData?: { readonly mimeType?: string; readonly text?: string };
      };
      readonly response: {
        readonly status: number;
        readonly headers?: readonly { readonly name: string; readonly value: string }[];
        readonly content?: { readonly mimeType?: string; readonly text?: string };
      };
    }[];
  };
}

export interface ServerError {
  readonly at: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string | undefined;
}

export interface FuzzSummary {
  readonly operations: {
    readonly total: number;
    readonly tested: number;
    readonly errored: number;
  };
  readonly testCases: number;
  readonly requests: number;
  readonly byStatus: ReadonlyMap<number, number>;
  readonly checks: ReadonlyMap<string, CheckTally>;
  readonly errors: readonly string[];
  readonly serverErrors: readonly ServerError[];
  /**
   * 4xx answers that are not a FHIR OperationOutcome (application/fhir+json), against DESIGN.md's
   * "errors over HTTP are OperationOutcome": e.g. what Fastify answers itself before Nest, by status.
   */
  readonly notOperationOutcome: ReadonlyMap<number, number>;
  readonly seconds: number;
}

const bodyShown = 2000;

export function summarize(
  report: SchemathesisRunReport,
  events: readonly SchemathesisEvent[],
  har: HarLog,
  seconds: number,
): FuzzSummary {
  const byStatus = new Map<number, number>();
  const serverErrors: ServerError[] = [];
  const notOperationOutcome = new Map<number, number>();
  for (const entry of har.log.entries) {
    const status = entry.response.status;
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    if (status >= 400 && status < 500 && !isOperationOutcome(entry.response)) {
      notOperationOutcome.set(status, (notOperationOutcome.get(status) ?? 0) + 1);
    }
    if (status >= 500) {
      const text = entry.request.postData?.text;
      serverErrors.push({
        at: entry.startedDateTime,
        method: entry.request.method,
        url: entry.request.url,
        status,
        contentType:
          entry.request.postData?.mimeType ??
          entry.request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value,
        body:
          text === undefined || text.length <= bodyShown
            ? text
            : `${text.slice(0, bodyShown)}… (${String(text.length)} characters)`,
      });
    }
  }
  const checks = new Map<string, { judged: number; failed: number; operations: Set<string> }>();
  for (const event of events) {
    for (const verdicts of Object.values(event.ScenarioFinished?.recorder.checks ?? {})) {
      for (const verdict of verdicts) {
        const tally = checks.get(verdict.name) ?? { judged: 0, failed: 0, operations: new Set() };
        tally.judged += 1;
        if (verdict.status === 'failure') {
          tally.failed += 1;
          const operation = verdict.failure_info?.failure.operation;
          if (operation !== undefined) tally.operations.add(operation);
        }
        checks.set(verdict.name, tally);
      }
    }
  }
  return {
    operations: {
      total: report.operations?.selected ?? 0,
      tested: report.operations?.tested ?? 0,
      errored: report.operations?.errored ?? 0,
    },
    testCases: report.test_cases.generated,
    requests: har.log.entries.length,
    byStatus,
    checks,
    errors: report.errors.map((e) => `${e.title} ×${String(e.count)}`),
    serverErrors,
    notOperationOutcome,
    seconds,
  };
}

function isOperationOutcome(response: HarLog['log']['entries'][number]['response']): boolean {
  const contentType =
    response.headers?.find((h) => h.name.toLowerCase() === 'content-type')?.value ??
    response.content?.mimeType ??
    '';
  return (
    contentType.startsWith('application/fhir+json') &&
    /"resourceType"\s*:\s*"OperationOutcome"/.test(response.content?.text ?? '')
  );
}

/** 5xx answers, whether or not Schemathesis kept the failure (it reports one per kind). */
export function hasServerError(summary: FuzzSummary): boolean {
  return (
    summary.serverErrors.length > 0 || (summary.checks.get('not_a_server_error')?.failed ?? 0) > 0
  );
}

export function formatSummary(summary: FuzzSummary, checks: readonly string[]): string {
  const lines = [
    '',
    `fuzz summary (${String(Math.round(summary.seconds))} s)`,
    `  operations fuzzed  ${String(summary.operations.tested)} of ${String(summary.operations.total)}` +
      (summary.operations.errored > 0 ? ` (${String(summary.operations.errored)} errored)` : ''),
    `  test cases         ${String(summary.testCases)}`,
    `  requests sent      ${String(summary.requests)}  (${tally(summary.byStatus)})`,
    '  failures by check (failed / test cases judged)',
    ...checks.map((check) => {
      const tally = summary.checks.get(check) ?? { judged: 0, failed: 0, operations: new Set() };
      const where = tally.failed === 0 ? '' : `  in ${[...tally.operations].join(', ')}`;
      return `    ${check.padEnd(30)} ${String(tally.failed)} / ${String(tally.judged)}${where}`;
    }),
    `  server errors (5xx) ${String(summary.serverErrors.length)}`,
    `  4xx not an OperationOutcome ${String(sum(summary.notOperationOutcome))}` +
      (summary.notOperationOutcome.size === 0 ? '' : `  (${tally(summary.notOperationOutcome)})`),
  ];
  if (summary.errors.length > 0) lines.push(`  run errors         ${summary.errors.join('; ')}`);
  for (const error of summary.serverErrors.slice(0, 10)) {
    lines.push(
      '',
      `  ${String(error.status)} at ${error.at}: ${error.method} ${error.url}`,
      `    content-type: ${error.contentType ?? '(none)'}`,
      `    body: ${error.body ?? '(none)'}`,
    );
  }
  return lines.join('\n');
}

function tally(byStatus: ReadonlyMap<number, number>): string {
  return [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${String(status)}×${String(count)}`)
    .join(' ');
}

function sum(byStatus: ReadonlyMap<number, number>): number {
  return [...byStatus.values()].reduce((a, b) => a + b, 0);
}

/**
 * Whether what reached `knutepunkt.accepted.v1` for the fuzzed municipality is exactly what ingest
 * answered 202 for: a refused request must publish nothing, and an accepted one must be durable.
 */
export function publishedVerdict(
  published: number,
  answeredAccepted: number,
): { readonly ok: boolean; readonly line: string } {
  const ok = published === answeredAccepted;
  return {
    ok,
    line:
      `  published on accepted ${String(published)} records for ${String(answeredAccepted)} answers 202` +
      (ok ? '' : '  MISMATCH: a refused request was published, or an accepted one was not'),
  };
}
