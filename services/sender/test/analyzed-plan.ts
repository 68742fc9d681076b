import { type CompiledQuery, type Kysely, type KyselyPlugin, sql } from 'kysely';
import pg from 'pg';

/** A plan node as EXPLAIN (ANALYZE, FORMAT JSON) gives it. */
interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

export interface AnalyzedPlan {
  /** Rows each relation's scans read: returned plus filtered out, over every loop. */
  rowsRead: Record<string, number>;
  /** The most times one scan of each relation ran (a subquery or the inner side of a nested loop). */
  loops: Record<string, number>;
  /** Relations read with a sequential scan. */
  seqScans: string[];
  plan: PlanNode;
}

/** The statements a Kysely instance runs, as compiled (text and parameters), for analyzedPlan(). */
export function recordingQueries<DB>(db: Kysely<DB>): { db: Kysely<DB>; queries: CompiledQuery[] } {
  const queries: CompiledQuery[] = [];
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      queries.push(db.getExecutor().compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(plugin), queries };
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  return pg.escapeLiteral(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

function walk(node: PlanNode, plan: AnalyzedPlan): void {
  const relation = node['Relation Name'];
  if (relation && /Scan/.test(node['Node Type'] ?? '')) {
    const perLoop =
      (node['Actual Rows'] ?? 0) +
      (node['Rows Removed by Filter'] ?? 0) +
      (node['Rows Removed by Index Recheck'] ?? 0);
    const loops = node['Actual Loops'] ?? 1;
    plan.rowsRead[relation] = (plan.rowsRead[relation] ?? 0) + perLoop * loops;
    plan.loops[relation] = Math.max(plan.loops[relation] ?? 0, loops);
    if (node['Node Type'] === 'Seq Scan') plan.seqScans.push(relation);
  }
  for (const child of node.Plans ?? []) walk(child, plan);
}

let analyzed = 0;

/**
 * Runs `query` with its own parameters under EXPLAIN ANALYZE, as a prepared statement with its
 * generic plan (what a pooled connection uses after five runs, libs/db/src/prepared-statements.ts)
 * or with a plan made for these parameters, and rolls back what it changed. What the plan read,
 * not how long it took, is what a test can assert on a shared machine.
 */
export async function analyzedPlan(
  db: Kysely<unknown>,
  query: CompiledQuery,
  plan: 'generic' | 'custom',
): Promise<AnalyzedPlan> {
  analyzed += 1;
  const name = sql.id(`analyzed_${analyzed}`);
  return db.connection().execute(async (connection) => {
    await sql`begin`.execute(connection);
    try {
      await sql`set local plan_cache_mode = ${sql.raw(plan === 'generic' ? 'force_generic_plan' : 'force_custom_plan')}`.execute(
        connection,
      );
      await sql`prepare ${name} as ${sql.raw(query.sql)}`.execute(connection);
      const values = sql.raw(query.parameters.map(literal).join(', '));
      const explained = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>`
        explain (analyze, format json) execute ${name}(${values})`.execute(connection);
      const root = explained.rows[0]?.['QUERY PLAN'][0]?.Plan ?? {};
      const result: AnalyzedPlan = { rowsRead: {}, loops: {}, seqScans: [], plan: root };
      walk(root, result);
      return result;
    } finally {
      await sql`rollback`.execute(connection);
      // A prepared statement outlives the transaction that made it.
      await sql`deallocate ${name}`.execute(connection).catch(() => undefined);
    }
  });
}
