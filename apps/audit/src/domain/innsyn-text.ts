import type { ActorKind } from '@knutepunkt/schemas';
import type { ChainedEntry } from './audit-entry';

/**
 * The short Norwegian plain-text rendering of an innsyn answer, for a caseworker to hand to
 * the patient: one line per row, oldest first — when, who (system, client, organisation),
 * what, and why. Times in Norwegian time (Europe/Oslo).
 */
const actorLabels: Record<ActorKind, string> = {
  vendor: 'Leverandørsystem',
  epj: 'Journalsystem (EPJ)',
  admin: 'Administrator',
  auditor: 'Kontrollør',
  patient: 'Pasient',
  service: 'Knutepunkt',
  unknown: 'Ukjent aktør',
};

const actionTexts: Readonly<Record<string, string>> = {
  'submission.create': 'sendte inn en hendelse',
  'submission.registered': 'registrerte en hendelse',
  'submission.normalized': 'kontrollerte og omformet en hendelse',
  'submission.consented': 'fant at hendelsen kan journalføres (samtykke/registrering i orden)',
  'submission.withheld': 'holdt tilbake en hendelse (ikke journalført)',
  'submission.delivered': 'leverte et journalnotat til kommunens journalsystem',
  'submission.read': 'journalnotatet ble hentet av journalsystemet',
  'submission.journaled': 'journalnotatet ble journalført',
  'submission.failed': 'hendelsen kunne ikke behandles',
  'journal-entry.read': 'leste et journalnotat',
  'journal-entry.acknowledge': 'bekreftet at et journalnotat er journalført',
  'consent-state.update': 'endret registrering eller samtykke',
  'registration.update': 'endret registrering som tjenestemottaker',
  'consent.create': 'registrerte samtykke eller reservasjon',
  'audit.search': 'søkte i loggen',
  'audit.innsyn': 'hentet innsyn i loggen',
};

const purposeTexts: Readonly<Record<string, string>> = {
  journaling: 'journalføring',
  innsyn: 'innsyn',
  administration: 'administrasjon',
  audit: 'kontroll av logg',
};

const osloParts = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `28.11.2026 kl. 09:15`, Norwegian time. */
export function osloTime(millis: number): string {
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    osloParts.formatToParts(new Date(millis)).find((p) => p.type === type)?.value ?? '';
  return `${part('day')}.${part('month')}.${part('year')} kl. ${part('hour')}:${part('minute')}`;
}

function who(entry: ChainedEntry): string {
  const { actor } = entry;
  const name = actor.kind === 'service' ? actor.system : (actor.system ?? actor.clientId);
  const client =
    actor.clientId !== null && actor.clientId !== name ? ` (klient ${actor.clientId})` : '';
  const organisation = actor.orgnr !== null ? `, org.nr. ${actor.orgnr}` : '';
  return `${actorLabels[actor.kind]}${name !== null ? ` ${name}` : ''}${client}${organisation}`;
}

export function innsynLine(entry: ChainedEntry): string {
  const what = actionTexts[entry.action] ?? `utførte «${entry.action}»`;
  const why =
    entry.purpose !== null ? ` Formål: ${purposeTexts[entry.purpose] ?? entry.purpose}.` : '';
  const outcome =
    entry.outcome === 'denied' ? ' (avvist)' : entry.outcome === 'failed' ? ' (feilet)' : '';
  const municipality = entry.orgnr !== null ? ` Kommune: ${entry.orgnr}.` : '';
  return `${osloTime(entry.at)}: ${who(entry)} ${what}${outcome}.${why}${municipality}`;
}

export function innsynText(
  entries: readonly ChainedEntry[],
  options: { readonly at: Date; readonly limit: number },
): string {
  const lines = [
    'Innsyn i logg – Knutepunkt',
    `Utskrift laget ${osloTime(options.at.getTime())}.`,
    'Oversikten viser hvem som har sendt, behandlet, lest eller endret opplysninger om deg i Knutepunkt, når og hvorfor.',
    '',
  ];
  if (entries.length === 0) lines.push('Ingen oppføringer.');
  else lines.push(`${entries.length} oppføringer:`, ...entries.map((e) => `- ${innsynLine(e)}`));
  if (entries.length >= options.limit)
    lines.push(
      '',
      `Viser de ${options.limit} første oppføringene; be om en kortere periode for å se resten.`,
    );
  return `${lines.join('\n')}\n`;
}
