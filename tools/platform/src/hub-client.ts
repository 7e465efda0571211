import { issueToken } from '@knutepunkt/auth/testing';
import type { Platform } from './platform';

export interface HubUrls {
  readonly ingest: string;
  readonly consent: string;
  readonly journalWriter: string;
  readonly audit: string;
}

export interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface Submitted {
  readonly status: number;
  /** The `$status` URL path of an accepted submission (202, or 200 for a repeat). */
  readonly location: string | undefined;
  /** `Retry-After` of a 429 or 503. */
  readonly retryAfterSeconds: number | undefined;
  readonly body: unknown;
}

/** The `$status` body (apps/ingest/src/status/submission-status.ts). */
export interface SubmissionStatusBody {
  readonly submissionId: string;
  readonly registered: string;
  readonly normalized: string | null;
  readonly consented: string | null;
  readonly withheld: string | null;
  readonly delivered: string | null;
  readonly read: string | null;
  readonly journaled: string | null;
  readonly failed: string | null;
  readonly reason: string | null;
  readonly operationOutcomeCode: string | null;
}

export interface SearchsetBundle {
  readonly resourceType: 'Bundle';
  readonly link?: readonly { readonly relation: string; readonly url: string }[];
  readonly entry?: readonly {
    readonly resource: {
      readonly id: string;
      readonly resourceType: string;
      readonly subject?: {
        readonly identifier?: { readonly system: string; readonly value: string };
      };
      readonly title?: string;
      readonly meta?: { readonly tag?: readonly { readonly code: string }[] };
    };
  }[];
}

const adminScopes = 'knutepunkt:admin knutepunkt:consent.write knutepunkt:audit.read';
const tokenLifetimeMs = 240_000; // the local issuer's tokens live 300 s

/**
 * The hub as its users see it, over HTTP only: an operator onboarding, a municipality
 * registering patients, vendors submitting, EPJs reading and acknowledging, auditors verifying.
 * Tokens come from the local issuer (tools/token), so this runs against `npm start` and the
 * test platforms, never production.
 */
export class HubClient {
  private readonly tokens = new Map<string, { token: Promise<string>; until: number }>();

  /** Only the services a caller uses need a URL (a benchmark of ingest alone gives `ingest`). */
  constructor(private readonly urls: Partial<HubUrls>) {}

  static of(platform: Platform): HubClient {
    return new HubClient({
      ingest: platform.url('ingest'),
      consent: platform.url('consent'),
      journalWriter: platform.url('journal-writer'),
      audit: platform.url('audit'),
    });
  }

  async onboardMunicipality(orgnr: string, body: Record<string, unknown>): Promise<void> {
    await this.expectOk('PUT', `${this.urlOf('ingest')}/admin/municipalities/${orgnr}`, body);
  }

  async onboardClient(clientId: string, body: Record<string, unknown>): Promise<void> {
    await this.expectOk('PUT', `${this.urlOf('ingest')}/admin/clients/${clientId}`, body);
  }

  /**
   * A vendor client that may write for `orgnr`: every service and a rate no test reaches,
   * unless `options` say otherwise.
   */
  async onboardVendor(
    clientId: string,
    orgnr: string,
    options: {
      readonly name?: string;
      readonly services?: readonly string[];
      readonly ratePerSecond?: number;
    } = {},
  ): Promise<void> {
    await this.onboardClient(clientId, {
      name: options.name ?? `Vendor ${clientId}`,
      kind: 'vendor',
      municipalities: [orgnr],
      services: options.services ?? ['TA', 'GPS', 'MD', 'DT', 'DHO'],
      ratePerSecond: options.ratePerSecond ?? 1000,
    });
  }

  async registerPatient(orgnr: string, registration: Record<string, unknown>): Promise<void> {
    await this.expectOk(
      'PUT',
      `${this.urlOf('consent')}/consent/${orgnr}/registrations`,
      registration,
      registerPropagation,
    );
  }

  async recordConsent(orgnr: string, consent: Record<string, unknown>): Promise<void> {
    await this.expectOk(
      'POST',
      `${this.urlOf('consent')}/consent/${orgnr}/Consent`,
      consent,
      registerPropagation,
    );
  }

