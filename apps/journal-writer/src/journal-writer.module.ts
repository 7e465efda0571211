import { Module } from '@nestjs/common';

/** journal-writer: journal entries per municipality, published on its EPJ topic and served by the EPJ read API. */
@Module({})
export class JournalWriterModule {}
