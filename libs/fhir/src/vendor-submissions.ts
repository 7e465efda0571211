/**
 * What the vendor API takes (DESIGN.md "Ingest — vendor API"): ingest refuses anything else and
 * the normalizer maps exactly these, so both read the lists from here.
 */
export const submissionResourceTypes = [
  'Bundle',
  'MedicationDispense',
  'DetectedIssue',
  'Flag',
  'Encounter',
  'Observation',
  'Composition',
  'QuestionnaireResponse',
] as const;
export type SubmissionResourceType = (typeof submissionResourceTypes)[number];

export const acceptedBundleTypes = ['message', 'document', 'transaction', 'collection'] as const;
export type AcceptedBundleType = (typeof acceptedBundleTypes)[number];

export function isSubmissionResourceType(value: string): value is SubmissionResourceType {
  return (submissionResourceTypes as readonly string[]).includes(value);
}
