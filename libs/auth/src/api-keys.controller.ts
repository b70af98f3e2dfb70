import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, UuidParamPipe } from '@switchboard/common';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, ApiKeyListDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { RequireScopes } from './require-scopes.decorator';

@ApiTags('auth')
@ApiErrorResponses(401, 403)
@Controller('api/auth/keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Create an API key; the token is in this response only' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrorResponses(400, 413, 415)
  async create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const { key, token } = await this.keys.create(dto.name.trim(), dto.scopes, dto.expiresAt ? Date.parse(dto.expiresAt) : undefined);
    return { ...ApiKeyDto.from(key), token };
  }

  @Get()
  @RequireScopes('admin')
  @ApiOperation({ summary: 'List API keys (never their tokens)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(): Promise<ApiKeyListDto> {
    return { keys: (await this.keys.list()).map(ApiKeyDto.from) };
  }

  @Delete(':keyId')
  @HttpCode(200)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Revoke an API key, effective at once' })
  @ApiOkResponse({ schema: { example: { success: true, message: 'API key … revoked' } } })
  @ApiErrorResponses(400, 404)
  async revoke(@Param('keyId', new UuidParamPipe('keyId')) keyId: string): Promise<{ success: true; message: string }> {
    await this.keys.revoke(keyId);
    return { success: true, message: `API key ${keyId} revoked` };
  }
}
