import {
  IdentifierNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SchemableIdentifierNode,
  type UnknownRow,
} from 'kysely';

class Redirect extends OperationNodeTransformer {
  constructor(
    private readonly from: string,
    private readonly to: string,
  ) {
    super();
  }

  protected override transformSchemableIdentifier(node: SchemableIdentifierNode): SchemableIdentifierNode {
    const transformed = super.transformSchemableIdentifier(node);
    if (transformed.schema?.name !== this.from) return transformed;
    return { ...transformed, schema: IdentifierNode.create(this.to) };
  }
}

/**
 * Rewrites every table reference in schema `from` (e.g. `reservation.businesses`, also inside
 * column references and ON CONFLICT clauses) to schema `to`, so a projection's own, unchanged apply
 * code fills a shadow schema. Raw `sql` fragments are not rewritten: pass the schema to those
 * explicitly (the inbox helpers of libs/db take it as a parameter).
 */
export function redirectSchema(from: string, to: string): KyselyPlugin {
  const transformer = new Redirect(from, to);
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      return transformer.transformNode(args.node, args.queryId);
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return args.result;
    },
  };
}
