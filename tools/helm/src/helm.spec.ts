import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertHelmInstalled, readToolVersions } from './helm';

describe('assertHelmInstalled', () => {
  it('fails with the command that installs Helm when the binary is missing', () => {
    expect(() => {
      assertHelmInstalled('/nonexistent/.local/bin/helm');
    }).toThrow('run `bash tools/helm/ensure-tools.sh`');
  });
});

describe('readToolVersions', () => {
  it('reads the pins, quoted or not', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'helm-versions-'));
    try {
      const file = path.join(folder, 'versions.env');
      writeFileSync(
        file,
        '# comment\nHELM_VERSION=v3.22.0\nKUBERNETES_VALIDATE_VERSION=1.37.0\nKUBERNETES_SCHEMA_VERSIONS="v1.29.0 v1.37.0"\n',
      );
      expect(readToolVersions(file)).toEqual({
        helm: 'v3.22.0',
        kubernetesValidate: '1.37.0',
        kubernetesSchemaVersions: ['v1.29.0', 'v1.37.0'],
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names a missing pin', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'helm-versions-'));
    try {
      const file = path.join(folder, 'versions.env');
      writeFileSync(file, 'HELM_VERSION=v3.22.0\n');
      expect(() => readToolVersions(file)).toThrow('does not set KUBERNETES_VALIDATE_VERSION');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
