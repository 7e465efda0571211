export {
  checkOrganisationNumber,
  organisationNumberCheckDigit,
  type OrganisationNumber,
  type OrganisationNumberError,
  type OrganisationNumberErrorCode,
} from './organisation-number';
