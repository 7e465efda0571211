import { eventIdNamespace, eventIdOf, uuidV5 } from './event-id';

const urlNamespace = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const dnsNamespace = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('event ids', () => {
  it('are RFC 9562 UUID v5 (the RFC’s test vector)', () => {
    expect(uuidV5(dnsNamespace, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('live in the namespace derived from Knutepunkt’s URL', () => {
    expect(uuidV5(urlNamespace, 'https://knutepunkt.no/ns/welfare-event-id')).toBe(
      eventIdNamespace,
    );
  });

  it('depend on the submission and the resource, and on nothing else', () => {
    const submission = '3f1c2a9e-6b7d-4c1e-9a52-0d8e7f6a5b41';

    expect(eventIdOf(submission, 'entry[0]')).toBe(eventIdOf(submission, 'entry[0]'));
    expect(eventIdOf(submission, 'entry[0]')).not.toBe(eventIdOf(submission, 'entry[1]'));
    expect(eventIdOf(submission, 'resource')).not.toBe(
      eventIdOf('3f1c2a9e-6b7d-4c1e-9a52-0d8e7f6a5b42', 'resource'),
    );
  });

  it('do not depend on the case of the submission id', () => {
    const submission = '3F1C2A9E-6B7D-4C1E-9A52-0D8E7F6A5B41';

    expect(eventIdOf(submission, 'resource')).toBe(eventIdOf(submission.toLowerCase(), 'resource'));
  });

  it('refuse a namespace that is not a UUID', () => {
    expect(() => uuidV5('not-a-uuid', 'x')).toThrow('must be a UUID');
  });
});
