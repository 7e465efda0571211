import { issueToken } from '@knutepunkt/auth/testing';

/** PUT on ingest's admin API with a local-issuer admin token (`npm start`'s demo, benchmarks). */
export async function adminApi(ingestUrl: string) {
  const token = await issueToken({ sub: 'knutepunkt-dev-admin', scope: 'knutepunkt:admin' });
  return async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${ingestUrl}/admin/${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`PUT /admin/${path} failed: ${response.status} ${await response.text()}`);
  };
}
