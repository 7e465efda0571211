import { Module } from '@nestjs/common';

/** audit: the hash-chained audit log, its search, innsyn and verification. */
@Module({})
export class AuditModule {}
