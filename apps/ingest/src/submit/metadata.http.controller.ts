import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { capabilityStatement } from '../domain/capability-statement';

const startedAt = new Date();

/** `GET /fhir/metadata`: open to all, as FHIR servers' capability statements are. */
@ApiTags('vendor API')
@Controller('fhir')
export class MetadataHttpController {
  private readonly statement = capabilityStatement(startedAt);

  @Get('metadata')
  @Header('content-type', 'application/fhir+json')
  @ApiOperation({ summary: 'The CapabilityStatement of the vendor API' })
  @ApiResponse({ status: 200, description: 'A FHIR R4 CapabilityStatement.' })
  metadata(): CapabilityStatement {
    return this.statement;
  }
}
