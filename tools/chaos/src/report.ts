import type { ChaosReport } from './chaos';

/** The counts issue 10 asks for, one per line, then what went wrong (if anything). */
export function formatChaosReport(report: ChaosReport): string {
  const lines = [
    `faults:     ${report.faultsInjected.join('; ')}`,
    `sent        ${String(report.sent)}`,
    `refused     ${String(report.refused)}`,
    `given up    ${String(report.givenUp)} (unanswered after every retry)`,
    `accepted    ${String(report.accepted)}`,
    `journaled   ${String(report.journaled)}`,
    `withheld    ${String(report.withheld)}`,
    `failed      ${String(report.failed)}`,
    `lost        ${String(report.lost.length)}${lostAt(report)}`,
    `duplicated  ${String(report.duplicated.length)} (event ids with two journal entries)`,
    `redelivered ${String(report.redelivered)} (an entry's record sent again after a journal-writer kill; ADR 0008)`,
    `out of order ${String(report.outOfOrder.length)} patients`,
    `crashed     ${report.crashed.length === 0 ? 'none' : report.crashed.join(', ')}`,
    `EPJ poll errors (retried) ${String(report.epjReadErrors)}`,
  ];
  for (const failure of report.failures) {
    lines.push(`  failed ${failure.submissionId}: ${failure.reason ?? '(no reason)'}`);
  }
  for (const line of report.backlog) lines.push(`  stuck? ${line}`);
  for (const id of report.lost.slice(0, 10)) lines.push(`  lost ${id}`);
  if (report.lost.length > 10) lines.push(`  … and ${String(report.lost.length - 10)} more`);
  return lines.join('\n');
}

/** Where the lost ones stopped, e.g. " (last stage: delivered 100, consented 12)". */
function lostAt(report: ChaosReport): string {
  const stages = Object.entries(report.lostAt);
  if (stages.length === 0) return '';
  return ` (last stage: ${stages.map(([stage, n]) => `${stage} ${String(n)}`).join(', ')})`;
}
