import { Module } from '@nestjs/common';

/** ingest: the vendor API: authenticated, validated, idempotent submissions, durable in Kafka before 202; onboarding; submission status. */
@Module({})
export class IngestModule {}
