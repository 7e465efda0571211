import { javaMajorVersion } from './kafka';

describe('javaMajorVersion', () => {
  it('reads modern and legacy version strings', () => {
    expect(
      javaMajorVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment'),
    ).toBe(17);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('java version "1.8.0_402"')).toBe(8);
    expect(javaMajorVersion('command not found')).toBeUndefined();
  });
});
