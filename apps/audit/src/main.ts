import { runServiceCommand } from '@knutepunkt/service';
import { auditService } from './audit.service';
import { withAuditDatabase } from './audit-env';
import { verifyChainCommand } from './verify/verify-chain.cli';

/** `main.js` runs the service, `main.js migrate` its migrations, `main.js verify` the chain check. */
async function main(args: readonly string[]): Promise<number> {
  if (args[0] === 'verify') return verifyChainCommand(process.env);
  await runServiceCommand(auditService, args, withAuditDatabase(process.env));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    // The logger may not exist yet (invalid configuration): stderr is the last resort.
    console.error(error);
    process.exit(2);
  },
);
