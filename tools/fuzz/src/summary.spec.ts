import {
  formatSummary,
  hasServerError,
  publishedVerdict,
  summarize,
  type HarLog,
  type SchemathesisEvent,
  type SchemathesisRunReport,
} from './summary';

const report: SchemathesisRunReport = {
  exit_code: 0,
  stop_reason: 'completed',
  running_time: 12.5,
  operations: { total: 13, selected: 13, tested: 12, errored: 1, skipped: 0 },
  test_cases: { generated: 3, with_failures: 0 },
  errors: [],
};

const outcome = {
  headers: [{ name: 'content-type', value: 'application/fhir+json; charset=utf-8' }],
  content: { text: '{"resourceType":"OperationOutcome","issue":[]}' },
};

function entry(
  status: number,
  body?: string,
  response: Omit<HarLog['log']['entries'][number]['response'], 'status'> = outcome,
): HarLog['log']['entries'][number] {
  return {
    startedDateTime: '2026-11-29T00:00:00.000Z',
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:1/fhir/921234562/Observation',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      ...(body === undefined ? {} : { postData: { text: body } }),
    },
    response: { status, ...response },
  };
}

function scenario(
  cases: Record<string, readonly [name: string, failedIn?: string][]>,
): SchemathesisEvent {
  const checks = Object.fromEntries(
    Object.entries(cases).map(([id, verdicts]) => [
      id,
      verdicts.map(([name, failedIn]) =>
        failedIn === undefined
          ? { name, status: 'success' }
          : { name, status: 'failure', failure_info: { failure: { operation: failedIn } } },
      ),
    ]),
  );
  return { ScenarioFinished: { recorder: { checks } } };
}

const checks = ['not_a_server_error', 'status_code_conformance'];
const noRequests: HarLog = { log: { entries: [] } };

describe('the fuzz summary', () => {
  it('counts requests by status and operations as Schemathesis reports them', () => {
    const har = { log: { entries: [entry(202), entry(400), entry(400)] } };
    const summary = summarize(report, [], har, 30);
    expect(summary.requests).toBe(3);
    expect([...summary.byStatus]).toEqual([
      [202, 1],
      [400, 2],
    ]);
    expect(summary.operations).toEqual({ total: 13, tested: 12, errored: 1 });
    expect(hasServerError(summary)).toBe(false);
    expect(formatSummary(summary, checks)).toContain('requests sent      3  (202×1 400×2)');
  });

  it('flags every 5xx with the request that caused it, its body cut short', () => {
    const har = { log: { entries: [entry(500, 'x'.repeat(5000)), entry(503)] } };
    const summary = summarize(report, [], har, 30);
    expect(hasServerError(summary)).toBe(true);
    expect(summary.serverErrors).toHaveLength(2);
    expect(summary.serverErrors[0]?.contentType).toBe('application/json');
    expect(summary.serverErrors[0]?.body).toMatch(/… \(5000 characters\)$/);
    expect(formatSummary(summary, checks)).toContain(
      '500 at 2026-11-29T00:00:00.000Z: POST http://127.0.0.1:1/fhir/921234562/Observation',
    );
  });

  it('counts the 4xx answers that are not an OperationOutcome, by status', () => {
    const fastify = {
      headers: [{ name: 'content-type', value: 'application/json' }],
      content: { text: '{"code":"FST_ERR_MAX_PARAM_LENGTH"}' },
    };
    const har = {
      log: {
        entries: [entry(400), entry(414, undefined, fastify), entry(400, undefined, fastify)],
      },
    };
    const summary = summarize(report, [], har, 30);
    expect([...summary.notOperationOutcome]).toEqual([
      [414, 1],
      [400, 1],
    ]);
    expect(formatSummary(summary, checks)).toContain(
      '4xx not an OperationOutcome 2  (400×1 414×1)',
    );
  });

  it("tallies each check's verdicts over all scenarios, with the operations that failed it", () => {
    const events: SchemathesisEvent[] = [
      scenario({
        a: [['not_a_server_error'], ['status_code_conformance', 'POST /a']],
        b: [['not_a_server_error'], ['status_code_conformance']],
      }),
      {},
      scenario({
        c: [
          ['not_a_server_error', 'POST /b'],
          ['status_code_conformance', 'POST /b'],
        ],
      }),
    ];
    const summary = summarize(report, events, noRequests, 30);
    expect(hasServerError(summary)).toBe(true);
    const text = formatSummary(summary, [...checks, 'response_schema_conformance']);
    expect(text).toMatch(/not_a_server_error\s+1 \/ 3 {2}in POST \/b\n/);
    expect(text).toMatch(/status_code_conformance\s+2 \/ 3 {2}in POST \/a, POST \/b\n/);
    expect(text).toMatch(/response_schema_conformance\s+0 \/ 0\n/);
  });
});

describe('what a fuzz run published', () => {
  it('passes when every 202 and nothing else reached the accepted topic', () => {
    expect(publishedVerdict(3, 3)).toEqual({
      ok: true,
      line: '  published on accepted 3 records for 3 answers 202',
    });
  });

  it('fails when a refused request was published or an accepted one was not', () => {
    expect(publishedVerdict(4, 3).ok).toBe(false);
    expect(publishedVerdict(2, 3).line).toContain('MISMATCH');
  });
});
