import { aFodselsnummer, testOrgnr } from '@knutepunkt/schemas/testing';
import { innsynLimit, innsynQueryOf, searchQueryOf, type CallerScope } from './audit-query';

const other = '970000006';
const officer: CallerScope = { all: false, orgnrs: [testOrgnr] };
const admin: CallerScope = { all: true, orgnrs: [testOrgnr, other] };
const derive = (orgnr: string, id: { system: string; value: string }) => `${orgnr}/${id.value}`;
const patient = aFodselsnummer(4);

describe('audit queries', () => {
  it('turns a patient into one key per municipality the caller may read', () => {
    const query = searchQueryOf({ patient }, admin, derive, undefined);
    expect(query).toMatchObject({
      ok: true,
      value: {
        orgnrs: 'all',
        patientKeys: [
          { orgnr: testOrgnr, key: `${testOrgnr}/${patient.value}` },
          { orgnr: other, key: `${other}/${patient.value}` },
        ],
        count: 100,
        afterSeq: 0,
      },
    });
  });

  it('narrows to one municipality, and refuses one the caller may not read', () => {
    expect(searchQueryOf({ orgnr: testOrgnr }, officer, derive, undefined)).toMatchObject({
      ok: true,
      value: { orgnrs: [testOrgnr], patientKeys: null },
    });
    expect(searchQueryOf({ orgnr: other }, officer, derive, undefined)).toMatchObject({
      ok: false,
      error: { code: 'AUDIT.MUNICIPALITY_NOT_ALLOWED' },
    });
  });

  it('takes actor, action, from, to, _count and a cursor', () => {
    const query = searchQueryOf(
      {
        actor: 'epj-a',
        action: 'journal-entry.read',
        from: '2026-11-01',
        to: '2026-11-28T12:00:00+01:00',
        _count: 10,
      },
      officer,
      derive,
      '42',
    );
    expect(query).toMatchObject({
      ok: true,
      value: {
        orgnrs: [testOrgnr],
        actor: 'epj-a',
        action: 'journal-entry.read',
        from: Date.UTC(2026, 10, 1),
        to: Date.UTC(2026, 10, 28, 11),
        count: 10,
        afterSeq: 42,
      },
    });
  });

  it('refuses malformed requests with stable codes, never echoing the number', () => {
    const bad = [
      [null, 'AUDIT.INVALID_REQUEST'],
      [{ from: 'yesterday' }, 'AUDIT.INVALID_REQUEST'],
      [{ _count: 5000 }, 'AUDIT.INVALID_REQUEST'],
      [{ patient: { system: patient.system } }, 'AUDIT.INVALID_REQUEST'],
      [{ patient: { system: patient.system, value: '12345678901' } }, 'AUDIT.INVALID_IDENTIFIER'],
    ] as const;
    for (const [body, code] of bad) {
      const result = searchQueryOf(body, admin, derive, undefined);
      expect(result).toMatchObject({ ok: false, error: { code } });
      if (!result.ok) expect(result.error.message).not.toContain('12345678901');
    }
    expect(searchQueryOf({}, admin, derive, 'x')).toMatchObject({ ok: false });
  });

  it('requires a patient for innsyn and answers it in one go', () => {
    expect(innsynQueryOf({}, admin, derive)).toMatchObject({ ok: false });
    expect(innsynQueryOf({ patient }, officer, derive)).toMatchObject({
      ok: true,
      value: { orgnrs: [testOrgnr], count: innsynLimit, actor: null, action: null },
    });
  });

  it('takes an identifier from a municipality’s own system without a check digit rule', () => {
    expect(
      searchQueryOf(
        { patient: { system: 'https://epj.example/lopenr', value: '100234' } },
        officer,
        derive,
        undefined,
      ),
    ).toMatchObject({ ok: true });
  });
});
