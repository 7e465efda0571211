import type { Admin, Kafka } from 'kafkajs';
import type { ReadinessCheck } from '@knutepunkt/observability';

/** Ready when a broker answers a metadata request; the admin connection is reused. */
export function kafkaReadinessCheck(kafka: Kafka): ReadinessCheck & { close(): Promise<void> } {
  let admin: Admin | undefined;
  return {
    name: 'kafka',
    async check() {
      if (!admin) {
        admin = kafka.admin({ retry: { retries: 0 } });
        await admin.connect();
      }
      try {
        await admin.describeCluster();
      } catch (error) {
        const stale = admin;
        admin = undefined;
        await stale.disconnect().catch(() => undefined);
        throw error;
      }
    },
    async close() {
      await admin?.disconnect();
      admin = undefined;
    },
  };
}
