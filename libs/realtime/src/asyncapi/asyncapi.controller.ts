import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@switchboard/common';
import { ASYNCAPI_PATH, buildAsyncApiDocument } from './asyncapi-document';

@ApiTags('docs')
@Controller(ASYNCAPI_PATH)
export class AsyncApiController {
  private readonly document = buildAsyncApiDocument();

  @Get()
  @Public()
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'AsyncAPI 3 document of every Socket.IO event and /ws frame, both directions' })
  @ApiOkResponse({ description: 'The AsyncAPI document', schema: { type: 'object', additionalProperties: true } })
  asyncApi(): Record<string, unknown> {
    return this.document;
  }
}
