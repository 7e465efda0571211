import { registryEntryOf } from '@knutepunkt/auth';
import { auditMessage, auditRecord, type ServiceRuntime } from '@knutepunkt/service';
import { epjTopic, Topics } from '@knutepunkt/schemas';
import type { RegisterEntryPorts } from './put-register-entry.handler';

/** The Kafka side of onboarding: EPJ topics, registry records and their audit trail. */
export function registerKafkaPorts(
  runtime: ServiceRuntime,
): Pick<RegisterEntryPorts, 'ensureEpjTopic' | 'publish'> {
  return {
    ensureEpjTopic: (orgnr) => runtime.ensureTopics([epjTopic(orgnr)]),
    publish: (key, record, actor, requestId) => {
      const entry = registryEntryOf(record);
      const audit = auditRecord(runtime.app, {
        actor,
        action: entry.kind === 'municipality' ? 'municipality.update' : 'client.update',
        entity:
          entry.kind === 'municipality'
            ? { type: 'Municipality', id: entry.municipality.orgnr }
            : { type: 'Client', id: entry.client.clientId },
        outcome: 'success',
        orgnr: entry.kind === 'municipality' ? entry.municipality.orgnr : null,
        patientKey: null,
        purpose: 'administration',
        requestId,
      });
      return runtime.producer.send([
        { topic: Topics.registry.name, key, value: runtime.serde.encode(Topics.registry, record) },
        auditMessage(runtime.serde, audit),
      ]);
    },
  };
}
