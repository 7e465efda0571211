import { ServiceMetrics } from '@knutepunkt/observability';
import { AuditMetrics } from './audit-metrics';

describe('AuditMetrics', () => {
  it('exports no chain verdict before the first verification, then the last one', async () => {
    const service = new ServiceMetrics('audit');
    const metrics = new AuditMetrics(service);
    expect(await service.registry.metrics()).not.toContain('knutepunkt_audit_chain_valid');

    metrics.verified({ valid: true, entries: 42 });
    metrics.verified({ valid: false, entries: 43 });
    const text = await service.registry.metrics();
    expect(text).toMatch(/^knutepunkt_audit_chain_valid(\{[^}]*\})? 0$/m);
    expect(text).toMatch(/^knutepunkt_audit_chain_entries(\{[^}]*\})? 43$/m);
  });
});
