// Security requirements and schemes, normalized.
import { isRecord, resolveObject } from './refs.ts';
import type { OAuthFlowModel, OAuthFlowsModel, SecurityRequirement, SecuritySchemeModel } from './types.ts';

/** A Security Requirement list (`security: [...]`) as alternatives; undefined when not declared. */
export function securityRequirementsOf(value: unknown): SecurityRequirement[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isRecord).map((requirement) =>
    Object.entries(requirement).map(([scheme, scopes]) => ({
      scheme,
      scopes: Array.isArray(scopes) ? scopes.filter((scope): scope is string => typeof scope === 'string') : [],
    })),
  );
}

function flowOf(value: unknown): OAuthFlowModel | undefined {
  if (!isRecord(value)) return undefined;
  const str = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  const scopes: Record<string, string> = {};
  if (isRecord(value.scopes)) for (const [scope, text] of Object.entries(value.scopes)) scopes[scope] = String(text ?? '');
  return { authorizationUrl: str('authorizationUrl'), tokenUrl: str('tokenUrl'), refreshUrl: str('refreshUrl'), scopes };
}

export function securitySchemesOf(document: Record<string, unknown>): Record<string, SecuritySchemeModel> {
  const components = isRecord(document.components) ? document.components : {};
  const raw = isRecord(components.securitySchemes) ? components.securitySchemes : {};
  const out: Record<string, SecuritySchemeModel> = {};
  for (const [name, entry] of Object.entries(raw)) {
    const { value: scheme } = resolveObject(document, entry);
    const description = typeof scheme.description === 'string' ? scheme.description : undefined;
    switch (scheme.type) {
      case 'apiKey':
        out[name] = {
          name,
          type: 'apiKey',
          in: scheme.in === 'query' || scheme.in === 'cookie' ? scheme.in : 'header',
          parameterName: String(scheme.name ?? ''),
          description,
        };
        break;
      case 'http':
        out[name] = {
          name,
          type: 'http',
          scheme: String(scheme.scheme ?? 'bearer').toLowerCase(),
          bearerFormat: typeof scheme.bearerFormat === 'string' ? scheme.bearerFormat : undefined,
          description,
        };
        break;
      case 'oauth2': {
        const flows: OAuthFlowsModel = {};
        const rawFlows = isRecord(scheme.flows) ? scheme.flows : {};
        for (const key of ['implicit', 'password', 'clientCredentials', 'authorizationCode'] as const) {
          const flow = flowOf(rawFlows[key]);
          if (flow) flows[key] = flow;
        }
        out[name] = { name, type: 'oauth2', flows, description };
        break;
      }
      case 'openIdConnect':
        out[name] = { name, type: 'openIdConnect', openIdConnectUrl: String(scheme.openIdConnectUrl ?? ''), description };
        break;
      case 'mutualTLS':
        out[name] = { name, type: 'mutualTLS', description };
        break;
    }
  }
  return out;
}
