import { errorForLog } from './logger';

describe('errorForLog', () => {
  it('keeps type, message, code and stack but drops fields that can carry data', () => {
    const error = Object.assign(new Error('duplicate key'), {
      code: '23505',
      parameters: ['vendor-a', '01017012345'],
      driverError: { detail: 'Key (x)=(01017012345) already exists.' },
    });
    const logged = errorForLog(error);
    expect(logged).toMatchObject({ type: 'Error', message: 'duplicate key', code: '23505' });
    expect(JSON.stringify(logged)).not.toContain('01017012345');
  });

  it('follows the cause', () => {
    const logged = errorForLog(new Error('publish failed', { cause: new Error('broker gone') }));
    expect(logged['cause']).toMatchObject({ message: 'broker gone' });
  });
});
