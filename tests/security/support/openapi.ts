/**
 * The operations of the served OpenAPI document, flattened: the security
 * tests iterate them so that a route added tomorrow is attacked too.
 */
export interface OpenAPIV3_1Like {
  paths: Record<string, Record<string, { security?: unknown[]; requestBody?: { content: Record<string, { schema?: unknown }> }; parameters?: { name: string; in: string }[] }>>;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT';
  /** `/api/cases/{id}` */
  path: string;
  investigator: boolean;
  body: 'json' | 'octet-stream' | 'none';
  params: string[];
  /** The JSON Schema of a JSON body. */
  schema: unknown;
}

export function operations(doc: OpenAPIV3_1Like): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const content = op.requestBody ? Object.keys(op.requestBody.content)[0] : undefined;
      out.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        investigator: (op.security?.length ?? 0) > 0,
        body: content === 'application/json' ? 'json' : content === 'application/octet-stream' ? 'octet-stream' : 'none',
        params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        schema: op.requestBody?.content['application/json']?.schema,
      });
    }
  }
  return out;
}

/** Fills `{name}` from `values` (every parameter must have one). */
export function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter {${name}} of ${path}: add it to the security tests`);
    return encodeURIComponent(value);
  });
}