  /** The patient reserves themselves against journaling (a FHIR Consent with a deny provision). */
  async reservePatient(orgnr: string, patient: { system: string; value: string }): Promise<void> {
    await this.recordConsent(orgnr, {
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' },
        ],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { identifier: patient },
      provision: { type: 'deny', period: { start: '2020-01-01' } },
    });
  }

  /** `POST /fhir/{orgnr}/{type}` as vendor `clientId`. */
  submit(
    clientId: string,
    orgnr: string,
    type: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<Submitted> {
    return this.submitTo(clientId, `fhir/${orgnr}/${type}`, body, {
      'content-type': 'application/fhir+json',
      ...headers,
    });
  }

  /** `POST /devices/{orgnr}/{template}`: a device's own JSON, mapped by a vendor template. */
  submitVendorJson(
    clientId: string,
    orgnr: string,
    template: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<Submitted> {
    return this.submitTo(clientId, `devices/${orgnr}/${template}`, body, {
      'content-type': 'application/json',
      ...headers,
    });
  }

  private async submitTo(
    clientId: string,
    path: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<Submitted> {
    const answer = await this.call(
      'POST',
      `${this.urlOf('ingest')}/${path}`,
      await this.tokenFor(clientId, 'knutepunkt:ingest.write'),
      body,
      headers,
    );
    return {
      status: answer.status,
      location: answer.headers.get('location') ?? undefined,
      retryAfterSeconds: retryAfterOf(answer.headers),
      body: answer.body,
    };
  }

  /** The `$status` of a submission, read as the vendor that made it. */
  async statusOf(clientId: string, location: string): Promise<SubmissionStatusBody> {
    const answer = await this.call(
      'GET',
      new URL(location, this.urlOf('ingest')).toString(),
      await this.tokenFor(clientId, 'knutepunkt:ingest.write'),
    );
    if (answer.status !== 200) throw unexpected('GET $status', answer);
    return answer.body as SubmissionStatusBody;
  }

  /** `POST /epj/{orgnr}/_search` as EPJ `clientId`; params as a JSON body. */
  searchEpj(
    clientId: string,
    orgnr: string,
    params: Record<string, string | number> = {},
  ): Promise<Answer<SearchsetBundle>> {
    return this.epjCall(clientId, `${this.urlOf('journalWriter')}/epj/${orgnr}/_search`, params);
  }

  /** Follows a search's `next` link (a URL path with the cursor). */
  async followNext(clientId: string, next: string): Promise<Answer<SearchsetBundle>> {
    const path = new URL(next).pathname + new URL(next).search;
    return this.epjCall(clientId, `${this.urlOf('journalWriter')}${path}`, undefined);
  }

  async acknowledge(clientId: string, orgnr: string, entryId: string): Promise<number> {
    const answer = await this.call(
      'POST',
      `${this.urlOf('journalWriter')}/epj/${orgnr}/Composition/${entryId}/$journaling-acknowledged`,
      await this.tokenFor(clientId, 'knutepunkt:epj.read knutepunkt:epj.ack'),
    );
    return answer.status;
  }

  /** `POST /audit/_search` as an admin auditor. */
  async auditSearch(body: Record<string, unknown>): Promise<Answer<SearchsetBundle>> {
    return (await this.call(
      'POST',
      `${this.urlOf('audit')}/audit/_search`,
      await this.tokenFor('knutepunkt-e2e-auditor', adminScopes),
      JSON.stringify(body),
      { 'content-type': 'application/json' },
    )) as Answer<SearchsetBundle>;
  }

  async auditVerify(): Promise<Answer<{ valid: boolean; entries: number }>> {
    return (await this.call(
      'GET',
      `${this.urlOf('audit')}/audit/verify`,
      await this.tokenFor('knutepunkt-e2e-auditor', adminScopes),
    )) as Answer<{ valid: boolean; entries: number }>;
  }

  private urlOf(service: keyof HubUrls): string {
    const url = this.urls[service];
    if (url === undefined) throw new Error(`this HubClient was given no ${service} URL`);
    return url;
  }

  private async epjCall(
    clientId: string,
    url: string,
    params: Record<string, string | number> | undefined,
  ): Promise<Answer<SearchsetBundle>> {
    return (await this.call(
      'POST',
      url,
      await this.tokenFor(clientId, 'knutepunkt:epj.read knutepunkt:epj.ack'),
      params === undefined ? undefined : JSON.stringify(params),
      params === undefined ? {} : { 'content-type': 'application/json' },
    )) as Answer<SearchsetBundle>;
  }

  /** `waitFor`: an answer that means "not yet" (retried for up to 60 s) rather than "no". */
  private async expectOk(
    method: string,
    url: string,
    body: unknown,
    waitFor?: (answer: Answer) => boolean,
  ): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await this.call(
        method,
        url,
        await this.tokenFor('knutepunkt-dev-admin', adminScopes),
        JSON.stringify(body),
        { 'content-type': 'application/json' },
      );
      if (answer.status < 300) return;
      if (!waitFor?.(answer) || Date.now() > deadline) {
        throw unexpected(`${method} ${new URL(url).pathname}`, answer);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private tokenFor(sub: string, scope: string): Promise<string> {
    const key = `${sub} ${scope}`;
    const cached = this.tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const token = issueToken({ sub, scope });
    this.tokens.set(key, { token, until: Date.now() + tokenLifetimeMs });
    return token;
  }

  private async call(
    method: string,
    url: string,
    token: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text.length === 0 ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }
}

/**
 * A municipality onboarded on ingest reaches the consent service through the register topic
 * (ADR 0011), a moment later: until then consent answers 404 CONSENT.UNKNOWN_MUNICIPALITY.
 */
function registerPropagation(answer: Answer): boolean {
  return (
    answer.status === 404 && JSON.stringify(answer.body).includes('CONSENT.UNKNOWN_MUNICIPALITY')
  );
}

function retryAfterOf(headers: Headers): number | undefined {
  const value = Number(headers.get('retry-after') ?? Number.NaN);
  return Number.isFinite(value) ? value : undefined;
}

function unexpected(what: string, answer: Answer): Error {
  return new Error(`${what} answered ${String(answer.status)}: ${JSON.stringify(answer.body)}`);
}
