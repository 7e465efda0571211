import { chooseInstall, findPasswdUser, parseServerMajor, rankInstalls } from './postgres';

const install = (major: number): { major: number; binDir: string } => ({
  major,
  binDir: `/usr/lib/postgresql/${major}/bin`,
});

describe('choosing the PostgreSQL binaries', () => {
  it('takes the newest version of at least 15', () => {
    expect(chooseInstall([install(15), install(17), install(16)], undefined).major).toBe(17);
    expect(rankInstalls([install(13), install(14)])).toEqual([]);
  });

  it('opens an existing data directory with its own major version', () => {
    expect(chooseInstall([install(15), install(17)], 15).major).toBe(15);
  });

  it('says to install PostgreSQL when there is none', () => {
    expect(() => chooseInstall([install(13)], undefined)).toThrow(/apt-get install -y postgresql/);
  });

  it('says what to do when the data directory is from a version that is not installed', () => {
    expect(() => chooseInstall([install(17)], 15)).toThrow(
      /created by PostgreSQL 15.*Delete \.local\/postgres/,
    );
  });

  it('reads the major version from postgres --version', () => {
    expect(parseServerMajor('postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n')).toBe(15);
    expect(parseServerMajor('postgres (PostgreSQL) 17beta1')).toBe(17);
    expect(parseServerMajor('garbage')).toBeUndefined();
  });
});

describe('findPasswdUser', () => {
  const passwd = [
    'root:x:0:0:root:/root:/bin/bash',
    'postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash',
    '',
  ].join('\n');

  it('finds the postgres user', () => {
    expect(findPasswdUser(passwd, 'postgres')).toEqual({ name: 'postgres', uid: 101, gid: 104 });
  });

  it('is undefined for a missing user', () => {
    expect(findPasswdUser(passwd, 'nobody')).toBeUndefined();
  });
});
