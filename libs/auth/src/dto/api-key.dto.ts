import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toIso, toIsoOrNull } from '@switchboard/common';
import { ApiKeyEntity } from '../api-key.entity';
import { Scope, SCOPES } from '../scopes';

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 'sb_key_AbCd', description: 'The first characters of the token' })
  tokenPrefix!: string;

  @ApiProperty({ enum: SCOPES, isArray: true })
  scopes!: Scope[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastUsedAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expiresAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt!: string | null;

  static from(key: ApiKeyEntity): ApiKeyDto {
    return {
      id: key.id,
      name: key.name,
      tokenPrefix: key.tokenPrefix,
      scopes: key.scopes,
      createdAt: toIso(key.createdAt),
      lastUsedAt: toIsoOrNull(key.lastUsedAt),
      expiresAt: toIsoOrNull(key.expiresAt),
      revokedAt: toIsoOrNull(key.revokedAt),
    };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiPropertyOptional({ description: 'The token. Shown only in this response: it is stored hashed and cannot be recovered' })
  token!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] })
  keys!: ApiKeyDto[];
}
