import { randomUUID } from 'node:crypto';
import type { ApiToken, Role } from '@reserveit/console-api';
import type { Db } from './database.js';
import { newSecret, secretHash } from './secrets.js';

export const API_TOKEN_PREFIX = 'ri_';

export interface TokenOwner {
  tokenId: string;
  businessId: string;
  name: string;
  role: Role;
}

/** Integration tokens: the secret is shown once, only its hash is kept; revoking is immediate. */
export class ApiTokens {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: {
    businessId: string;
    name: string;
    role: Role;
    createdBy: string;
  }): Promise<{ token: ApiToken; secret: string }> {
    const secret = newSecret(API_TOKEN_PREFIX);
    const row = await this.db
      .insertInto('console.api_tokens')
      .values({
        id: randomUUID(),
        business_id: input.businessId,
        name: input.name,
        role: input.role,
        secret_hash: secretHash(secret),
        created_by: input.createdBy,
      })
      .returning(['id', 'name', 'role', 'created_at', 'last_used_at'])
      .executeTakeFirstOrThrow();
    return { token: toApiToken(row), secret };
  }

  async list(businessId: string): Promise<ApiToken[]> {
    const rows = await this.db
      .selectFrom('console.api_tokens')
      .select(['id', 'name', 'role', 'created_at', 'last_used_at'])
      .where('business_id', '=', businessId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.map(toApiToken);
  }

  /** False when no live token of this restaurant has the id. */
  async revoke(businessId: string, tokenId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('console.api_tokens')
      .set({ revoked_at: new Date(this.now()) })
      .where('id', '=', tokenId)
      .where('business_id', '=', businessId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async find(secret: string): Promise<TokenOwner | undefined> {
    const row = await this.db
      .updateTable('console.api_tokens')
      .set({ last_used_at: new Date(this.now()) })
      .where('secret_hash', '=', secretHash(secret))
      .where('revoked_at', 'is', null)
      .returning(['id', 'business_id', 'name', 'role'])
      .executeTakeFirst();
    return row && { tokenId: row.id, businessId: row.business_id, name: row.name, role: row.role };
  }
}

function toApiToken(row: {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  last_used_at: Date | null;
}): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
