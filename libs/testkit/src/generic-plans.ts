import { type Kysely, sql } from 'kysely';

export interface GenericPlan {
  /** The prepared statement's text. */
  statement: string;
  /** Relations the plan reads with a sequential scan. */
  seqScans: string[];
  /** The plan as EXPLAIN (FORMAT JSON) gave it, for a failure message. */
  plan: unknown;
}

interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScansIn(node: PlanNode | undefined, found: string[] = []): string[] {
  if (!node) return found;
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) found.push(node['Relation Name']);
  for (const child of node.Plans ?? []) seqScansIn(child, found);
  return found;
}

/**
 * The generic plan of every statement prepared on `db`'s pooled connections, so a test can prove
 * that no plan cached for good (Postgres switches a prepared statement to its generic plan after
 * five runs) reads a growing table from end to end. Prepared statements belong to the connection
 * that prepared them, so all `poolSize` connections are taken at once and each is asked for its
 * own. Generic plans do not depend on the parameters: each is explained with NULL for every one.
 */
export async function genericPlans(db: Kysely<unknown>, poolSize = 1): Promise<GenericPlan[]> {
  const byStatement = new Map<string, GenericPlan>();
  let arrived = 0;
  let allHeld: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    allHeld = resolve;
  });
  await Promise.all(
    Array.from({ length: poolSize }, () =>
      db.connection().execute(async (connection) => {
        if (++arrived === poolSize) allHeld();
        await held;
        for (const plan of await plansOn(connection)) byStatement.set(plan.statement, plan);
      }),
    ),
  );
  return [...byStatement.values()];
}

async function plansOn(connection: Kysely<unknown>): Promise<GenericPlan[]> {
  const prepared = await sql<{ name: string; statement: string; parameters: number }>`
    select name, statement, cardinality(parameter_types) as parameters
    from pg_prepared_statements where from_sql = false order by name`.execute(connection);
  await sql`set plan_cache_mode = force_generic_plan`.execute(connection);
  try {
    const plans: GenericPlan[] = [];
    for (const { name, statement, parameters } of prepared.rows) {
      const nulls = sql.raw(Array.from({ length: parameters }, () => 'null').join(', '));
      const explained = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>`
        explain (format json) execute ${sql.id(name)}${parameters > 0 ? sql`(${nulls})` : sql``}`.execute(
        connection,
      );
      const plan = explained.rows[0]?.['QUERY PLAN'][0]?.Plan;
      plans.push({ statement, seqScans: seqScansIn(plan), plan });
    }
    return plans;
  } finally {
    await sql`reset plan_cache_mode`.execute(connection);
  }
}

/** The plans among `plans` that scan any of `tables` sequentially, with their statements. */
export function seqScansOn(plans: readonly GenericPlan[], tables: readonly string[]): string[] {
  return plans
    .filter((plan) => plan.seqScans.some((table) => tables.includes(table)))
    .map(
      (plan) =>
        `${plan.seqScans.join(', ')} scanned in:\n${plan.statement.replace(/\s+/g, ' ').slice(0, 400)}`,
    );
}
