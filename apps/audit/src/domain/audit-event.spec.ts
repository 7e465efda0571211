import { anAuditRecord } from '@knutepunkt/schemas/testing';
import { auditEventBundle, AuditSystems, toAuditEvent } from './audit-event';
import { chainFacts } from './chain';
import { factFromAuditRecord } from './lifecycle-facts';
import { innsynLine, innsynText, osloTime } from './innsyn-text';

const read = anAuditRecord({
  at: Date.UTC(2026, 10, 28, 8, 15),
  actor: { kind: 'epj', clientId: 'epj-a', orgnr: '921234562', system: 'Gerica' },
  action: 'journal-entry.read',
  entity: { type: 'Composition', id: 'c-1' },
  purpose: 'journaling',
  requestId: 'req-9',
  details: { status: 'unread' },
});
const [row] = chainFacts(null, [factFromAuditRecord(read)], Date.UTC(2026, 10, 28, 8, 16));
if (!row) throw new Error('no row');

describe('AuditEvent (BALP-shaped)', () => {
  it('shows who, what, whose, when, why and from where', () => {
    const event = toAuditEvent(row);
    expect(event).toMatchObject({
      resourceType: 'AuditEvent',
      id: '1',
      type: { code: 'rest' },
      subtype: [
        { system: AuditSystems.restfulInteraction, code: 'read' },
        { system: AuditSystems.action, code: 'journal-entry.read' },
      ],
      action: 'R',
      recorded: '2026-11-28T08:15:00.000Z',
      outcome: '0',
      purposeOfEvent: [{ coding: [{ code: 'TREAT' }, { code: 'journaling' }] }],
      agent: [
        {
          type: { coding: [{ code: '110153' }] },
          who: { identifier: { system: AuditSystems.clientId, value: 'epj-a' }, display: 'Gerica' },
          requestor: true,
        },
        { who: { identifier: { system: AuditSystems.orgnr, value: '921234562' } } },
        { type: { coding: [{ code: '110152' }] }, requestor: false },
      ],
      source: { observer: { display: 'knutepunkt-ingest' } },
    });
    const [patientEntity, dataEntity, requestEntity] = event.entity ?? [];
    expect(patientEntity).toMatchObject({
      what: { identifier: { system: AuditSystems.patientKey, value: read.patientKey } },
      role: { code: '1' },
    });
    expect(dataEntity).toMatchObject({
      what: { display: 'Composition/c-1' },
      detail: [{ type: 'status', valueString: 'unread' }],
    });
    expect(requestEntity).toMatchObject({
      what: { identifier: { value: 'req-9' } },
      type: { code: 'XrequestId' },
    });
  });

  it('maps verbs and outcomes', () => {
    const as = (action: string, outcome: 'success' | 'denied' | 'failed' = 'success') =>
      toAuditEvent({ ...row, action, outcome });
    expect(as('submission.create').action).toBe('C');
    expect(as('journal-entry.acknowledge').action).toBe('U');
    expect(as('audit.search').subtype?.[0]?.code).toBe('search-type');
    expect(as('x.read', 'denied').outcome).toBe('4');
    expect(as('x.read', 'failed').outcome).toBe('8');
  });

  it('puts rows in a searchset with a next link', () => {
    const bundle = auditEventBundle([row], {
      type: 'searchset',
      next: '/audit/_search?_cursor=1',
      at: new Date(0),
    });
    expect(bundle).toMatchObject({
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'next', url: '/audit/_search?_cursor=1' }],
      entry: [{ search: { mode: 'match' }, resource: { id: '1' } }],
    });
  });
});

describe('innsyn in Norwegian', () => {
  it('writes Norwegian time, winter and summer', () => {
    expect(osloTime(Date.UTC(2026, 10, 28, 8, 15))).toBe('28.11.2026 kl. 09:15');
    expect(osloTime(Date.UTC(2026, 6, 1, 8, 15))).toBe('01.07.2026 kl. 10:15');
  });

  it('says when, who, what and why in one line', () => {
    expect(innsynLine(row)).toBe(
      `28.11.2026 kl. 09:15: Journalsystem (EPJ) Gerica (klient epj-a), org.nr. 921234562 leste et journalnotat. Formål: journalføring. Kommune: ${read.orgnr ?? ''}.`,
    );
  });

  it('heads the list, says when there is nothing, and when the list was cut', () => {
    const at = new Date(Date.UTC(2026, 10, 28, 18, 0));
    expect(innsynText([], { at, limit: 10 })).toContain('Ingen oppføringer.');
    const text = innsynText([row], { at, limit: 1 });
    expect(text).toContain('Innsyn i logg – Knutepunkt');
    expect(text).toContain('1 oppføringer:');
    expect(text).toContain('be om en kortere periode');
  });
});
