import { Module } from '@nestjs/common';

/** normalizer: turns accepted submissions into canonical WelfareEvents. */
@Module({})
export class NormalizerModule {}
