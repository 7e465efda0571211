import { Module } from '@nestjs/common';

/** consent: service-recipient registry, FHIR Consent and municipal policy; decides which events may be journaled. */
@Module({})
export class ConsentModule {}
